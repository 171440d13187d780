/**
 * Bad input to the flow and ranking job routes gets a clear error with a stable code and stores nothing. Real
 * HTTP, SQLite always and Postgres when TEST_DATABASE_URL is set.
 *
 * | #  | Case                                                        | Status | Code              |
 * |----|-------------------------------------------------------------|--------|-------------------|
 * | 1  | flow without a name                                         | 400    | VALIDATION_FAILED |
 * | 2  | flow without an instruction                                 | 400    | VALIDATION_FAILED |
 * | 3  | instruction over 250 characters                             | 400    | VALIDATION_FAILED |
 * | 4  | maxResponseThreshold 0                                      | 400    | VALIDATION_FAILED |
 * | 5  | maxResponseThreshold not a whole number                     | 400    | VALIDATION_FAILED |
 * | 6  | minResponseThreshold above maxResponseThreshold             | 400    | VALIDATION_FAILED |
 * | 7  | unknown key in the body                                     | 400    | VALIDATION_FAILED |
 * | 8  | flow for an unknown audience                                | 404    | NOT_FOUND         |
 * | 9  | unknown setting                                             | 400    | VALIDATION_FAILED |
 * | 10 | config change with nothing to change                        | 400    | VALIDATION_FAILED |
 * | 11 | config: minResponseThreshold above the flow's maximum       | 400    | VALIDATION_FAILED |
 * | 12 | config of an unknown flow                                   | 404    | NOT_FOUND         |
 * | 13 | batch with an empty list of datapoints                      | 400    | VALIDATION_FAILED |
 * | 14 | batch with one datapoint                                    | 400    | VALIDATION_FAILED |
 * | 15 | batch with the same datapoint twice                         | 400    | VALIDATION_FAILED |
 * | 16 | batch timeToLive below 60 s                                 | 400    | VALIDATION_FAILED |
 * | 17 | batch timeToLive in the past (negative)                     | 400    | VALIDATION_FAILED |
 * | 18 | batch of text items with dataType media                     | 400    | VALIDATION_FAILED |
 * | 19 | batch naming an unknown asset                               | 404    | NOT_FOUND         |
 * | 20 | batch with an empty context                                 | 400    | VALIDATION_FAILED |
 * | 21 | batch with 11 context assets                                | 400    | VALIDATION_FAILED |
 * | 22 | batch for an unknown flow                                   | 404    | NOT_FOUND         |
 * | 23 | flow items with an unknown status filter                    | 400    | VALIDATION_FAILED |
 * | 24 | results of an unknown flow item                             | 404    | NOT_FOUND         |
 * | 25 | stopping a stopped flow item                                | 409    | CONFLICT          |
 * | 26 | another organization's flow                                 | 404    | NOT_FOUND         |
 * | 27 | another organization's flow item matrix                     | 404    | NOT_FOUND         |
 * | 28 | ranking definition with no rankings                         | 400    | VALIDATION_FAILED |
 * | 29 | ranking definition with datapoints not lists                | 400    | VALIDATION_FAILED |
 * | 30 | ranking of one item                                         | 400    | VALIDATION_FAILED |
 * | 31 | ranking with a duplicate item                               | 400    | VALIDATION_FAILED |
 * | 32 | comparisonBudgetPerRanking missing                          | 400    | VALIDATION_FAILED |
 * | 33 | comparisonBudgetPerRanking 0                                | 400    | VALIDATION_FAILED |
 * | 34 | responsesPerComparison 0                                    | 400    | VALIDATION_FAILED |
 * | 35 | randomComparisonsRatio above 1                              | 400    | VALIDATION_FAILED |
 * | 36 | contexts of another length than the rankings                | 400    | VALIDATION_FAILED |
 * | 37 | mediaContexts of another length than the rankings           | 400    | VALIDATION_FAILED |
 * | 38 | ranking job of an unknown definition                        | 404    | NOT_FOUND         |
 * | 39 | ranking job for an unknown audience                         | 404    | NOT_FOUND         |
 * | 40 | another organization's ranking job definition               | 404    | NOT_FOUND         |
 * | 41 | unknown ranking job                                         | 404    | NOT_FOUND         |
 * | 42 | no bearer token                                             | 401    | UNAUTHENTICATED   |
 * | 43 | config: startingElo out of range                            | 400    | VALIDATION_FAILED |
 * | 44 | config for an unknown audience                              | 404    | NOT_FOUND         |
 * | 45 | batch with privateMetadata not text values                  | 400    | VALIDATION_FAILED |
 * | 46 | batch with an empty list of context assets                  | 400    | VALIDATION_FAILED |
 * Afterwards: one flow with its one (stopped) item and unchanged config, one definition, no ranking job.
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
  describe(`flow and ranking job bad input on ${target.name}`, () => {
    let h: LabelingHarness;
    let flow = '';
    let item = '';
    let definition = '';
    let media = { assetId: '', name: 'a.png' };
    let other = '';
    before(async () => {
      h = await startLabelingHarness(target);
      const r = h.requester;
      const up = await fetch(`${h.base}/api/v1/assets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(PNG),
      });
      media = { assetId: ((await up.json()) as { data: { id: string } }).data.id, name: 'a.png' };
      flow = (
        await r.ok('POST', '/api/v1/flows', {
          name: 'F',
          instruction: 'Which?',
          maxResponseThreshold: 10,
          minResponseThreshold: 5,
        })
      ).data.id;
      item = (
        await r.ok('POST', `/api/v1/flows/${flow}/items`, {
          dataType: 'text',
          datapoints: [{ text: 'a' }, { text: 'b' }],
        })
      ).data.id;
      await r.ok('POST', `/api/v1/flow-items/${item}/stop`);
      definition = (
        await r.ok('POST', '/api/v1/ranking-job-definitions', {
          name: 'D',
          instruction: 'Which?',
          dataType: 'text',
          datapoints: [[{ text: 'a' }, { text: 'b' }]],
          comparisonBudgetPerRanking: 5,
        })
      ).data.id;
      other = (await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock })).token;
    });
    after(() => h.close());

    const flows = () => '/api/v1/flows';
    const config = () => `/api/v1/flows/${flow}/config`;
    const items = () => `/api/v1/flows/${flow}/items`;
    const definitions = () => '/api/v1/ranking-job-definitions';
    const f = (extra: object) => ({ name: 'X', instruction: 'Which?', ...extra });
    const text = (...t: string[]) => t.map((x) => ({ text: x }));
    const batch = (extra: object) => ({ dataType: 'text', datapoints: text('a', 'b'), ...extra });
    const def = (extra: object) => ({
      name: 'X',
      instruction: 'Which?',
      dataType: 'text',
      datapoints: [text('a', 'b', 'c')],
      comparisonBudgetPerRanking: 3,
      ...extra,
    });
    const bad = (name: string, method: string, path: () => string, body?: () => unknown): Case => ({
      name,
      status: 400,
      code: 'VALIDATION_FAILED',
      method,
      path,
      ...(body ? { body } : {}),
    });
    const missing = (name: string, method: string, path: () => string, extra: Partial<Case> = {}): Case => ({
      name,
      status: 404,
      code: 'NOT_FOUND',
      method,
      path,
      ...extra,
    });
    const cases: Case[] = [
      bad('flow without a name', 'POST', flows, () => f({ name: ' ' })),
      bad('flow without an instruction', 'POST', flows, () => f({ instruction: '' })),
      bad('instruction over 250 characters', 'POST', flows, () => f({ instruction: 'x'.repeat(251) })),
      bad('maxResponseThreshold 0', 'POST', flows, () => f({ maxResponseThreshold: 0 })),
      bad('maxResponseThreshold not whole', 'POST', flows, () => f({ maxResponseThreshold: 2.5 })),
      bad('min above max', 'POST', flows, () => f({ maxResponseThreshold: 5, minResponseThreshold: 6 })),
      bad('unknown key', 'POST', flows, () => f({ validationSetId: 'v' })),
      missing('flow for an unknown audience', 'POST', flows, { body: () => f({ audienceId: 'aud_nope' }) }),
      bad('unknown setting', 'POST', flows, () => f({ settings: ['Shiny'] })),
      bad('config change with nothing to change', 'PATCH', config, () => ({})),
      bad('config: min above the flow maximum', 'PATCH', config, () => ({ minResponseThreshold: 11 })),
      missing('config of an unknown flow', 'PATCH', () => '/api/v1/flows/flw_nope/config', {
        body: () => ({ instruction: 'New?' }),
      }),
      bad('batch with no datapoints', 'POST', items, () => batch({ datapoints: [] })),
      bad('batch with one datapoint', 'POST', items, () => batch({ datapoints: text('a') })),
      bad('batch with a datapoint twice', 'POST', items, () => batch({ datapoints: text('a', 'a') })),
      bad('batch timeToLive below 60 s', 'POST', items, () => batch({ timeToLive: 30 })),
      bad('batch timeToLive in the past', 'POST', items, () => batch({ timeToLive: -600 })),
      bad('text items with dataType media', 'POST', items, () => batch({ dataType: 'media' })),
      missing('batch naming an unknown asset', 'POST', items, {
        body: () => ({ datapoints: [media, { assetId: 'ast_nope', name: 'b.png' }] }),
      }),
      bad('batch with an empty context', 'POST', items, () => batch({ context: ' ' })),
      bad('batch with 11 context assets', 'POST', items, () =>
        batch({ contextAssets: Array.from({ length: 11 }, () => media) }),
      ),
      missing('batch for an unknown flow', 'POST', () => '/api/v1/flows/flw_nope/items', {
        body: () => batch({}),
      }),
      bad('unknown status filter', 'GET', () => `/api/v1/flows/${flow}/items?status=done`),
      missing('results of an unknown flow item', 'GET', () => '/api/v1/flow-items/rnk_nope/results'),
      {
        name: 'stopping a stopped flow item',
        status: 409,
        code: 'CONFLICT',
        method: 'POST',
        path: () => `/api/v1/flow-items/${item}/stop`,
      },
      missing("another organization's flow", 'GET', () => `/api/v1/flows/${flow}`, { bearer: () => other }),
      missing(
        "another organization's item matrix",
        'GET',
        () => `/api/v1/flow-items/${item}/win-loss-matrix`,
        {
          bearer: () => other,
        },
      ),
      bad('definition with no rankings', 'POST', definitions, () => def({ datapoints: [] })),
      bad('definition with datapoints not lists', 'POST', definitions, () =>
        def({ datapoints: text('a', 'b') }),
      ),
      bad('ranking of one item', 'POST', definitions, () => def({ datapoints: [text('a')] })),
      bad('ranking with a duplicate', 'POST', definitions, () => def({ datapoints: [text('a', 'b', 'a')] })),
      bad('budget missing', 'POST', definitions, () => def({ comparisonBudgetPerRanking: undefined })),
      bad('budget 0', 'POST', definitions, () => def({ comparisonBudgetPerRanking: 0 })),
      bad('responsesPerComparison 0', 'POST', definitions, () => def({ responsesPerComparison: 0 })),
      bad('randomComparisonsRatio above 1', 'POST', definitions, () => def({ randomComparisonsRatio: 1.5 })),
      bad('contexts of another length', 'POST', definitions, () => def({ contexts: ['a', 'b'] })),
      bad('mediaContexts of another length', 'POST', definitions, () =>
        def({ mediaContexts: [[media], [media]] }),
      ),
      missing('ranking job of an unknown definition', 'POST', () => '/api/v1/ranking-jobs', {
        body: () => ({ definitionId: 'rjd_nope' }),
      }),
      missing('ranking job for an unknown audience', 'POST', () => '/api/v1/ranking-jobs', {
        body: () => ({ definitionId: definition, audienceId: 'aud_nope' }),
      }),
      missing(
        "another organization's definition",
        'GET',
        () => `/api/v1/ranking-job-definitions/${definition}`,
        {
          bearer: () => other,
        },
      ),
      missing('unknown ranking job', 'GET', () => '/api/v1/ranking-jobs/rjb_nope'),
      {
        name: 'no bearer token',
        status: 401,
        code: 'UNAUTHENTICATED',
        method: 'GET',
        path: flows,
        bearer: () => null,
      },
      bad('config: startingElo out of range', 'PATCH', config, () => ({ startingElo: 1e9 })),
      missing('config for an unknown audience', 'PATCH', config, {
        body: () => ({ audienceId: 'aud_nope' }),
      }),
      bad('batch with privateMetadata not text values', 'POST', items, () =>
        batch({ privateMetadata: { run: 7 } }),
      ),
      bad('batch with an empty list of context assets', 'POST', items, () => batch({ contextAssets: [] })),
    ];

    it('every case gets its status and code', async () => {
      assert.equal(cases.length, 46, 'the table above lists every case');
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
      const r = h.requester;
      const found = await r.ok('GET', '/api/v1/flows');
      assert.equal(found.total, 1);
      assert.deepEqual(
        [found.data[0].itemCount, found.data[0].instruction, found.data[0].minResponseThreshold],
        [1, 'Which?', 5],
      );
      assert.equal((await r.ok('GET', `/api/v1/flow-items/${item}`)).data.status, 'stopped');
      const rows = await h.server.database.db.selectFrom('ranking_job_definitions').select('id').execute();
      assert.equal(rows.length, 1);
      const jobs = await h.server.database.db.selectFrom('ranking_jobs').select('id').execute();
      assert.equal(jobs.length, 0);
    });
  });
}
