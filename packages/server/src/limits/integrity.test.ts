// The crowd-integrity probes of the limits (issue 12), each an abuse that must now fail, on both databases:
// - sybil: 50 sessions from one client address give one datapoint at most answersPerAddressPerDatapoint answers;
// - lease hoarding: 1,000 throw-away sessions from one address cannot lock a 200 × 5 job (sessions per address,
//   leases per address): an honest labeler elsewhere gets work at once;
// - rates: token requests per client id and per address, labeler requests, new sessions: 429 with Retry-After
//   (RFC 6749's error body on the token route), counted in the database so two server processes agree;
// - too fast: an answer sooner than the task type's floor after it was served is flagged, weighs flaggedWeight in
//   the results, and is counted in the results' integrity block.
// The server trusts one proxy hop, so each simulated person claims an address by X-Forwarded-For (198.51.100.0/24
// and 2001:db8::/32, the documentation ranges); the loopback exemption plays no part.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { requestToken } from '../../test/factories.ts';
import {
  type HttpResult,
  Labeler,
  type LabelingHarness,
  startLabelingHarness,
} from '../../test/labeling-harness.ts';
import { createManualClock } from '../http/clock.ts';
import { startServer } from '../server.ts';

const PROXIED = { trustedProxyHops: 1 };

/** Starts a labeler session from `address`; the raw answer (201, or 429 once the address is over its limit). */
async function startFrom(base: string, address: string) {
  const l = new Labeler(base, { address });
  const r = await l.request('POST', '/api/v1/labeler/session', {});
  if (r.status === 201) l.id = r.body.data.id;
  return { labeler: l, response: r };
}

function assertRateLimited(r: HttpResult, limit: string) {
  assert.equal(r.status, 429, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'RATE_LIMITED');
  assert.equal(r.body.error.details.limit, limit);
  const retryAfter = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
  assert.equal(r.body.error.details.retryAfterSeconds, retryAfter);
}

for (const target of testDatabaseTargets()) {
  describe(`crowd integrity limits on ${target.name}`, () => {
    describe('at the defaults', () => {
      let h: LabelingHarness;
      // A manual clock: no window of a limit ends while a probe runs.
      const clock = createManualClock(new Date('2026-06-01T10:00:00Z'));
      before(async () => {
        h = await startLabelingHarness(target, { config: PROXIED, clock });
      });
      after(() => h.close());

      it('sybil: 50 sessions from one address give one datapoint no more than 2 answers', async () => {
        const job = await h.requester.compareJob({ datapoints: 1, responsesPerDatapoint: 10 });
        const sybils = await Promise.all(
          Array.from({ length: 50 }, () => h.labeler({}, { address: '198.51.100.7' })),
        );
        const served = await Promise.all(sybils.map((s) => s.next()));
        const leased = served.filter((t) => t.kind === 'task');
        assert.equal(leased.length, 2, 'two leases for the address, the rest got nothing');
        for (const t of served.filter((x) => x.kind !== 'task')) assert.equal(t.kind, 'none');
        for (const [i, t] of leased.entries()) {
          const sybil = sybils[served.indexOf(t)] as Labeler;
          assert.equal((await sybil.answer(t.leaseId, { choice: 'A' })).status, 201, `answer ${i}`);
        }
        // Answered, the address still holds its 2 of this datapoint: nobody of it is served again.
        for (const s of sybils) assert.equal((await s.next()).kind, 'none');
        // Another address of the same IPv6 /64 is the same client; a /64 next door is not.
        const v6 = await Promise.all([
          h.labeler({}, { address: '2001:db8:1:2::a' }),
          h.labeler({}, { address: '2001:db8:1:2:ffff::b' }),
          h.labeler({}, { address: '2001:db8:1:2:1:2:3:4' }),
        ]);
        const v6Served = await Promise.all(v6.map((l) => l.next()));
        assert.equal(v6Served.filter((t) => t.kind === 'task').length, 2, 'one /64, one cap');
        const honest = await h.labeler({}, { address: '198.51.100.99' });
        assert.equal((await honest.next()).kind, 'task', 'another address is served at once');
        const results = await h.requester.ok('GET', `/api/v1/jobs/${job.id}/results`);
        const counts = Object.values(results.data.results[0].aggregatedResults as Record<string, number>);
        assert.equal(
          counts.reduce((a, b) => a + b, 0),
          2,
        );
        assert.equal((await h.requester.ok('GET', `/api/v1/jobs/${job.id}`)).data.status, 'running');
      });

      it('lease hoarding: 1,000 throw-away sessions from one address cannot lock a 200 × 5 job', async () => {
        const job = await h.requester.compareJob({ datapoints: 200, responsesPerDatapoint: 5 });
        const attempts: Awaited<ReturnType<typeof startFrom>>[] = [];
        for (let i = 0; i < 1000; i += 50)
          attempts.push(
            ...(await Promise.all(Array.from({ length: 50 }, () => startFrom(h.base, '198.51.100.66')))),
          );
        const started = attempts.filter((a) => a.response.status === 201).map((a) => a.labeler);
        assert.equal(started.length, 100, 'labelerSessionsPerAddress (100 an hour) sessions, then 429');
        const refused = attempts.find((a) => a.response.status !== 201);
        assert.ok(refused);
        assertRateLimited(refused.response, 'labeler-sessions');
        const served = await Promise.all(started.map((l) => l.next()));
        assert.equal(
          served.filter((t) => t.kind === 'task').length,
          50,
          'leasesPerAddress (50) leases, no more',
        );
        const t0 = performance.now();
        const honest = await h.labeler({}, { address: '198.51.100.200' });
        const task = await honest.next();
        assert.equal(task.kind, 'task', 'an honest labeler gets work at once');
        assert.equal(task.jobId, job.id);
        assert.ok(performance.now() - t0 < 2000);
        // The held leases lock 50 of the job's 1,000 answers: 950 are open to everyone else.
        const progress = (await h.requester.ok('GET', `/api/v1/jobs/${job.id}`)).data.progress;
        assert.equal(progress.stalled, null);
      });

      it('a labeler holds one lease: five requests at once are served the same task', async () => {
        await h.requester.compareJob({ datapoints: 20, responsesPerDatapoint: 3 });
        const l = await h.labeler({}, { address: '198.51.100.31' });
        // Racing requests: one claims, the others find the labeler at their lease cap (nothing for now).
        const served = await Promise.all(Array.from({ length: 5 }, () => l.next()));
        const leases = new Set(served.filter((t) => t.kind === 'task').map((t) => t.leaseId));
        assert.equal(leases.size, 1, JSON.stringify(served));
        assert.equal((await l.next()).leaseId, [...leases][0], 'asking again: the held task');
      });

      it('token requests: per client id and per address, 429 with Retry-After in RFC 6749 shape', async () => {
        const clientId = h.server.bootstrap?.client.id ?? '';
        const token = (address: string, id: string, secret: string) =>
          fetch(`${h.base}/connect/token`, {
            method: 'POST',
            headers: { 'x-forwarded-for': address },
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: id,
              client_secret: secret,
            }),
          });
        // 60 wrong secrets for one client id, from 60 addresses: all 401; the 61st is limited, even with the
        // right secret.
        for (let i = 0; i < 60; i++)
          assert.equal((await token(`198.51.100.${i + 1}`, clientId, 'wrong')).status, 401, `attempt ${i}`);
        const limited = await token('198.51.100.250', clientId, h.server.bootstrap?.secret ?? '');
        assert.equal(limited.status, 429);
        const retryAfter = Number(limited.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 60);
        assert.equal(limited.headers.get('cache-control'), 'no-store');
        const body = (await limited.json()) as Record<string, unknown>;
        assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description', 'request_id']);
        assert.equal(body.error, 'temporarily_unavailable');
        // 120 requests from one address (any client ids), then 429.
        for (let i = 0; i < 120; i++)
          assert.equal((await token('203.0.113.9', `cli_guess${i}`, 'x')).status, 401, `guess ${i}`);
        const fromAddress = await token('203.0.113.9', 'cli_other', 'x');
        assert.equal(fromAddress.status, 429);
        assert.ok(Number(fromAddress.headers.get('retry-after')) >= 1);
      });
    });

    describe('two server processes on one database share the counts', () => {
      let env: Awaited<ReturnType<typeof createTestEnvironment>>;
      let a: Awaited<ReturnType<typeof startServer>>;
      let b: Awaited<ReturnType<typeof startServer>>;
      const clock = createManualClock(new Date('2026-06-01T10:00:05Z'));
      before(async () => {
        env = await createTestEnvironment(target);
        const config = { ...PROXIED, labelerRequestsPerMinute: 30, labelerSessionsPerAddress: 5 };
        const common = { port: 0, dataDir: env.dataDir, databaseUrl: env.databaseUrl, clock, config };
        a = await startServer({ ...common, backgroundTasks: false });
        b = await startServer({ ...common, backgroundTasks: false });
      });
      after(async () => {
        await a.close();
        await b.close();
        await env.cleanup();
      });

      it('labeler requests: 30 a minute across both processes, then 429 until the window ends', async () => {
        const onA = await new Labeler(a.url, { address: '198.51.100.40' }).start();
        const onB = new Labeler(b.url, { address: '198.51.100.40' });
        onB.cookie = onA.cookie; // the same session, its requests spread over two processes
        let admitted = 0;
        let last: Awaited<ReturnType<Labeler['request']>> | undefined;
        for (let i = 0; i < 40; i++) {
          last = await (i % 2 ? onB : onA).request('GET', '/api/v1/labeler/tasks/next');
          if (last.status === 200) admitted++;
          else assertRateLimited(last, 'labeler-requests');
        }
        // Each process reserves a tenth of the limit at a time: never more than 30 together, and at most one
        // reservation per process left unused.
        assert.ok(admitted <= 30 && admitted >= 24, `admitted ${admitted}`);
        assert.equal(last?.status, 429);
        await clock.advance(60_000);
        assert.equal((await onB.request('GET', '/api/v1/labeler/tasks/next')).status, 200, 'a new window');
      });

      it('new sessions: 5 an hour per address across both processes', async () => {
        const results = [];
        for (let i = 0; i < 8; i++)
          results.push((await startFrom(i % 2 ? b.url : a.url, '198.51.100.41')).response);
        assert.equal(results.filter((r) => r.status === 201).length, 5);
        assertRateLimited(results[7] as (typeof results)[number], 'labeler-sessions');
        assert.equal((await startFrom(a.url, '198.51.100.42')).response.status, 201, 'another address');
      });
    });

    describe('too-fast answers', () => {
      let h: LabelingHarness;
      const clock = createManualClock(new Date('2026-06-01T10:00:00Z'));
      before(async () => {
        h = await startLabelingHarness(target, { config: PROXIED, clock });
      });
      after(() => h.close());

      it('are flagged, weigh flaggedWeight (0.25) in the results, and are counted in integrity', async () => {
        const job = await h.requester.compareJob({ datapoints: 1, responsesPerDatapoint: 2 });
        const fast = await h.labeler({}, { address: '198.51.100.51' });
        const slow = await h.labeler({}, { address: '198.51.100.52' });
        const f = await fast.next();
        const s = await slow.next();
        // The fast one answers a0 at once (0 ms after being served), the slow one b0 after 1.5 s (floor: 1 s).
        const sideOf = (t: { items: { text: string; side: string }[] }, text: string) =>
          t.items.find((i) => i.text === text)?.side;
        const fastChoice = sideOf(f, 'a0');
        const slowChoice = sideOf(s, 'b0');
        assert.equal((await fast.answer(f.leaseId, { choice: fastChoice })).status, 201);
        await clock.advance(1500);
        assert.equal((await slow.answer(s.leaseId, { choice: slowChoice })).status, 201);
        const results = (await h.requester.ok('GET', `/api/v1/jobs/${job.id}/results`)).data;
        assert.deepEqual(results.integrity, {
          responses: 2,
          flagged: { total: 1, byReason: { too_fast: 1 } },
          excluded: { total: 0, byReason: {} },
        });
        const r = results.results[0];
        assert.deepEqual(r.aggregatedResults, { a0: 1, b0: 1 }, 'both counted');
        // Same trust score, one vote each: unweighted a tie; the flagged vote weighs a quarter.
        assert.ok(r.summedUserScores.b0 > 0);
        assert.ok(Math.abs(r.summedUserScores.a0 * 4 - r.summedUserScores.b0) < 0.001, JSON.stringify(r));
        assert.equal(r.winner, 'b0');
      });

      it('the floor is per task type: 800 ms is fine for classification (700 ms), too fast for compare', async () => {
        const cls = await h.requester.classificationJob({ datapoints: 1, responsesPerDatapoint: 1 });
        const l = await h.labeler({}, { address: '198.51.100.53' });
        const t = await l.next();
        assert.equal(t.jobId, cls.id);
        await clock.advance(800);
        assert.equal((await l.answer(t.leaseId, { category: t.answerOptions[0] })).status, 201);
        const integrity = (await h.requester.ok('GET', `/api/v1/jobs/${cls.id}/results`)).data.integrity;
        assert.deepEqual(integrity.flagged, { total: 0, byReason: {} });
        const cmp = await h.requester.compareJob({ datapoints: 1, responsesPerDatapoint: 1 });
        const c = await l.next();
        assert.equal(c.jobId, cmp.id);
        await clock.advance(800);
        assert.equal((await l.answer(c.leaseId, { choice: 'A' })).status, 201);
        const cmpIntegrity = (await h.requester.ok('GET', `/api/v1/jobs/${cmp.id}/results`)).data.integrity;
        assert.deepEqual(cmpIntegrity.flagged, { total: 1, byReason: { too_fast: 1 } });
      });
    });
  });
}

// Loopback (this machine: jury simulate, tests) is exempt by default; limitLoopback applies the limits to it too.
describe('loopback', () => {
  it('is exempt by default, limited with limitLoopback', async () => {
    const [target] = testDatabaseTargets();
    if (!target) return;
    for (const limitLoopback of [false, true]) {
      const h = await startLabelingHarness(target, {
        config: { labelerSessionsPerAddress: 3, limitLoopback },
      });
      try {
        const statuses = [];
        for (let i = 0; i < 5; i++)
          statuses.push((await new Labeler(h.base).request('POST', '/api/v1/labeler/session', {})).status);
        assert.deepEqual(statuses, limitLoopback ? [201, 201, 201, 429, 429] : [201, 201, 201, 201, 201]);
        if (!limitLoopback) {
          // Through a proxy on this machine that is not trusted, every client looks like loopback: one warning.
          const warnings: string[] = [];
          const warn = console.warn;
          console.warn = (message: string) => void warnings.push(message);
          try {
            for (let i = 0; i < 2; i++)
              await new Labeler(h.base, { address: '198.51.100.9' }).request(
                'POST',
                '/api/v1/labeler/session',
                {},
              );
          } finally {
            console.warn = warn;
          }
          assert.equal(warnings.length, 1);
          assert.match(warnings[0] ?? '', /--trusted-proxy-hops is 0/);
        }
        // A token is issued to loopback whatever the limits (the SDK on this machine).
        const boot = h.server.bootstrap;
        if (boot && !limitLoopback)
          assert.ok(await requestToken(h.base, { clientId: boot.client.id, secret: boot.secret }));
      } finally {
        await h.close();
      }
    }
  });
});
