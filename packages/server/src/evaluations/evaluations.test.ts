// Evaluations over real HTTP on SQLite and (with TEST_DATABASE_URL) Postgres: the built-in MixEval evaluations,
// imports from JSONL and MixEval's JSON, paging, visibility across organizations, deletes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials } from '../../test/factories.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { systemClock } from '../http/clock.ts';
import { BUILT_IN_EVALUATIONS, BUILT_IN_VERSIONS, ensureBuiltIns } from './builtins.ts';
import { itemsById, versionItems } from './service.ts';

const mixevalFile = (version: string, folder: string, split: string) =>
  JSON.parse(
    gunzipSync(
      readFileSync(new URL(`../../data/mixeval/${version}/${folder}/${split}.json.gz`, import.meta.url)),
    ).toString('utf8'),
  ) as Record<string, unknown>;

const JSONL = [
  '{"question": "What is the capital of France?", "answers": ["Paris"], "benchmark": "capitals"}',
  '',
  '{"split": "multiple-choice", "key": "q-mc", "question": "2 + 2?", "options": ["3", "4", "5"], "correctOption": 1}',
  '{"question": "Largest planet?", "context": "In our solar system.", "answers": ["Jupiter", "planet Jupiter"]}',
].join('\n');

for (const target of testDatabaseTargets()) {
  describe(`evaluations on ${target.name}`, () => {
    let h: LabelingHarness;
    let other = '';
    before(async () => {
      h = await startLabelingHarness(target);
      other = (await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock })).token;
    });
    after(() => h.close());

    it('seeds the built-in MixEval evaluations once, on first use, and lists them first', async () => {
      const started = performance.now();
      const list = await h.requester.ok('GET', '/api/v1/evaluations');
      const firstMs = performance.now() - started;
      const again = performance.now();
      await h.requester.ok('GET', '/api/v1/evaluations');
      const secondMs = performance.now() - again;
      console.log(
        `[evaluations] ${target.name}: first list (seeding 9,995 items) ${Math.round(firstMs)} ms, then ${Math.round(secondMs)} ms`,
      );
      assert.deepEqual(
        list.data.map((e: { name: string }) => e.name),
        ['mixeval', 'mixeval-hard'],
      );
      const counts = list.data.map((e: { versions: { version: string; splits: object }[] }) =>
        e.versions.map((v) => [v.version, v.splits]),
      );
      assert.deepEqual(counts, [
        [
          ['2024-06-01', { 'free-form': 2000, 'multiple-choice': 2000 }],
          ['2024-08-11', { 'free-form': 2000, 'multiple-choice': 1995 }],
        ],
        [
          ['2024-06-01', { 'free-form': 500, 'multiple-choice': 500 }],
          ['2024-08-11', { 'free-form': 500, 'multiple-choice': 500 }],
        ],
      ]);
      const [mixeval] = list.data;
      assert.deepEqual(
        [mixeval.builtIn, mixeval.own, mixeval.trusted, mixeval.visibility],
        [true, false, true, 'public'],
      );
      // Seeding again (another process, a restart) inserts nothing.
      await ensureBuiltIns({ db: h.server.database.db, clock: systemClock });
      const rows = await h.server.database.db
        .selectFrom('evaluation_items')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(rows.n), 9995);
      assert.equal(BUILT_IN_EVALUATIONS.length * BUILT_IN_VERSIONS.length, 4);
    });

    it('serves built-in items by name and version, a page at a time, as MixEval has them', async () => {
      const got = await h.requester.ok('GET', '/api/v1/evaluations/mixeval-hard');
      assert.equal(got.data.id, 'evl_mixeval-hard');
      const page = await h.requester.ok(
        'GET',
        '/api/v1/evaluations/mixeval-hard/versions/2024-06-01/items?split=multiple-choice&amount=3&page=2',
      );
      assert.deepEqual([page.total, page.page, page.amount, page.data.length], [500, 2, 3, 3]);
      const source = mixevalFile('2024-06-01', 'mixeval-hard', 'multiple-choice');
      const key = page.data[0].key;
      const entry = source[key] as {
        prompt: string;
        options: string[];
        target: number[];
        benchmark_name: string;
      };
      assert.deepEqual(
        [page.data[0].question, page.data[0].options, page.data[0].correctOption, page.data[0].benchmark],
        [entry.prompt, entry.options, entry.target[0], entry.benchmark_name],
      );
      assert.equal(page.data[0].position, 504, 'free-form first (500), then multiple-choice in file order');
      const ff = await h.requester.ok(
        'GET',
        '/api/v1/evaluations/evl_mixeval/versions/2024-08-11/items?amount=1',
      );
      assert.deepEqual([ff.total, ff.data[0].split, ff.data[0].position], [3995, 'free-form', 1]);
    });

    it('the run engine reads a whole version, and items by id', async () => {
      const deps = { db: h.server.database.db, clock: systemClock };
      const organizationId = h.server.bootstrap!.organization.id;
      const all = await versionItems(deps, organizationId, 'mixeval-hard', '2024-08-11');
      assert.equal(all.items.length, 1000);
      assert.equal(all.version.version, '2024-08-11');
      assert.equal(all.evaluation.name, 'mixeval-hard');
      const picked = await itemsById(deps.db, all.version.id, [all.items[9]!.id, all.items[2]!.id]);
      assert.deepEqual(
        picked.map((i) => i.position),
        [3, 10],
      );
    });

    it('creates an evaluation with a first version from JSONL, in one call', async () => {
      const created = await h.requester.ok('POST', '/api/v1/evaluations', {
        name: 'capitals',
        description: 'A small quiz',
        import: { version: 'v1', jsonl: JSONL },
      });
      assert.deepEqual(
        [
          created.data.name,
          created.data.own,
          created.data.builtIn,
          created.data.trusted,
          created.data.visibility,
        ],
        ['capitals', true, false, false, 'private'],
      );
      assert.deepEqual(created.data.versions[0].splits, { 'free-form': 2, 'multiple-choice': 1 });
      const items = await h.requester.ok('GET', `/api/v1/evaluations/${created.data.id}/versions/v1/items`);
      assert.deepEqual(
        items.data.map((i: { key: string; split: string; position: number }) => [i.position, i.split, i.key]),
        [
          [1, 'free-form', '1'],
          [2, 'multiple-choice', 'q-mc'],
          [3, 'free-form', '2'],
        ],
      );
      assert.deepEqual(items.data[2].answers, ['Jupiter', 'planet Jupiter']);
      assert.equal(items.data[2].context, 'In our solar system.');
      assert.equal(items.data[0].benchmark, 'capitals');
      assert.equal(items.data[1].correctOption, 1);
    });

    it("imports a version in MixEval's JSON format; other organizations cannot see a private evaluation", async () => {
      const made = await h.requester.ok('POST', '/api/v1/evaluations', {
        name: 'mini-mixeval',
        trusted: true,
      });
      const freeForm = Object.fromEntries(
        Object.entries(mixevalFile('2024-08-11', 'mixeval-hard', 'free-form')).slice(0, 5),
      );
      const multipleChoice = Object.fromEntries(
        Object.entries(mixevalFile('2024-08-11', 'mixeval-hard', 'multiple-choice')).slice(0, 7),
      );
      const version = await h.requester.ok('POST', `/api/v1/evaluations/mini-mixeval/versions`, {
        version: '2024-08-11',
        mixeval: { freeForm, multipleChoice },
      });
      assert.deepEqual([version.data.itemCount, version.data.splits['multiple-choice']], [12, 7]);
      const keys = (
        await h.requester.ok('GET', '/api/v1/evaluations/mini-mixeval/versions/2024-08-11/items')
      ).data.map((i: { key: string }) => i.key);
      assert.deepEqual(keys, [...Object.keys(freeForm), ...Object.keys(multipleChoice)]);
      const theirs = await h.requester.request('GET', `/api/v1/evaluations/${made.data.id}`);
      assert.equal(theirs.status, 200);
      const foreign = await fetch(`${h.base}/api/v1/evaluations/${made.data.id}`, {
        headers: { authorization: `Bearer ${other}` },
      });
      assert.equal(foreign.status, 404);
      const listed = (await (
        await fetch(`${h.base}/api/v1/evaluations`, { headers: { authorization: `Bearer ${other}` } })
      ).json()) as { data: { name: string }[] };
      assert.deepEqual(
        listed.data.map((e) => e.name),
        ['mixeval', 'mixeval-hard'],
      );
    });

    it('a public evaluation is listed for every organization but only its owner changes it', async () => {
      const made = await h.requester.ok('POST', '/api/v1/evaluations', {
        name: 'shared-quiz',
        visibility: 'public',
        import: { version: '1', items: [{ question: 'Sky colour?', answers: ['blue'] }] },
      });
      const headers = { authorization: `Bearer ${other}`, 'content-type': 'application/json' };
      const seen = (await (await fetch(`${h.base}/api/v1/evaluations?name=quiz`, { headers })).json()) as {
        data: { name: string; own: boolean }[];
      };
      assert.deepEqual(
        seen.data.map((e) => [e.name, e.own]),
        [['shared-quiz', false]],
      );
      const byId = await fetch(`${h.base}/api/v1/evaluations/${made.data.id}/versions/1/items`, { headers });
      assert.equal(byId.status, 200);
      const del = await fetch(`${h.base}/api/v1/evaluations/${made.data.id}`, { method: 'DELETE', headers });
      assert.equal(del.status, 403);
    });

    it('deletes a version, then the evaluation with everything in it', async () => {
      const made = await h.requester.ok('POST', '/api/v1/evaluations', {
        name: 'to-delete',
        import: { version: 'a', items: [{ question: 'Q?', answers: ['A'] }] },
      });
      await h.requester.ok('POST', '/api/v1/evaluations/to-delete/versions', {
        version: 'b',
        items: [{ question: 'Q2?', options: ['x', 'y'], correctOption: 0 }],
      });
      assert.equal(
        (await h.requester.request('DELETE', '/api/v1/evaluations/to-delete/versions/a')).status,
        204,
      );
      const left = await h.requester.ok('GET', '/api/v1/evaluations/to-delete');
      assert.deepEqual(
        left.data.versions.map((v: { version: string }) => v.version),
        ['b'],
      );
      assert.equal((await h.requester.request('DELETE', `/api/v1/evaluations/${made.data.id}`)).status, 204);
      assert.equal((await h.requester.request('GET', '/api/v1/evaluations/to-delete')).status, 404);
      const items = await h.server.database.db
        .selectFrom('evaluation_items')
        .select('id')
        .where(
          'version_id',
          'in',
          made.data.versions.map((v: { id: string }) => v.id),
        )
        .execute();
      assert.equal(items.length, 0);
    });
  });
}
