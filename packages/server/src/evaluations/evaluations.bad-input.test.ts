/**
 * Bad input to the evaluation routes gets a clear error with a stable code and stores nothing. Real HTTP, SQLite
 * always and Postgres when TEST_DATABASE_URL is set.
 *
 * | #  | Case                                                         | Status | Code              |
 * |----|--------------------------------------------------------------|--------|-------------------|
 * | 1  | evaluation without a name                                    | 400    | VALIDATION_FAILED |
 * | 2  | name with a space                                            | 400    | VALIDATION_FAILED |
 * | 3  | name starting with evl_                                      | 400    | VALIDATION_FAILED |
 * | 4  | unknown key in the body                                      | 400    | VALIDATION_FAILED |
 * | 5  | the name of a built-in evaluation                            | 409    | CONFLICT          |
 * | 6  | a name the organization already uses                         | 409    | CONFLICT          |
 * | 7  | JSONL whose line 3 is not JSON                               | 400    | VALIDATION_FAILED |
 * | 8  | JSONL whose line 2 has no answers                            | 400    | VALIDATION_FAILED |
 * | 9  | JSONL with only blank lines (an empty set)                   | 400    | VALIDATION_FAILED |
 * | 10 | correctOption out of range                                   | 400    | VALIDATION_FAILED |
 * | 11 | multiple-choice with one option                              | 400    | VALIDATION_FAILED |
 * | 12 | free-form with an empty list of answers                      | 400    | VALIDATION_FAILED |
 * | 13 | JSONL with a repeated key                                    | 400    | VALIDATION_FAILED |
 * | 14 | MixEval entry whose target is not one index                  | 400    | VALIDATION_FAILED |
 * | 15 | MixEval entry of the other problem_type                      | 400    | VALIDATION_FAILED |
 * | 16 | both jsonl and items                                         | 400    | VALIDATION_FAILED |
 * | 17 | no items source at all                                       | 400    | VALIDATION_FAILED |
 * | 18 | version label with a slash                                   | 400    | VALIDATION_FAILED |
 * | 19 | a version that exists already                                | 409    | CONFLICT          |
 * | 20 | a version of an unknown evaluation                           | 404    | NOT_FOUND         |
 * | 21 | a version of a built-in evaluation                           | 403    | FORBIDDEN         |
 * | 22 | a version of another organization's private evaluation       | 404    | NOT_FOUND         |
 * | 23 | an unknown evaluation                                        | 404    | NOT_FOUND         |
 * | 24 | items of an unknown version                                  | 404    | NOT_FOUND         |
 * | 25 | items with an unknown split                                  | 400    | VALIDATION_FAILED |
 * | 26 | items with amount 0                                          | 400    | VALIDATION_FAILED |
 * | 27 | deleting a built-in evaluation                               | 403    | FORBIDDEN         |
 * | 28 | deleting an unknown evaluation                               | 404    | NOT_FOUND         |
 * | 29 | deleting an unknown version                                  | 404    | NOT_FOUND         |
 * | 30 | list with trusted=maybe                                      | 400    | VALIDATION_FAILED |
 * | 31 | a body that is not JSON                                      | 400    | BAD_REQUEST       |
 * | 32 | no bearer token                                              | 401    | UNAUTHENTICATED   |
 * | 33 | trusted that is not a boolean                                | 400    | VALIDATION_FAILED |
 * | 34 | an unknown visibility                                        | 400    | VALIDATION_FAILED |
 * | 35 | list with amount 501                                         | 400    | VALIDATION_FAILED |
 * | 36 | another organization's private evaluation                    | 404    | NOT_FOUND         |
 * | 37 | deleting another organization's private evaluation           | 404    | NOT_FOUND         |
 * | 38 | items with page 0                                            | 400    | VALIDATION_FAILED |
 * Afterwards: one evaluation of the organization with its one version of two items; the built-ins unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials } from '../../test/factories.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { systemClock } from '../http/clock.ts';

interface Case {
  name: string;
  status: number;
  code: string;
  method: string;
  path: string;
  body?: unknown;
  /** What the message must say (e.g. the line number). */
  says?: RegExp;
  bearer?: () => string | null;
  raw?: string;
}

const ok = { question: 'Q?', answers: ['A'] };
const jsonl = (...lines: unknown[]) =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
const create = (name: string, imported: Record<string, unknown>) => ({
  name,
  import: { version: 'v1', ...imported },
});

for (const target of testDatabaseTargets()) {
  describe(`evaluation bad input on ${target.name}`, () => {
    let h: LabelingHarness;
    let other = '';
    let foreign = '';
    before(async () => {
      h = await startLabelingHarness(target);
      await h.requester.ok('POST', '/api/v1/evaluations', {
        name: 'base',
        import: { version: 'v1', items: [ok, { question: 'Pick', options: ['x', 'y'], correctOption: 1 }] },
      });
      other = (await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock })).token;
      const res = await fetch(`${h.base}/api/v1/evaluations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'theirs' }),
      });
      foreign = ((await res.json()) as { data: { id: string } }).data.id;
    });
    after(() => h.close());

    const bad = (name: string, method: string, path: string, body?: unknown, says?: RegExp): Case => ({
      name,
      status: 400,
      code: 'VALIDATION_FAILED',
      method,
      path,
      body,
      ...(says ? { says } : {}),
    });
    const post = '/api/v1/evaluations';
    const versions = '/api/v1/evaluations/base/versions';

    const cases = (): Case[] => [
      bad('no name', 'POST', post, { description: 'x' }),
      bad('name with a space', 'POST', post, { name: 'my eval' }, /letters, digits/),
      bad('name starting evl_', 'POST', post, { name: 'evl_x' }, /evl_/),
      bad('unknown key', 'POST', post, { name: 'x', colour: 'red' }),
      {
        name: 'built-in name',
        status: 409,
        code: 'CONFLICT',
        method: 'POST',
        path: post,
        body: { name: 'mixeval' },
      },
      {
        name: 'name taken',
        status: 409,
        code: 'CONFLICT',
        method: 'POST',
        path: post,
        body: { name: 'base' },
      },
      bad(
        'JSONL line 3 not JSON',
        'POST',
        post,
        create('j1', { jsonl: jsonl(ok, ok, '{"question": "Q?",') }),
        /line 3: not valid JSON/,
      ),
      bad(
        'JSONL line 2 without answers',
        'POST',
        post,
        create('j2', { jsonl: jsonl(ok, { question: 'Q?' }) }),
        /line 2: answers/,
      ),
      bad('JSONL empty', 'POST', post, create('j3', { jsonl: '\n\n  \n' }), /no items/),
      bad(
        'correctOption out of range',
        'POST',
        versions,
        { version: 'x1', items: [ok, { question: 'Q', options: ['a', 'b', 'c'], correctOption: 3 }] },
        /items\[1\]: correctOption: correctOption is out of range/,
      ),
      bad(
        'one option',
        'POST',
        versions,
        { version: 'x2', items: [{ question: 'Q', options: ['a'], correctOption: 0 }] },
        /at least two options/,
      ),
      bad(
        'no answers',
        'POST',
        versions,
        { version: 'x3', items: [{ question: 'Q', answers: [] }] },
        /at least one accepted answer/,
      ),
      bad(
        'repeated key',
        'POST',
        versions,
        { version: 'x4', jsonl: jsonl({ ...ok, key: 'k' }, ok, { ...ok, key: 'k' }) },
        /line 3: the free-form key "k" is already used at line 1/,
      ),
      bad(
        'MixEval target not one index',
        'POST',
        versions,
        {
          version: 'x5',
          mixeval: {
            multipleChoice: {
              '0': {
                problem_type: 'multiple-choice',
                context: null,
                prompt: 'Q',
                options: ['a', 'b'],
                target: [0],
                benchmark_name: 'MMLU',
              },
              '7': {
                problem_type: 'multiple-choice',
                context: null,
                prompt: 'Q',
                options: ['a', 'b'],
                target: [0, 1],
                benchmark_name: 'MMLU',
              },
            },
          },
        },
        /multiple-choice id "7": correctOption/,
      ),
      bad(
        'MixEval problem_type mismatch',
        'POST',
        versions,
        {
          version: 'x6',
          mixeval: {
            freeForm: {
              '3': { problem_type: 'multiple-choice', prompt: 'Q', target: ['a'], options: ['a', 'b'] },
            },
          },
        },
        /free-form id "3": problem_type/,
      ),
      bad(
        'jsonl and items',
        'POST',
        versions,
        { version: 'x7', items: [ok], jsonl: jsonl(ok) },
        /exactly one of/,
      ),
      bad('no source', 'POST', versions, { version: 'x8' }, /exactly one of/),
      bad('version with a slash', 'POST', versions, { version: 'a/b', items: [ok] }),
      {
        name: 'version exists',
        status: 409,
        code: 'CONFLICT',
        method: 'POST',
        path: versions,
        body: { version: 'v1', items: [ok] },
        says: /already has a version v1/,
      },
      {
        name: 'unknown evaluation version',
        status: 404,
        code: 'NOT_FOUND',
        method: 'POST',
        path: '/api/v1/evaluations/nope/versions',
        body: { version: 'v', items: [ok] },
      },
      {
        name: 'built-in version',
        status: 403,
        code: 'FORBIDDEN',
        method: 'POST',
        path: '/api/v1/evaluations/mixeval/versions',
        body: { version: 'v', items: [ok] },
        says: /built in/,
      },
      {
        name: "another organization's evaluation",
        status: 404,
        code: 'NOT_FOUND',
        method: 'POST',
        path: `/api/v1/evaluations/${foreign}/versions`,
        body: { version: 'v', items: [ok] },
      },
      {
        name: 'unknown evaluation',
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: '/api/v1/evaluations/evl_nope',
      },
      {
        name: 'unknown version',
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: '/api/v1/evaluations/mixeval/versions/2099-01-01/items',
        says: /2024-06-01, 2024-08-11/,
      },
      bad('unknown split', 'GET', '/api/v1/evaluations/mixeval/versions/2024-06-01/items?split=essay'),
      bad('amount 0', 'GET', '/api/v1/evaluations/mixeval/versions/2024-06-01/items?amount=0'),
      {
        name: 'delete built-in',
        status: 403,
        code: 'FORBIDDEN',
        method: 'DELETE',
        path: '/api/v1/evaluations/mixeval-hard',
      },
      {
        name: 'delete unknown',
        status: 404,
        code: 'NOT_FOUND',
        method: 'DELETE',
        path: '/api/v1/evaluations/nope',
      },
      {
        name: 'delete unknown version',
        status: 404,
        code: 'NOT_FOUND',
        method: 'DELETE',
        path: '/api/v1/evaluations/base/versions/v9',
      },
      bad('trusted=maybe', 'GET', '/api/v1/evaluations?trusted=maybe'),
      { name: 'not JSON', status: 400, code: 'BAD_REQUEST', method: 'POST', path: post, raw: '{"name": ' },
      {
        name: 'no bearer',
        status: 401,
        code: 'UNAUTHENTICATED',
        method: 'GET',
        path: post,
        bearer: () => null,
      },
      bad('trusted not a boolean', 'POST', post, { name: 'tq', trusted: 'yes' }),
      bad('unknown visibility', 'POST', post, { name: 'vq', visibility: 'secret' }),
      bad('list amount 501', 'GET', '/api/v1/evaluations?amount=501'),
      {
        name: "another organization's private evaluation",
        status: 404,
        code: 'NOT_FOUND',
        method: 'GET',
        path: `/api/v1/evaluations/${foreign}`,
      },
      {
        name: "delete another organization's private evaluation",
        status: 404,
        code: 'NOT_FOUND',
        method: 'DELETE',
        path: `/api/v1/evaluations/${foreign}`,
      },
      bad('page 0', 'GET', '/api/v1/evaluations/mixeval/versions/2024-06-01/items?page=0'),
    ];

    it('every case gets its status and code, and a message that says where', async () => {
      const list = cases();
      assert.equal(list.length, 38, 'the table above lists every case');
      for (const c of list) {
        const bearer = c.bearer ? c.bearer() : h.requester.token;
        const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
        const res = await fetch(`${h.base}${c.path}`, {
          method: c.method,
          headers: {
            ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body } : {}),
        });
        const answer = (await res.json()) as { error?: { code: string; message: string } };
        assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(answer)}`);
        assert.equal(answer.error?.code, c.code, c.name);
        assert.ok((answer.error?.message.length ?? 0) > 10, `${c.name}: a message that says what is wrong`);
        if (c.says) assert.match(answer.error?.message ?? '', c.says, c.name);
      }
      const mine = await h.requester.ok('GET', '/api/v1/evaluations');
      assert.deepEqual(
        mine.data.map((e: { name: string; versions: unknown[] }) => [e.name, e.versions.length]),
        [
          ['mixeval', 2],
          ['mixeval-hard', 2],
          ['base', 1],
        ],
      );
      const db = h.server.database.db;
      const versions = await db.selectFrom('evaluation_versions').select('id').execute();
      assert.equal(versions.length, 4 + 1 + 0, 'built-ins, base; theirs has no version');
      const items = await db
        .selectFrom('evaluation_items')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(items.n), 9995 + 2);
    });
  });
}
