// The per-address cap on pairwise work (issue 12's sybil probe, for leaderboards and ranking flows), on both
// databases: 50 sessions from one client address give one question (a pair of models on a leaderboard's prompt,
// or a pair of a ranking's items) at most answersPerAddressPerDatapoint votes, however many matchups of that pair
// matchmaking plans, and an honest labeler from another address is served at once. Addresses by X-Forwarded-For
// behind one trusted proxy hop, as in integrity.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { type Labeler, type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';

const PNG_HEAD =
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082';

/** Every sybil asks for work and answers what it gets ('A'), rounds until none is served (any open work's). */
async function sybilsAnswer(sybils: Labeler[]): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const served = await Promise.all(sybils.map((s) => s.next()));
    const tasks = served.flatMap((t, i) => (t.kind === 'task' ? [{ t, s: sybils[i] as Labeler }] : []));
    if (tasks.length === 0) break;
    for (const { t, s } of tasks) {
      assert.equal((await s.answer(t.leaseId, { choice: 'A' })).status, 201);
    }
  }
}

for (const target of testDatabaseTargets()) {
  describe(`per-address caps on pairwise work on ${target.name}`, () => {
    let h: LabelingHarness;
    before(async () => {
      h = await startLabelingHarness(target, { config: { trustedProxyHops: 1, goldRate: 0 } });
    });
    after(() => h.close());

    const sybils = (address: string) =>
      Promise.all(Array.from({ length: 50 }, () => h.labeler({}, { address })));

    it('a leaderboard: 50 sessions from one address give a pair of models on a prompt no more than 2 votes', async () => {
      const r = h.requester;
      const bench = (
        await r.ok('POST', '/api/v1/benchmarks', { name: 'Caps', prompts: { prompts: ['a cat'] } })
      ).data;
      for (const name of ['alpha', 'beta']) {
        const upload = await fetch(`${h.base}/api/v1/assets?fileName=${name}.png`, {
          method: 'POST',
          headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/octet-stream' },
          body: new Uint8Array(Buffer.concat([Buffer.from(PNG_HEAD, 'hex'), Buffer.from(name)])),
        });
        const assetId = ((await upload.json()) as { data: { id: string } }).data.id;
        await r.ok('POST', `/api/v1/benchmarks/${bench.id}/participants`, {
          name,
          media: { media: [{ assetId, name: `${name}.png` }], prompts: ['a cat'] },
          submit: true,
        });
      }
      const board = (
        await r.ok('POST', `/api/v1/benchmarks/${bench.id}/leaderboards`, {
          name: 'Cuteness',
          instruction: 'Which cat is cuter?',
          levelOfDetail: 30,
        })
      ).data;
      await sybilsAnswer(await sybils('198.51.100.21'));
      const honest = await h.labeler({}, { address: '198.51.100.121' });
      assert.equal((await honest.next()).kind, 'task', 'another address is served at once');
      const standings = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/standings`)).data;
      const votes = standings.standings.reduce((n: number, s: { votes: number }) => n + s.votes, 0);
      assert.equal(votes / 2, 2, 'two votes in the standings (each counted for both models)');
    });

    it('a ranking flow: 50 sessions from one address give a pair of items no more than 2 votes', async () => {
      const r = h.requester;
      const flow = (
        await r.ok('POST', '/api/v1/flows', {
          name: 'Caps',
          instruction: 'Which sentence reads better?',
          minResponseThreshold: 1,
          maxResponseThreshold: 30,
        })
      ).data;
      const item = (
        await r.ok('POST', `/api/v1/flows/${flow.id}/items`, {
          dataType: 'text',
          datapoints: [{ text: 'one' }, { text: 'two' }],
        })
      ).data;
      await sybilsAnswer(await sybils('198.51.100.22'));
      const honest = await h.labeler({}, { address: '198.51.100.122' });
      assert.equal((await honest.next()).kind, 'task', 'another address is served at once');
      const count = (await r.ok('GET', `/api/v1/flow-items/${item.id}/response-count`)).data;
      assert.equal(count.responseCount, 2);
    });
  });
}
