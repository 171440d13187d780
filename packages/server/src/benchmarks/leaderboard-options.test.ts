/**
 * A leaderboard's options end to end inside one server (SQLite, and Postgres when TEST_DATABASE_URL is set):
 * included/excluded tags pick the prompts a run uses, minResponsesPerMatchup the labelers per matchup, majority
 * vs all votes (switched by update, applied to past votes), skipInitialRun, runs newest first, trust-weighted and
 * filtered win/loss matrices, prompt tags with categories, origins, English versions, updatePrompt, deletePrompt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { INITIAL_USER_SCORE } from '../labelers/service.ts';

const PNG_HEAD =
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082';

for (const target of testDatabaseTargets()) {
  describe(`leaderboard options on ${target.name}`, () => {
    let h: LabelingHarness;
    const modelOf: Record<string, string> = {};
    const upload = async (name: string) => {
      const r = await fetch(`${h.base}/api/v1/assets?fileName=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.requester.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(Buffer.concat([Buffer.from(PNG_HEAD, 'hex'), Buffer.from(name)])),
      });
      return { assetId: ((await r.json()) as { data: { id: string } }).data.id, name };
    };
    before(async () => {
      h = await startLabelingHarness(target, { config: { goldRate: 0 } });
    });
    after(() => h.close());

    it('scopes runs by tags, asks each matchup of several labelers, folds majorities or every vote, and keeps runs', async () => {
      const r = h.requester;
      const bench = (
        await r.ok('POST', '/api/v1/benchmarks', {
          name: 'Scoped',
          prompts: {
            identifiers: ['day', 'night', 'inside'],
            prompts: ['une plage', 'a city at night', 'a kitchen'],
            englishPrompts: ['a beach', null, null],
            tags: [['outdoor', { value: 'sunny', category: 'weather' }], ['outdoor', 'night'], ['indoor']],
            origins: ['parti-prompts', { source: 'team' }, null],
          },
        })
      ).data;
      const prompts = (await r.ok('GET', `/api/v1/benchmarks/${bench.id}/prompts`)).data;
      assert.deepEqual(
        prompts.map((p: { englishPrompt: string; origin: string | null }) => [p.englishPrompt, p.origin]),
        [
          ['a beach', 'parti-prompts'],
          ['a city at night', 'team'],
          ['a kitchen', null],
        ],
        'English versions default to the prompt; origins as text',
      );
      assert.deepEqual(prompts[0].tags, ['outdoor', 'sunny']);
      assert.deepEqual(prompts[0].structuredTags, [
        { value: 'outdoor', category: null },
        { value: 'sunny', category: 'weather' },
      ]);
      const promptId = Object.fromEntries(
        prompts.map((p: { identifier: string; id: string }) => [p.identifier, p.id]),
      );
      const addModel = async (name: string) => {
        const media = await Promise.all(['day', 'night', 'inside'].map((p) => upload(`${name}-${p}.png`)));
        for (const m of media) modelOf[m.assetId] = name;
        return (
          await r.ok('POST', `/api/v1/benchmarks/${bench.id}/participants`, {
            name,
            media: { media, identifiers: ['day', 'night', 'inside'] },
            submit: true,
          })
        ).data;
      };
      const alpha = await addModel('alpha');
      const beta = await addModel('beta');
      const scoped = (
        await r.ok('POST', `/api/v1/benchmarks/${bench.id}/leaderboards`, {
          name: 'Outdoor by day',
          instruction: 'Which is sunnier?',
          showPrompt: true,
          includedTags: ['outdoor'],
          excludedTags: ['night'],
          minResponsesPerMatchup: 3,
          voteAggregation: 'majority',
          levelOfDetail: 9,
        })
      ).data;
      assert.deepEqual(
        [scoped.minResponsesPerMatchup, scoped.voteAggregation, scoped.includedTags, scoped.excludedTags],
        [3, 'majority', ['outdoor'], ['night']],
      );
      const later = (
        await r.ok('POST', `/api/v1/benchmarks/${bench.id}/leaderboards`, {
          name: 'Later',
          instruction: 'Which is nicer?',
          showPrompt: true,
          skipInitialRun: true,
          levelOfDetail: 4,
        })
      ).data;
      assert.deepEqual(
        [later.matching, later.minResponsesPerMatchup, later.voteAggregation],
        [false, 1, 'all'],
      );
      assert.equal((await r.ok('GET', `/api/v1/leaderboards/${later.id}/runs`)).total, 0, 'no initial run');

      // three labelers answer everything: two pick alpha, one picks beta, on every matchup
      const labelers = await Promise.all(Array.from({ length: 4 }, () => h.labeler()));
      const answerAll = async (crowd: typeof labelers, pick: (k: number) => string) => {
        const seen: { instruction: string; prompt: string; models: string[] }[] = [];
        for (const [k, labeler] of crowd.entries())
          for (;;) {
            const task = await labeler.next();
            if (task.kind !== 'task') break;
            const assets: string[] = [];
            for (const i of task.items) assets.push(await h.requester.assetOf(i));
            const models = assets.map((a) => modelOf[a]!);
            seen.push({ instruction: task.instruction, prompt: task.context, models });
            const wanted = pick(k);
            const side = task.items[models.indexOf(wanted)] ?? task.items[0];
            const a = await labeler.answer(task.leaseId, { choice: side.side });
            assert.equal(a.status, 201, JSON.stringify(a.body));
          }
        return seen;
      };
      const first = await answerAll(labelers.slice(0, 3), (k) => (k < 2 ? 'alpha' : 'beta'));
      assert.equal(first.length, 9, 'budget 9 = 3 matchups × 3 labelers');
      assert.ok(
        first.every((t) => t.prompt === 'une plage'),
        'only the prompt tagged outdoor and not night',
      );
      assert.equal((await labelers[3]!.next()).kind, 'none', 'each matchup had its 3 responses');
      const majority = (await r.ok('GET', `/api/v1/leaderboards/${scoped.id}/standings`)).data;
      assert.equal(majority.totalVotes, 3, 'one outcome per matchup');
      assert.equal(majority.voteAggregation, 'majority');
      assert.deepEqual(
        majority.standings.map((s: { name: string; wins: number }) => [s.name, s.wins]),
        [
          ['alpha', 3],
          ['beta', 0],
        ],
      );
      const runs = (await r.ok('GET', `/api/v1/leaderboards/${scoped.id}/runs`)).data;
      assert.equal(runs.length, 1);
      assert.deepEqual(
        [runs[0].status, runs[0].budget, runs[0].planned, runs[0].votes, runs[0].promptIds],
        ['done', 9, 9, 9, [promptId.day]],
      );
      assert.deepEqual([...runs[0].participantIds].sort(), [alpha.id, beta.id].sort());

      // matrices: plain, weighted by the labelers' trust scores
      const plain = (await r.ok('GET', `/api/v1/leaderboards/${scoped.id}/win-loss-matrix`)).data;
      assert.deepEqual(plain.wins, [
        [0, 3],
        [0, 0],
      ]);
      const patched = (await r.ok('PATCH', `/api/v1/leaderboards/${scoped.id}`, { voteAggregation: 'all' }))
        .data;
      assert.equal(patched.voteAggregation, 'all');
      const every = (await r.ok('GET', `/api/v1/leaderboards/${scoped.id}/standings`)).data;
      assert.equal(every.totalVotes, 9, 'switching applies to the votes already cast');
      assert.equal(every.standings[0].wins, 6);
      const weighted = (
        await r.ok('GET', `/api/v1/leaderboards/${scoped.id}/win-loss-matrix?useWeightedScoring=true`)
      ).data;
      assert.ok(Math.abs(weighted.wins[0][1] - 6 * INITIAL_USER_SCORE) < 1e-9, JSON.stringify(weighted));
      assert.ok(Math.abs(weighted.votes[0][1] - 9 * INITIAL_USER_SCORE) < 1e-9);

      // update: only the fields given
      const renamed = (
        await r.ok('PATCH', `/api/v1/leaderboards/${scoped.id}`, { name: 'Renamed', levelOfDetail: 3 })
      ).data;
      assert.deepEqual(
        [renamed.name, renamed.levelOfDetail, renamed.responseBudget, renamed.minResponsesPerMatchup],
        ['Renamed', 3, 3, 3],
      );
      assert.equal(renamed.instruction, 'Which is sunnier?');

      // a model submitted later: a run on each leaderboard, the skipped one too, against the whole field
      const gamma = await addModel('gamma');
      const second = await answerAll(labelers, () => 'gamma');
      const onScoped = second.filter((t) => t.instruction === 'Which is sunnier?');
      const onLater = second.filter((t) => t.instruction === 'Which is nicer?');
      assert.equal(onScoped.length, 3, 'the new budget: one matchup of 3 responses');
      assert.equal(onLater.length, 4);
      for (const t of [...onScoped, ...onLater]) assert.ok(t.models.includes('gamma'), JSON.stringify(t));
      assert.ok(onScoped.every((t) => t.prompt === 'une plage'));
      const laterRuns = (await r.ok('GET', `/api/v1/leaderboards/${later.id}/runs`)).data;
      assert.deepEqual(
        laterRuns.map((x: { participantIds: string[]; votes: number; promptIds: null }) => [
          x.participantIds,
          x.votes,
          x.promptIds,
        ]),
        [[[gamma.id], 4, null]],
      );
      const scopedRuns = (await r.ok('GET', `/api/v1/leaderboards/${scoped.id}/runs`)).data;
      assert.deepEqual(
        scopedRuns.map((x: { budget: number; votes: number }) => [x.budget, x.votes]),
        [
          [3, 3],
          [9, 9],
        ],
        'newest first',
      );

      // the benchmark's matrix across leaderboards, limited to two models
      const pair = (
        await r.ok(
          'GET',
          `/api/v1/benchmarks/${bench.id}/win-loss-matrix?participantIds=${alpha.id},${gamma.id}`,
        )
      ).data;
      assert.deepEqual(pair.models, ['alpha', 'gamma']);
      const onlyScoped = (
        await r.ok('GET', `/api/v1/benchmarks/${bench.id}/win-loss-matrix?leaderboardIds=${scoped.id}`)
      ).data;
      const scopedMatrix = (await r.ok('GET', `/api/v1/leaderboards/${scoped.id}/win-loss-matrix`)).data;
      assert.deepEqual(onlyScoped, scopedMatrix);

      // updatePrompt: tags replaced (the origin unchanged), then deletePrompt drops its votes everywhere
      const updated = (
        await r.ok('PATCH', `/api/v1/prompts/${promptId.inside}`, {
          tags: [{ value: 'indoor', category: 'place' }, 'kitchen'],
        })
      ).data;
      assert.deepEqual(updated.structuredTags, [
        { value: 'indoor', category: 'place' },
        { value: 'kitchen', category: null },
      ]);
      assert.equal(updated.origin, null);
      const withOrigin = (
        await r.ok('PATCH', `/api/v1/prompts/${promptId.inside}`, { origin: 'kitchen-set' })
      ).data;
      assert.deepEqual([withOrigin.origin, withOrigin.tags], ['kitchen-set', ['indoor', 'kitchen']]);
      const laterBefore = (await r.ok('GET', `/api/v1/leaderboards/${later.id}/standings`)).data.totalVotes;
      const laterOnDay = onLater.filter((t) => t.prompt === 'une plage').length;
      const del = await r.request('DELETE', `/api/v1/prompts/${promptId.day}`);
      assert.equal(del.status, 204);
      assert.equal((await r.ok('GET', `/api/v1/leaderboards/${scoped.id}/standings`)).data.totalVotes, 0);
      assert.equal(
        (await r.ok('GET', `/api/v1/leaderboards/${later.id}/standings`)).data.totalVotes,
        laterBefore - laterOnDay,
      );
      assert.equal((await r.ok('GET', `/api/v1/participants/${alpha.id}`)).data.mediaCount, 2);
      assert.equal((await r.ok('GET', `/api/v1/benchmarks/${bench.id}`)).data.promptCount, 2);
      assert.equal(
        (await r.request('PATCH', `/api/v1/prompts/${promptId.day}`, { origin: 'x' })).status,
        404,
      );
    });
  });
}
