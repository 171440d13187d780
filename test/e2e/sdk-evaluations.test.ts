import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  JuryClient,
  JuryConflictError,
  JuryForbiddenError,
  JuryNotFoundError,
  JuryValidationError,
} from '@jury/sdk';
import { type RunningServer, startServer } from '@jury/server';
import { createPostgresDatabase, DATABASES, isolateProcessEnv, REPO_ROOT, tempDirs } from './helpers.ts';

// client.evaluations against a real in-process server on SQLite and (with TEST_DATABASE_URL) Postgres: JSONL from
// a file and a string, MixEval's own folder layout (written from the shipped data), reads, errors, deletes.

const shipped = async (version: string, folder: string, split: string) =>
  gunzipSync(
    await readFile(join(REPO_ROOT, 'packages/server/data/mixeval', version, folder, `${split}.json.gz`)),
  );

for (const backend of DATABASES) {
  describe(`client.evaluations on ${backend}`, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let server: RunningServer;
    let client: JuryClient;
    let work: string;
    let restoreEnv: () => void;
    let pgDb: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;

    before(async () => {
      dirs = await tempDirs();
      restoreEnv = isolateProcessEnv(await dirs.make('home'));
      work = await dirs.make('work');
      pgDb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
      server = await startServer({ port: 0, dataDir: await dirs.make('data'), databaseUrl: pgDb?.url });
      client = new JuryClient({
        clientId: server.bootstrap!.client.id,
        clientSecret: server.bootstrap!.secret,
        url: `http://127.0.0.1:${server.port}`,
      });
    });
    after(async () => {
      restoreEnv?.();
      await server?.close();
      await pgDb?.drop();
      await dirs?.cleanup();
    });

    test('the built-in evaluations are there: list, get with counts per split, items', async () => {
      const { data, total } = await client.evaluations.list({ trusted: true });
      assert.deepEqual([total, data.map((e) => e.name)], [2, ['mixeval', 'mixeval-hard']]);
      const hard = await client.evaluations.get('mixeval-hard');
      assert.deepEqual(
        hard.versions.map((v) => [v.version, v.itemCount]),
        [
          ['2024-06-01', 1000],
          ['2024-08-11', 1000],
        ],
      );
      const page = await client.evaluations.items('mixeval-hard', '2024-06-01', {
        split: 'free-form',
        amount: 5,
      });
      assert.deepEqual([page.total, page.data.length, page.data[0]?.split], [500, 5, 'free-form']);
    });

    test('importJsonl from a file creates the evaluation; from a string adds a version; a bad line names itself', async () => {
      const file = join(work, 'capitals.jsonl');
      await writeFile(
        file,
        [
          '{"question": "Capital of France?", "answers": ["Paris"]}',
          '{"question": "Capital of Peru?", "options": ["Lima", "Cusco"], "correctOption": 0, "benchmark": "geo"}',
        ].join('\n'),
      );
      const v1 = await client.evaluations.importJsonl({
        evaluation: 'capitals',
        version: 'v1',
        file,
        trusted: true,
      });
      assert.deepEqual(v1.splits, { 'free-form': 1, 'multiple-choice': 1 });
      const v2 = await client.evaluations.importJsonl({
        evaluation: 'capitals',
        version: 'v2',
        jsonl: '{"question": "Capital of Chile?", "answers": ["Santiago"]}\n',
      });
      assert.equal(v2.itemCount, 1);
      const capitals = await client.evaluations.get('capitals');
      assert.deepEqual([capitals.trusted, capitals.versions.map((v) => v.version)], [true, ['v1', 'v2']]);
      await assert.rejects(
        client.evaluations.importJsonl({
          evaluation: 'capitals',
          version: 'v3',
          jsonl: '{"question": "Q?", "answers": ["a"]}\nnot json',
        }),
        (err: unknown) => err instanceof JuryValidationError && /line 2: not valid JSON/.test(err.message),
      );
      await assert.rejects(
        client.evaluations.importJsonl({
          evaluation: 'capitals',
          version: 'v1',
          jsonl: '{"question": "Q?", "answers": ["a"]}',
        }),
        JuryConflictError,
      );
      assert.deepEqual(
        (await client.evaluations.get('capitals')).versions.map((v) => v.version),
        ['v1', 'v2'],
        'nothing half-imported',
      );
      await assert.rejects(
        client.evaluations.importJsonl({ evaluation: 'fresh', version: 'v1', jsonl: '{"question": "Q?"}' }),
        JuryValidationError,
      );
      assert.equal(await client.evaluations.find('fresh'), undefined, 'no empty evaluation left behind');
    });

    test("importMixEval reads MixEval's folder layout (MixEval 2024-08-11: 3,995 real items, 3.5 MB)", async () => {
      const folder = join(work, 'mixeval');
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'free-form.json'), await shipped('2024-08-11', 'mixeval', 'free-form'));
      await writeFile(
        join(folder, 'multiple-choice.json'),
        await shipped('2024-08-11', 'mixeval', 'multiple-choice'),
      );
      const version = await client.evaluations.importMixEval({
        evaluation: 'my-hard',
        version: '2024-08-11',
        directory: folder,
      });
      // Larger than the 1 MiB JSON limit of other routes: imports get the upload limit.
      assert.deepEqual(version.splits, { 'free-form': 2000, 'multiple-choice': 1995 });
      const ours = await client.evaluations.items('my-hard', '2024-08-11', {
        split: 'multiple-choice',
        amount: 3,
      });
      const builtIn = await client.evaluations.items('mixeval', '2024-08-11', {
        split: 'multiple-choice',
        amount: 3,
      });
      const strip = (items: typeof ours.data) => items.map(({ id: _, ...rest }) => rest);
      assert.deepEqual(strip(ours.data), strip(builtIn.data), 'the same items as the built-in copy');
      const mc = JSON.parse(await readFile(join(folder, 'multiple-choice.json'), 'utf8'));
      const only = await client.evaluations.importMixEval({
        evaluation: 'my-hard',
        version: 'mc-only',
        multipleChoice: mc,
      });
      assert.deepEqual(only.splits, { 'free-form': 0, 'multiple-choice': 1995 });
    });

    test('deletes, and what cannot be deleted', async () => {
      await assert.rejects(client.evaluations.delete('mixeval'), JuryForbiddenError);
      await client.evaluations.deleteVersion('my-hard', 'mc-only');
      assert.deepEqual(
        (await client.evaluations.get('my-hard')).versions.map((v) => v.version),
        ['2024-08-11'],
      );
      await client.evaluations.delete('my-hard');
      await assert.rejects(client.evaluations.get('my-hard'), JuryNotFoundError);
      const made = await client.evaluations.create({ name: 'empty-one', visibility: 'public' });
      assert.deepEqual([made.versions, made.visibility], [[], 'public']);
    });
  });
}
