import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JuryClient, JuryConflictError, JuryNotFoundError, JuryValidationError } from '@jury/sdk';
import { auth, type RunningServer, startServer, systemClock } from '@jury/server';
import { type ModelServer, startModelServer } from '@jury/server/testing';
import { createPostgresDatabase, DATABASES, isolateProcessEnv, tempDirs } from './helpers.ts';

// client.models against a real in-process server and a loopback OpenAI-compatible model server, on SQLite and
// (with TEST_DATABASE_URL) Postgres: the README's one-call registration, the live test, edits, visibility.

for (const backend of DATABASES) {
  describe(`client.models on ${backend}`, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let server: RunningServer;
    let models: ModelServer;
    let client: JuryClient;
    let otherClient: JuryClient;
    let restoreEnv: () => void;
    let pgDb: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;

    before(async () => {
      dirs = await tempDirs();
      restoreEnv = isolateProcessEnv(await dirs.make('home'));
      pgDb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
      models = await startModelServer({ answers: { 'What is 2 + 2?': '4' } });
      server = await startServer({ port: 0, dataDir: await dirs.make('data'), databaseUrl: pgDb?.url });
      const url = `http://127.0.0.1:${server.port}`;
      client = new JuryClient({
        clientId: server.bootstrap!.client.id,
        clientSecret: server.bootstrap!.secret,
        url,
      });
      const deps = { db: server.database.db, clock: systemClock };
      const org = await auth.createOrganization(deps, 'Other team');
      const made = await auth.createApiClient(deps, { organizationId: org.id, displayName: 'other' });
      otherClient = new JuryClient({ clientId: made.client.id, clientSecret: made.secret, url });
    });
    after(async () => {
      restoreEnv?.();
      await server?.close();
      await models?.close();
      await pgDb?.drop();
      await dirs?.cleanup();
    });

    test("the README's call registers a local OpenAI-compatible server; testEndpoint answers", async () => {
      const model = await client.models.create({
        name: 'Local Llama',
        endpoint: { preset: 'openai-chat', url: models.chatUrl, model: 'llama3' },
      });
      assert.match(model.id, /^mdl_/);
      assert.equal(model.data.endpoint?.url, models.chatUrl);
      const t = await model.testEndpoint('What is 2 + 2?');
      assert.equal(t.ok, true, JSON.stringify(t));
      assert.equal(t.answer, '4');
      assert.equal(JSON.parse(models.requests.at(-1)!.body).model, 'llama3');
      const before = await client.models.testEndpoint(
        { preset: 'openai-chat', url: models.chatUrl, model: 'llama3' },
        'What is 2 + 2?',
      );
      assert.equal(before.answer, '4');
      const draft = await model.testEndpoint('What is 2 + 2?', {
        endpoint: { responsePath: ['json', 'answer'] },
      });
      assert.equal(draft.ok, false);
      assert.equal(draft.error?.kind, 'path');
      assert.equal(draft.error?.step, 1);
    });

    test('modelScores: the models with their aggregate and latest score, best first', async () => {
      await client.evaluations.importJsonl({
        evaluation: 'sdk-scores',
        version: 'v1',
        // The fixture echoes a prompt it has no answer for: "Echo: Question: …" holds the accepted answer.
        jsonl: '{"question": "Which word starts the reply?", "answers": ["Echo"]}',
        trusted: true,
      });
      const [model] = await client.models.list({ name: 'Local Llama' });
      const run = await client.evaluations.run({ model: model!.id, evaluation: 'sdk-scores', version: 'v1' });
      assert.equal((await run.waitUntilDone({ pollIntervalMs: 100 })).score, 100);
      const { data, total } = await client.evaluations.modelScores();
      assert.ok(total >= 1);
      assert.equal(data[0]?.model.id, model!.id, 'best first');
      assert.equal(data[0]?.aggregate.score, 100);
      assert.deepEqual(
        data[0]?.latest.map((l) => [l.evaluation, l.version, l.score, l.counted]),
        [['sdk-scores', 'v1', 100, true]],
      );
    });

    test('a custom endpoint with an object template and a secret header; edits and listing', async () => {
      const model = await client.models.create({
        name: 'Completions API',
        publisher: 'Us',
        parameterCount: 1.5e9,
        visibility: 'public',
        endpoint: {
          url: `${models.url}/v1/completions`,
          headers: { 'Api-Key': 'DEADBEEF-0123456789-ABCDEFGHIJ' },
          bodyTemplate: { prompt: '%PROMPT%', max_tokens: 16 },
          responsePath: ['json', 'choices', 0, 'text'],
        },
        limits: { requestsPerMinute: 60, tokensPerMinute: 10_000 },
        costs: { perThousandInputTokens: 0.001, perThousandOutputTokens: 0.002 },
      });
      assert.deepEqual(model.data.endpoint?.headers, { 'Api-Key': 'DEA…GHIJ' });
      assert.deepEqual(JSON.parse(model.data.endpoint?.bodyTemplate ?? ''), {
        prompt: '%PROMPT%',
        max_tokens: 16,
      });
      assert.equal((await model.testEndpoint('hello')).answer, 'Echo: hello');
      assert.equal(models.requests.at(-1)!.headers['api-key'], 'DEADBEEF-0123456789-ABCDEFGHIJ');

      await model.edit({
        description: 'v2',
        endpoint: { headers: { 'Api-Key': null, Authorization: 'Bearer tok' } },
      });
      assert.deepEqual(model.data.endpoint?.headers, { Authorization: 'Bearer ••••' });
      assert.equal(model.data.description, 'v2');
      await model.edit({ limits: { requestsPerMinute: null } });
      assert.deepEqual((await model.refresh()).limits, {
        requestsPerMinute: null,
        tokensPerMinute: 10_000,
        contextWindowTokens: null,
      });

      const names = (await client.models.list({ sort: 'name' })).map((m) => m.name);
      assert.deepEqual(names, ['Completions API', 'Local Llama']);
      assert.equal((await client.models.findByName('Local Llama'))?.data.owned, true);

      const seen = await otherClient.models.get(model.id);
      assert.deepEqual([seen.data.owned, seen.data.endpoint], [false, null]);
      assert.deepEqual(
        (await otherClient.models.list()).map((m) => m.name),
        ['Completions API'],
      );
      await assert.rejects(seen.edit({ name: 'Mine' }), JuryNotFoundError);
      await assert.rejects(seen.testEndpoint(), JuryNotFoundError);
    });

    test('typed errors: a duplicate name, bad input, an unknown id; delete', async () => {
      const preset = { preset: 'openai-chat' as const, url: models.chatUrl, model: 'llama3' };
      await assert.rejects(
        client.models.create({ name: 'Local Llama', endpoint: preset }),
        JuryConflictError,
      );
      await assert.rejects(
        client.models.create({
          name: 'X',
          endpoint: { url: models.chatUrl, bodyTemplate: { prompt: 'no placeholder' } },
        }),
        (err: unknown) => err instanceof JuryValidationError && /%PROMPT%/.test(err.message),
      );
      await assert.rejects(
        client.models.create({ name: 'X', endpoint: preset, limits: { requestsPerMinute: -1 } }),
        JuryValidationError,
      );
      await assert.rejects(client.models.get('mdl_nope'), JuryNotFoundError);
      const model = (await client.models.findByName('Local Llama'))!;
      await model.delete();
      await assert.rejects(client.models.get(model.id), JuryNotFoundError);
    });
  });
}
