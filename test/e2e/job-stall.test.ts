import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { JuryClient, JuryError, JuryJobStalledError, juryConfig } from '@jury/sdk';
import { createManualClock, type RunningServer, startServer } from '@jury/server';
import { createPostgresDatabase, DATABASES, isolateProcessEnv, tempDirs } from './helpers.ts';

// A job whose crowd runs out says so and why, through the API and the SDK (issue 7, part 3): the two measured
// cases (a custom audience with 9 qualified labelers at 10 responses per datapoint, stuck at 18/20; a filtered
// audience at 6/8), the waiting states before labelers come and after they leave, a live lease that holds the
// verdict off until it expires (the injected clock, no sleeping), and getResults / displayProgressBar failing
// with the reason instead of polling forever.

// biome-ignore lint/suspicious/noExplicitAny: labeler API bodies are JSON the test inspects freely
type Json = any;

/** A labeler session with its cookie, speaking the labeler API like the web app and `jury simulate`. */
async function labeler(base: string, profile: Record<string, unknown> = {}) {
  const res = await fetch(`${base}/api/v1/labeler/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'simulated', ...profile }),
  });
  assert.equal(res.status, 201);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, origin: base, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await r.json()) as { data: Json };
    assert.ok(r.ok, `${method} ${path}: ${JSON.stringify(json)}`);
    return json.data;
  };
  return {
    next: () => call('GET', '/api/v1/labeler/tasks/next'),
    answer: (leaseId: string) =>
      call('POST', '/api/v1/labeler/responses', { leaseId, answer: { choice: 'A' } }),
    /** Answers qualification examples (right: the item named `right…`) and tasks until there is nothing. */
    async work(right = true): Promise<number> {
      let tasks = 0;
      for (;;) {
        const t = await call('GET', '/api/v1/labeler/tasks/next');
        if (t.kind === 'none') return tasks;
        if (t.kind === 'qualification') {
          const pick = t.items.find((i: Json) => i.text.startsWith('right') === right);
          await call('POST', '/api/v1/labeler/qualification-answers', {
            exampleId: t.exampleId,
            audienceId: t.audienceId,
            answer: { choice: pick.side },
          });
          continue;
        }
        await call('POST', '/api/v1/labeler/responses', { leaseId: t.leaseId, answer: { choice: 'A' } });
        tasks++;
      }
    },
  };
}

for (const backend of DATABASES) {
  describe(`stalled jobs on ${backend}`, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let server: RunningServer;
    let client: JuryClient;
    let base: string;
    let restoreEnv: () => void;
    let pgDb: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
    const clock = createManualClock(new Date('2026-08-03T09:00:00Z'));
    const api = async (method: string, path: string, body?: unknown): Promise<Json> =>
      (await client.request<{ data: Json }>(method, path, body === undefined ? {} : { json: body })).data;
    const compareJob = async (audienceId: string, datapoints: number, responsesPerDatapoint: number) => {
      const def = await api('POST', '/api/v1/job-definitions', {
        type: 'compare',
        name: `stall ${audienceId}`,
        instruction: 'Which text is better?',
        dataType: 'text',
        datapoints: Array.from({ length: datapoints }, (_, i) => [{ text: `a${i}` }, { text: `b${i}` }]),
        responsesPerDatapoint,
      });
      return api('POST', '/api/v1/jobs', { definitionId: def.id, audienceId });
    };
    const progress = async (jobId: string) => (await api('GET', `/api/v1/jobs/${jobId}`)).progress;

    before(async () => {
      dirs = await tempDirs();
      restoreEnv = isolateProcessEnv(await dirs.make('home'));
      pgDb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
      server = await startServer({
        port: 0,
        dataDir: await dirs.make('data'),
        databaseUrl: pgDb?.url,
        clock,
        config: { goldRate: 0 },
      });
      base = `http://127.0.0.1:${server.port}`;
      client = new JuryClient({
        clientId: server.bootstrap?.client.id ?? '',
        clientSecret: server.bootstrap?.secret ?? '',
        url: base,
      });
      juryConfig.logging.silentMode = true;
    });
    afterEach(() => {
      juryConfig.reset();
      juryConfig.logging.silentMode = true;
    });
    after(async () => {
      juryConfig.reset();
      restoreEnv?.();
      await server?.close();
      await pgDb?.drop();
      await dirs?.cleanup();
    });

    test('custom audience, 9 qualified labelers, 10 responses per datapoint: stalled at 18/20 with the reason; the SDK stops waiting', async () => {
      const audience = await api('POST', '/api/v1/audiences', { name: 'Nine experts' });
      for (const i of [0, 1, 2])
        await api('POST', `/api/v1/audiences/${audience.id}/examples`, {
          taskType: 'compare',
          instruction: 'Which is right?',
          dataType: 'text',
          datapoint: [{ text: `wrong ${i}` }, { text: `right ${i}` }],
          truth: `right ${i}`,
        });
      const created = await compareJob(audience.id, 2, 10);
      assert.equal(created.progress.stalled.code, 'NO_ADMITTED_LABELERS', 'nobody has qualified yet');
      assert.match(created.progress.stalled.reason, /nobody has qualified for audience "Nine experts" yet/);

      for (let i = 0; i < 9; i++) assert.equal(await (await labeler(base)).work(), 2);
      assert.equal(await (await labeler(base)).work(false), 0, 'the tenth fails qualification');

      // No clock advance: the answer that used up the crowd is enough for the status to say so.
      const p = await progress(created.id);
      assert.equal(p.responses, 18);
      assert.equal(p.completedTasks, 0);
      assert.equal(p.stalled.code, 'NO_ELIGIBLE_LABELERS');
      assert.equal(
        p.stalled.reason,
        'No labeler left who may answer: all 9 qualified labelers of audience "Nine experts" have answered every open datapoint (2 open datapoints, each at 9 of 10 responses). It completes only if more labelers join and qualify; getResults({ wait: false }) gives the results so far.',
      );
      assert.equal(p.stalled.since, clock.now().toISOString(), 'since the last response');

      const job = await client.job.getJobById(created.id);
      assert.equal((await job.getProgress()).stalled?.code, 'NO_ELIGIBLE_LABELERS');
      const started = Date.now();
      const stalled = (err: unknown) => {
        assert.ok(err instanceof JuryJobStalledError, String(err));
        assert.ok(err instanceof JuryError);
        assert.equal(err.code, 'JOB_STALLED');
        assert.equal(err.stall.code, 'NO_ELIGIBLE_LABELERS');
        assert.ok(err.message.includes(p.stalled.reason), err.message);
        assert.match(err.message, /cannot progress at 0\/2 datapoints, 18 responses/);
        return true;
      };
      await assert.rejects(job.getResults({ stallTimeoutMs: 300, pollIntervalMs: 50 }), stalled);
      await assert.rejects(job.displayProgressBar({ stallTimeoutMs: 300, pollIntervalMs: 50 }), stalled);
      assert.ok(Date.now() - started < 10_000, 'both gave up within seconds, not minutes');
      await assert.rejects(
        job.getResults({ timeoutMs: 200, stallTimeoutMs: Infinity, pollIntervalMs: 50 }),
        (err: unknown) =>
          err instanceof JuryError &&
          err.code === 'TIMEOUT' &&
          err.message.includes('No labeler left who may answer'),
      );
      const sofar = await job.getResults({ wait: false });
      assert.ok('summary' in sofar, 'compare results');
      assert.equal(sofar.results.length, 2);

      // The progress line (not a terminal here) carries the reason.
      juryConfig.logging.silentMode = false;
      const lines: string[] = [];
      const write = process.stdout.write;
      process.stdout.write = ((chunk: string) => lines.push(String(chunk)) > 0) as typeof write;
      try {
        await assert.rejects(job.displayProgressBar({ stallTimeoutMs: 0, pollIntervalMs: 50 }), stalled);
      } finally {
        process.stdout.write = write;
      }
      assert.match(
        lines.join(''),
        /0\/2 datapoints complete \(0%\), 18 responses, running \| No labeler left who may answer: all 9/,
      );
      await job.pause(); // its qualification examples would otherwise come first for the next tests' labelers
    });

    test('filtered audience at 6/8: a live lease holds the verdict until it expires; labelers who left are waited for', async () => {
      const us = await api('POST', '/api/v1/audiences/global/filter', {
        name: 'US only',
        filters: [{ type: 'country', countries: ['US'] }],
      });
      const created = await compareJob(us.id, 1, 8);
      for (let i = 0; i < 3; i++) await (await labeler(base, { country: 'DE' })).work();
      const americans = await Promise.all(Array.from({ length: 6 }, () => labeler(base, { country: 'US' })));
      for (const a of americans.slice(0, 5)) assert.equal(await a.work(), 1);
      const last = americans[5];
      assert.ok(last);
      const lease = await last.next();
      assert.equal(lease.kind, 'task');
      assert.equal((await progress(created.id)).stalled, null, 'a lease is out: someone is answering');

      await clock.advance(61_000); // the lease (60 s) expires unanswered; its labeler was seen a minute ago
      assert.equal((await progress(created.id)).stalled, null, 'an active labeler may still answer');
      await clock.advance(120_000); // nobody seen for three minutes
      const away = (await progress(created.id)).stalled;
      assert.equal(away.code, 'NO_ACTIVE_LABELERS');
      assert.match(away.reason, /none of those who may still answer has been seen in the last 2 minutes/);

      const again = await last.next();
      assert.equal(again.kind, 'task');
      await last.answer(again.leaseId);
      const p = await progress(created.id);
      assert.equal(p.responses, 6);
      assert.equal(p.stalled.code, 'NO_ELIGIBLE_LABELERS');
      assert.match(
        p.stalled.reason,
        /^No labeler left who may answer: all 6 labelers admitted by audience "US only" have answered every open datapoint \(1 open datapoint, each at 6 of 8 responses\)\./,
      );
      await clock.advance(10 * 60_000);
      assert.equal((await progress(created.id)).stalled.code, 'NO_ELIGIBLE_LABELERS', 'still: gone or not');

      // A new admitted labeler lifts the stall; a paused job is never "stalled" (its status says why).
      const newcomer = await labeler(base, { country: 'US' });
      assert.equal((await progress(created.id)).stalled, null);
      await api('POST', `/api/v1/jobs/${created.id}/pause`);
      assert.equal((await progress(created.id)).stalled, null);
      await api('POST', `/api/v1/jobs/${created.id}/resume`);
      assert.equal(await newcomer.work(), 1);
      assert.equal((await progress(created.id)).responses, 7);
    });

    test('labelers who left are waited for (global audience), never failed by the stall timeout', async () => {
      const created = await compareJob('global', 1, 2);
      // Labelers from the earlier tests are known but gone: the job waits for them (or new ones).
      await clock.advance(5 * 60_000);
      assert.equal((await progress(created.id)).stalled.code, 'NO_ACTIVE_LABELERS');
      const job = await client.job.getJobById(created.id);
      await assert.rejects(
        job.getResults({ timeoutMs: 300, stallTimeoutMs: 0, pollIntervalMs: 50 }),
        (err: unknown) => err instanceof JuryError && err.code === 'TIMEOUT',
        'waiting for labelers never trips the stall timeout',
      );
      for (let i = 0; i < 2; i++) await (await labeler(base)).work();
      const results = await job.getResults({ timeoutMs: 5000, pollIntervalMs: 50 });
      assert.ok('summary' in results, 'compare results');
      assert.equal(results.results.length, 1);
    });
  });
}
