// The README's quick example in both orders a user may start things (issue 7, part 3): `jury simulate
// --until-idle` first and the quick example second, then the other way round. Both finish on their own: the
// simulator waits for work, answers it and stops once idle; the script's progress bar ends with the job.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runProcess } from '@jury/cli/testing';
import { isolatedEnv, JURY_BIN, REPO_ROOT, startServe, tempDirs } from './helpers.ts';

const run = (args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) =>
  runProcess([process.execPath, ...args], { env, timeoutMs });

const QUICKSTART = join(REPO_ROOT, 'examples/quickstart.ts');

describe('quick example and jury simulate --until-idle, in either order (SQLite)', () => {
  const dirs = tempDirs();
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    await (await dirs).cleanup();
  });

  async function serve(name: string) {
    const d = await dirs;
    const env = isolatedEnv(await d.make(`${name}-home`));
    const s = await startServe(['--port', '0', '--data-dir', await d.make(`${name}-data`)], env);
    cleanups.push(() => s.stop());
    const simulate = ['simulate', '--url', s.url, '--until-idle', '--idle-seconds', '3', '--seed', '7'];
    return { env, simulate };
  }

  it('simulator first: it waits for the work, answers it, and exits once idle', {
    timeout: 150_000,
  }, async () => {
    const { env, simulate } = await serve('sim-first');
    const sim = run([JURY_BIN, ...simulate], env, 120_000);
    await new Promise((r) => setTimeout(r, 6000)); // past --idle-seconds: the old simulator had exited by now
    const quickstart = await run([QUICKSTART], env, 120_000);
    assert.equal(quickstart.code, 0, quickstart.output);
    assert.match(quickstart.output, /"A_wins_total"/);
    const s = await sim;
    assert.equal(s.code, 0, s.output);
    assert.match(s.output, /Waiting for work \(up to 120 s, --wait-for-work\)/);
    assert.match(s.output, /stopped: idle/);
    assert.match(s.output, /Answers: (1\d|\d\d+) /, 'the simulated crowd answered the job');
  });

  it('quick example first: the simulator started afterwards answers, and both finish', {
    timeout: 150_000,
  }, async () => {
    const { env, simulate } = await serve('qs-first');
    const quickstart = run([QUICKSTART], env, 120_000);
    await new Promise((r) => setTimeout(r, 3000));
    const s = await run([JURY_BIN, ...simulate], env, 120_000);
    assert.equal(s.code, 0, s.output);
    assert.match(s.output, /stopped: idle/);
    const q = await quickstart;
    assert.equal(q.code, 0, q.output);
    assert.match(q.output, /"A_wins_total"/);
  });
});
