/**
 * Small sets meet every pair once before the adaptive choice (the reference's full-permutation pair maker for groups
 * of up to ten): a flow item of six items with 16 responses compares each of its 15 pairs, on each
 * database, even when the votes make some pairs look settled early.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';

for (const target of testDatabaseTargets()) {
  describe(`ranking matchmaking on ${target.name}`, () => {
    let h: LabelingHarness;
    before(async () => {
      h = await startLabelingHarness(target, { config: { goldRate: 0 } });
    });
    after(() => h.close());

    it('compares every pair of a set of six once within a budget of 16', async () => {
      const r = h.requester;
      const names = ['a', 'b', 'c', 'd', 'e', 'f'];
      const flow = (
        await r.ok('POST', '/api/v1/flows', {
          name: 'Six',
          instruction: 'Which letter comes first?',
          maxResponseThreshold: 16,
        })
      ).data;
      const item = (
        await r.ok('POST', `/api/v1/flows/${flow.id}/items`, {
          dataType: 'text',
          datapoints: names.map((text) => ({ text })),
        })
      ).data;
      const labelers = await Promise.all(Array.from({ length: 16 }, () => h.labeler()));
      let answered = 0;
      for (let round = 0; round < 20; round++)
        for (const labeler of labelers) {
          const task = await labeler.next();
          if (task.kind !== 'task') continue;
          const [x, y] = task.items;
          const winner = x.text < y.text ? x : y; // a clear order: the earlier letter always wins
          assert.equal((await labeler.answer(task.leaseId, { choice: winner.side })).status, 201);
          answered++;
        }
      assert.equal(answered, 16);
      const matrix = (await r.ok('GET', `/api/v1/flow-items/${item.id}/win-loss-matrix`)).data;
      assert.deepEqual([...matrix.models].sort(), names);
      for (let i = 0; i < names.length; i++)
        for (let j = 0; j < names.length; j++)
          if (i !== j) assert.ok(matrix.votes[i][j] >= 1, `${matrix.models[i]} met ${matrix.models[j]}`);
      const results = (await r.ok('GET', `/api/v1/flow-items/${item.id}/results`)).data;
      assert.deepEqual(
        results.ranking.map((x: { name: string }) => x.name),
        names,
      );
    });
  });
}
