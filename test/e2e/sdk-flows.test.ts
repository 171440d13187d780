import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JuryClient, JuryNotFoundError, JuryUploadError, JuryValidationError } from '@jury/sdk';
import { type RunningServer, startServer } from '@jury/server';
import { createPostgresDatabase, DATABASES, isolateProcessEnv, makePng, tempDirs } from './helpers.ts';

// client.flow and client.job.createRankingJobDefinition against a real in-process server, with labelers answering
// over HTTP by true strengths, on SQLite and (with TEST_DATABASE_URL) Postgres.

/** A labeler on the labeler API with its session cookie. */
function labelerOn(url: string) {
  let cookie = '';
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        origin: url,
        ...(cookie ? { cookie } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const set = r.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return { status: r.status, body: await r.json() };
  };
  return { call };
}

/** Answers until nothing is served; the item whose key has the higher strength wins. */
async function answerAll(
  url: string,
  strength: (item: { text?: string; url?: string }) => number | Promise<number>,
) {
  const labelers = Array.from({ length: 4 }, () => labelerOn(url));
  for (const l of labelers) assert.equal((await l.call('POST', '/api/v1/labeler/session', {})).status, 201);
  let answered = 0;
  for (let round = 0; round < 200; round++) {
    let served = 0;
    for (const l of labelers) {
      const task = (await l.call('GET', '/api/v1/labeler/tasks/next')).body.data;
      if (task.kind !== 'task') continue;
      served++;
      const [x, y] = task.items;
      const winner = (await strength(x)) >= (await strength(y)) ? x : y;
      const r = await l.call('POST', '/api/v1/labeler/responses', {
        leaseId: task.leaseId,
        answer: { choice: winner.side },
      });
      assert.equal(r.status, 201);
      answered++;
    }
    if (served === 0) break;
  }
  return answered;
}

for (const backend of DATABASES) {
  describe(`client.flow and ranking jobs on ${backend}`, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let server: RunningServer;
    let client: JuryClient;
    let url = '';
    let work: string;
    let restoreEnv: () => void;
    let pgDb: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;

    before(async () => {
      dirs = await tempDirs();
      restoreEnv = isolateProcessEnv(await dirs.make('home'));
      work = await dirs.make('work');
      pgDb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
      server = await startServer({
        port: 0,
        dataDir: await dirs.make('data'),
        databaseUrl: pgDb?.url,
        config: { goldRate: 0 },
      });
      url = `http://127.0.0.1:${server.port}`;
      client = new JuryClient({
        clientId: server.bootstrap!.client.id,
        clientSecret: server.bootstrap!.secret,
        url,
      });
      for (const [i, name] of ['best.png', 'good.png', 'worst.png'].entries())
        await writeFile(join(work, name), makePng(i + 1));
    });
    after(async () => {
      restoreEnv?.();
      await server?.close();
      await pgDb?.drop();
      await dirs?.cleanup();
    });

    test('a flow batch of local files is ranked; its results, matrix and response count', async () => {
      const flow = await client.flow.createRankingFlow({
        name: 'SDK flow',
        instruction: 'Which image looks better?',
        maxResponseThreshold: 24,
        minResponseThreshold: 10,
      });
      const paths = ['best.png', 'good.png', 'worst.png'].map((n) => join(work, n));
      const item = await flow.createNewFlowBatch(paths, { context: 'Model X', timeToLive: 3600 });
      assert.equal(await item.getStatus(), 'pending');
      const asset = new Map(
        (await item.get()).datapoints.map((d, i) => [d.type === 'asset' ? d.assetId : '', 3 - i]),
      );
      // Blind: labelers get media references; the requester's SDK resolves them to its assets.
      const strength = async (x: { url?: string }) =>
        asset.get((await client.assets.resolveMediaReference(x.url ?? '')).assetId) ?? 0;
      assert.equal(await answerAll(url, strength), 24);
      const results = await item.getResults();
      assert.equal(results.status, 'completed');
      assert.equal(results.totalVotes, 24);
      assert.deepEqual(Object.keys(results.datapoints), ['best.png', 'good.png', 'worst.png']);
      assert.equal(await item.getResponseCount(), 24);
      const matrix = await item.getWinLossMatrix();
      assert.deepEqual(matrix.models, ['best.png', 'good.png', 'worst.png']);
      await flow.updateConfig({ instruction: 'Which is sharper?' });
      assert.equal((await client.flow.getFlowById(flow.id)).data.instruction, 'Which is sharper?');
      assert.equal((await flow.getFlowItems()).length, 1);
      assert.equal((await client.flow.findFlows({ name: 'SDK' }))[0]?.id, flow.id);
      assert.deepEqual(await client.flow.preheat(), { openItems: 0 });
      await assert.rejects(flow.createNewFlowBatch([paths[0]!]), JuryValidationError);
      // A missing file fails the batch, unless acceptFailedUploads ranks the rest (at least two)
      const missing = join(work, 'missing.png');
      await assert.rejects(flow.createNewFlowBatch([...paths, missing]), JuryUploadError);
      const partial = await flow.createNewFlowBatch([...paths, missing], { acceptFailedUploads: true });
      assert.equal((await partial.get()).datapoints.length, 3);
      await assert.rejects(
        flow.createNewFlowBatch([paths[0]!, missing], { acceptFailedUploads: true }),
        JuryUploadError,
      );
      await assert.rejects(
        flow.createNewFlowBatch(paths, { timeToLife: 60 } as never),
        /Unknown option 'timeToLife'.*timeToLive/,
      );
      await flow.delete();
      await assert.rejects(client.flow.getFlowById(flow.id), JuryNotFoundError);
    });

    test('context assets and private metadata; the reference names answered; bad input before any upload', async () => {
      const flow = await client.flow.createRankingFlow({
        name: 'With context',
        instruction: 'Which matches the reference?',
        maxResponseThreshold: 2,
        startingElo: 1500,
      });
      const paths = ['best.png', 'good.png', 'worst.png'].map((n) => join(work, n));
      const item = await flow.createNewFlowBatch(paths.slice(0, 2), {
        contextAssets: [paths[2]!],
        privateMetadata: { promptId: 'secret-prompt-7' },
      });
      const data = await item.get();
      assert.deepEqual(data.privateMetadata, { promptId: 'secret-prompt-7' });
      assert.equal(data.contextAssets?.length, 1);
      assert.equal(data.startingElo, 1500);
      const labeler = labelerOn(url);
      await labeler.call('POST', '/api/v1/labeler/session', {});
      const task = (await labeler.call('GET', '/api/v1/labeler/tasks/next')).body.data;
      assert.equal(task.kind, 'task');
      assert.equal(task.mediaContext?.length, 1, 'the context asset is shown with the comparison');
      assert.doesNotMatch(
        JSON.stringify(task),
        /secret-prompt-7|promptId/,
        'private metadata is never shown',
      );
      await flow.updateConfig({ startingElo: 1000, minResponseThreshold: 1 });
      assert.deepEqual([flow.data.startingElo, flow.data.minResponseThreshold], [1000, 1]);

      const missing = join(work, 'missing.png'); // would fail to upload: the validation error comes first
      const rejectsWith = (p: Promise<unknown>, pattern: RegExp) =>
        assert.rejects(p, (err: Error) => {
          assert.ok(err instanceof JuryValidationError, `${err.name}: ${err.message}`);
          assert.match(err.message, pattern);
          return true;
        });
      await rejectsWith(
        client.flow.createRankingFlow({ name: 'x', instruction: 'y', validationSetId: 'val_1' } as never),
        /no validation sets: give a custom audience/,
      );
      await rejectsWith(flow.updateConfig({ minResponses: 5 } as never), /minResponseThreshold/);
      await rejectsWith(flow.updateConfig({}), /at least one setting/);
      await rejectsWith(
        client.flow.createRankingFlow({ name: 'x', instruction: 'y', maxResponseThreshold: 0 }),
        /maxResponseThreshold is at least 1/,
      );
      await rejectsWith(
        flow.createNewFlowBatch([missing, paths[0]!], { contextAssets: [] }),
        /cannot be empty/,
      );
      await rejectsWith(
        flow.createNewFlowBatch([missing, paths[0]!], {
          contextAssets: Array.from({ length: 11 }, () => missing),
        }),
        /at most 10/,
      );
      await rejectsWith(
        flow.createNewFlowBatch([missing, paths[0]!], { timeToLive: 30 }),
        /at least 60 seconds/,
      );
      await rejectsWith(
        flow.createNewFlowBatch([missing, paths[0]!], { privateMetadata: 'x' as never }),
        /privateMetadata/,
      );
      await rejectsWith(flow.createNewFlowBatch([missing, missing]), /unique items/);
      assert.equal((await flow.getFlowItems()).length, 1, 'nothing was created');
      await flow.delete(); // its open item would be served in the next test
    });

    test('createRankingJobDefinition → audience.assignJob → each ranking ordered; get and find', async () => {
      const strength: Record<string, number> = { a: 3, b: 2, c: 1 };
      const definition = await client.job.createRankingJobDefinition({
        name: 'Letters',
        instruction: 'Which letter is nicer?',
        dataType: 'text',
        datapoints: [['c', 'a', 'b']],
        comparisonBudgetPerRanking: 12,
        randomComparisonsRatio: 0.5,
      });
      assert.equal(definition.data.responsesPerComparison, 1);
      assert.equal((await client.job.getRankingJobDefinitionById(definition.id)).data.name, 'Letters');
      assert.equal((await client.job.findRankingJobDefinitions({ name: 'Lett' }))[0]?.id, definition.id);
      const audience = await client.audience.getAudienceById('global');
      const job = await audience.assignJob(definition);
      assert.equal((await client.job.findRankingJobs())[0]?.id, job.id);
      assert.equal((await (await client.job.getRankingJobById(job.id)).get()).status, 'running');
      assert.equal(await answerAll(url, (x) => strength[x.text ?? ''] ?? 0), 12);
      await job.displayProgressBar({ pollMs: 50 });
      const results = await job.getResults();
      assert.deepEqual(
        results.rankings[0]!.ranking.map((r) => r.name),
        ['a', 'b', 'c'],
      );
    });
  });
}
