// `jury models` as a user runs it: `jury serve` saves the client, then the commands find it, against a loopback
// OpenAI-compatible model server; SQLite always, Postgres with TEST_DATABASE_URL. JURY_SECRETS_KEY is set for serve.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPostgresDatabase, type ModelServer, startModelServer } from '@jury/server/testing';
import { isolatedEnv, runJury, type ServeProcess, startServe } from '../../test/processes.ts';

const DATABASES = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

for (const database of DATABASES) {
  describe(`jury models on ${database}`, () => {
    let home: string;
    let serve: ServeProcess;
    let models: ModelServer;
    let drop: (() => Promise<void>) | undefined;
    const jury = (args: string[], extra: Record<string, string> = {}) =>
      runJury(['models', ...args], isolatedEnv(home, extra));

    before(async () => {
      home = await mkdtemp(join(tmpdir(), 'jury-models-cli-'));
      models = await startModelServer({
        answers: { 'What is 2 + 2?': '4' },
        requireHeader: { name: 'authorization', value: 'Bearer sk-cli-0123456789abcdefghijkl' },
      });
      const args = ['--port', '0', '--data-dir', join(home, 'data')];
      if (database === 'postgres') {
        const pg = await createPostgresDatabase(process.env.TEST_DATABASE_URL as string);
        drop = pg.drop;
        args.push('--database-url', pg.url);
      }
      serve = await startServe(
        args,
        isolatedEnv(home, { JURY_SECRETS_KEY: randomBytes(32).toString('base64') }),
      );
    });
    after(async () => {
      await serve?.stop();
      await models?.close();
      await drop?.();
      await rm(home, { recursive: true, force: true });
    });

    test('create with the preset in one command (key from JURY_MODEL_API_KEY), then test it', async () => {
      const created = await jury(
        [
          'create',
          '--name',
          'Local Llama',
          '--endpoint',
          models.chatUrl,
          '--model',
          'llama3',
          '--requests-per-minute',
          '120',
          '--test',
        ],
        { JURY_MODEL_API_KEY: 'sk-cli-0123456789abcdefghijkl' },
      );
      assert.equal(created.code, 0, created.output);
      assert.match(created.stdout, /Created model Local Llama \(mdl_[a-z0-9]+\)/);
      assert.match(created.stdout, /Authorization\s+Bearer sk-…ijkl/);
      assert.match(created.stdout, /Requests\/min\s+120/);
      assert.match(created.stdout, /OK {2}status 200/);
      assert.match(created.stdout, /Answer: Echo: Say hello in one word\./);
      assert.doesNotMatch(created.output, /0123456789abcdefghijkl/);

      const t = await jury(['test', 'Local Llama', '--prompt', 'What is 2 + 2?', '--json']);
      assert.equal(t.code, 0, t.output);
      const result = JSON.parse(t.stdout);
      assert.deepEqual([result.ok, result.status, result.answer], [true, 200, '4']);
    });

    test('a custom endpoint, list, get, edit, a failing test, delete', async () => {
      const created = await jury([
        'create',
        '--name',
        'Completions',
        '--endpoint',
        `${models.url}/v1/completions`,
        '--headers',
        '{"Authorization": "Bearer sk-cli-0123456789abcdefghijkl"}',
        '--body-template',
        '{"prompt": "%PROMPT%"}',
        '--response-path',
        '["json","choices",0,"text"]',
        '--visibility',
        'public',
        '--cost-input',
        '0.5',
        '--json',
      ]);
      assert.equal(created.code, 0, created.output);
      const model = JSON.parse(created.stdout);
      assert.deepEqual([model.visibility, model.costs.perThousandInputTokens], ['public', 0.5]);

      const list = await jury(['list']);
      assert.equal(list.code, 0, list.output);
      const lines = list.stdout.trim().split('\n');
      assert.match(lines[0] ?? '', /^ID\s+NAME\s+OWNER\s+VISIBILITY\s+ENDPOINT$/);
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(/\s{2,}/)[1]),
        ['Completions', 'Local Llama'],
      );

      const edited = await jury([
        'edit',
        model.id,
        '--response-path',
        '["json","choices",0,"nope"]',
        '--cost-input',
        'none',
      ]);
      assert.equal(edited.code, 0, edited.output);
      const got = JSON.parse((await jury(['get', 'Completions', '--json'])).stdout);
      assert.deepEqual(got.endpoint.responsePath, ['json', 'choices', 0, 'nope']);
      assert.equal(got.costs.perThousandInputTokens, null);

      const failing = await jury(['test', 'Completions']);
      assert.equal(failing.code, 1);
      assert.match(failing.stdout, /FAILED {2}status 200/);
      assert.match(failing.stdout, /Error \(path\): Step 3 \("nope"\) not found/);

      const removed = await jury(['delete', 'Completions']);
      assert.equal(removed.code, 0, removed.output);
      assert.equal(JSON.parse((await jury(['list', '--json'])).stdout).length, 1);
    });

    test('mistakes are one clear line: bad JSON, a duplicate, an unknown model, bad input from the server', async () => {
      const badJson = await jury([
        'create',
        '--name',
        'X',
        '--endpoint',
        models.chatUrl,
        '--body-template',
        '{"prompt": %PROMPT%}',
      ]);
      assert.equal(badJson.code, 1);
      assert.match(
        badJson.stderr,
        /^jury: Invalid body: endpoint.bodyTemplate: The body template must be valid JSON/,
      );
      const dup = await jury([
        'create',
        '--name',
        'Local Llama',
        '--endpoint',
        models.chatUrl,
        '--model',
        'm',
      ]);
      assert.match(dup.stderr, /already has a model named "Local Llama"/);
      const unknown = await jury(['get', 'Nope']);
      assert.match(unknown.stderr, /^jury: No model named "Nope"/);
      const headers = await jury([
        'create',
        '--name',
        'X',
        '--endpoint',
        models.chatUrl,
        '--model',
        'm',
        '--headers',
        '{oops',
      ]);
      assert.match(headers.stderr, /^jury: --headers must be JSON/);
      const rpm = await jury([
        'create',
        '--name',
        'X',
        '--endpoint',
        models.chatUrl,
        '--model',
        'm',
        '--requests-per-minute',
        '-3',
      ]);
      assert.match(rpm.stderr, /requestsPerMinute: Limits are above 0/);
      for (const r of [badJson, dup, unknown, headers, rpm]) assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  });
}
