// The registered background tasks through startServer's runtime, on a clock moved by hand: the token purge and
// the lease sweep delete what expired and nothing else. SQLite always; Postgres when TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { type Labeler, type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { createManualClock } from '../http/clock.ts';
import { hashSecret } from '../http/ids.ts';
import { type RunningServer, startServer } from '../server.ts';

const MINUTE = 60_000;

async function issueToken(server: RunningServer): Promise<string> {
  const boot = server.bootstrap!;
  const r = await fetch(`${server.url}/connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: boot.client.id,
      client_secret: boot.secret,
    }),
  });
  assert.equal(r.status, 200);
  return ((await r.json()) as { access_token: string }).access_token;
}

for (const target of testDatabaseTargets()) {
  describe(`token purge on ${target.name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const cleanup of cleanups) await cleanup();
    });
    /** A server on a fresh database (each test needs its own first-start client). */
    const serve = async (options: Omit<Parameters<typeof startServer>[0] & object, 'dataDir'>) => {
      const env = await createTestEnvironment(target);
      cleanups.push(env.cleanup);
      return startServer({ port: 0, dataDir: env.dataDir, databaseUrl: env.databaseUrl, ...options });
    };

    const tokenRows = async (server: RunningServer, ...tokens: string[]) =>
      (
        await server.database.db
          .selectFrom('access_tokens')
          .select('token_hash')
          .where(
            'token_hash',
            'in',
            tokens.map((t) => hashSecret(t)),
          )
          .execute()
      ).length;

    it('deletes expired access tokens every tokenPurgeSeconds and keeps live ones', async () => {
      const clock = createManualClock(new Date('2026-04-01T08:00:00Z'));
      const server = await serve({
        clock,
        config: { tokenTtlSeconds: 60, tokenPurgeSeconds: 600 },
      });
      try {
        const old = await issueToken(server); // expires 08:01
        await clock.tick(590_000);
        const fresh = await issueToken(server); // expires 08:10:50
        assert.equal(await tokenRows(server, old, fresh), 2, 'nothing is purged before its interval');
        await clock.tick(10_000); // the purge runs at 08:10
        assert.equal(await tokenRows(server, old), 0, 'the expired token is gone');
        assert.equal(await tokenRows(server, fresh), 1, 'the live token stays');
        const me = await fetch(`${server.url}/api/v1/clients`, {
          headers: { authorization: `Bearer ${fresh}` },
        });
        assert.equal(me.status, 200);
      } finally {
        await server.close();
      }
      assert.equal(clock.pendingTimers(), 0, 'close() stops the runtime');
    });

    it('with backgroundTasks: false nothing runs until runOnce', async () => {
      const clock = createManualClock(new Date('2026-04-02T08:00:00Z'));
      const server = await serve({
        clock,
        config: { tokenTtlSeconds: 60 },
        backgroundTasks: false,
      });
      try {
        const token = await issueToken(server);
        await clock.tick(24 * 60 * MINUTE);
        assert.equal(clock.pendingTimers(), 0);
        assert.equal(await tokenRows(server, token), 1);
        assert.equal(await server.runtime.runOnce('auth.purge-expired-tokens'), 1);
        assert.equal(await tokenRows(server, token), 0);
      } finally {
        await server.close();
      }
    });
  });

  describe(`lease sweep on ${target.name}`, () => {
    const clock = createManualClock(new Date('2026-04-03T09:00:00Z'));
    let h: LabelingHarness;
    before(async () => {
      h = await startLabelingHarness(target, { clock, config: { goldRate: 1 } });
    });
    after(() => h.close());

    const leaseRows = async (kind: 'task' | 'gold', labeler: Labeler) =>
      (
        await h.server.database.db
          .selectFrom('leases')
          .select('id')
          .where('kind', '=', kind)
          .where('labeler_id', '=', labeler.id)
          .execute()
      ).length;

    it('deletes task and gold leases ten minutes after they expired, not before', async () => {
      // A task lease: the only slot of a global job.
      await h.requester.compareJob({ datapoints: 1, responsesPerDatapoint: 1 });
      const worker = await h.labeler();
      assert.equal((await worker.next()).kind, 'task');
      // A gold lease: a qualified member of a custom audience, with goldRate 1.
      const aud = await h.requester.ok('POST', '/api/v1/audiences', {
        name: 'Swept',
        passRule: { targetAccuracy: 0.5, minExamples: 1 },
      });
      const audienceId = aud.data.id as string;
      await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
        taskType: 'compare',
        instruction: 'Which text is better?',
        dataType: 'text',
        datapoint: [{ text: 'right' }, { text: 'wrong' }],
        truth: 'right',
      });
      // Gold checks come from the audience's secret gold pool only.
      await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
        taskType: 'compare',
        instruction: 'Which text is better?',
        dataType: 'text',
        datapoint: [{ text: 'gold right' }, { text: 'gold wrong' }],
        truth: 'gold right',
        purpose: 'gold',
      });
      await h.requester.compareJob({ datapoints: 2, responsesPerDatapoint: 1, audienceId });
      const member = await h.labeler();
      const q = await member.next();
      assert.equal(q.kind, 'qualification');
      const right = q.items.find((i: { text: string }) => i.text === 'right');
      assert.equal((await member.qualify(q.exampleId, audienceId, { choice: right.side })).status, 201);
      assert.equal((await member.next()).kind, 'task');
      assert.deepEqual([await leaseRows('task', worker), await leaseRows('gold', member)], [1, 1]);

      // Both expire at 09:01; the sweep runs every minute and keeps them until 09:11 so late answers say "expired".
      await clock.tick(11 * MINUTE);
      assert.deepEqual([await leaseRows('task', worker), await leaseRows('gold', member)], [1, 1]);
      await clock.tick(MINUTE);
      assert.deepEqual([await leaseRows('task', worker), await leaseRows('gold', member)], [0, 0]);
    });
  });
}
