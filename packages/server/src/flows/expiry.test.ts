/**
 * A flow item's time to live on a clock moved by hand (SQLite, and Postgres when TEST_DATABASE_URL is set): once
 * it runs out the item gets no more comparisons at once (the claim query says so, before the runtime's expiry task
 * has run), an answer under a lease taken before is refused, and the task then marks it completed (at least
 * minResponseThreshold responses) or incomplete (fewer); either way it reports the votes it has. A stopped item
 * keeps its votes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { createManualClock } from '../http/clock.ts';

const SECOND = 1000;

for (const target of testDatabaseTargets()) {
  describe(`flow item expiry on ${target.name}`, () => {
    const clock = createManualClock(new Date('2026-05-01T10:00:00Z'));
    let h: LabelingHarness;
    before(async () => {
      h = await startLabelingHarness(target, { clock, config: { goldRate: 0, labelerLeaseSeconds: 600 } });
    });
    after(() => h.close());

    it('stops serving at the time to live and reports what it has', async () => {
      const r = h.requester;
      const flow = (
        await r.ok('POST', '/api/v1/flows', {
          name: 'Fast',
          instruction: 'Which text is better?',
          maxResponseThreshold: 50,
          minResponseThreshold: 3,
        })
      ).data;
      const batch = (texts: string[]) =>
        r.ok('POST', `/api/v1/flows/${flow.id}/items`, {
          dataType: 'text',
          datapoints: texts.map((text) => ({ text })),
          timeToLive: 62,
        });
      const rich = (await batch(['a1', 'a2', 'a3'])).data;
      assert.equal(rich.expiresAt, '2026-05-01T10:01:02.000Z');
      const labelers = await Promise.all(Array.from({ length: 4 }, () => h.labeler()));
      // Four votes for the first item, then one for a second item.
      for (const labeler of labelers) {
        const task = await labeler.next();
        assert.equal(task.kind, 'task');
        assert.equal((await labeler.answer(task.leaseId, { choice: 'A' })).status, 201);
      }
      // Stopped by hand, so the next votes go to the second item; it keeps its four.
      assert.equal((await r.ok('POST', `/api/v1/flow-items/${rich.id}/stop`)).data.status, 'stopped');
      const poor = (await batch(['b1', 'b2'])).data;
      const first = await labelers[0]!.next();
      assert.equal(first.kind, 'task');
      const b2 = first.items.find((i: { text: string }) => i.text === 'b2');
      assert.ok(b2, 'the second item is served');
      assert.equal((await labelers[0]!.answer(first.leaseId, { choice: b2.side })).status, 201);
      const held = await labelers[1]!.next(); // a lease on the poor item, answered too late
      assert.equal(held.kind, 'task');

      // 10:01:03: expired, and the expiry task (every 5 s since 10:00:00) last ran at 10:01:00.
      await clock.tick(63 * SECOND);
      assert.equal((await r.ok('GET', `/api/v1/flow-items/${poor.id}`)).data.status, 'running');
      for (const labeler of labelers) assert.equal((await labeler.next()).kind, 'none', 'claims skip it');
      const late = await labelers[1]!.answer(held.leaseId, { choice: 'A' });
      assert.equal(late.status, 409);
      assert.equal(late.body.error.code, 'CONFLICT');

      await clock.tick(2 * SECOND); // the task at 10:01:05
      const expired = (await r.ok('GET', `/api/v1/flow-items/${poor.id}`)).data;
      assert.equal(expired.status, 'incomplete', 'one response, below minResponseThreshold 3');
      assert.equal(expired.finishedAt, '2026-05-01T10:01:05.000Z');
      const result = (await r.ok('GET', `/api/v1/flow-items/${poor.id}/results`)).data;
      assert.equal(result.status, 'incomplete');
      assert.equal(result.totalVotes, 1);
      assert.deepEqual(
        result.ranking.map((x: { name: string }) => x.name),
        ['b2', 'b1'],
      );
      assert.equal((await r.ok('GET', `/api/v1/flow-items/${rich.id}/results`)).data.totalVotes, 4);
    });

    it('marks an item with at least minResponseThreshold responses completed at expiry', async () => {
      const r = h.requester;
      const flow = (
        await r.ok('POST', '/api/v1/flows', {
          name: 'Enough',
          instruction: 'Which text is better?',
          maxResponseThreshold: 20,
          minResponseThreshold: 2,
        })
      ).data;
      const item = (
        await r.ok('POST', `/api/v1/flows/${flow.id}/items`, {
          dataType: 'text',
          datapoints: [{ text: 'x' }, { text: 'y' }, { text: 'z' }],
          timeToLive: 60,
        })
      ).data;
      const labelers = await Promise.all(Array.from({ length: 3 }, () => h.labeler()));
      for (const labeler of labelers) {
        const task = await labeler.next();
        assert.equal(task.kind, 'task');
        assert.equal((await labeler.answer(task.leaseId, { choice: 'A' })).status, 201);
      }
      await clock.tick(70 * SECOND);
      const done = (await r.ok('GET', `/api/v1/flow-items/${item.id}`)).data;
      assert.equal(done.status, 'completed');
      assert.equal(done.responseCount, 3);
      const result = (await r.ok('GET', `/api/v1/flow-items/${item.id}/results`)).data;
      assert.equal(result.totalVotes, 3);
      assert.equal(result.ranking.length, 3);
    });
  });
}
