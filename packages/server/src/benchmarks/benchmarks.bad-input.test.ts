/**
 * Bad input to the benchmark routes gets a clear error with a stable code and stores nothing. Real HTTP, SQLite
 * always and Postgres when TEST_DATABASE_URL is set.
 *
 * | #  | Case                                                        | Status | Code              |
 * |----|-------------------------------------------------------------|--------|-------------------|
 * | 1  | benchmark without a name                                    | 400    | VALIDATION_FAILED |
 * | 2  | prompt lists of different lengths                           | 400    | VALIDATION_FAILED |
 * | 3  | repeated identifiers                                        | 400    | VALIDATION_FAILED |
 * | 4  | neither identifiers nor prompts                             | 400    | VALIDATION_FAILED |
 * | 5  | unknown key in the body                                     | 400    | VALIDATION_FAILED |
 * | 6  | addPrompts with an identifier already registered            | 409    | CONFLICT          |
 * | 7  | prompt asset of an unknown asset id                         | 404    | NOT_FOUND         |
 * | 8  | model media paired with a prompt not in the benchmark       | 400    | VALIDATION_FAILED |
 * | 9  | model media paired with an unknown identifier               | 400    | VALIDATION_FAILED |
 * | 10 | media and prompts of different lengths                      | 400    | VALIDATION_FAILED |
 * | 11 | media with both identifiers and prompts                     | 400    | VALIDATION_FAILED |
 * | 12 | empty media                                                 | 400    | VALIDATION_FAILED |
 * | 13 | a second model of the same name                             | 409    | CONFLICT          |
 * | 14 | running a model without media                               | 409    | CONFLICT          |
 * | 15 | enabling a model that is not disabled                       | 409    | CONFLICT          |
 * | 16 | leaderboard level of detail not a known name                | 400    | VALIDATION_FAILED |
 * | 17 | leaderboard level of detail 0                               | 400    | VALIDATION_FAILED |
 * | 18 | responsesPerComparison 0                                    | 400    | VALIDATION_FAILED |
 * | 19 | leaderboard for an unknown audience                         | 404    | NOT_FOUND         |
 * | 20 | leaderboard without an instruction                          | 400    | VALIDATION_FAILED |
 * | 21 | standings with an unknown interval method                   | 400    | VALIDATION_FAILED |
 * | 22 | standings with sklearnC ≤ 0                                 | 400    | VALIDATION_FAILED |
 * | 23 | imported battle with an unknown winner                      | 400    | VALIDATION_FAILED |
 * | 24 | imported battle of a model against itself                   | 400    | VALIDATION_FAILED |
 * | 25 | imported CSV without the model_a/model_b/winner header      | 400    | VALIDATION_FAILED |
 * | 26 | imported battle naming a prompt not in the benchmark        | 400    | VALIDATION_FAILED |
 * | 27 | another organization's benchmark                            | 404    | NOT_FOUND         |
 * | 28 | another organization's leaderboard standings                | 404    | NOT_FOUND         |
 * | 29 | another organization's participant                          | 404    | NOT_FOUND         |
 * | 30 | another organization's participant media                    | 404    | NOT_FOUND         |
 * | 31 | participant media page size 0                               | 400    | VALIDATION_FAILED |
 * | 32 | overall standings of a leaderboard not in the benchmark     | 400    | VALIDATION_FAILED |
 * | 33 | another organization's overall standings                    | 404    | NOT_FOUND         |
 * | 34 | unknown benchmark id                                        | 404    | NOT_FOUND         |
 * | 35 | no bearer token                                             | 401    | UNAUTHENTICATED   |
 * | 36 | minResponsesPerMatchup 2                                    | 400    | VALIDATION_FAILED |
 * | 37 | voteAggregation not a known one                             | 400    | VALIDATION_FAILED |
 * | 38 | includedTags not a list                                     | 400    | VALIDATION_FAILED |
 * | 39 | skipInitialRun not a boolean                                | 400    | VALIDATION_FAILED |
 * | 40 | leaderboard update without a field                          | 400    | VALIDATION_FAILED |
 * | 41 | leaderboard update minResponsesPerMatchup 3.5               | 400    | VALIDATION_FAILED |
 * | 42 | leaderboard update of the instruction (fixed)               | 400    | VALIDATION_FAILED |
 * | 43 | another organization's leaderboard update                   | 404    | NOT_FOUND         |
 * | 44 | another organization's leaderboard runs                     | 404    | NOT_FOUND         |
 * | 45 | leaderboard runs page size 0                                | 400    | VALIDATION_FAILED |
 * | 46 | a tag object with an unknown key                            | 400    | VALIDATION_FAILED |
 * | 47 | a tag with an empty category                                | 400    | VALIDATION_FAILED |
 * | 48 | origins of a different length                               | 400    | VALIDATION_FAILED |
 * | 49 | englishPrompts of a different length                        | 400    | VALIDATION_FAILED |
 * | 50 | updatePrompt without tags or origin                         | 400    | VALIDATION_FAILED |
 * | 51 | updatePrompt of an unknown prompt                           | 404    | NOT_FOUND         |
 * | 52 | another organization's prompt deleted                       | 404    | NOT_FOUND         |
 * | 53 | benchmark matrix of a model not in the benchmark            | 400    | VALIDATION_FAILED |
 * | 54 | benchmark matrix of a leaderboard not in it                 | 400    | VALIDATION_FAILED |
 * | 55 | benchmark matrix useWeightedScoring=yes                     | 400    | VALIDATION_FAILED |
 * | 56 | another organization's benchmark matrix                     | 404    | NOT_FOUND         |
 * Afterwards: the benchmark still has its 2 prompts (tags and origin unchanged), 2 models (one without media), 1
 * leaderboard (its name and options unchanged), no votes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials } from '../../test/factories.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { systemClock } from '../http/clock.ts';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082',
  'hex',
);

interface Case {
  name: string;
  status: number;
  code: string;
  method: string;
  path: () => string;
  body?: () => unknown;
  bearer?: () => string | null;
}

for (const target of testDatabaseTargets()) {
  describe(`benchmark bad input on ${target.name}`, () => {
    let h: LabelingHarness;
    let bench = '';
    let board = '';
    let model = '';
    let empty = '';
    let media = { assetId: '', name: 'a.png' };
    let other = '';
    let prompt = '';
    before(async () => {
      h = await startLabelingHarness(target);
      const r = h.requester;
      const up = await fetch(`${h.base}/api/v1/assets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(PNG),
      });
      media = { assetId: ((await up.json()) as { data: { id: string } }).data.id, name: 'a.png' };
      bench = (
        await r.ok('POST', '/api/v1/benchmarks', {
          name: 'B',
          prompts: { identifiers: ['s1', 's2'], prompts: ['cat', 'dog'] },
        })
      ).data.id;
      model = (
        await r.ok('POST', `/api/v1/benchmarks/${bench}/participants`, {
          name: 'm1',
          media: { media: [media], identifiers: ['s1'] },
          submit: true,
        })
      ).data.id;
      board = (
        await r.ok('POST', `/api/v1/benchmarks/${bench}/leaderboards`, { name: 'L', instruction: 'Which?' })
      ).data.id;
      other = (await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock })).token;
      prompt = (await r.ok('GET', `/api/v1/benchmarks/${bench}/prompts`)).data[0].id;
    });
    after(() => h.close());

    const participants = () => `/api/v1/benchmarks/${bench}/participants`;
    const boards = () => `/api/v1/benchmarks/${bench}/leaderboards`;
    const votes = () => `/api/v1/leaderboards/${board}/votes`;
    const lb = (extra: object) => ({ name: 'X', instruction: 'Which?', ...extra });
    const cases: Case[] = [
      {
        name: 'benchmark without a name',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => '/api/v1/benchmarks',
        body: () => ({ name: ' ' }),
      },
      {
        name: 'prompt lists of different lengths',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => '/api/v1/benchmarks',
        body: () => ({ name: 'x', prompts: { identifiers: ['a', 'b'], prompts: ['p'] } }),
      },
      {
        name: 'repeated identifiers',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => '/api/v1/benchmarks',
        body: () => ({ name: 'x', prompts: { identifiers: ['a', 'a'], prompts: ['p', 'q'] } }),
      },
      {
        name: 'neither identifiers nor prompts',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => `/api/v1/benchmarks/${bench}/prompts`,
        body: () => ({ tags: [['t']] }),
      },
      {
        name: 'unknown key in the body',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => '/api/v1/benchmarks',
        body: () => ({ name: 'x', promts: [] }),
      },
      {
        name: 'addPrompts with an identifier already registered',
        status: 409,
        code: 'CONFLICT',
        method: 'POST',
        path: () => `/api/v1/benchmarks/${bench}/prompts`,
        body: () => ({ identifiers: ['s1'], prompts: ['again'] }),
      },
      {
        name: 'prompt asset of an unknown asset id',
        status: 404,
        code: 'NOT_FOUND',
        method: 'POST',
        path: () => `/api/v1/benchmarks/${bench}/prompts`,
        body: () => ({ identifiers: ['s9'], promptAssets: [{ assetId: 'ast_nope', name: 'x.png' }] }),
      },
      {
        name: 'media paired with a prompt not in the benchmark',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: participants,
        body: () => ({ name: 'm2', media: { media: [media], prompts: ['horse'] } }),
      },
      {
        name: 'media paired with an unknown identifier',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => `/api/v1/participants/${model}/media`,
        body: () => ({ media: [media], identifiers: ['s7'] }),
      },
      {
        name: 'media and prompts of different lengths',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: participants,
        body: () => ({ name: 'm2', media: { media: [media, media], prompts: ['cat'] } }),
      },
      {
        name: 'media with both identifiers and prompts',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: participants,
        body: () => ({ name: 'm2', media: { media: [media], prompts: ['cat'], identifiers: ['s1'] } }),
      },
      {
        name: 'empty media',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => `/api/v1/participants/${model}/media`,
        body: () => ({ media: [], identifiers: [] }),
      },
      {
        name: 'a second model of the same name',
        status: 409,
        code: 'CONFLICT',
        method: 'POST',
        path: participants,
        body: () => ({ name: 'm1' }),
      },
      {
        name: 'running a model without media',
        status: 409,
        code: 'CONFLICT',
        method: 'POST',
        path: () => `/api/v1/participants/${empty}/run`,
      },
      {
        name: 'enabling a model that is not disabled',
        status: 409,
        code: 'CONFLICT',
        method: 'PATCH',
        path: () => `/api/v1/participants/${empty}`,
        body: () => ({ status: 'submitted' }),
      },
      {
        name: 'level of detail not a known name',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: boards,
        body: () => lb({ levelOfDetail: 'extreme' }),
      },
      {
        name: 'level of detail 0',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: boards,
        body: () => lb({ levelOfDetail: 0 }),
      },
      {
        name: 'responsesPerComparison 0',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: boards,
        body: () => lb({ responsesPerComparison: 0 }),
      },
      {
        name: 'leaderboard for an unknown audience',
        status: 404,
        code: 'NOT_FOUND',
        method: 'POST',
        path: boards,
        body: () => lb({ audienceId: 'aud_nope' }),
      },
      {
        name: 'leaderboard without an instruction',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: boards,
        body: () => ({ name: 'X' }),
      },
      {
        name: 'unknown interval method',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'GET',
        path: () => `/api/v1/leaderboards/${board}/standings?intervals=bayes`,
      },
      {
        name: 'sklearnC ≤ 0',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'GET',
        path: () => `/api/v1/leaderboards/${board}/standings?sklearnC=0`,
      },
      {
        name: 'battle with an unknown winner',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: votes,
        body: () => ({ battles: [{ modelA: 'x', modelB: 'y', winner: 'both' }] }),
      },
      {
        name: 'battle of a model against itself',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: votes,
        body: () => ({ battles: [{ modelA: 'x', modelB: 'x', winner: 'tie' }] }),
      },
      {
        name: 'CSV without the header',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: votes,
        body: () => ({ csv: 'a,b,c\nx,y,a' }),
      },
      {
        name: 'battle naming a prompt not in the benchmark',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: votes,
        body: () => ({ battles: [{ modelA: 'x', modelB: 'y', winner: 'a', prompt: 'nope' }] }),
      },
      {
        name: "another organization's benchmark",
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: () => `/api/v1/benchmarks/${bench}`,
        bearer: () => other,
      },
      {
        name: "another organization's standings",
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: () => `/api/v1/leaderboards/${board}/standings`,
        bearer: () => other,
      },
      {
        name: "another organization's participant",
        status: 404,
        code: 'NOT_FOUND',
        method: 'PATCH',
        path: () => `/api/v1/participants/${model}`,
        body: () => ({ name: 'stolen' }),
        bearer: () => other,
      },
      {
        name: "another organization's participant media",
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: () => `/api/v1/participants/${model}/media`,
        bearer: () => other,
      },
      {
        name: 'participant media page size 0',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'GET',
        path: () => `/api/v1/participants/${model}/media?amount=0`,
      },
      {
        name: 'overall standings of a leaderboard not in the benchmark',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'GET',
        path: () => `/api/v1/benchmarks/${bench}/standings?leaderboardIds=${board},lbd_nope`,
      },
      {
        name: "another organization's overall standings",
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: () => `/api/v1/benchmarks/${bench}/standings`,
        bearer: () => other,
      },
      {
        name: 'unknown benchmark id',
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: () => '/api/v1/benchmarks/bmk_nope/prompts',
      },
      {
        name: 'no bearer token',
        status: 401,
        code: 'UNAUTHENTICATED',
        method: 'GET',
        path: () => '/api/v1/benchmarks',
        bearer: () => null,
      },
      {
        name: 'minResponsesPerMatchup 2',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: boards,
        body: () => lb({ minResponsesPerMatchup: 2 }),
      },
      {
        name: 'voteAggregation not a known one',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: boards,
        body: () => lb({ voteAggregation: 'median' }),
      },
      {
        name: 'includedTags not a list',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: boards,
        body: () => lb({ includedTags: 'outdoor' }),
      },
      {
        name: 'skipInitialRun not a boolean',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: boards,
        body: () => lb({ skipInitialRun: 'yes' }),
      },
      {
        name: 'leaderboard update without a field',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'PATCH',
        path: () => `/api/v1/leaderboards/${board}`,
        body: () => ({}),
      },
      {
        name: 'leaderboard update minResponsesPerMatchup 3.5',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'PATCH',
        path: () => `/api/v1/leaderboards/${board}`,
        body: () => ({ minResponsesPerMatchup: 3.5 }),
      },
      {
        name: 'leaderboard update of the instruction (fixed)',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'PATCH',
        path: () => `/api/v1/leaderboards/${board}`,
        body: () => ({ instruction: 'Which is worse?' }),
      },
      {
        name: "another organization's leaderboard update",
        status: 404,
        code: 'NOT_FOUND',
        method: 'PATCH',
        path: () => `/api/v1/leaderboards/${board}`,
        body: () => ({ name: 'stolen' }),
        bearer: () => other,
      },
      {
        name: "another organization's leaderboard runs",
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: () => `/api/v1/leaderboards/${board}/runs`,
        bearer: () => other,
      },
      {
        name: 'leaderboard runs page size 0',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'GET',
        path: () => `/api/v1/leaderboards/${board}/runs?amount=0`,
      },
      {
        name: 'a tag object with an unknown key',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => `/api/v1/benchmarks/${bench}/prompts`,
        body: () => ({ identifiers: ['s8'], prompts: ['p'], tags: [[{ value: 'x', kind: 'y' }]] }),
      },
      {
        name: 'a tag with an empty category',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'PATCH',
        path: () => `/api/v1/prompts/${prompt}`,
        body: () => ({ tags: [{ value: 'x', category: '' }] }),
      },
      {
        name: 'origins of a different length',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => `/api/v1/benchmarks/${bench}/prompts`,
        body: () => ({ identifiers: ['s8'], prompts: ['p'], origins: ['a', 'b'] }),
      },
      {
        name: 'englishPrompts of a different length',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'POST',
        path: () => `/api/v1/benchmarks/${bench}/prompts`,
        body: () => ({ identifiers: ['s8', 's9'], prompts: ['p', 'q'], englishPrompts: ['p'] }),
      },
      {
        name: 'updatePrompt without tags or origin',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'PATCH',
        path: () => `/api/v1/prompts/${prompt}`,
        body: () => ({}),
      },
      {
        name: 'updatePrompt of an unknown prompt',
        status: 404,
        code: 'NOT_FOUND',
        method: 'PATCH',
        path: () => '/api/v1/prompts/bpr_nope',
        body: () => ({ origin: 'x' }),
      },
      {
        name: "another organization's prompt deleted",
        status: 404,
        code: 'NOT_FOUND',
        method: 'DELETE',
        path: () => `/api/v1/prompts/${prompt}`,
        bearer: () => other,
      },
      {
        name: 'benchmark matrix of a model not in the benchmark',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'GET',
        path: () => `/api/v1/benchmarks/${bench}/win-loss-matrix?participantIds=${model},prt_nope`,
      },
      {
        name: 'benchmark matrix of a leaderboard not in it',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'GET',
        path: () => `/api/v1/benchmarks/${bench}/win-loss-matrix?leaderboardIds=lbd_nope`,
      },
      {
        name: 'benchmark matrix useWeightedScoring=yes',
        status: 400,
        code: 'VALIDATION_FAILED',
        method: 'GET',
        path: () => `/api/v1/benchmarks/${bench}/win-loss-matrix?useWeightedScoring=yes`,
      },
      {
        name: "another organization's benchmark matrix",
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: () => `/api/v1/benchmarks/${bench}/win-loss-matrix`,
        bearer: () => other,
      },
    ];

    it('every case gets its status and code', async () => {
      empty = (await h.requester.ok('POST', participants(), { name: 'empty' })).data.id;
      for (const c of cases) {
        const bearer = c.bearer ? c.bearer() : h.requester.token;
        const res = await fetch(`${h.base}${c.path()}`, {
          method: c.method,
          headers: {
            ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
            ...(c.body ? { 'content-type': 'application/json' } : {}),
          },
          ...(c.body ? { body: JSON.stringify(c.body()) } : {}),
        });
        const body = (await res.json()) as { error?: { code: string; message: string } };
        assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(body)}`);
        assert.equal(body.error?.code, c.code, c.name);
        assert.ok((body.error?.message.length ?? 0) > 10, `${c.name}: a message that says what is wrong`);
      }
      const b = (await h.requester.ok('GET', `/api/v1/benchmarks/${bench}`)).data;
      assert.deepEqual([b.promptCount, b.participantCount, b.leaderboardCount], [2, 2, 1]);
      const l = (await h.requester.ok('GET', `/api/v1/leaderboards/${board}`)).data;
      assert.equal(l.votes, 0);
      assert.deepEqual(
        [l.name, l.minResponsesPerMatchup, l.voteAggregation, l.includedTags],
        ['L', 1, 'all', []],
      );
      const p = (await h.requester.ok('GET', `/api/v1/benchmarks/${bench}/prompts`)).data[0];
      assert.deepEqual([p.id, p.tags, p.origin], [prompt, [], null]);
      const m = (await h.requester.ok('GET', `/api/v1/participants/${model}`)).data;
      assert.deepEqual([m.name, m.mediaCount], ['m1', 1]);
    });
  });
}
