/**
 * Job definitions, jobs, progress, results and preview links over real HTTP on loopback, on SQLite always and on
 * Postgres when TEST_DATABASE_URL is set. Responses are written as rows (labelers + responses) so these tests do
 * not depend on the labeling routes; the labeling feature's own tests answer through the labeler API.
 *
 * Bad input (every documented rule of the reference product's compare and classification definitions, plus ids and states):
 *
 * | #  | Case                                                          | Status | Code              |
 * |----|---------------------------------------------------------------|--------|-------------------|
 * | 1  | instruction longer than 250 characters                        | 400    | VALIDATION_FAILED |
 * | 2  | empty instruction                                             | 400    | VALIDATION_FAILED |
 * | 3  | empty name                                                    | 400    | VALIDATION_FAILED |
 * | 4  | no datapoints                                                 | 400    | VALIDATION_FAILED |
 * | 5  | compare datapoint that is not a list                          | 400    | VALIDATION_FAILED |
 * | 6  | compare datapoint with 1 item                                 | 400    | VALIDATION_FAILED |
 * | 7  | compare datapoint with 3 items                                | 400    | VALIDATION_FAILED |
 * | 8  | compare datapoint with the same item twice                    | 400    | VALIDATION_FAILED |
 * | 9  | classification datapoint that is a list                       | 400    | VALIDATION_FAILED |
 * | 10 | contexts count ≠ datapoints count                             | 400    | VALIDATION_FAILED |
 * | 11 | empty context                                                 | 400    | VALIDATION_FAILED |
 * | 12 | context longer than 400 characters                            | 400    | VALIDATION_FAILED |
 * | 13 | mediaContexts count ≠ datapoints count                        | 400    | VALIDATION_FAILED |
 * | 14 | empty mediaContexts entry                                     | 400    | VALIDATION_FAILED |
 * | 15 | privateMetadata count ≠ datapoints count                      | 400    | VALIDATION_FAILED |
 * | 16 | both confidenceThreshold and quorumThreshold                  | 400    | VALIDATION_FAILED |
 * | 17 | confidenceThreshold 0, 1 or 1.5                               | 400    | VALIDATION_FAILED |
 * | 18 | quorumThreshold 0 or 2.5                                      | 400    | VALIDATION_FAILED |
 * | 19 | quorumThreshold greater than responsesPerDatapoint            | 400    | VALIDATION_FAILED |
 * | 20 | responsesPerDatapoint 0 or 1.5                                | 400    | VALIDATION_FAILED |
 * | 21 | classification without answerOptions                          | 400    | VALIDATION_FAILED |
 * | 22 | answerOptions with 1 option                                   | 400    | VALIDATION_FAILED |
 * | 23 | answerOptions with a duplicate                                | 400    | VALIDATION_FAILED |
 * | 24 | answerOptions with an empty option                            | 400    | VALIDATION_FAILED |
 * | 25 | answerOptions on a compare definition                         | 400    | VALIDATION_FAILED |
 * | 26 | aBNames with 1 or 3 names                                     | 400    | VALIDATION_FAILED |
 * | 27 | aBNames with an empty name / the same name twice              | 400    | VALIDATION_FAILED |
 * | 28 | aBNames on a classification definition                        | 400    | VALIDATION_FAILED |
 * | 29 | dataType "text" with asset items                              | 400    | VALIDATION_FAILED |
 * | 30 | dataType "media" with text items                              | 400    | VALIDATION_FAILED |
 * | 31 | unknown setting name                                          | 400    | VALIDATION_FAILED |
 * | 32 | unknown type                                                  | 400    | VALIDATION_FAILED |
 * | 33 | unknown asset id in a datapoint                               | 404    | NOT_FOUND         |
 * | 34 | another organization's asset in a datapoint                   | 404    | NOT_FOUND         |
 * | 35 | unknown / other organization's definition: get                | 404    | NOT_FOUND         |
 * | 36 | unknown / other organization's definition: add datapoints     | 404    | NOT_FOUND         |
 * | 37 | unknown / other organization's definition: revision, preview  | 404    | NOT_FOUND         |
 * | 38 | add datapoints breaking a rule (single item to compare)       | 400    | VALIDATION_FAILED |
 * | 39 | add datapoints with contexts count mismatch                   | 400    | VALIDATION_FAILED |
 * | 40 | revision without any field                                    | 400    | VALIDATION_FAILED |
 * | 41 | revision with both thresholds / quorum above the cap          | 400    | VALIDATION_FAILED |
 * | 42 | revision with a too long instruction                          | 400    | VALIDATION_FAILED |
 * | 43 | job for an unknown / other organization's definition          | 404    | NOT_FOUND         |
 * | 44 | job for an unknown / other organization's audience            | 404    | NOT_FOUND         |
 * | 45 | job for a revision that does not exist                        | 400    | VALIDATION_FAILED |
 * | 46 | job with an unknown field                                     | 400    | VALIDATION_FAILED |
 * | 47 | unknown / other organization's job: get, pause, resume, results | 404  | NOT_FOUND         |
 * | 48 | pausing or resuming a completed job                           | 409    | CONFLICT          |
 * | 49 | list with an unknown query parameter / amount 0               | 400    | VALIDATION_FAILED |
 * | 50 | unknown or expired preview key                                | 404    | NOT_FOUND         |
 * Accepted with a warning, not an error: AllowNeitherBoth on classification; a custom audience without enough
 * qualification examples. Afterwards nothing of a rejected request was stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import {
  buildAudience,
  buildCredentials,
  buildDefinition,
  buildJob,
  requestToken,
} from '../../test/factories.ts';
import { createManualClock } from '../http/clock.ts';
import { newId } from '../http/ids.ts';
import { type RunningServer, startServer } from '../server.ts';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082',
  'hex',
);
const PNG2 = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c63606060f80f0001040100a1b0a9d30000000049454e44ae426082',
  'hex',
);

interface Case {
  name: string;
  status: number;
  code: string;
  request: () => Promise<Response>;
  /** Part of the error message that must appear. */
  says?: string;
}

for (const target of testDatabaseTargets()) {
  describe(`jobs on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    const clock = createManualClock(new Date('2026-06-01T10:00:00.000Z'));
    let base = '';
    let token = '';
    let otherToken = '';
    let assetA = '';
    let assetB = '';
    let otherAsset = '';
    let otherDefinition = '';
    let otherJob = '';
    let otherAudience = '';

    const call = (method: string, path: string, body?: unknown, bearer = token) =>
      fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const post = (path: string, body: unknown, bearer = token) => call('POST', path, body, bearer);
    const ok = async <T = Record<string, unknown>>(res: Promise<Response>, status = 200): Promise<T> => {
      const r = await res;
      const body = (await r.json()) as T;
      assert.equal(r.status, status, JSON.stringify(body));
      return body;
    };
    const upload = async (bytes: Buffer, name: string, bearer = token) => {
      const r = await fetch(`${base}/api/v1/assets?fileName=${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
      });
      return ((await r.json()) as { data: { id: string } }).data.id;
    };
    const compare = (over: Record<string, unknown> = {}) => ({
      type: 'compare',
      name: 'Alignment',
      instruction: 'Which image matches the description better?',
      datapoints: [
        [
          { assetId: assetA, name: 'a.png' },
          { assetId: assetB, name: 'b.png' },
        ],
      ],
      ...over,
    });
    const textCompare = (over: Record<string, unknown> = {}) => ({
      type: 'compare',
      name: 'Helpfulness',
      instruction: 'Which answer is more helpful?',
      dataType: 'text',
      datapoints: [
        [{ text: 'one' }, { text: 'two' }],
        [{ text: 'three' }, { text: 'four' }],
      ],
      ...over,
    });
    const classification = (over: Record<string, unknown> = {}) => ({
      type: 'classification',
      name: 'Pets',
      instruction: 'What animal is in this image?',
      answerOptions: ['Cat', 'Dog'],
      datapoints: [{ assetId: assetA, name: 'a.png' }],
      ...over,
    });
    const countRows = async () => {
      const db = server.database.db;
      const n = async (t: 'job_definitions' | 'datapoints' | 'jobs' | 'tasks' | 'job_definition_revisions') =>
        Number(
          (
            await db
              .selectFrom(t)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        definitions: await n('job_definitions'),
        revisions: await n('job_definition_revisions'),
        datapoints: await n('datapoints'),
        jobs: await n('jobs'),
        tasks: await n('tasks'),
      };
    };

    before(async () => {
      env = await createTestEnvironment(target);
      server = await startServer({
        port: 0,
        dataDir: env.dataDir,
        databaseUrl: env.databaseUrl,
        clock,
        // The preview test moves the clock past a preview's hour; tokens outlive that.
        config: { tokenTtlSeconds: 7 * 24 * 3600 },
      });
      base = server.url;
      const boot = server.bootstrap!;
      token = await requestToken(base, { clientId: boot.client.id, secret: boot.secret });
      const deps = { db: server.database.db, clock };
      const other = await buildCredentials({ url: base, ...deps });
      otherToken = other.token;
      assetA = await upload(PNG, 'a.png');
      assetB = await upload(PNG2, 'b.png');
      assert.notEqual(assetA, assetB);
      otherAsset = await upload(PNG, 'a.png', otherToken);
      const { organizationId } = other;
      otherDefinition = (await buildDefinition(deps, { organizationId, name: 'Theirs' })).id;
      otherAudience = (await buildAudience(deps, { organizationId, name: 'Theirs' })).id;
      otherJob = (await buildJob(deps, { organizationId, definitionId: otherDefinition })).id;
    });
    after(async () => {
      await server?.close();
      await env?.cleanup();
    });

    it('creates a compare definition from assets and reads it back; find by name pages newest first', async () => {
      const created = await ok<{ data: Record<string, unknown>; warnings: string[] }>(
        post(
          '/api/v1/job-definitions',
          compare({ contexts: ['A small blue book'], settings: ['NoShuffle'] }),
        ),
        201,
      );
      assert.deepEqual(created.warnings, []);
      const d = created.data;
      assert.match(String(d.id), /^jdf_/);
      assert.equal(d.type, 'compare');
      assert.equal(d.revision, 1);
      assert.equal(d.dataType, 'media');
      assert.equal(d.responsesPerDatapoint, 10);
      assert.equal(d.datapointCount, 1);
      assert.deepEqual(d.settings, ['NoShuffle']);
      assert.equal(d.confidenceThreshold, null);
      const got = await ok<{ data: unknown }>(call('GET', `/api/v1/job-definitions/${d.id}`));
      assert.deepEqual(got.data, d);

      clock.advance(1000);
      await ok(post('/api/v1/job-definitions', textCompare({ name: 'alignment 100%_v2' })), 201);
      const found = await ok<{ data: { name: string }[]; total: number }>(
        call('GET', '/api/v1/job-definitions?name=ALIGNMENT'),
      );
      assert.deepEqual(
        found.data.map((x) => x.name),
        ['alignment 100%_v2', 'Alignment'],
      );
      const literal = await ok<{ data: { name: string }[] }>(
        call('GET', `/api/v1/job-definitions?name=${encodeURIComponent('100%_')}`),
      );
      assert.deepEqual(
        literal.data.map((x) => x.name),
        ['alignment 100%_v2'],
      );
      const page2 = await ok<{ data: { name: string }[]; total: number; page: number }>(
        call('GET', '/api/v1/job-definitions?name=alignment&amount=1&page=2'),
      );
      assert.deepEqual(
        page2.data.map((x) => x.name),
        ['Alignment'],
      );
      assert.equal(page2.total, 2);
      const mine = await ok<{ data: { id: string }[] }>(call('GET', '/api/v1/job-definitions?amount=100'));
      assert.ok(
        !mine.data.some((x) => x.id === otherDefinition),
        "another organization's definition is not listed",
      );
    });

    it('warns (not fails) on a setting that does not apply to the task type', async () => {
      const r = await ok<{ data: { settings: string[] }; warnings: string[] }>(
        post('/api/v1/job-definitions', classification({ settings: ['AllowNeitherBoth', 'Markdown'] })),
        201,
      );
      assert.deepEqual(r.data.settings, ['AllowNeitherBoth', 'Markdown']);
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0] ?? '', /AllowNeitherBoth does not apply to classification/);
    });

    it('adds datapoints and creates revisions that keep them; jobs use their revision', async () => {
      const def = await ok<{ data: { id: string } }>(
        post(
          '/api/v1/job-definitions',
          textCompare({ contexts: ['c1', 'c2'], quorumThreshold: 3, responsesPerDatapoint: 5 }),
        ),
        201,
      );
      const id = def.data.id;
      const added = await ok<{ data: { datapointCount: number; revision: number } }>(
        post(`/api/v1/job-definitions/${id}/datapoints`, {
          datapoints: [[{ text: 'five' }, { text: 'six' }]],
          contexts: ['c3'],
        }),
      );
      assert.equal(added.data.datapointCount, 3);
      assert.equal(added.data.revision, 1);
      const rev = await ok<{ data: Record<string, unknown>; warnings: string[] }>(
        post(`/api/v1/job-definitions/${id}/revisions`, {
          instruction: 'Which answer is kinder?',
          confidenceThreshold: 0.99,
          settings: ['AllowNeitherBoth'],
        }),
        201,
      );
      assert.equal(rev.data.revision, 2);
      assert.equal(rev.data.instruction, 'Which answer is kinder?');
      assert.equal(rev.data.confidenceThreshold, 0.99);
      assert.equal(rev.data.quorumThreshold, null, 'a new threshold replaces the stopping rule');
      assert.equal(rev.data.responsesPerDatapoint, 5);
      assert.equal(rev.data.datapointCount, 3);
      const job1 = await ok<{ data: { revision: number; progress: { totalTasks: number } } }>(
        post('/api/v1/jobs', { definitionId: id, audienceId: 'global', revision: 1 }),
        201,
      );
      assert.equal(job1.data.revision, 1);
      assert.equal(job1.data.progress.totalTasks, 3);
      const job2 = await ok<{ data: { revision: number; name: string } }>(
        post('/api/v1/jobs', { definitionId: id, audienceId: 'global', name: 'Kindness run' }),
        201,
      );
      assert.equal(job2.data.revision, 2);
      assert.equal(job2.data.name, 'Kindness run');
    });

    it('assigns a job: running with one open task per datapoint; warns when the audience admits nobody yet', async () => {
      const def = await ok<{ data: { id: string } }>(
        post('/api/v1/job-definitions', textCompare({ name: 'Assign me' })),
        201,
      );
      const aud = await ok<{ data: { id: string } }>(post('/api/v1/audiences', { name: 'Experts' }), 201);
      const created = await ok<{ data: Record<string, unknown> & { id: string }; warnings: string[] }>(
        post('/api/v1/jobs', { definitionId: def.data.id, audienceId: aud.data.id }),
        201,
      );
      assert.equal(created.data.status, 'running');
      assert.equal(created.data.audienceId, aud.data.id);
      assert.equal(created.data.name, 'Assign me');
      assert.deepEqual(created.data.progress, {
        completedTasks: 0,
        totalTasks: 2,
        responses: 0,
        completionPercentage: 0,
        stalled: {
          code: 'NO_ADMITTED_LABELERS',
          reason:
            'Waiting for labelers: nobody has qualified for audience "Experts" yet (labelers pass its qualification examples at /label first).',
          since: created.data.createdAt,
        },
      });
      assert.equal(created.warnings.length, 1);
      assert.match(created.warnings[0] ?? '', /0 qualification examples/);
      const tasks = await server.database.db
        .selectFrom('tasks')
        .selectAll()
        .where('job_id', '=', created.data.id)
        .execute();
      assert.equal(tasks.length, 2);
      assert.ok(tasks.every((t) => t.status === 'open' && Number(t.responses_count) === 0));

      const byAudience = await ok<{ data: { id: string }[] }>(
        call('GET', `/api/v1/jobs?audienceId=${aud.data.id}`),
      );
      assert.deepEqual(
        byAudience.data.map((j) => j.id),
        [created.data.id],
      );
      const byName = await ok<{ data: { id: string }[] }>(call('GET', '/api/v1/jobs?name=assign'));
      assert.deepEqual(
        byName.data.map((j) => j.id),
        [created.data.id],
      );
      const all = await ok<{ data: { id: string }[] }>(call('GET', '/api/v1/jobs?amount=100'));
      assert.ok(!all.data.some((j) => j.id === otherJob));
    });

    it('pauses and resumes; progress and results follow the stored responses', async () => {
      const def = await ok<{ data: { id: string } }>(
        post(
          '/api/v1/job-definitions',
          compare({
            name: 'Results',
            contexts: ['ctx'],
            aBNames: ['model-x', 'model-y'],
            privateMetadata: [{ prompt: 'p1' }],
            responsesPerDatapoint: 2,
          }),
        ),
        201,
      );
      const job = await ok<{ data: { id: string } }>(
        post('/api/v1/jobs', { definitionId: def.data.id, audienceId: 'global' }),
        201,
      );
      const jobId = job.data.id;
      const paused = await ok<{ data: { status: string } }>(post(`/api/v1/jobs/${jobId}/pause`, undefined));
      assert.equal(paused.data.status, 'paused');
      assert.equal(
        (await ok<{ data: { status: string } }>(post(`/api/v1/jobs/${jobId}/pause`, undefined))).data.status,
        'paused',
      );
      const resumed = await ok<{ data: { status: string } }>(post(`/api/v1/jobs/${jobId}/resume`, undefined));
      assert.equal(resumed.data.status, 'running');

      // Two labelers answer (rows written directly, as the labeling service would).
      const db = server.database.db;
      const task = await db
        .selectFrom('tasks')
        .selectAll()
        .where('job_id', '=', jobId)
        .executeTakeFirstOrThrow();
      const now = clock.now().toISOString();
      const labelers = [
        {
          id: newId('lab'),
          country: 'DE',
          language: 'de',
          demographics: JSON.stringify({ age: '25-34' }),
          score: 0.8,
        },
        { id: newId('lab'), country: 'US', language: 'en', demographics: null, score: 0.3 },
      ];
      for (const [i, l] of labelers.entries()) {
        await db
          .insertInto('labelers')
          .values({
            id: l.id,
            kind: 'simulated',
            country: l.country,
            language: l.language,
            demographics: l.demographics,
            user_score: l.score,
            created_at: now,
            last_seen_at: now,
          })
          .execute();
        await db
          .insertInto('responses')
          .values({
            id: newId('rsp'),
            task_id: task.id,
            job_id: jobId,
            datapoint_id: task.datapoint_id,
            labeler_id: l.id,
            answer: JSON.stringify({ choice: i === 0 ? 'B' : 'A' }),
            presentation: JSON.stringify({ order: ['A', 'B'] }),
            user_score: l.score,
            audience_user_score: l.score,
            created_at: new Date(clock.now().getTime() + i).toISOString(),
          })
          .execute();
      }
      await db
        .updateTable('tasks')
        .set({ responses_count: 2, status: 'complete', completed_at: now })
        .where('id', '=', task.id)
        .execute();
      await db
        .updateTable('jobs')
        .set({ status: 'completed', completed_at: now })
        .where('id', '=', jobId)
        .execute();

      const got = await ok<{ data: { status: string; progress: unknown; completedAt: string } }>(
        call('GET', `/api/v1/jobs/${jobId}`),
      );
      assert.equal(got.data.status, 'completed');
      assert.equal(got.data.completedAt, now);
      assert.deepEqual(got.data.progress, {
        completedTasks: 1,
        totalTasks: 1,
        responses: 2,
        completionPercentage: 100,
        stalled: null,
      });

      const results = await ok<{
        data: { info: Record<string, unknown>; summary: unknown; results: Record<string, unknown>[] };
      }>(call('GET', `/api/v1/jobs/${jobId}/results`));
      assert.equal(results.data.info.type, 'Compare');
      assert.equal(results.data.info.name, 'Results');
      assert.deepEqual(results.data.summary, { A_wins_total: 0, B_wins_total: 1 });
      const r = results.data.results[0] ?? {};
      assert.equal(r.winner, 'model-y');
      assert.equal(r.winner_index, 1);
      assert.equal(r.context, 'ctx');
      assert.deepEqual(r.privateMetadata, { prompt: 'p1' });
      assert.deepEqual(r.aggregatedResults, { 'model-x': 1, 'model-y': 1 });
      assert.deepEqual(r.summedUserScores, { 'model-x': 0.3, 'model-y': 0.8 });
      assert.deepEqual(r.detailedResults, [
        {
          votedFor: 'model-y',
          userDetails: {
            country: 'DE',
            language: 'de',
            userScores: { global: 0.8 },
            demographics: { age: '25-34' },
          },
        },
        {
          votedFor: 'model-x',
          userDetails: { country: 'US', language: 'en', userScores: { global: 0.3 }, demographics: {} },
        },
      ]);

      const conflict = await call('POST', `/api/v1/jobs/${jobId}/pause`);
      assert.equal(conflict.status, 409);
      assert.match(((await conflict.json()) as { error: { message: string } }).error.message, /is completed/);
    });

    it('a paused job whose tasks all completed meanwhile resumes as completed', async () => {
      const def = await ok<{ data: { id: string } }>(
        post('/api/v1/job-definitions', textCompare({ name: 'Drain' })),
        201,
      );
      const job = await ok<{ data: { id: string } }>(
        post('/api/v1/jobs', { definitionId: def.data.id, audienceId: 'global' }),
        201,
      );
      await ok(post(`/api/v1/jobs/${job.data.id}/pause`, undefined));
      await server.database.db
        .updateTable('tasks')
        .set({ status: 'complete' })
        .where('job_id', '=', job.data.id)
        .execute();
      const resumed = await ok<{ data: { status: string; completedAt: string | null } }>(
        post(`/api/v1/jobs/${job.data.id}/resume`, undefined),
      );
      assert.equal(resumed.data.status, 'completed');
      assert.equal(resumed.data.completedAt, clock.now().toISOString());
    });

    it('classification results list categories; text datapoints are named by their text', async () => {
      const def = await ok<{ data: { id: string } }>(
        post(
          '/api/v1/job-definitions',
          classification({ dataType: 'text', datapoints: [{ text: 'a cat' }], confidenceThreshold: 0.99 }),
        ),
        201,
      );
      const job = await ok<{ data: { id: string } }>(
        post('/api/v1/jobs', { definitionId: def.data.id, audienceId: 'global' }),
        201,
      );
      const results = await ok<{
        data: {
          info: { type: string };
          results: { globalAggregatedData: unknown; data: Record<string, unknown>[] };
        };
      }>(call('GET', `/api/v1/jobs/${job.data.id}/results`));
      assert.equal(results.data.info.type, 'Classify');
      assert.deepEqual(results.data.results.globalAggregatedData, { Cat: 0, Dog: 0 });
      assert.equal(results.data.results.data[0]?.text, 'a cat');
      assert.deepEqual(results.data.results.data[0]?.confidencePerCategory, { Cat: 0.5, Dog: 0.5 });
    });

    it('preview: a short-lived link whose labeler view needs no token and expires', async () => {
      const def = await ok<{ data: { id: string } }>(
        post(
          '/api/v1/job-definitions',
          compare({
            name: 'Preview me',
            contexts: ['ctx'],
            mediaContexts: [[{ assetId: assetB, name: 'ref.png' }]],
            settings: ['Markdown'],
          }),
        ),
        201,
      );
      const preview = await ok<{ data: { url: string; expiresAt: string } }>(
        post(`/api/v1/job-definitions/${def.data.id}/preview`, undefined),
        201,
      );
      const match = /\/label\/preview\/([^/]+)$/.exec(preview.data.url);
      assert.ok(match, preview.data.url);
      assert.ok(
        preview.data.url.startsWith(base.replace('localhost', '127.0.0.1')) ||
          preview.data.url.startsWith(base),
      );
      assert.equal(preview.data.expiresAt, new Date(clock.now().getTime() + 3600_000).toISOString());
      const key = match[1] as string;
      const stored = await server.database.db.selectFrom('job_previews').selectAll().execute();
      assert.ok(
        stored.every((p) => p.key_hash !== key),
        'only the hash is stored',
      );
      const view = await fetch(`${base}/api/v1/labeler/preview/${key}`);
      assert.equal(view.status, 200);
      const body = (await view.json()) as { data: { name: string; tasks: Record<string, unknown>[] } };
      assert.equal(body.data.name, 'Preview me');
      const t = body.data.tasks[0] ?? {};
      assert.equal(t.taskType, 'compare');
      assert.equal(t.context, 'ctx');
      // Blind: media come as references only, which the owner resolves and anyone with the link may fetch.
      assert.doesNotMatch(JSON.stringify(body), /\.png|ast_|[0-9a-f]{64}/);
      const nameOf = async (item: { url: string }) => {
        const ref = item.url.slice(item.url.lastIndexOf('/') + 1);
        return (await ok<{ data: { name: string } }>(call('GET', `/api/v1/media-references/${ref}`))).data
          .name;
      };
      const items = t.items as { side: string; url: string }[];
      const sides: string[][] = [];
      for (const i of items) sides.push([i.side, await nameOf(i)]);
      // Sides in a random order, as labelers get them (labeling's presentation; see task-view.test.ts).
      assert.deepEqual(sides.sort(), [
        ['A', 'a.png'],
        ['B', 'b.png'],
      ]);
      const context = (t.mediaContext as { url: string }[])[0] as { url: string };
      assert.equal(await nameOf(context), 'ref.png');
      assert.equal((await fetch(`${base}${context.url}`)).status, 200, 'the link is enough to see the media');
      assert.deepEqual(t.settings, { markdown: true, allowNeitherBoth: false, noShuffle: false });
      clock.advance(3600_000);
      assert.equal((await fetch(`${base}${context.url}`)).status, 404, 'not after the link expired');
      const expired = await fetch(`${base}/api/v1/labeler/preview/${key}`);
      assert.equal(expired.status, 404);
      assert.match(((await expired.json()) as { error: { message: string } }).error.message, /expired/);
    });

    const longText = (n: number) => 'x'.repeat(n);
    const defPath = '/api/v1/job-definitions';
    const cases = (): Case[] => [
      {
        name: 'instruction > 250',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'instruction is 251 characters; maximum is 250',
        request: () => post(defPath, compare({ instruction: longText(251) })),
      },
      {
        name: 'empty instruction',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'instruction cannot be empty',
        request: () => post(defPath, compare({ instruction: ' ' })),
      },
      {
        name: 'empty name',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'name cannot be empty',
        request: () => post(defPath, compare({ name: '' })),
      },
      {
        name: 'no datapoints',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'At least one datapoint',
        request: () => post(defPath, compare({ datapoints: [] })),
      },
      {
        name: 'compare datapoint not a list',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'list of 2 items',
        request: () => post(defPath, textCompare({ datapoints: [{ text: 'a' }] })),
      },
      {
        name: 'compare datapoint with 1 item',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'exactly two unique options; datapoint 1 has 1 item',
        request: () =>
          post(defPath, textCompare({ datapoints: [[{ text: 'a' }, { text: 'b' }], [{ text: 'a' }]] })),
      },
      {
        name: 'compare datapoint with 3 items',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'has 3 items',
        request: () =>
          post(defPath, textCompare({ datapoints: [[{ text: 'a' }, { text: 'b' }, { text: 'c' }]] })),
      },
      {
        name: 'compare datapoint with the same item twice',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'has "a.png" twice',
        request: () =>
          post(
            defPath,
            compare({
              datapoints: [
                [
                  { assetId: assetA, name: 'a.png' },
                  { assetId: assetB, name: 'a.png' },
                ],
              ],
            }),
          ),
      },
      {
        name: 'classification datapoint that is a list',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'not lists',
        request: () => post(defPath, classification({ datapoints: [[{ assetId: assetA, name: 'a.png' }]] })),
      },
      {
        name: 'contexts count mismatch',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'Number of contexts (1) must match number of datapoints (2)',
        request: () => post(defPath, textCompare({ contexts: ['one'] })),
      },
      {
        name: 'empty context',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'contexts[1] cannot be an empty string',
        request: () => post(defPath, textCompare({ contexts: ['one', ''] })),
      },
      {
        name: 'context > 400',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'contexts[0] is 401 characters; maximum is 400',
        request: () => post(defPath, textCompare({ contexts: [longText(401), 'b'] })),
      },
      {
        name: 'mediaContexts count mismatch',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'Number of mediaContexts (1)',
        request: () => post(defPath, textCompare({ mediaContexts: [[{ assetId: assetA, name: 'a.png' }]] })),
      },
      {
        name: 'empty mediaContexts entry',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'mediaContexts[0] must be a non-empty list',
        request: () => post(defPath, compare({ mediaContexts: [[]] })),
      },
      {
        name: 'privateMetadata count mismatch',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'Number of privateMetadata (2)',
        request: () => post(defPath, compare({ privateMetadata: [{}, {}] })),
      },
      {
        name: 'both thresholds',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'Cannot set both confidenceThreshold and quorumThreshold',
        request: () => post(defPath, compare({ confidenceThreshold: 0.99, quorumThreshold: 3 })),
      },
      {
        name: 'confidenceThreshold 0',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'between 0 and 1 (exclusive)',
        request: () => post(defPath, compare({ confidenceThreshold: 0 })),
      },
      {
        name: 'confidenceThreshold 1',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'between 0 and 1',
        request: () => post(defPath, compare({ confidenceThreshold: 1 })),
      },
      {
        name: 'confidenceThreshold 1.5',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'got 1.5',
        request: () => post(defPath, compare({ confidenceThreshold: 1.5 })),
      },
      {
        name: 'quorumThreshold 0',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'quorumThreshold must be a whole number',
        request: () => post(defPath, compare({ quorumThreshold: 0 })),
      },
      {
        name: 'quorumThreshold 2.5',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'got 2.5',
        request: () => post(defPath, compare({ quorumThreshold: 2.5 })),
      },
      {
        name: 'quorumThreshold > responsesPerDatapoint',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'quorumThreshold (7) cannot exceed responsesPerDatapoint (5)',
        request: () => post(defPath, compare({ quorumThreshold: 7, responsesPerDatapoint: 5 })),
      },
      {
        name: 'responsesPerDatapoint 0',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'responsesPerDatapoint must be an integer',
        request: () => post(defPath, compare({ responsesPerDatapoint: 0 })),
      },
      {
        name: 'responsesPerDatapoint 1.5',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'got 1.5',
        request: () => post(defPath, compare({ responsesPerDatapoint: 1.5 })),
      },
      {
        name: 'classification without answerOptions',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'answerOptions',
        request: () => post(defPath, classification({ answerOptions: undefined })),
      },
      {
        name: 'answerOptions with 1 option',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'at least 2 options',
        request: () => post(defPath, classification({ answerOptions: ['Cat'] })),
      },
      {
        name: 'answerOptions duplicate',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'answerOptions must be unique; "Cat"',
        request: () => post(defPath, classification({ answerOptions: ['Cat', 'Dog', 'Cat'] })),
      },
      {
        name: 'answerOptions empty option',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'answerOptions[1] cannot be empty',
        request: () => post(defPath, classification({ answerOptions: ['Cat', ' '] })),
      },
      {
        name: 'answerOptions on compare',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'answerOptions',
        request: () => post(defPath, compare({ answerOptions: ['a', 'b'] })),
      },
      {
        name: 'aBNames with 1 name',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'exactly 2 names',
        request: () => post(defPath, compare({ aBNames: ['x'] })),
      },
      {
        name: 'aBNames with 3 names',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'got 3',
        request: () => post(defPath, compare({ aBNames: ['x', 'y', 'z'] })),
      },
      {
        name: 'aBNames with an empty name',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'cannot contain empty names',
        request: () => post(defPath, compare({ aBNames: ['x', ''] })),
      },
      {
        name: 'aBNames twice the same',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'two different names',
        request: () => post(defPath, compare({ aBNames: ['x', 'x'] })),
      },
      {
        name: 'aBNames on classification',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'aBNames',
        request: () => post(defPath, classification({ aBNames: ['x', 'y'] })),
      },
      {
        name: 'dataType text with asset items',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'dataType is "text"',
        request: () => post(defPath, compare({ dataType: 'text' })),
      },
      {
        name: 'dataType media with text items',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'dataType is "media"',
        request: () => post(defPath, textCompare({ dataType: 'media' })),
      },
      {
        name: 'unknown setting',
        status: 400,
        code: 'VALIDATION_FAILED',
        says: 'settings.0',
        request: () => post(defPath, compare({ settings: ['Shuffle'] })),
      },
      {
        name: 'unknown type',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => post(defPath, compare({ type: 'ranking' })),
      },
      {
        name: 'unknown asset id',
        status: 404,
        code: 'NOT_FOUND',
        says: 'Asset ast_nope',
        request: () =>
          post(
            defPath,
            compare({
              datapoints: [
                [
                  { assetId: 'ast_nope', name: 'x.png' },
                  { assetId: assetB, name: 'b.png' },
                ],
              ],
            }),
          ),
      },
      {
        name: "another organization's asset",
        status: 404,
        code: 'NOT_FOUND',
        request: () =>
          post(
            defPath,
            compare({
              datapoints: [
                [
                  { assetId: otherAsset, name: 'x.png' },
                  { assetId: assetB, name: 'b.png' },
                ],
              ],
            }),
          ),
      },
      {
        name: 'unknown definition: get',
        status: 404,
        code: 'NOT_FOUND',
        says: 'Job definition jdf_nope',
        request: () => call('GET', '/api/v1/job-definitions/jdf_nope'),
      },
      {
        name: "another organization's definition: get",
        status: 404,
        code: 'NOT_FOUND',
        request: () => call('GET', `/api/v1/job-definitions/${otherDefinition}`),
      },
      {
        name: 'unknown definition: add datapoints',
        status: 404,
        code: 'NOT_FOUND',
        request: () =>
          post('/api/v1/job-definitions/jdf_nope/datapoints', {
            datapoints: [[{ text: 'a' }, { text: 'b' }]],
          }),
      },
      {
        name: "another organization's definition: add datapoints",
        status: 404,
        code: 'NOT_FOUND',
        request: () =>
          post(`/api/v1/job-definitions/${otherDefinition}/datapoints`, {
            datapoints: [[{ text: 'a' }, { text: 'b' }]],
          }),
      },
      {
        name: "another organization's definition: revision",
        status: 404,
        code: 'NOT_FOUND',
        request: () => post(`/api/v1/job-definitions/${otherDefinition}/revisions`, { instruction: 'x' }),
      },
      {
        name: "another organization's definition: preview",
        status: 404,
        code: 'NOT_FOUND',
        request: () => post(`/api/v1/job-definitions/${otherDefinition}/preview`, undefined),
      },
      {
        name: 'unknown definition: preview',
        status: 404,
        code: 'NOT_FOUND',
        request: () => post('/api/v1/job-definitions/jdf_nope/preview', undefined),
      },
    ];

    it('rejects every bad definition with a clear message and stores nothing', async () => {
      const before = await countRows();
      for (const c of cases()) {
        const r = await c.request();
        const body = (await r.json()) as { error?: { code: string; message: string } };
        assert.equal(r.status, c.status, `${c.name}: ${JSON.stringify(body)}`);
        assert.equal(body.error?.code, c.code, c.name);
        if (c.says)
          assert.ok(
            body.error?.message.includes(c.says),
            `${c.name}: "${body.error?.message}" lacks "${c.says}"`,
          );
      }
      assert.deepEqual(await countRows(), before);
    });

    it('rejects bad datapoint additions, revisions and jobs, and stores nothing', async () => {
      const def = await ok<{ data: { id: string } }>(
        post(defPath, textCompare({ name: 'Target', responsesPerDatapoint: 4 })),
        201,
      );
      const id = def.data.id;
      const done = await ok<{ data: { id: string } }>(
        post('/api/v1/jobs', { definitionId: id, audienceId: 'global' }),
        201,
      );
      await server.database.db
        .updateTable('jobs')
        .set({ status: 'completed' })
        .where('id', '=', done.data.id)
        .execute();
      const before = await countRows();
      const more: Case[] = [
        {
          name: 'add a single item to compare',
          status: 400,
          code: 'VALIDATION_FAILED',
          says: 'not a list',
          request: () => post(`${defPath}/${id}/datapoints`, { datapoints: [{ text: 'a' }] }),
        },
        {
          name: 'add with contexts mismatch',
          status: 400,
          code: 'VALIDATION_FAILED',
          says: 'Number of contexts (2) must match number of datapoints (1)',
          request: () =>
            post(`${defPath}/${id}/datapoints`, {
              datapoints: [[{ text: 'a' }, { text: 'b' }]],
              contexts: ['x', 'y'],
            }),
        },
        {
          name: 'add media items to a text definition',
          status: 400,
          code: 'VALIDATION_FAILED',
          says: 'dataType is "text"',
          request: () =>
            post(`${defPath}/${id}/datapoints`, {
              datapoints: [
                [
                  { assetId: assetA, name: 'a' },
                  { assetId: assetB, name: 'b' },
                ],
              ],
            }),
        },
        {
          name: 'revision without fields',
          status: 400,
          code: 'VALIDATION_FAILED',
          says: 'at least one field',
          request: () => post(`${defPath}/${id}/revisions`, {}),
        },
        {
          name: 'revision with both thresholds',
          status: 400,
          code: 'VALIDATION_FAILED',
          says: 'Cannot set both',
          request: () => post(`${defPath}/${id}/revisions`, { confidenceThreshold: 0.9, quorumThreshold: 2 }),
        },
        {
          name: 'revision quorum above the cap',
          status: 400,
          code: 'VALIDATION_FAILED',
          says: 'cannot exceed responsesPerDatapoint (4)',
          request: () => post(`${defPath}/${id}/revisions`, { quorumThreshold: 5 }),
        },
        {
          name: 'revision too long instruction',
          status: 400,
          code: 'VALIDATION_FAILED',
          says: 'maximum is 250',
          request: () => post(`${defPath}/${id}/revisions`, { instruction: longText(300) }),
        },
        {
          name: 'revision with answerOptions on compare',
          status: 400,
          code: 'VALIDATION_FAILED',
          says: 'classification job definitions only',
          request: () => post(`${defPath}/${id}/revisions`, { answerOptions: ['a', 'b'] }),
        },
        {
          name: 'job for unknown definition',
          status: 404,
          code: 'NOT_FOUND',
          request: () => post('/api/v1/jobs', { definitionId: 'jdf_nope', audienceId: 'global' }),
        },
        {
          name: "job for another organization's definition",
          status: 404,
          code: 'NOT_FOUND',
          request: () => post('/api/v1/jobs', { definitionId: otherDefinition, audienceId: 'global' }),
        },
        {
          name: 'job for unknown audience',
          status: 404,
          code: 'NOT_FOUND',
          says: 'Audience aud_nope',
          request: () => post('/api/v1/jobs', { definitionId: id, audienceId: 'aud_nope' }),
        },
        {
          name: "job for another organization's audience",
          status: 404,
          code: 'NOT_FOUND',
          request: () => post('/api/v1/jobs', { definitionId: id, audienceId: otherAudience }),
        },
        {
          name: 'job for a missing revision',
          status: 400,
          code: 'VALIDATION_FAILED',
          says: 'revision 9 does not exist',
          request: () => post('/api/v1/jobs', { definitionId: id, audienceId: 'global', revision: 9 }),
        },
        {
          name: 'job with unknown field',
          status: 400,
          code: 'VALIDATION_FAILED',
          request: () => post('/api/v1/jobs', { definitionId: id, audienceId: 'global', priority: 1 }),
        },
        {
          name: 'unknown job: get',
          status: 404,
          code: 'NOT_FOUND',
          says: 'Job job_nope',
          request: () => call('GET', '/api/v1/jobs/job_nope'),
        },
        {
          name: "another organization's job: get",
          status: 404,
          code: 'NOT_FOUND',
          request: () => call('GET', `/api/v1/jobs/${otherJob}`),
        },
        {
          name: "another organization's job: pause",
          status: 404,
          code: 'NOT_FOUND',
          request: () => call('POST', `/api/v1/jobs/${otherJob}/pause`),
        },
        {
          name: "another organization's job: resume",
          status: 404,
          code: 'NOT_FOUND',
          request: () => call('POST', `/api/v1/jobs/${otherJob}/resume`),
        },
        {
          name: "another organization's job: results",
          status: 404,
          code: 'NOT_FOUND',
          request: () => call('GET', `/api/v1/jobs/${otherJob}/results`),
        },
        {
          name: 'unknown job: results',
          status: 404,
          code: 'NOT_FOUND',
          request: () => call('GET', '/api/v1/jobs/job_nope/results'),
        },
        {
          name: 'pause a completed job',
          status: 409,
          code: 'CONFLICT',
          says: 'only running jobs can be paused',
          request: () => call('POST', `/api/v1/jobs/${done.data.id}/pause`),
        },
        {
          name: 'resume a completed job',
          status: 409,
          code: 'CONFLICT',
          says: 'only paused jobs can be resumed',
          request: () => call('POST', `/api/v1/jobs/${done.data.id}/resume`),
        },
        {
          name: 'list jobs with unknown query parameter',
          status: 400,
          code: 'VALIDATION_FAILED',
          request: () => call('GET', '/api/v1/jobs?colour=blue'),
        },
        {
          name: 'list definitions with amount 0',
          status: 400,
          code: 'VALIDATION_FAILED',
          request: () => call('GET', '/api/v1/job-definitions?amount=0'),
        },
        {
          name: 'unknown preview key',
          status: 404,
          code: 'NOT_FOUND',
          request: () => fetch(`${base}/api/v1/labeler/preview/pvw_unknownunknown`),
        },
      ];
      for (const c of more) {
        const r = await c.request();
        const body = (await r.json()) as { error?: { code: string; message: string } };
        assert.equal(r.status, c.status, `${c.name}: ${JSON.stringify(body)}`);
        assert.equal(body.error?.code, c.code, c.name);
        if (c.says)
          assert.ok(
            body.error?.message.includes(c.says),
            `${c.name}: "${body.error?.message}" lacks "${c.says}"`,
          );
      }
      assert.deepEqual(await countRows(), before);
    });
  });
}
