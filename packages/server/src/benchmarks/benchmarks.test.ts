/**
 * Benchmarks end to end inside one server (SQLite, and Postgres when TEST_DATABASE_URL is set): prompts, models
 * with media per prompt, a leaderboard whose matchups labelers answer as blind compare tasks, standings that
 * follow the votes, a model added later matched alone, disable/rename/delete, another organization's 404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials } from '../../test/factories.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { systemClock } from '../http/clock.ts';

const PNG_HEAD =
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082';

/** A distinct tiny PNG per name (bytes after IEND make the content, and so the sha256, differ). */
function png(name: string): Buffer {
  return Buffer.concat([Buffer.from(PNG_HEAD, 'hex'), Buffer.from(name)]);
}

for (const target of testDatabaseTargets()) {
  describe(`benchmarks on ${target.name}`, () => {
    let h: LabelingHarness;
    const upload = async (name: string) => {
      const r = await fetch(`${h.base}/api/v1/assets?fileName=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.requester.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(png(name)),
      });
      const body = (await r.json()) as { data: { id: string } };
      return { assetId: body.data.id, name };
    };
    before(async () => {
      h = await startLabelingHarness(target, { config: { goldRate: 0 } });
    });
    after(() => h.close());

    it('serves blind matchups of the same prompt, folds the votes into standings, and matches a later model alone', async () => {
      const r = h.requester;
      const bench = (
        await r.ok('POST', '/api/v1/benchmarks', {
          name: 'Art',
          prompts: { prompts: ['mountain', 'city'], tags: [['outdoor'], ['urban']] },
        })
      ).data;
      assert.equal(bench.promptCount, 2);
      const strength: Record<string, number> = { alpha: 3, beta: 2, gamma: 1, delta: 4 };
      const mediaOf: Record<string, string> = {};
      const addModel = async (name: string, submit: boolean) => {
        const media = [await upload(`${name}-mountain.png`), await upload(`${name}-city.png`)];
        for (const m of media) mediaOf[m.assetId] = name;
        return (
          await r.ok('POST', `/api/v1/benchmarks/${bench.id}/participants`, {
            name,
            media: { media, prompts: ['mountain', 'city'] },
            submit,
          })
        ).data;
      };
      const alpha = await addModel('alpha', true);
      assert.equal(alpha.status, 'submitted');
      const listed = await r.ok('GET', `/api/v1/participants/${alpha.id}/media`);
      assert.equal(listed.total, 2);
      assert.deepEqual(
        listed.data
          .map((m: { identifier: string; item: { name: string } }) => [m.identifier, m.item.name])
          .sort(),
        [
          ['city', 'alpha-city.png'],
          ['mountain', 'alpha-mountain.png'],
        ],
      );
      await addModel('beta', false);
      await addModel('gamma', false);
      const ran = (await r.ok('POST', `/api/v1/benchmarks/${bench.id}/run`)).data;
      assert.deepEqual(ran.submitted.map((p: { name: string }) => p.name).sort(), ['beta', 'gamma']);
      const board = (
        await r.ok('POST', `/api/v1/benchmarks/${bench.id}/leaderboards`, {
          name: 'Realism',
          instruction: 'Which image is more realistic?',
          showPrompt: true,
          levelOfDetail: 60,
        })
      ).data;
      assert.equal(board.responseBudget, 60);
      assert.equal(board.matching, true);

      const labelers = await Promise.all(Array.from({ length: 6 }, () => h.labeler()));
      const answerAll = async (maxRounds: number) => {
        const pairs: string[][] = [];
        for (let round = 0; round < maxRounds; round++) {
          let served = 0;
          for (const labeler of labelers) {
            const task = await labeler.next();
            if (task.kind !== 'task') continue;
            served++;
            assert.equal(task.taskType, 'compare');
            assert.equal(task.jobId, null);
            assert.equal(task.instruction, 'Which image is more realistic?');
            assert.ok(task.context === 'mountain' || task.context === 'city', 'the prompt is shown');
            const [x, y] = task.items;
            // blind: no model or file name anywhere in the task
            assert.doesNotMatch(JSON.stringify(task), /alpha|beta|gamma|delta|\.png|ast_|[0-9a-f]{64}/);
            assert.ok(!('assetId' in x) && !('name' in x), 'media come as references only');
            const mx = mediaOf[await h.requester.assetOf(x)]!;
            const my = mediaOf[await h.requester.assetOf(y)]!;
            assert.notEqual(mx, my);
            pairs.push([mx, my]);
            const winner = strength[mx]! > strength[my]! ? x : y;
            const a = await labeler.answer(task.leaseId, { choice: winner.side });
            assert.equal(a.status, 201, JSON.stringify(a.body));
          }
          if (served === 0) break;
        }
        return pairs;
      };
      const first = await answerAll(40);
      assert.equal(first.length, 60, 'the level of detail is the budget');
      assert.equal((await labelers[0]!.next()).kind, 'none');
      const standings = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/standings`)).data;
      assert.deepEqual(
        standings.standings.map((s: { name: string }) => s.name),
        ['alpha', 'beta', 'gamma'],
      );
      assert.equal(standings.totalVotes, 60);
      for (const s of standings.standings) assert.ok(s.lower <= s.score && s.score <= s.upper);
      const urban = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/standings?tags=urban`)).data;
      assert.ok(urban.totalVotes > 0 && urban.totalVotes < 60, 'the tag filter refits on the tagged prompt');
      const matrix = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/win-loss-matrix`)).data;
      assert.deepEqual(matrix.models, ['alpha', 'beta', 'gamma']);
      assert.ok(matrix.wins[0][1] > 0 && matrix.wins[1][0] === 0);

      // a model added later: matched, and every new pair includes it
      await addModel('delta', true);
      const later = await answerAll(40);
      assert.equal(later.length, 60);
      assert.ok(
        later.every((p) => p.includes('delta')),
        JSON.stringify(later.slice(0, 5)),
      );
      const after2 = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/standings`)).data;
      assert.equal(after2.standings[0].name, 'delta');

      // disable → out of standings; enable → back; rename; delete
      const delta = after2.standings[0].participantId;
      await r.ok('PATCH', `/api/v1/participants/${delta}`, { status: 'disabled' });
      let s = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/standings`)).data;
      assert.ok(!s.standings.some((x: { name: string }) => x.name === 'delta'));
      await r.ok('PATCH', `/api/v1/participants/${delta}`, { status: 'submitted', name: 'delta-2' });
      s = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/standings`)).data;
      assert.equal(s.standings[0].name, 'delta-2');
      const del = await r.request('DELETE', `/api/v1/participants/${delta}`);
      assert.equal(del.status, 204);
      s = (await r.ok('GET', `/api/v1/leaderboards/${board.id}/standings`)).data;
      assert.equal(s.totalVotes, 60);

      // overall standings: one leaderboard's are its own; an inverse one's votes count in its direction
      const one = (await r.ok('GET', `/api/v1/benchmarks/${bench.id}/standings`)).data;
      assert.deepEqual(one.leaderboardIds, [board.id]);
      assert.deepEqual(
        one.standings.map((x: { name: string; score: number }) => [x.name, x.score]),
        s.standings.map((x: { name: string; score: number }) => [x.name, x.score]),
      );
      const worse = (
        await r.ok('POST', `/api/v1/benchmarks/${bench.id}/leaderboards`, {
          name: 'Artifacts',
          instruction: 'Which image has more artifacts?',
          inverseRanking: true,
        })
      ).data;
      const picked = Array.from({ length: 10 }, () => ({
        modelA: 'gamma',
        modelB: 'alpha',
        winner: 'model_a',
      }));
      await r.ok('POST', `/api/v1/leaderboards/${worse.id}/votes`, { battles: picked });
      const onlyWorse = (
        await r.ok('GET', `/api/v1/benchmarks/${bench.id}/standings?leaderboardIds=${worse.id}`)
      ).data;
      assert.deepEqual(
        onlyWorse.standings.map((x: { name: string }) => x.name),
        ['alpha', 'gamma'],
        'picked as worse: ranked lower',
      );
      const both = (await r.ok('GET', `/api/v1/benchmarks/${bench.id}/standings`)).data;
      assert.deepEqual(both.leaderboardIds, [board.id, worse.id]);
      assert.equal(both.totalVotes, s.totalVotes + 10);
      assert.equal(both.standings[0].name, 'alpha');
      const bad = await r.request('GET', `/api/v1/benchmarks/${bench.id}/standings?leaderboardIds=lbd_nope`);
      assert.equal(bad.status, 400);

      // another organization sees none of it
      const other = await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock });
      for (const path of [
        `/api/v1/benchmarks/${bench.id}`,
        `/api/v1/leaderboards/${board.id}/standings`,
        `/api/v1/participants/${alpha.id}`,
        `/api/v1/participants/${alpha.id}/media`,
        `/api/v1/benchmarks/${bench.id}/standings`,
      ]) {
        const res = await fetch(`${h.base}${path}`, { headers: { authorization: `Bearer ${other.token}` } });
        assert.equal(res.status, 404, path);
      }
    });
  });
}
