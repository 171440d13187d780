// Two servers on one PostgreSQL database driving one evaluation run at once: the first takes the run, then
// stalls past its run lease (simulated: its lease is expired in the database), the second takes the run over
// while the first still has requests in flight and keeps asking until its renewal sees the loss and it winds
// down (finishing what it sent, claiming nothing new). The loopback model server counts every request: no item
// is asked twice, the run completes once, with the score the fixture implies. Postgres only (TEST_DATABASE_URL):
// several processes on one database is what deploy.md describes, and SQLite serves one process.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment } from '../../../test/environment.ts';
import { requestToken } from '../../../test/factories.ts';
import { Requester } from '../../../test/labeling-harness.ts';
import { type ModelServer, startModelServer } from '../../../test/model-server.ts';
import { type RunningServer, startServer } from '../../server.ts';

const ITEMS = 600;
const LATENCY_MS = 200;
const items = Array.from({ length: ITEMS }, (_, i) => ({
  split: 'free-form',
  question: `[q${i}] What is the answer to question ${i}?`,
  answers: [`answer ${i}`],
}));
// Even questions answered right, odd ones wrong: 50.
const answer = (prompt: string) => {
  const i = Number(/\[q(\d+)\]/.exec(prompt)?.[1] ?? -1);
  return i % 2 === 0 ? `answer ${i}` : 'no idea';
};

const databaseUrl = process.env.TEST_DATABASE_URL;

describe('two servers on one PostgreSQL database, one evaluation run', {
  skip: databaseUrl ? false : 'needs TEST_DATABASE_URL (a PostgreSQL server)',
}, () => {
  let env: Awaited<ReturnType<typeof createTestEnvironment>>;
  let secondDir = '';
  let a: RunningServer;
  let b: RunningServer;
  let models: ModelServer;
  let r: Requester;

  before(async () => {
    env = await createTestEnvironment({ name: 'postgres', databaseUrl });
    secondDir = await mkdtemp(join(tmpdir(), 'jury-test-'));
    models = await startModelServer({ answer, latencyMs: LATENCY_MS });
    a = await startServer({ port: 0, dataDir: env.dataDir, databaseUrl: env.databaseUrl });
    b = await startServer({ port: 0, dataDir: secondDir, databaseUrl: env.databaseUrl });
    const boot = a.bootstrap!;
    r = new Requester(a.url, await requestToken(a.url, { clientId: boot.client.id, secret: boot.secret }));
  });
  after(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await models?.close();
    await rm(secondDir, { recursive: true, force: true });
    await env?.cleanup();
  });

  it('asks no item twice, completes once, scores as the fixture implies', { timeout: 120_000 }, async () => {
    await r.ok('POST', '/api/v1/evaluations', { name: 'shared', import: { version: 'v1', items } });
    const model = (
      await r.ok('POST', '/api/v1/models', {
        name: 'Fixture',
        endpoint: { preset: 'openai-chat', url: models.chatUrl, model: 'fixture' },
      })
    ).data.id;
    const run = (
      await r.ok('POST', '/api/v1/evaluation-runs', {
        model,
        evaluation: 'shared',
        version: 'v1',
        cache: false,
      })
    ).data;
    const db = a.database.db;
    const holder = async () =>
      (
        await db
          .selectFrom('evaluation_runs')
          .select('holder')
          .where('id', '=', run.id)
          .executeTakeFirstOrThrow()
      ).holder;
    // Server A takes the run (its create route sweeps at once).
    for (let i = 0; i < 200 && !(await holder()); i++) await new Promise((res) => setTimeout(res, 10));
    const first = await holder();
    assert.ok(first, 'server A took the run');
    while (models.requests.length < 30) await new Promise((res) => setTimeout(res, 10));

    // A stalls past its lease (as a paused process would): B takes the run while A's requests are in flight.
    for (let tries = 0; (await holder()) === first && tries < 20; tries++) {
      await db.updateTable('evaluation_runs').set({ lease_until: 0 }).where('id', '=', run.id).execute();
      await b.runtime.runOnce('evaluations.drive-runs');
    }
    const second = await holder();
    assert.ok(second && second !== first, 'server B took the run over');

    let done = run;
    for (let i = 0; i < 600 && ['queued', 'running'].includes(done.status); i++) {
      await new Promise((res) => setTimeout(res, 100));
      done = (await r.ok('GET', `/api/v1/evaluation-runs/${run.id}`)).data;
    }
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.equal(done.score, 50);
    assert.deepEqual(done.progress, {
      total: ITEMS,
      finished: ITEMS,
      answered: ITEMS,
      failed: 0,
      skipped: 0,
      cached: 0,
    });
    // Let any straggler of either server finish before counting.
    await new Promise((res) => setTimeout(res, 1000));
    const perPrompt = new Map<string, number>();
    for (const q of models.requests) perPrompt.set(q.prompt, (perPrompt.get(q.prompt) ?? 0) + 1);
    const twice = [...perPrompt].filter(([, n]) => n > 1);
    assert.deepEqual(twice, [], 'no item asked twice');
    assert.equal(models.requests.length, ITEMS, 'every item asked once');
    // Both drove at once: each server keeps at most 8 requests in flight, so more than 8 means two drivers.
    const spans = models.requests.map((q) => [q.at - LATENCY_MS, q.at] as const);
    const overlap = Math.max(
      ...spans.map(([start]) => spans.filter(([s, e]) => s <= start && e > start).length),
    );
    assert.ok(overlap > 8, `at most ${overlap} requests in flight at once`);
    // Completed once: the run row stays as it was when it completed.
    const row = await db
      .selectFrom('evaluation_runs')
      .selectAll()
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'completed');
    assert.equal(new Date(row.finished_at!).toISOString(), done.finishedAt);
    const stored = await b.database.db
      .selectFrom('evaluation_run_items')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('run_id', '=', run.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), ITEMS);
    console.log(
      `[two-servers] ${models.requests.length} requests for ${ITEMS} items, at most ${overlap} in flight at once, score ${done.score}`,
    );
  });
});
