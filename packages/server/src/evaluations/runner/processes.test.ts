// Real processes on one SQLite-file store, as server processes on one database: two at once never ask the same
// item, and one killed with SIGKILL is resumed by another without re-asking what it stored. This file is also
// the child: with JURY_RUNNER_CHILD set it runs one engine and prints its summary instead of testing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChatCall, type ModelServer, startModelServer } from '../../../test/model-server.ts';
import { runItems } from './engine.ts';
import { createSqliteFileRunStore } from './sqlite-file-store.ts';
import type { RunSummary } from './types.ts';

interface ChildInput {
  chatUrl: string;
  file: string;
  holder: string;
  items: number;
}

const itemsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `p${i}`, prompt: `process question ${i}?` }));

async function child(input: ChildInput) {
  const store = createSqliteFileRunStore({ path: input.file, runId: 'shared' });
  const summary = await runItems({
    items: itemsOf(input.items),
    call: createChatCall(input.chatUrl),
    store,
    estimateTokens: (text) => Math.ceil(text.length / 4),
    concurrency: 4,
    holder: input.holder,
    leaseMs: 600,
    heldRetryMs: 20,
    onProgress: (p) => process.stdout.write(`progress ${p.answered}\n`),
  });
  store.close();
  process.stdout.write(`summary ${JSON.stringify(summary)}\n`);
}

/** Runs a child engine; `killAfter` answers in, it is killed with SIGKILL. */
function runChild(input: ChildInput, killAfter?: number): Promise<RunSummary | 'killed'> {
  return new Promise((resolve, reject) => {
    // Without the test runner's context: the child is a plain process, not a test file.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const proc = spawn(process.execPath, [import.meta.filename], {
      env: { ...env, JURY_RUNNER_CHILD: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const answered = Math.max(0, ...[...out.matchAll(/^progress (\d+)$/gm)].map((m) => Number(m[1])));
      if (killAfter !== undefined && answered >= killAfter) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve('killed');
      const line = out.split('\n').find((l) => l.startsWith('summary '));
      if (code !== 0 || !line) return reject(new Error(`child exited with ${code ?? signal}`));
      resolve(JSON.parse(line.slice('summary '.length)) as RunSummary);
    });
  });
}

const childInput = process.env.JURY_RUNNER_CHILD;
if (childInput) await child(JSON.parse(childInput) as ChildInput);
else
  describe('engines in separate processes on one SQLite file', () => {
    let server: ModelServer;
    let dir: string;
    before(async () => {
      server = await startModelServer({ latencyMs: 10 });
      dir = mkdtempSync(join(tmpdir(), 'jury-runner-processes-'));
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const askedPerPrompt = () => {
      const counts = new Map<string, number>();
      for (const r of server.requests) counts.set(r.prompt, (counts.get(r.prompt) ?? 0) + 1);
      return counts;
    };

    it('two processes at once ask every item exactly once between them', async () => {
      server.requests.length = 0;
      const file = join(dir, 'together.sqlite');
      const input = { chatUrl: server.chatUrl, file, items: 60 };
      const [a, b] = await Promise.all([
        runChild({ ...input, holder: 'process-a' }),
        runChild({ ...input, holder: 'process-b' }),
      ]);
      assert.ok(a !== 'killed' && b !== 'killed');
      const counts = askedPerPrompt();
      assert.equal(counts.size, 60);
      assert.deepEqual(new Set(counts.values()), new Set([1]), 'no prompt asked twice');
      assert.equal(a.answered + b.answered, 60);
      assert.equal(a.answered + a.alreadyStored, 60);
      assert.equal(b.answered + b.alreadyStored, 60);
    });

    it('a process killed with SIGKILL is resumed by another without re-asking what it stored', async () => {
      server.requests.length = 0;
      const file = join(dir, 'killed.sqlite');
      const input = { chatUrl: server.chatUrl, file, items: 80 };
      assert.equal(await runChild({ ...input, holder: 'doomed' }, 20), 'killed');
      await new Promise((resolve) => setTimeout(resolve, 100)); // requests cut off by the kill are recorded as answered
      const readStore = createSqliteFileRunStore({ path: file, runId: 'shared' });
      const stored = new Set(readStore.records().map((r) => r.prompt));
      readStore.close();
      assert.ok(stored.size >= 20 && stored.size < 80, `${stored.size} stored before the kill`);
      const before = askedPerPrompt();
      // The killed holder's leases on the items it had in flight end after 600 ms; the new process waits them out.
      const resumed = await runChild({ ...input, holder: 'successor' });
      assert.ok(resumed !== 'killed');
      assert.deepEqual([resumed.alreadyStored, resumed.answered], [stored.size, 80 - stored.size]);
      const afterKill = askedPerPrompt();
      for (const prompt of stored)
        assert.equal(afterKill.get(prompt), before.get(prompt), `${prompt} not asked again`);
      assert.equal(afterKill.size, 80);
    });
  });
