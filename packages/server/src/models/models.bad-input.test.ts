/**
 * Bad input to the model routes gets a clear error with a stable code and changes nothing. Real HTTP, SQLite
 * always and Postgres when TEST_DATABASE_URL is set.
 *
 * | #  | Case                                                        | Status | Code              |
 * |----|-------------------------------------------------------------|--------|-------------------|
 * | 1  | model without a name                                        | 400    | VALIDATION_FAILED |
 * | 2  | model without an endpoint                                   | 400    | VALIDATION_FAILED |
 * | 3  | endpoint URL not a URL                                      | 400    | VALIDATION_FAILED |
 * | 4  | endpoint URL of another scheme (file:)                      | 400    | VALIDATION_FAILED |
 * | 5  | body template that is not JSON                              | 400    | VALIDATION_FAILED |
 * | 6  | body template without %PROMPT%                              | 400    | VALIDATION_FAILED |
 * | 7  | %PROMPT% outside a string (not JSON)                        | 400    | VALIDATION_FAILED |
 * | 8  | custom endpoint without a body template                     | 400    | VALIDATION_FAILED |
 * | 9  | response path starting with neither json nor text           | 400    | VALIDATION_FAILED |
 * | 10 | response path with a negative index                         | 400    | VALIDATION_FAILED |
 * | 11 | response path not a list                                    | 400    | VALIDATION_FAILED |
 * | 12 | response path with steps after "text"                       | 400    | VALIDATION_FAILED |
 * | 13 | headers not an object of strings                            | 400    | VALIDATION_FAILED |
 * | 14 | header value with a line break                              | 400    | VALIDATION_FAILED |
 * | 15 | header name with a space                                    | 400    | VALIDATION_FAILED |
 * | 16 | preset without a model                                      | 400    | VALIDATION_FAILED |
 * | 17 | preset with its own body template                           | 400    | VALIDATION_FAILED |
 * | 18 | unknown preset                                              | 400    | VALIDATION_FAILED |
 * | 19 | apiKey without a preset                                     | 400    | VALIDATION_FAILED |
 * | 20 | negative requests per minute                                | 400    | VALIDATION_FAILED |
 * | 21 | zero tokens per minute                                      | 400    | VALIDATION_FAILED |
 * | 22 | context window not a whole number                           | 400    | VALIDATION_FAILED |
 * | 23 | negative cost                                               | 400    | VALIDATION_FAILED |
 * | 24 | negative parameter count                                    | 400    | VALIDATION_FAILED |
 * | 25 | unknown visibility                                          | 400    | VALIDATION_FAILED |
 * | 26 | private and publicly runnable                               | 400    | VALIDATION_FAILED |
 * | 27 | unknown key                                                 | 400    | VALIDATION_FAILED |
 * | 28 | duplicate name                                              | 409    | CONFLICT          |
 * | 29 | list with an unknown sort                                   | 400    | VALIDATION_FAILED |
 * | 30 | list with an unknown owner filter                           | 400    | VALIDATION_FAILED |
 * | 31 | unknown model                                               | 404    | NOT_FOUND         |
 * | 32 | another organization's private model                        | 404    | NOT_FOUND         |
 * | 33 | edit with nothing to change                                 | 400    | VALIDATION_FAILED |
 * | 34 | edit to a name taken in the organization                    | 409    | CONFLICT          |
 * | 35 | edit: publicly runnable while private                       | 400    | VALIDATION_FAILED |
 * | 36 | edit: body template without %PROMPT%                        | 400    | VALIDATION_FAILED |
 * | 37 | edit: malformed response path                               | 400    | VALIDATION_FAILED |
 * | 38 | edit: negative limit                                        | 400    | VALIDATION_FAILED |
 * | 39 | edit of an unknown model                                    | 404    | NOT_FOUND         |
 * | 40 | edit of another organization's public model                 | 404    | NOT_FOUND         |
 * | 41 | delete of an unknown model                                  | 404    | NOT_FOUND         |
 * | 42 | delete of another organization's public model               | 404    | NOT_FOUND         |
 * | 43 | test of an unknown model                                    | 404    | NOT_FOUND         |
 * | 44 | test of another organization's public model                 | 404    | NOT_FOUND         |
 * | 45 | test with an empty prompt                                   | 400    | VALIDATION_FAILED |
 * | 46 | test with a draft body template that is not JSON            | 400    | VALIDATION_FAILED |
 * | 47 | test with an unknown key                                    | 400    | VALIDATION_FAILED |
 * | 48 | no bearer token                                             | 401    | UNAUTHENTICATED   |
 * | 49 | unsaved endpoint test without an endpoint                   | 400    | VALIDATION_FAILED |
 * | 50 | unsaved endpoint test with a template without %PROMPT%      | 400    | VALIDATION_FAILED |
 * | 51 | unsaved endpoint test with a malformed response path        | 400    | VALIDATION_FAILED |
 * Afterwards: the two models as created, the other organization's model unchanged, no request to an endpoint.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials } from '../../test/factories.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { type ModelServer, startModelServer } from '../../test/model-server.ts';
import { systemClock } from '../http/clock.ts';

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
  describe(`model bad input on ${target.name}`, () => {
    let h: LabelingHarness;
    let models: ModelServer;
    let mine = '';
    let otherPrivate = '';
    let otherPublic = '';
    let other = '';
    const endpoint = () => ({ preset: 'openai-chat', url: models.chatUrl, model: 'fixture' });
    before(async () => {
      models = await startModelServer();
      h = await startLabelingHarness(target);
      const r = h.requester;
      mine = (await r.ok('POST', '/api/v1/models', { name: 'Mine', endpoint: endpoint() })).data.id;
      await r.ok('POST', '/api/v1/models', { name: 'Taken', endpoint: endpoint() });
      other = (await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock })).token;
      const as = async (body: object) => {
        const res = await fetch(`${h.base}/api/v1/models`, {
          method: 'POST',
          headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 201);
        return ((await res.json()) as { data: { id: string } }).data.id;
      };
      otherPrivate = await as({ name: 'Theirs', endpoint: endpoint() });
      otherPublic = await as({ name: 'Public', visibility: 'public', endpoint: endpoint() });
    });
    after(async () => {
      await h.close();
      await models.close();
    });

    const create = () => '/api/v1/models';
    const one = (id: () => string) => () => `/api/v1/models/${id()}`;
    const test = (id: () => string) => () => `/api/v1/models/${id()}/test`;
    const m = (extra: object) => ({ name: 'X', endpoint: endpoint(), ...extra });
    const custom = (extra: object) =>
      m({
        endpoint: {
          url: models.chatUrl,
          bodyTemplate: '{"prompt": "%PROMPT%"}',
          responsePath: ['json', 'choices', 0, 'text'],
          ...extra,
        },
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
    const conflict = (name: string, method: string, path: () => string, body: () => unknown): Case => ({
      name,
      status: 409,
      code: 'CONFLICT',
      method,
      path,
      body,
    });
    const cases: Case[] = [
      bad('model without a name', 'POST', create, () => m({ name: '  ' })),
      bad('model without an endpoint', 'POST', create, () => ({ name: 'X' })),
      bad('endpoint URL not a URL', 'POST', create, () =>
        m({ endpoint: { ...endpoint(), url: 'localhost' } }),
      ),
      bad('endpoint URL of another scheme', 'POST', create, () =>
        m({ endpoint: { ...endpoint(), url: 'file:///etc/passwd' } }),
      ),
      bad('body template not JSON', 'POST', create, () => custom({ bodyTemplate: '{"prompt": "%PROMPT%"' })),
      bad('body template without %PROMPT%', 'POST', create, () =>
        custom({ bodyTemplate: '{"prompt": "hi"}' }),
      ),
      bad('%PROMPT% outside a string', 'POST', create, () =>
        custom({ bodyTemplate: '{"prompt": %PROMPT%}' }),
      ),
      bad('custom endpoint without a body template', 'POST', create, () =>
        m({ endpoint: { url: models.chatUrl, responsePath: [] } }),
      ),
      bad('path starting with neither json nor text', 'POST', create, () =>
        custom({ responsePath: ['body', 'choices'] }),
      ),
      bad('path with a negative index', 'POST', create, () =>
        custom({ responsePath: ['json', 'choices', -1] }),
      ),
      bad('path not a list', 'POST', create, () => custom({ responsePath: 'json.choices.0.text' })),
      bad('steps after text', 'POST', create, () => custom({ responsePath: ['text', 'x'] })),
      bad('headers not strings', 'POST', create, () => custom({ headers: { 'X-N': 5 } })),
      bad('header value with a line break', 'POST', create, () =>
        custom({ headers: { 'X-A': 'a\r\nX-B: b' } }),
      ),
      bad('header name with a space', 'POST', create, () => custom({ headers: { 'X A': 'a' } })),
      bad('preset without a model', 'POST', create, () =>
        m({ endpoint: { preset: 'openai-chat', url: models.chatUrl } }),
      ),
      bad('preset with its own body template', 'POST', create, () =>
        m({ endpoint: { ...endpoint(), bodyTemplate: '{"q": "%PROMPT%"}' } }),
      ),
      bad('unknown preset', 'POST', create, () => m({ endpoint: { ...endpoint(), preset: 'anthropic' } })),
      bad('apiKey without a preset', 'POST', create, () => custom({ apiKey: 'sk-1' })),
      bad('negative requests per minute', 'POST', create, () => m({ limits: { requestsPerMinute: -1 } })),
      bad('zero tokens per minute', 'POST', create, () => m({ limits: { tokensPerMinute: 0 } })),
      bad('context window not whole', 'POST', create, () => m({ limits: { contextWindowTokens: 10.5 } })),
      bad('negative cost', 'POST', create, () => m({ costs: { perThousandInputTokens: -0.01 } })),
      bad('negative parameter count', 'POST', create, () => m({ parameterCount: -7 })),
      bad('unknown visibility', 'POST', create, () => m({ visibility: 'secret' })),
      bad('private and publicly runnable', 'POST', create, () => m({ publiclyRunnable: true })),
      bad('unknown key', 'POST', create, () => m({ apiKey: 'sk-1' })),
      conflict('duplicate name', 'POST', create, () => m({ name: 'Taken' })),
      bad('unknown sort', 'GET', () => '/api/v1/models?sort=score'),
      bad('unknown owner filter', 'GET', () => '/api/v1/models?owner=everyone'),
      missing(
        'unknown model',
        'GET',
        one(() => 'mdl_nope'),
      ),
      missing(
        "another organization's private model",
        'GET',
        one(() => otherPrivate),
      ),
      bad(
        'edit with nothing to change',
        'PATCH',
        one(() => mine),
        () => ({}),
      ),
      conflict(
        'edit to a taken name',
        'PATCH',
        one(() => mine),
        () => ({ name: 'Taken' }),
      ),
      bad(
        'edit: runnable while private',
        'PATCH',
        one(() => mine),
        () => ({ publiclyRunnable: true }),
      ),
      bad(
        'edit: template without %PROMPT%',
        'PATCH',
        one(() => mine),
        () => ({
          endpoint: { bodyTemplate: '{"messages": []}' },
        }),
      ),
      bad(
        'edit: malformed path',
        'PATCH',
        one(() => mine),
        () => ({ endpoint: { responsePath: [0, 'x'] } }),
      ),
      bad(
        'edit: negative limit',
        'PATCH',
        one(() => mine),
        () => ({ limits: { requestsPerMinute: -5 } }),
      ),
      missing(
        'edit of an unknown model',
        'PATCH',
        one(() => 'mdl_nope'),
        { body: () => ({ name: 'Y' }) },
      ),
      missing(
        "edit of another organization's public model",
        'PATCH',
        one(() => otherPublic),
        {
          body: () => ({ name: 'Mine now' }),
        },
      ),
      missing(
        'delete of an unknown model',
        'DELETE',
        one(() => 'mdl_nope'),
      ),
      missing(
        "delete of another organization's public model",
        'DELETE',
        one(() => otherPublic),
      ),
      missing(
        'test of an unknown model',
        'POST',
        test(() => 'mdl_nope'),
        { body: () => ({}) },
      ),
      missing(
        "test of another organization's public model",
        'POST',
        test(() => otherPublic),
        {
          body: () => ({}),
        },
      ),
      bad(
        'test with an empty prompt',
        'POST',
        test(() => mine),
        () => ({ prompt: '' }),
      ),
      bad(
        'test with a draft template not JSON',
        'POST',
        test(() => mine),
        () => ({
          endpoint: { bodyTemplate: 'prompt=%PROMPT%' },
        }),
      ),
      bad(
        'test with an unknown key',
        'POST',
        test(() => mine),
        () => ({ prompts: ['a'] }),
      ),
      {
        name: 'no bearer token',
        status: 401,
        code: 'UNAUTHENTICATED',
        method: 'GET',
        path: create,
        bearer: () => null,
      },
      bad(
        'unsaved test without an endpoint',
        'POST',
        () => '/api/v1/endpoint-tests',
        () => ({ prompt: 'hi' }),
      ),
      bad(
        'unsaved test: template without %PROMPT%',
        'POST',
        () => '/api/v1/endpoint-tests',
        () => ({
          endpoint: custom({ bodyTemplate: '{"q": "x"}' }).endpoint,
        }),
      ),
      bad(
        'unsaved test: malformed path',
        'POST',
        () => '/api/v1/endpoint-tests',
        () => ({
          endpoint: custom({ responsePath: [{ key: 'json' }] }).endpoint,
        }),
      ),
    ];

    it('every case gets its status and code', async () => {
      assert.equal(cases.length, 51, 'the table above lists every case');
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
      const found = await h.requester.ok('GET', '/api/v1/models?owner=mine&sort=name');
      assert.deepEqual(
        found.data.map((x: { name: string }) => x.name),
        ['Mine', 'Taken'],
      );
      const mineNow = (await h.requester.ok('GET', `/api/v1/models/${mine}`)).data;
      assert.deepEqual(
        [mineNow.visibility, mineNow.publiclyRunnable, mineNow.limits.requestsPerMinute],
        ['private', false, null],
      );
      assert.deepEqual(mineNow.endpoint.responsePath, ['json', 'choices', 0, 'message', 'content']);
      const theirs = await fetch(`${h.base}/api/v1/models/${otherPublic}`, {
        headers: { authorization: `Bearer ${other}` },
      });
      assert.equal(((await theirs.json()) as { data: { name: string } }).data.name, 'Public');
      assert.equal(models.requests.length, 0, 'no bad request reached the endpoint');
    });

    it('messages say what to fix', async () => {
      const message = async (body: unknown) => {
        const res = await h.requester.request('POST', '/api/v1/models', body);
        return res.body.error.message as string;
      };
      assert.match(
        await message(custom({ bodyTemplate: '{"prompt": "hi"}' })),
        /must contain %PROMPT% inside a string/,
      );
      assert.match(await message(custom({ bodyTemplate: '{"prompt": %PROMPT%}' })), /must be valid JSON/);
      assert.match(await message(custom({ responsePath: ['body'] })), /starts with "json" .* or "text"/);
      assert.match(
        await message(m({ endpoint: { preset: 'openai-chat', url: models.chatUrl } })),
        /needs "model"/,
      );
      assert.match(await message(m({ name: 'Taken' })), /already has a model named "Taken"/);
    });
  });
}
