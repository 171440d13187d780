// Models over real HTTP on SQLite and Postgres: registration (preset and custom), visibility across
// organizations, masked and encrypted headers, edits (header patches), delete, the live endpoint test against a
// loopback model server, and getRunnableModel, the runner's way in.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials, requestToken } from '../../test/factories.ts';
import { Requester } from '../../test/labeling-harness.ts';
import { type ModelFault, type ModelServer, startModelServer } from '../../test/model-server.ts';
import { systemClock } from '../http/clock.ts';
import { type RunningServer, startServer } from '../server.ts';
import { getRunnableModel } from './service.ts';

const API_KEY = 'sk-proj-0123456789abcdefghijklmnop9876';

for (const target of testDatabaseTargets()) {
  describe(`models on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    let models: ModelServer;
    let r: Requester;
    let other: Requester;
    let otherOrg = '';
    let localOrg = '';
    const faults = new Map<string, ModelFault>();
    const secretsKey = randomBytes(32);
    before(async () => {
      models = await startModelServer({
        answers: { 'Capital of France?': 'Paris' },
        fault: (_n, prompt) => faults.get(prompt),
        requireHeader: { name: 'authorization', value: `Bearer ${API_KEY}` },
      });
      env = await createTestEnvironment(target);
      server = await startServer({
        port: 0,
        dataDir: env.dataDir,
        databaseUrl: env.databaseUrl,
        backgroundTasks: false,
        models: { secretsKey: secretsKey.toString('base64'), testTimeoutMs: 300 },
      });
      const boot = server.bootstrap!;
      localOrg = boot.organization.id;
      r = new Requester(
        server.url,
        await requestToken(server.url, { clientId: boot.client.id, secret: boot.secret }),
      );
      const o = await buildCredentials({ url: server.url, db: server.database.db, clock: systemClock });
      otherOrg = o.organizationId;
      other = new Requester(server.url, o.token);
    });
    after(async () => {
      await server.close();
      await env.cleanup();
      await models.close();
    });

    const preset = () => ({ preset: 'openai-chat', url: models.chatUrl, model: 'fixture', apiKey: API_KEY });
    let local = '';

    it('registers a local OpenAI-compatible server in one call; the API key leaves masked only', async () => {
      const created = await r.request('POST', '/api/v1/models', {
        name: 'Local Llama',
        publisher: 'Meta',
        architecture: 'decoder-only transformer',
        parameterCount: 8e9,
        endpoint: preset(),
        limits: { requestsPerMinute: 120, contextWindowTokens: 8192 },
        costs: { perThousandInputTokens: 0.0005, perInstanceHour: 1.2 },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const m = created.body.data;
      local = m.id;
      assert.match(m.id, /^mdl_/);
      assert.equal(m.owned, true);
      assert.equal(m.visibility, 'private');
      assert.equal(m.publiclyRunnable, false);
      assert.deepEqual(m.endpoint.headers, { Authorization: 'Bearer sk-…9876' });
      assert.deepEqual(m.endpoint.responsePath, ['json', 'choices', 0, 'message', 'content']);
      assert.deepEqual(JSON.parse(m.endpoint.bodyTemplate), {
        model: 'fixture',
        messages: [{ role: 'user', content: '%PROMPT%' }],
      });
      assert.deepEqual(m.limits, {
        requestsPerMinute: 120,
        tokensPerMinute: null,
        contextWindowTokens: 8192,
      });
      assert.deepEqual(m.costs, {
        perThousandInputTokens: 0.0005,
        perThousandOutputTokens: null,
        perInstanceHour: 1.2,
      });
      assert.equal(m.parameterCount, 8e9);
      assert.ok(!JSON.stringify(created.body).includes(API_KEY));
      const row = await server.database.db
        .selectFrom('models')
        .selectAll()
        .where('id', '=', m.id)
        .executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(API_KEY), 'the key is not stored in clear');
      const settings = await server.database.db.selectFrom('server_settings').select('key').execute();
      assert.ok(
        !settings.some((s) => s.key === 'model_secrets_key'),
        "the operator's key is not kept in the database",
      );
    });

    it('the endpoint test sends one real request: raw response, extracted answer, masked request', async () => {
      const before = models.requests.length;
      const t = (await r.ok('POST', `/api/v1/models/${local}/test`, { prompt: 'Capital of France?' })).data;
      assert.equal(models.requests.length, before + 1);
      assert.equal(t.ok, true, JSON.stringify(t));
      assert.equal(t.status, 200);
      assert.equal(t.answer, 'Paris');
      assert.equal(t.extracted, 'Paris');
      assert.equal(t.error, null);
      assert.equal(JSON.parse(t.response.body).choices[0].message.content, 'Paris');
      assert.equal(t.response.truncated, false);
      assert.match(t.response.contentType, /application\/json/);
      assert.equal(t.request.headers.Authorization, 'Bearer sk-…9876');
      assert.equal(t.request.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(t.request.body).messages, [
        { role: 'user', content: 'Capital of France?' },
      ]);
    });

    it('tests unsaved changes without saving them; failures say why', async () => {
      const draft = (
        await r.ok('POST', `/api/v1/models/${local}/test`, {
          prompt: 'Capital of France?',
          endpoint: { responsePath: ['json', 'choices', 0, 'text'] },
        })
      ).data;
      assert.equal(draft.ok, false);
      assert.equal(draft.error.kind, 'path');
      assert.equal(draft.error.step, 3);
      assert.match(
        draft.error.message,
        /Step 3 \("text"\) not found: at \["json","choices",0\] there is an object with keys index, message/,
      );
      assert.equal(draft.answer, null);
      assert.ok(draft.response.body.includes('Paris'), 'the raw response is there to fix the path with');
      const saved = (await r.ok('GET', `/api/v1/models/${local}`)).data;
      assert.deepEqual(saved.endpoint.responsePath, ['json', 'choices', 0, 'message', 'content']);

      faults.set('five', '503');
      const five = (await r.ok('POST', `/api/v1/models/${local}/test`, { prompt: 'five' })).data;
      assert.deepEqual(
        [five.ok, five.status, five.error.kind, five.error.transient],
        [false, 503, 'status', true],
      );
      faults.set('garbled', 'malformed');
      const garbled = (await r.ok('POST', `/api/v1/models/${local}/test`, { prompt: 'garbled' })).data;
      assert.deepEqual([garbled.ok, garbled.error.kind], [false, 'body']);
      assert.equal(garbled.response.body, '{"choices": [ {"message": ');
      faults.set('hang', 'hang');
      const hang = (await r.ok('POST', `/api/v1/models/${local}/test`, { prompt: 'hang' })).data;
      assert.deepEqual([hang.ok, hang.status, hang.error.kind], [false, null, 'timeout']);
      const wrongKey = (
        await r.ok('POST', `/api/v1/models/${local}/test`, {
          endpoint: { headers: { authorization: 'Bearer nope' } },
        })
      ).data;
      assert.deepEqual([wrongKey.status, wrongKey.error.transient], [401, false]);
      assert.equal(wrongKey.request.headers.authorization, 'Bearer ••••');
    });

    it('tests an endpoint before any model is saved with it; nothing is stored', async () => {
      const before = (await r.ok('GET', '/api/v1/models')).total;
      const t = (
        await r.ok('POST', '/api/v1/endpoint-tests', {
          prompt: 'Capital of France?',
          endpoint: preset(),
        })
      ).data;
      assert.deepEqual([t.ok, t.answer, t.request.headers.Authorization], [true, 'Paris', 'Bearer sk-…9876']);
      const denied = (
        await r.ok('POST', '/api/v1/endpoint-tests', {
          endpoint: { ...preset(), apiKey: 'wrong' },
        })
      ).data;
      assert.deepEqual([denied.ok, denied.status], [false, 401]);
      assert.equal((await r.ok('GET', '/api/v1/models')).total, before);
    });

    it('a custom endpoint: headers, template, path', async () => {
      const m = (
        await r.ok('POST', '/api/v1/models', {
          name: 'Completions',
          visibility: 'public',
          endpoint: {
            url: `${models.url}/v1/completions`,
            headers: { Authorization: `Bearer ${API_KEY}`, 'X-Team': 'evals' },
            bodyTemplate: '{"model": "fixture", "prompt": "Question: %PROMPT%\\nAnswer:"}',
            responsePath: ['json', 'choices', 0, 'text'],
          },
        })
      ).data;
      assert.deepEqual(m.endpoint.headers, { Authorization: 'Bearer sk-…9876', 'X-Team': '••••' });
      const t = (await r.ok('POST', `/api/v1/models/${m.id}/test`, { prompt: 'Is "this" ok?' })).data;
      assert.equal(t.answer, 'Echo: Question: Is "this" ok?\nAnswer:');
      assert.equal(models.requests.at(-1)!.headers['x-team'], 'evals');
    });

    it("lists its own and others' public models, filtered and sorted; others see no endpoint", async () => {
      await other.ok('POST', '/api/v1/models', { name: 'Their private', endpoint: preset() });
      const pub = (
        await other.ok('POST', '/api/v1/models', {
          name: 'Their public llama',
          visibility: 'public',
          publiclyRunnable: true,
          parameterCount: 70e9,
          endpoint: preset(),
        })
      ).data;
      const names = async (query: string, who = r) =>
        (await who.ok('GET', `/api/v1/models${query}`)).data.map((x: { name: string }) => x.name);
      assert.deepEqual(await names('?sort=name'), ['Completions', 'Local Llama', 'Their public llama']);
      assert.deepEqual(await names('?sort=-name&owner=mine'), ['Local Llama', 'Completions']);
      assert.deepEqual(await names('?owner=others'), ['Their public llama']);
      assert.deepEqual(await names('?name=LLAMA&sort=name'), ['Local Llama', 'Their public llama']);
      assert.deepEqual(await names('?visibility=public&sort=name'), ['Completions', 'Their public llama']);
      assert.deepEqual(await names('?sort=-parameterCount'), [
        'Their public llama',
        'Local Llama',
        'Completions',
      ]);
      assert.deepEqual(await names('?sort=parameterCount'), [
        'Local Llama',
        'Their public llama',
        'Completions',
      ]);
      assert.deepEqual(await names('?sort=name', other), [
        'Completions',
        'Their private',
        'Their public llama',
      ]);
      const page = await r.ok('GET', '/api/v1/models?amount=2&page=2&sort=name');
      assert.deepEqual([page.total, page.data.length, page.data[0].name], [3, 1, 'Their public llama']);
      const seen = (await r.ok('GET', `/api/v1/models/${pub.id}`)).data;
      assert.deepEqual(
        [seen.owned, seen.endpoint, seen.organizationName],
        [false, null, seen.organizationName],
      );
      assert.ok(seen.organizationName.length > 0);
    });

    it('edits: details, header patches (replace, keep, remove), visibility, limits, costs', async () => {
      const up = async (body: object) => (await r.ok('PATCH', `/api/v1/models/${local}`, body)).data;
      let m = await up({ description: 'Our local server', endpoint: { headers: { 'X-Trace': '1' } } });
      assert.deepEqual(m.endpoint.headers, { Authorization: 'Bearer sk-…9876', 'X-Trace': '••••' });
      assert.equal(m.description, 'Our local server');
      const t = (await r.ok('POST', `/api/v1/models/${local}/test`, { prompt: 'Capital of France?' })).data;
      assert.equal(t.answer, 'Paris', 'the kept Authorization still works');
      m = await up({
        endpoint: { headers: { 'X-Trace': null } },
        limits: { requestsPerMinute: null, tokensPerMinute: 5000 },
      });
      assert.deepEqual(m.endpoint.headers, { Authorization: 'Bearer sk-…9876' });
      assert.deepEqual(m.limits, {
        requestsPerMinute: null,
        tokensPerMinute: 5000,
        contextWindowTokens: 8192,
      });
      m = await up({ visibility: 'public', publiclyRunnable: true, costs: { perInstanceHour: null } });
      assert.deepEqual(
        [m.visibility, m.publiclyRunnable, m.costs.perInstanceHour, m.costs.perThousandInputTokens],
        ['public', true, null, 0.0005],
      );
      m = await up({ visibility: 'private' });
      assert.deepEqual(
        [m.visibility, m.publiclyRunnable],
        ['private', false],
        'private stops it being runnable',
      );
      m = await up({ endpoint: { preset: 'openai-chat', model: 'other-model' } });
      assert.equal(JSON.parse(m.endpoint.bodyTemplate).model, 'other-model');
      assert.deepEqual(
        m.endpoint.headers,
        { Authorization: 'Bearer sk-…9876' },
        'a preset without apiKey keeps the key',
      );
      m = await up({ name: 'Local Llama 3', publisher: null });
      assert.deepEqual([m.name, m.publisher], ['Local Llama 3', null]);
    });

    it('getRunnableModel: decrypted headers for the owner, public runnable ones for others, else NOT_FOUND', async () => {
      const deps = { db: server.database.db, clock: systemClock, secretsKey };
      const mine = await getRunnableModel(deps, localOrg, local);
      assert.equal(mine.endpoint.headers.Authorization, `Bearer ${API_KEY}`);
      assert.equal(mine.limits.tokensPerMinute, 5000);
      assert.match(mine.endpointFingerprint, /^[0-9a-f]{64}$/);
      await assert.rejects(getRunnableModel(deps, otherOrg, local), { code: 'NOT_FOUND' });
      const theirs = (await r.ok('GET', '/api/v1/models?owner=others')).data[0];
      const runnable = await getRunnableModel(deps, localOrg, theirs.id);
      assert.equal(runnable.organizationId, otherOrg);
      await other.ok('PATCH', `/api/v1/models/${theirs.id}`, { publiclyRunnable: false });
      await assert.rejects(getRunnableModel(deps, localOrg, theirs.id), /not publicly runnable/);
      await assert.rejects(
        getRunnableModel({ ...deps, secretsKey: randomBytes(32) }, localOrg, local),
        /another key/,
      );
    });

    it('delete: no longer found, the name is free again', async () => {
      const res = await r.request('DELETE', `/api/v1/models/${local}`);
      assert.equal(res.status, 204);
      assert.equal((await r.request('GET', `/api/v1/models/${local}`)).status, 404);
      assert.equal((await r.request('DELETE', `/api/v1/models/${local}`)).status, 404);
      const again = await r.request('POST', '/api/v1/models', { name: 'Local Llama 3', endpoint: preset() });
      assert.equal(again.status, 201);
    });
  });
}
