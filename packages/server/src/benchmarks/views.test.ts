/**
 * A leaderboard's matchups and activity (the dashboard's leaderboard page), on each database: every matchup with
 * both models' media and its votes, totals that agree with the standings, a prompt filter, another organization's 404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials } from '../../test/factories.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { systemClock } from '../http/clock.ts';

const PNG_HEAD =
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082';

for (const target of testDatabaseTargets()) {
  describe(`leaderboard views on ${target.name}`, () => {
    let h: LabelingHarness;
    before(async () => {
      h = await startLabelingHarness(target, { config: { goldRate: 0 } });
    });
    after(() => h.close());

    it('a model submitted alone waits for an opponent: each run asks its whole budget, whenever labelers ask', async () => {
      const r = h.requester;
      const upload = async (name: string) => {
        const res = await fetch(`${h.base}/api/v1/assets?fileName=${name}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/octet-stream' },
          body: new Uint8Array(Buffer.concat([Buffer.from(PNG_HEAD, 'hex'), Buffer.from(`lone-${name}`)])),
        });
        return { assetId: ((await res.json()) as { data: { id: string } }).data.id, name };
      };
      const bench = (
        await r.ok('POST', '/api/v1/benchmarks', { name: 'Lone', prompts: { prompts: ['sun'] } })
      ).data;
      const board = (
        await r.ok('POST', `/api/v1/benchmarks/${bench.id}/leaderboards`, {
          name: 'Bright',
          instruction: 'Which is brighter?',
          levelOfDetail: 6,
        })
      ).data;
      const labelers = await Promise.all(Array.from({ length: 6 }, () => h.labeler()));
      const answerAll = async () => {
        let n = 0;
        for (let round = 0; round < 10; round++)
          for (const labeler of labelers) {
            const task = await labeler.next();
            if (task.kind !== 'task') continue;
            assert.equal((await labeler.answer(task.leaseId, { choice: task.items[0].side })).status, 201);
            n++;
          }
        return n;
      };
      await r.ok('POST', `/api/v1/benchmarks/${bench.id}/participants`, {
        name: 'first',
        media: { media: [await upload('first.png')], prompts: ['sun'] },
        submit: true,
      });
      assert.equal(await answerAll(), 0, 'no opponent yet: nothing to compare');
      assert.equal((await r.ok('GET', `/api/v1/leaderboards/${board.id}`)).data.matching, true);
      await r.ok('POST', `/api/v1/benchmarks/${bench.id}/participants`, {
        name: 'second',
        media: { media: [await upload('second.png')], prompts: ['sun'] },
        submit: true,
      });
      assert.equal(await answerAll(), 12, "both models' runs ask their 6 responses");
    });

    it('lists the matchups with their media and votes, and the votes per day', async () => {
      const r = h.requester;
      const upload = async (name: string) => {
        const res = await fetch(`${h.base}/api/v1/assets?fileName=${name}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/octet-stream' },
          body: new Uint8Array(Buffer.concat([Buffer.from(PNG_HEAD, 'hex'), Buffer.from(name)])),
        });
        return { assetId: ((await res.json()) as { data: { id: string } }).data.id, name };
      };
      const bench = (
        await r.ok('POST', '/api/v1/benchmarks', { name: 'Views', prompts: { prompts: ['cat', 'dog'] } })
      ).data;
      for (const model of ['left', 'right'])
        await r.ok('POST', `/api/v1/benchmarks/${bench.id}/participants`, {
          name: model,
          media: {
            media: [await upload(`${model}-cat.png`), await upload(`${model}-dog.png`)],
            prompts: ['cat', 'dog'],
          },
          submit: true,
        });
      const board = (
        await r.ok('POST', `/api/v1/benchmarks/${bench.id}/leaderboards`, {
          name: 'Cute',
          instruction: 'Which is cuter?',
          levelOfDetail: 8,
        })
      ).data;
      const labelers = await Promise.all(Array.from({ length: 4 }, () => h.labeler()));
      let answered = 0;
      for (let round = 0; round < 10; round++)
        for (const labeler of labelers) {
          const task = await labeler.next();
          if (task.kind !== 'task') continue;
          const a = await labeler.answer(task.leaseId, { choice: task.items[0].side });
          assert.equal(a.status, 201);
          answered++;
        }
      assert.equal(answered, 8);

      const page = await r.ok('GET', `/api/v1/leaderboards/${board.id}/matchups?amount=100`);
      assert.ok(page.total >= 1);
      assert.equal(page.data.length, page.total);
      let votes = 0;
      for (const m of page.data) {
        assert.deepEqual([m.a.name, m.b.name].sort(), ['left', 'right']);
        assert.ok(['cat', 'dog'].includes(m.prompt));
        assert.match(
          m.a.item.name,
          new RegExp(`^${m.a.name}-${m.prompt}\\.png$`),
          'each side shows its own media',
        );
        assert.equal(m.a.votes + m.b.votes + m.ties, m.responses);
        votes += m.responses;
      }
      const standings = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/standings`)).data;
      assert.equal(votes, standings.totalVotes);
      const cat = page.data.find((m: { prompt: string }) => m.prompt === 'cat');
      const onlyCat = await r.ok('GET', `/api/v1/leaderboards/${board.id}/matchups?promptId=${cat.promptId}`);
      assert.ok(onlyCat.data.every((m: { prompt: string }) => m.prompt === 'cat'));

      const activity = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/activity`)).data;
      assert.deepEqual(activity.votesPerDay, [{ day: new Date().toISOString().slice(0, 10), votes: 8 }]);

      const bad = await r.request('GET', `/api/v1/leaderboards/${board.id}/matchups?amount=0`);
      assert.equal(bad.status, 400);
      const stranger = await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock });
      for (const path of ['matchups', 'activity']) {
        const res = await fetch(`${h.base}/api/v1/leaderboards/${board.id}/${path}`, {
          headers: { authorization: `Bearer ${stranger.token}` },
        });
        assert.equal(res.status, 404, path);
      }
    });
  });
}
