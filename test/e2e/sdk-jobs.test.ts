import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  AllowNeitherBothSetting,
  FailedUploadError,
  JuryClient,
  JuryError,
  JuryItemError,
  JuryJob,
  JuryJobDefinition,
  JuryNotFoundError,
  JuryValidationError,
  juryConfig,
  NoShuffleSetting,
} from '@jury/sdk';
import { auth, createManualClock, type RunningServer, startServer } from '@jury/server';
import {
  createPostgresDatabase,
  DATABASES,
  isolateProcessEnv,
  makePng,
  startMediaServer,
  tempDirs,
} from './helpers.ts';

// client.job against a real in-process server: definitions (early validation, uploads, partial failure and
// retry), revisions, preview links, jobs (progress, pause/resume, waiting with a timeout) and results, with
// simulated labelers answering through the labeler HTTP API.

/** A labeler session speaking the labeler API with its cookie, like `jury simulate` does. */
async function labeler(base: string) {
  const res = await fetch(`${base}/api/v1/labeler/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'simulated', country: 'DE', language: 'de' }),
  });
  assert.equal(res.status, 201);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, origin: base, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await r.json()) as { data: Record<string, unknown> };
    assert.ok(r.ok, JSON.stringify(json));
    return json.data;
  };
  return {
    /** Answers every task it is served with `answer(task)` until there is none. */
    async work(answer: (task: Record<string, unknown>) => unknown | Promise<unknown>): Promise<number> {
      let n = 0;
      for (;;) {
        const task = await call('GET', '/api/v1/labeler/tasks/next');
        if (task.kind !== 'task') return n;
        await call('POST', '/api/v1/labeler/responses', {
          leaseId: task.leaseId,
          answer: await answer(task),
        });
        n++;
      }
    },
  };
}

for (const backend of DATABASES) {
  describe(`client.job on ${backend}`, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let server: RunningServer;
    let client: JuryClient;
    let other: JuryClient;
    let work: string;
    let base: string;
    let restoreEnv: () => void;
    let pgDb: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
    let media: Awaited<ReturnType<typeof startMediaServer>>;
    const clock = createManualClock(new Date('2026-05-02T09:00:00Z'));
    const file = (name: string) => join(work, name);
    const countAssets = async () =>
      Number(
        (
          await server.database.db
            .selectFrom('assets')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      dirs = await tempDirs();
      restoreEnv = isolateProcessEnv(await dirs.make('home'));
      work = await dirs.make('work');
      pgDb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
      server = await startServer({
        port: 0,
        dataDir: await dirs.make('data'),
        databaseUrl: pgDb?.url,
        clock,
      });
      base = `http://127.0.0.1:${server.port}`;
      client = new JuryClient({
        clientId: server.bootstrap!.client.id,
        clientSecret: server.bootstrap!.secret,
        url: base,
      });
      const deps = { db: server.database.db, clock };
      const org = await auth.createOrganization(deps, 'Other org');
      const oc = await auth.createApiClient(deps, { organizationId: org.id, displayName: 'other' });
      other = new JuryClient({ clientId: oc.client.id, clientSecret: oc.secret, url: base });
      for (const [i, name] of ['a.png', 'b.png', 'c.png', 'd.png', 'ref.png'].entries())
        await writeFile(file(name), makePng(i + 1));
      juryConfig.logging.silentMode = true;
      media = await startMediaServer();
    });
    afterEach(() => {
      juryConfig.reset();
      juryConfig.logging.silentMode = true;
    });
    after(async () => {
      juryConfig.reset();
      restoreEnv?.();
      await server?.close();
      await media?.close();
      await pgDb?.drop();
      await dirs?.cleanup();
    });

    test('createCompareJobDefinition uploads files, registers URLs, and reads back by id and by name', async () => {
      const definition = await client.job.createCompareJobDefinition({
        name: 'SDK alignment',
        instruction: 'Which image matches the description better?',
        datapoints: [
          [file('a.png'), file('b.png')],
          [media.url('/x.png'), file('c.png')],
        ],
        contexts: ['A small blue book', 'A red car'],
        mediaContexts: [[file('ref.png')], [file('ref.png')]],
        settings: [new NoShuffleSetting()],
        responsesPerDatapoint: 3,
        quorumThreshold: 2,
        privateMetadata: [{ prompt: '1' }, { prompt: '2' }],
      });
      assert.ok(definition instanceof JuryJobDefinition);
      assert.match(definition.id, /^jdf_/);
      assert.equal(definition.datapointCount, 2);
      assert.deepEqual(definition.settings, ['NoShuffle']);
      assert.equal(definition.quorumThreshold, 2);
      const again = await client.job.getJobDefinitionById(definition.id);
      assert.equal(again.name, 'SDK alignment');
      const found = await client.job.findJobDefinitions({ name: 'sdk ALIGN' });
      assert.deepEqual(
        found.map((d) => d.id),
        [definition.id],
      );
      await assert.rejects(other.job.getJobDefinitionById(definition.id), JuryNotFoundError);
      assert.deepEqual(await other.job.findJobDefinitions({ name: 'SDK alignment' }), []);
      const paged = await client.job.findJobDefinitions({ amount: 1, page: 1 });
      assert.equal(paged.length, 1);
      await assert.rejects(
        client.job.findJobDefinitions('sdk' as never),
        /findJobDefinitions takes an options object \(\{ name, amount, page \}\); got the string "sdk"/,
      );
    });

    test('every rule is checked before anything uploads', async () => {
      const before = await countAssets();
      const base = {
        name: 'Bad',
        instruction: 'Which is better?',
        datapoints: [[file('a.png'), file('b.png')]],
      };
      const bad: [string, Promise<unknown>, RegExp][] = [
        [
          'long instruction',
          client.job.createCompareJobDefinition({ ...base, instruction: 'x'.repeat(251) }),
          /maximum is 250/,
        ],
        [
          'single item',
          client.job.createCompareJobDefinition({ ...base, datapoints: [[file('a.png')]] }),
          /exactly two unique/,
        ],
        [
          'same item',
          client.job.createCompareJobDefinition({ ...base, datapoints: [[file('a.png'), file('a.png')]] }),
          /twice/,
        ],
        [
          'contexts',
          client.job.createCompareJobDefinition({ ...base, contexts: ['a', 'b'] }),
          /Number of contexts \(2\)/,
        ],
        [
          'long context',
          client.job.createCompareJobDefinition({ ...base, contexts: ['x'.repeat(401)] }),
          /maximum is 400/,
        ],
        [
          'empty context',
          client.job.createCompareJobDefinition({ ...base, contexts: [''] }),
          /cannot be an empty string/,
        ],
        [
          'media contexts',
          client.job.createCompareJobDefinition({ ...base, mediaContexts: [[]] }),
          /non-empty list/,
        ],
        [
          'both thresholds',
          client.job.createCompareJobDefinition({ ...base, confidenceThreshold: 0.9, quorumThreshold: 3 }),
          /Choose one stopping strategy/,
        ],
        [
          'confidence range',
          client.job.createCompareJobDefinition({ ...base, confidenceThreshold: 1 }),
          /between 0 and 1/,
        ],
        [
          'quorum above cap',
          client.job.createCompareJobDefinition({ ...base, quorumThreshold: 11 }),
          /cannot exceed responsesPerDatapoint \(10\)/,
        ],
        ['aBNames', client.job.createCompareJobDefinition({ ...base, aBNames: ['x'] }), /exactly 2 names/],
        [
          'classification list datapoint',
          client.job.createClassificationJobDefinition({
            ...base,
            answerOptions: ['a', 'b'],
            datapoints: [[file('a.png')]] as unknown as string[],
          }),
          /single items/,
        ],
        [
          'options',
          client.job.createClassificationJobDefinition({
            ...base,
            answerOptions: ['a', 'a'],
            datapoints: [file('a.png')],
          }),
          /must be unique/,
        ],
        [
          'data type',
          client.job.createClassificationJobDefinition({
            ...base,
            answerOptions: ['a', 'b'],
            datapoints: ['x'],
            dataType: 'video' as 'media',
          }),
          /dataType must be/,
        ],
      ];
      for (const [name, promise, message] of bad)
        await assert.rejects(promise, (err: unknown) => {
          assert.ok(err instanceof JuryValidationError, name);
          assert.equal(err.code, 'VALIDATION_FAILED');
          assert.match(err.message, message, name);
          assert.match(err.message, /nothing was uploaded/);
          return true;
        });
      assert.equal(await countAssets(), before, 'nothing uploaded');
      assert.deepEqual(await client.job.findJobDefinitions({ name: 'Bad' }), []);
    });

    test('URL datapoints are checked when registered: unreachable, a web page and too large fail like files', async () => {
      const good = media.url('/good.png');
      const datapoints = [
        [media.unreachable, good],
        [media.url('/page.html'), good],
        [media.url('/huge.png'), good],
        [media.url('/gone.png'), good],
        [good, media.url('/other.png')],
      ];
      const caught = await client.job
        .createCompareJobDefinition({ name: 'URL checks', instruction: 'Which is better?', datapoints })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      assert.ok(caught instanceof FailedUploadError, String(caught));
      assert.equal(caught.jobDefinition?.datapointCount, 1);
      assert.deepEqual(
        caught.failedUploads.map((f) => [f.item.index, f.assets?.map((a) => a.item)]),
        [
          [0, [media.unreachable]],
          [1, [media.url('/page.html')]],
          [2, [media.url('/huge.png')]],
          [3, [media.url('/gone.png')]],
        ],
      );
      const why = caught.failedUploads.map((f) => {
        const error = f.assets?.[0]?.error as JuryError;
        return [error.code, error.message];
      });
      assert.equal(why[0]?.[0], 'URL_UNREACHABLE');
      assert.match(why[0]?.[1] ?? '', /^Could not fetch http:\/\/127\.0\.0\.1:\d+\/cat\.png: ECONNREFUSED/);
      assert.equal(why[1]?.[0], 'UNSUPPORTED_MEDIA_TYPE');
      assert.match(
        why[1]?.[1] ?? '',
        /page\.html is not an image, video or audio file .*text\/html: a web page/,
      );
      assert.equal(why[2]?.[0], 'PAYLOAD_TOO_LARGE');
      assert.match(why[2]?.[1] ?? '', /huge\.png is 200\.0 MiB, over the 100\.0 MiB limit/);
      assert.deepEqual(why[3], [
        'URL_UNREACHABLE',
        `Could not fetch ${media.url('/gone.png')}: it answered HTTP 404 Not Found. Labelers load it from there; check the URL.`,
      ]);
      assert.match(caught.message, /4 of 5 datapoints failed to upload/);
      assert.match(caught.message, /ECONNREFUSED/);
      // The good URL became an asset with its sniffed type and size.
      const asset = await client.assets.registerUrl(good);
      assert.equal(asset.mimeType, 'image/png');
      assert.equal(asset.kind, 'image');
      assert.equal(asset.size, makePng('/good.png'.length).length);
      await assert.rejects(
        client.assets.registerUrl(media.url('/cat.png'), 'video'),
        /is an image \(image\/png\), not a video/,
      );
    });

    test('partial failure: the definition is created from the rest, retryFailed adds the fixed datapoints', async () => {
      let caught: FailedUploadError | undefined;
      try {
        await client.job.createCompareJobDefinition({
          name: 'Partial',
          instruction: 'Which is better?',
          datapoints: [
            [file('a.png'), file('b.png')],
            [file('missing.png'), file('b.png')],
            [file('c.png'), file('d.png')],
          ],
          contexts: ['one', 'two', 'three'],
        });
      } catch (err) {
        if (!(err instanceof FailedUploadError)) throw err;
        caught = err;
      }
      assert.ok(caught, 'FailedUploadError thrown');
      assert.ok(caught.jobDefinition instanceof JuryJobDefinition);
      assert.equal(caught.jobDefinition.datapointCount, 2);
      assert.equal(caught.failedUploads.length, 1);
      const failure = caught.failedUploads[0]!;
      assert.deepEqual(failure.item, {
        index: 1,
        datapoint: [file('missing.png'), file('b.png')],
        context: 'two',
      });
      assert.equal(failure.errorType, 'AssetUploadFailed');
      assert.equal(failure.errorMessage, 'One or more required assets failed to upload');
      assert.ok(failure.timestamp instanceof Date);
      assert.ok(failure.cause instanceof JuryItemError);
      assert.deepEqual(Object.keys(caught.failuresByReason), [
        'One or more required assets failed to upload',
      ]);
      assert.match(caught.message, /1 of 3 datapoints failed to upload/);
      assert.match(caught.message, /missing\.png/);
      assert.match(caught.message, /retryFailed/);

      // Still missing: retrying fails again and says so.
      await assert.rejects(caught.retryFailed(), FailedUploadError);
      await writeFile(file('missing.png'), makePng(42));
      const fixed = await caught.retryFailed();
      assert.equal(fixed.id, caught.jobDefinition.id);
      assert.equal(fixed.datapointCount, 3);
      const job = await client.job.assignJob(fixed, 'global');
      const results = await job.getResults({ wait: false });
      assert.ok('summary' in results);
      assert.deepEqual(
        results.results.map((r) => r.context),
        ['one', 'three', 'two'],
        'the retried datapoint comes last, with its context',
      );
      const kept = await job.getResults({ wait: false, includeExcluded: true });
      assert.deepEqual(kept.integrity.excluded, { total: 0, byReason: {} });
    });

    test('nothing uploaded: no definition is created until retryFailed succeeds', async () => {
      let caught: FailedUploadError | undefined;
      try {
        await client.job.createClassificationJobDefinition({
          name: 'Nothing yet',
          instruction: 'What is it?',
          answerOptions: ['Cat', 'Dog'],
          datapoints: [file('late1.png'), file('late2.png')],
        });
      } catch (err) {
        if (!(err instanceof FailedUploadError)) throw err;
        caught = err;
      }
      assert.ok(caught);
      assert.equal(caught.jobDefinition, undefined);
      assert.equal(caught.failedUploads.length, 2);
      assert.match(caught.message, /no job definition was created/);
      assert.deepEqual(await client.job.findJobDefinitions({ name: 'Nothing yet' }), []);
      await writeFile(file('late1.png'), makePng(51));
      await writeFile(file('late2.png'), makePng(52));
      const created = await caught.retryFailed();
      assert.equal(created.datapointCount, 2);
      assert.equal(created.name, 'Nothing yet');
      assert.deepEqual(created.answerOptions, ['Cat', 'Dog']);
    });

    test('revisions, added datapoints and preview links', async () => {
      const definition = await client.job.createClassificationJobDefinition({
        name: 'Sentiment',
        instruction: 'What is the sentiment?',
        answerOptions: ['positive', 'negative'],
        dataType: 'text',
        datapoints: ['I love it', 'I hate it'],
        settings: [new AllowNeitherBothSetting()],
      });
      const more = await definition.addDatapoints({ datapoints: ['It is fine'] });
      assert.equal(more.datapointCount, 3);
      await assert.rejects(
        definition.addDatapoints({ datapoints: ['x'], contexts: ['a', 'b'] }),
        JuryValidationError,
      );
      const v2 = await definition.createRevision({
        instruction: 'How does the writer feel?',
        confidenceThreshold: 0.99,
      });
      assert.equal(v2.revision, 2);
      assert.equal(v2.instruction, 'How does the writer feel?');
      assert.equal(v2.confidenceThreshold, 0.99);
      assert.equal(v2.datapointCount, 3);
      await assert.rejects(
        v2.createRevision({ quorumThreshold: 2 }).then(() => v2.createRevision({ quorumThreshold: 99 })),
        /cannot exceed/,
      );

      const preview = await v2.preview({ open: false });
      assert.match(preview.url, /\/label\/preview\/pvw_/);
      const res = await fetch(`${base}/api/v1/labeler/preview/${preview.url.split('/').pop()}`);
      const view = (await res.json()) as {
        data: { tasks: { instruction: string; answerOptions: string[] }[] };
      };
      assert.equal(view.data.tasks.length, 3);
      assert.equal(view.data.tasks[0]?.instruction, 'How does the writer feel?');
      // In a random order, as labelers get them.
      assert.deepEqual([...(view.data.tasks[0]?.answerOptions ?? [])].sort(), ['negative', 'positive']);
    });

    test('a job: status, progress, pause/resume, getResults timeout, progress bar, results when labelers finish', async () => {
      // Earlier tests' jobs are paused, so the labelers below see only this one.
      for (const j of await client.job.findJobs({ amount: 100 })) if (j.status === 'running') await j.pause();
      const definition = await client.job.createCompareJobDefinition({
        name: 'Run me',
        instruction: 'Which is better?',
        datapoints: [
          [file('a.png'), file('b.png')],
          [file('c.png'), file('d.png')],
        ],
        aBNames: ['model-a', 'model-b'],
        responsesPerDatapoint: 2,
      });
      const job = await client.job.assignJob(definition, 'global', { name: 'Run me now' });
      assert.ok(job instanceof JuryJob);
      assert.equal(job.status, 'running');
      assert.equal(await job.getStatus(), 'running');
      assert.deepEqual(await job.getProgress(), {
        status: 'running',
        completedTasks: 0,
        totalTasks: 2,
        responses: 0,
        completionPercentage: 0,
        stalled: {
          code: 'NO_ADMITTED_LABELERS',
          reason:
            'Waiting for labelers: none has joined yet (people answer at /label; `jury simulate` runs simulated ones).',
          since: job.createdAt,
        },
      });
      await job.pause();
      assert.equal(job.status, 'paused');
      assert.equal(
        await (await labeler(base)).work(() => ({ choice: 'A' })),
        0,
        'a paused job is not served',
      );
      await job.resume();
      assert.equal(job.status, 'running');

      const started = Date.now();
      await assert.rejects(job.getResults({ timeoutMs: 300, pollIntervalMs: 50 }), (err: unknown) => {
        assert.ok(err instanceof JuryError);
        assert.equal(err.code, 'TIMEOUT');
        assert.match(err.message, /still running after 300 ms \(0\/2 datapoints complete\)/);
        return true;
      });
      assert.ok(Date.now() - started < 5000);

      const found = await client.job.findJobs({ name: 'run me now', audienceId: 'global' });
      assert.deepEqual(
        found.map((j) => j.id),
        [job.id],
      );
      const byId = await client.job.getJobById(job.id);
      assert.equal(byId.name, 'Run me now');
      assert.equal(byId.type, 'compare');
      if (byId.type === 'compare')
        assert.equal((await byId.getResults({ wait: false })).summary.A_wins_total, 0);
      assert.deepEqual(
        found.map((j) => j.type),
        ['compare'],
      );
      await assert.rejects(other.job.getJobById(job.id), JuryNotFoundError);

      // Two labelers answer everything (B, then A and B): the bar returns once the job completes.
      const bar = job.displayProgressBar({ pollIntervalMs: 50 });
      const answered = [
        await (await labeler(base)).work(() => ({ choice: 'B' })),
        // Blind items: the requester resolves each reference to the name the datapoint gave it.
        await (await labeler(base)).work(async (t) => {
          const names: string[] = [];
          for (const item of t.items as { url: string }[])
            names.push((await client.assets.resolveMediaReference(item.url)).name);
          return { choice: names.includes('a.png') ? 'A' : 'B' };
        }),
      ];
      assert.deepEqual(answered, [2, 2]);
      await bar;
      assert.equal(job.status, 'completed');
      // Typed by the definition: a compare job's results have a summary, no narrowing needed.
      const results = await job.getResults({ timeoutMs: 5000, pollIntervalMs: 50 });
      assert.equal(job.type, 'compare');
      assert.equal(results.info.type, 'Compare');
      assert.equal(results.info.name, 'Run me now');
      assert.equal(results.results.length, 2);
      assert.deepEqual(results.results[0]?.aggregatedResults, { 'model-a': 1, 'model-b': 1 });
      assert.deepEqual(results.results[1]?.aggregatedResults, { 'model-a': 0, 'model-b': 2 });
      assert.equal(results.results[1]?.winner, 'model-b');
      assert.equal(results.summary.B_wins_total >= 1, true);
      assert.equal(results.results[1]?.detailedResults[0]?.userDetails.country, 'DE');
      // The downloads carry the same values, one datapoint a row; view() gives the dashboard's page of the job.
      const csv = (await job.getResultsCsv()).trimEnd().split('\r\n');
      assert.equal(csv.length, 3);
      assert.match(
        csv[0] ?? '',
        /^datapoint_id,index,item_a,item_b,context,winner,winner_index,responses,votes_a,/,
      );
      assert.match(csv[2] ?? '', /,1,c\.png,d\.png,,model-b,1,2,0,0,/);
      const lines = (await job.getResultsJsonl({ wait: false })).trim().split('\n');
      assert.deepEqual(
        lines.map((l) => JSON.parse(l).aggregatedResults),
        results.results.map((r) => r.aggregatedResults),
      );
      assert.equal(job.view({ open: false }), `${base}/jobs/${job.id}`);
      assert.deepEqual(await job.getProgress(), {
        status: 'completed',
        completedTasks: 2,
        totalTasks: 2,
        responses: 4,
        completionPercentage: 100,
        stalled: null,
      });
    });

    test('displayProgressBar prints plain lines when stdout is not a terminal', async () => {
      juryConfig.logging.silentMode = false;
      const definition = await client.job.createCompareJobDefinition({
        name: 'Lines',
        instruction: 'Which is better?',
        dataType: 'text',
        datapoints: [['one', 'two']],
        responsesPerDatapoint: 1,
      });
      const job = await client.job.assignJob(definition, 'global');
      await (await labeler(base)).work(() => ({ choice: 'A' }));
      const lines: string[] = [];
      const write = process.stdout.write.bind(process.stdout);
      const isTTY = process.stdout.isTTY;
      process.stdout.isTTY = false;
      process.stdout.write = ((chunk: string) => {
        lines.push(String(chunk));
        return true;
      }) as typeof process.stdout.write;
      try {
        await job.displayProgressBar({ pollIntervalMs: 20 });
      } finally {
        process.stdout.write = write;
        process.stdout.isTTY = isTTY;
      }
      assert.deepEqual(lines, [
        `Job Lines (${job.id}): 1/1 datapoints complete (100%), 1 responses, completed\n`,
      ]);
    });

    test('displayProgressBar draws a cli-progress bar on a terminal', async () => {
      juryConfig.logging.silentMode = false;
      const definition = await client.job.createCompareJobDefinition({
        name: 'Bar',
        instruction: 'Which is better?',
        dataType: 'text',
        datapoints: [
          ['one', 'two'],
          ['three', 'four'],
        ],
        responsesPerDatapoint: 1,
      });
      const job = await client.job.assignJob(definition, 'global');
      const out: string[] = [];
      const write = process.stdout.write.bind(process.stdout);
      const isTTY = process.stdout.isTTY;
      process.stdout.isTTY = true;
      process.stdout.write = ((chunk: string) => {
        out.push(String(chunk));
        return true;
      }) as typeof process.stdout.write;
      try {
        const bar = job.displayProgressBar({ pollIntervalMs: 20 });
        await (await labeler(base)).work(() => ({ choice: 'B' }));
        await bar;
      } finally {
        process.stdout.write = write;
        process.stdout.isTTY = isTTY;
      }
      const text = out.join('');
      assert.match(text, /Bar \[[^\]]+\] 2\/2 datapoints 100% \| completed \| 2 responses/);
    });
  });
}
