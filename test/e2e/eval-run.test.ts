// An evaluation run end to end: `jury serve` as a process, a loopback OpenAI-compatible model server answering
// MixEval-Hard 2024-06-01 from a fixture (the right letter for every other multiple-choice item, a wrong one for
// the rest, nonsense for free-form), the run killed with SIGKILL mid-way and resumed by a restart: no stored
// answer is asked again, and the score is what the fixture implies. Then `jury eval` on the finished run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { EvaluationItem } from '@jury/api';
import { JuryClient, readCredentials } from '@jury/sdk';
import { itemPrompt } from '@jury/server';
import { startModelServer } from '@jury/server/testing';
import { createPostgresDatabase, DATABASES, isolatedEnv, runJury, startServe, tempDirs } from './helpers.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const dirs = await tempDirs();
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await dirs.cleanup();
});

async function clientFor(home: string, url: string): Promise<JuryClient> {
  const { clients } = await readCredentials(join(home, '.config', 'jury', 'credentials.json'));
  return new JuryClient({ clientId: clients[0]!.clientId, clientSecret: clients[0]!.clientSecret, url });
}

/** The fixture's answer to each item, by the prompt the server sends for it. */
function fixture(items: EvaluationItem[]): Map<string, string> {
  const answers = new Map<string, string>();
  let mc = 0;
  for (const item of items) {
    if (item.split === 'multiple-choice') {
      const right = mc++ % 2 === 0;
      const index = right ? item.correctOption : (item.correctOption + 1) % item.options.length;
      answers.set(itemPrompt(item), LETTERS[index]!);
    } else answers.set(itemPrompt(item), 'zzqx');
  }
  return answers;
}

for (const database of DATABASES)
  test(`jury serve on ${database}: MixEval-Hard run killed with SIGKILL resumes asking 0 stored items, scores as the fixture implies`, {
    timeout: 240_000,
  }, async () => {
    const home = await dirs.make('eval-home');
    const dataDir = await dirs.make('eval-data');
    const env = isolatedEnv(home);
    const args = ['--port', '0', '--data-dir', dataDir];
    if (database === 'postgres') {
      const pg = await createPostgresDatabase();
      cleanups.push(() => pg.drop());
      args.push('--database-url', pg.url);
    }
    const first = await startServe(args, env);
    cleanups.push(() => first.stop('SIGKILL'));
    let client = await clientFor(home, first.url);
    const { data: items, total } = await client.evaluations.items('mixeval-hard', '2024-06-01', {
      amount: 1000,
    });
    assert.equal(total, 1000);
    const answers = fixture(items);
    const models = await startModelServer({ answers, latencyMs: 15 });
    cleanups.push(() => models.close());
    const expected =
      (100 *
        items.filter(
          (i) => i.split === 'multiple-choice' && answers.get(itemPrompt(i)) === LETTERS[i.correctOption],
        ).length) /
      items.length;

    const model = await client.models.create({
      name: 'Fixture',
      endpoint: { preset: 'openai-chat', url: models.chatUrl, model: 'fixture' },
    });
    const run = await client.evaluations.run({
      model: model.id,
      evaluation: 'mixeval-hard',
      version: '2024-06-01',
    });

    // Kill once a good share is answered, so requests are in flight at that moment.
    const deadline = Date.now() + 60_000;
    while (models.requests.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    await first.stop('SIGKILL');
    const askedBeforeKill = models.requests.length;
    assert.ok(
      askedBeforeKill >= 300 && askedBeforeKill < 1000,
      `killed mid-run (${askedBeforeKill} requests)`,
    );

    const second = await startServe(args, env);
    cleanups.push(() => second.stop());
    client = await clientFor(home, second.url);
    const resumed = await client.evaluations.getRun(run.id);
    // The dead process's lease still holds: what is stored now is what the first process stored.
    const stored: string[] = [];
    for (const page of [1, 2]) {
      const { data } = await resumed.items({ amount: 500, page });
      for (const item of data) if (item.status) stored.push(item.prompt!);
    }
    assert.ok(stored.length > 0, 'answers were stored before the kill');
    const askedAtRestart = models.requests.length;

    const done = await resumed.waitUntilDone({ pollIntervalMs: 250, timeoutMs: 120_000 });
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.deepEqual(done.progress, {
      total: 1000,
      finished: 1000,
      answered: 1000,
      failed: 0,
      skipped: 0,
      cached: done.progress.cached,
    });
    // MixEval-Hard repeats some prompts (several items, one text): count per prompt, items against requests.
    const count = (list: string[]) =>
      list.reduce((m, p) => m.set(p, (m.get(p) ?? 0) + 1), new Map<string, number>());
    const itemsPerPrompt = count(items.map(itemPrompt));
    const storedPerPrompt = count(stored);
    const askedAfter = count(models.requests.slice(askedAtRestart).map((r) => r.prompt));
    const reasked = [...storedPerPrompt.keys()].filter(
      (p) => (askedAfter.get(p) ?? 0) > (itemsPerPrompt.get(p) ?? 0) - (storedPerPrompt.get(p) ?? 0),
    );
    assert.deepEqual(reasked, [], `${reasked.length} stored answers were asked again after the restart`);
    assert.ok(
      models.requests.length - askedAtRestart <= 1000 - stored.length,
      'the resume asked only unstored items',
    );
    assert.ok(
      Math.abs((done.score ?? -1) - expected) < 1e-9,
      `score ${done.score} (${JSON.stringify(done.splits)}), the fixture implies ${expected}`,
    );
    assert.equal(done.splits?.['free-form']?.score, 0);
    console.log(
      `[eval-run] ${database}: killed after ${askedBeforeKill} requests, ${stored.length} stored; resume asked ${models.requests.length - askedAtRestart}, re-asked 0; score ${done.score?.toFixed(2)}`,
    );

    // The CLI on the finished run: the list, a re-score, and a second run answered from the cache.
    const cli = { ...env, JURY_URL: second.url };
    const runs = await runJury(['eval', 'runs', '--json'], cli, { timeoutMs: 60_000 });
    assert.equal(runs.code, 0, runs.output);
    assert.equal(JSON.parse(runs.stdout)[0].id, run.id);
    const scored = await runJury(['eval', 'score', run.id, '--json'], cli, { timeoutMs: 60_000 });
    assert.equal(scored.code, 0, scored.output);
    assert.ok(Math.abs(JSON.parse(scored.stdout).score - expected) < 1e-9);
    const before = models.requests.length;
    const again = await runJury(
      ['eval', 'run', '--model', 'Fixture', '--evaluation', 'mixeval-hard', '--version', '2024-06-01'],
      cli,
      { timeoutMs: 120_000 },
    );
    assert.equal(again.code, 0, again.output);
    assert.match(again.stdout, /completed/);
    assert.match(again.stdout, new RegExp(`Score\\s+${expected.toFixed(2)}`));
    assert.equal(models.requests.length, before, 'every answer came from the cache');
  });
