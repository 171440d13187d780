/**
 * The dashboard's read routes over real HTTP, on SQLite always and on Postgres when TEST_DATABASE_URL is set:
 * a job's responses one by one, its results as CSV and JSON Lines (every row checked against GET …/results),
 * the job list's status filter, the labelers' stats, and an audience's members with their drop reasons.
 * Responses, memberships and gold answers are written as rows, as the labeling engine would write them.
 *
 * | Case                                                              | Status | Code              |
 * |-------------------------------------------------------------------|--------|-------------------|
 * | another organization's job: responses, results.csv, results.jsonl | 404    | NOT_FOUND         |
 * | another organization's audience: members                          | 404    | NOT_FOUND         |
 * | responses / members with amount 0, an unknown parameter           | 400    | VALIDATION_FAILED |
 * | members with an unknown state; stats with days 0 or bins 1        | 400    | VALIDATION_FAILED |
 * | job list with an unknown status                                   | 400    | VALIDATION_FAILED |
 * | members of the global audience                                    | 400    | VALIDATION_FAILED |
 * | results with includeExcluded not true/false, an unknown parameter | 400    | VALIDATION_FAILED |
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AddExample, CreateJobDefinition } from '@jury/api';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import {
  buildAudience,
  buildCredentials,
  buildDefinition,
  buildJob,
  buildLabeler,
} from '../../test/factories.ts';
import { addExample } from '../audiences/service.ts';
import { createManualClock } from '../http/clock.ts';
import { newId } from '../http/ids.ts';
import { type RunningServer, startServer } from '../server.ts';
import { csvField, toCsv } from './downloads.ts';

/** RFC 4180 parsing (quoted fields, doubled quotes, CRLF), to read the CSV back the way a spreadsheet does. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  assert.equal(field + row.join(''), '', 'the CSV ends with CRLF');
  return rows;
}

/** CSV rows as objects keyed by the header. */
function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  assert.ok(header);
  for (const r of rows) assert.equal(r.length, header.length, 'every row has every column');
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] as string])));
}

const cell = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));

describe('CSV fields (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks, doubles quotes, leaves the rest', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField(0.25), '0.25');
    assert.equal(csvField(null), '');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rlf'), '"cr\rlf"');
    assert.equal(
      toCsv([
        { a: 1, b: 'x' },
        { a: 2, c: 'y,z' },
      ]),
      'a,b,c\r\n1,x,\r\n2,,"y,z"\r\n',
    );
  });
});

for (const target of testDatabaseTargets()) {
  describe(`dashboard read routes on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    const clock = createManualClock(new Date('2026-06-10T12:00:00.000Z'));
    let token = '';
    let organizationId = '';
    let otherJob = '';
    let otherAudience = '';
    const deps = () => ({ db: server.database.db, clock });

    const get = (path: string, bearer = token) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    const json = async <T>(path: string): Promise<T> => {
      const r = await get(path);
      const body = (await r.json()) as T;
      assert.equal(r.status, 200, JSON.stringify(body));
      return body;
    };

    /** A labeler answering a job's datapoint (by index), as the labeling engine records it. */
    const answer = async (
      jobId: string,
      index: number,
      labeler: { id: string; score: number; audienceScore?: number },
      value: Record<string, string>,
      at: Date,
    ) => {
      const db = server.database.db;
      const tasks = await db
        .selectFrom('tasks')
        .innerJoin('datapoints', 'datapoints.id', 'tasks.datapoint_id')
        .select(['tasks.id', 'tasks.datapoint_id'])
        .where('tasks.job_id', '=', jobId)
        .orderBy('datapoints.sort_index')
        .execute();
      const task = tasks[index];
      assert.ok(task);
      await db
        .insertInto('responses')
        .values({
          id: newId('rsp'),
          task_id: task.id,
          job_id: jobId,
          datapoint_id: task.datapoint_id,
          labeler_id: labeler.id,
          answer: JSON.stringify(value),
          presentation: JSON.stringify({}),
          user_score: labeler.score,
          audience_user_score: labeler.audienceScore ?? labeler.score,
          created_at: at.toISOString(),
        })
        .execute();
      await db
        .updateTable('tasks')
        .set((eb) => ({ responses_count: eb('responses_count', '+', 1) }))
        .where('id', '=', task.id)
        .execute();
    };
    const labeler = async (country: string, language: string, score: number) => {
      const l = await buildLabeler(server.database.db, { country, language });
      await server.database.db
        .updateTable('labelers')
        .set({ user_score: score })
        .where('id', '=', l.id)
        .execute();
      return { id: l.id, score };
    };

    before(async () => {
      env = await createTestEnvironment(target);
      server = await startServer({
        port: 0,
        dataDir: env.dataDir,
        databaseUrl: env.databaseUrl,
        clock,
        config: { tokenTtlSeconds: 7 * 24 * 3600 },
      });
      const mine = await buildCredentials({ url: server.url, ...deps() });
      token = mine.token;
      organizationId = mine.organizationId;
      const other = await buildCredentials({ url: server.url, ...deps() });
      otherJob = (await buildJob(deps(), { organizationId: other.organizationId })).id;
      otherAudience = (await buildAudience(deps(), { organizationId: other.organizationId })).id;
    });
    after(async () => {
      await server?.close();
      await env?.cleanup();
    });

    it('compare: responses name the chosen side; CSV and JSONL rows carry the values of the JSON results', async () => {
      const definition = await buildDefinition(deps(), {
        organizationId,
        name: 'Helpful, "really"',
        datapoints: [
          [{ text: 'one, with a comma' }, { text: 'two "quoted"' }],
          [{ text: 'three\nlines' }, { text: 'four' }],
        ],
        contexts: ['ctx, 1', 'ctx "2"'],
        privateMetadata: [{ prompt: 'p1' }, { prompt: 'p,2' }],
        settings: ['AllowNeitherBoth'],
        confidenceThreshold: 0.99,
      } as Partial<CreateJobDefinition>);
      const job = await buildJob(deps(), { organizationId, definitionId: definition.id });
      const de = await labeler('DE', 'de', 0.8);
      const us = await labeler('US', 'en', 0.3);
      const t0 = clock.now();
      await answer(job.id, 0, de, { choice: 'B' }, new Date(t0.getTime() + 1));
      await answer(job.id, 0, us, { choice: 'A' }, new Date(t0.getTime() + 2));
      await answer(job.id, 1, de, { choice: 'Both' }, new Date(t0.getTime() + 3));
      // The US labeler's answer was too fast: the responses say so, as the results' integrity block counts it.
      await server.database.db
        .updateTable('responses')
        .set({ flagged_reason: 'too_fast' })
        .where('job_id', '=', job.id)
        .where('labeler_id', '=', us.id)
        .execute();

      const page1 = await json<{
        data: {
          datapoint: { index: number; items: { text?: string }[] };
          votedFor: string;
          answer: unknown;
          labeler: { id: string; country: string; language: string; trustScore: number };
          flaggedReason: string | null;
          excluded: string | null;
        }[];
        total: number;
      }>(`/api/v1/jobs/${job.id}/responses?amount=2`);
      assert.equal(page1.total, 3);
      assert.deepEqual(
        page1.data.map((r) => [r.flaggedReason, r.excluded]),
        [
          [null, null],
          ['too_fast', null],
        ],
      );
      assert.deepEqual(
        page1.data.map((r) => [
          r.datapoint.index,
          r.votedFor,
          r.answer,
          r.labeler.country,
          r.labeler.trustScore,
        ]),
        [
          [0, 'two "quoted"', { choice: 'B' }, 'DE', 0.8],
          [0, 'one, with a comma', { choice: 'A' }, 'US', 0.3],
        ],
      );
      assert.equal(page1.data[0]?.labeler.id, de.id);
      assert.equal(page1.data[0]?.datapoint.items[1]?.text, 'two "quoted"');
      const page2 = await json<{ data: { votedFor: string; labeler: { language: string } }[] }>(
        `/api/v1/jobs/${job.id}/responses?amount=2&page=2`,
      );
      assert.deepEqual(
        page2.data.map((r) => [r.votedFor, r.labeler.language]),
        [['Both', 'de']],
      );

      const results = (
        await json<{
          data: {
            results: {
              context: string;
              winner: string | null;
              winner_index: number | null;
              aggregatedResults: Record<string, number>;
              aggregatedResultsRatios: Record<string, number>;
              summedUserScores: Record<string, number>;
              summedUserScoresRatios: Record<string, number>;
              confidencePerCategory: Record<string, number>;
              detailedResults: unknown[];
            }[];
          };
        }>(`/api/v1/jobs/${job.id}/results`)
      ).data.results;

      const csv = await get(`/api/v1/jobs/${job.id}/results.csv`);
      assert.equal(csv.status, 200);
      assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal(
        csv.headers.get('content-disposition'),
        `attachment; filename="Helpful-really-results.csv"; filename*=UTF-8''${encodeURIComponent('Helpful, "really" results.csv')}`,
      );
      const rows = csvRecords(await csv.text());
      assert.equal(rows.length, 2);
      const items = [
        ['one, with a comma', 'two "quoted"'],
        ['three\nlines', 'four'],
      ];
      rows.forEach((row, i) => {
        const r = results[i];
        assert.ok(r);
        const [a, b] = items[i] as [string, string];
        assert.equal(row.index, String(i));
        assert.match(row.datapoint_id ?? '', /^dp/);
        assert.equal(row.item_a, a);
        assert.equal(row.item_b, b);
        assert.equal(row.context, r.context);
        assert.equal(row.winner, cell(r.winner));
        assert.equal(row.winner_index, cell(r.winner_index));
        assert.equal(row.responses, String(r.detailedResults.length));
        assert.equal(row.metadata_prompt, i === 0 ? 'p1' : 'p,2');
        for (const [key, option] of [
          ['a', a],
          ['b', b],
          ['both', 'Both'],
          ['neither', 'Neither'],
        ] as const) {
          assert.equal(row[`votes_${key}`], cell(r.aggregatedResults[option]), `votes_${key}`);
          assert.equal(row[`ratio_${key}`], cell(r.aggregatedResultsRatios[option]));
          assert.equal(row[`summed_trust_${key}`], cell(r.summedUserScores[option]));
          assert.equal(row[`summed_trust_ratio_${key}`], cell(r.summedUserScoresRatios[option]));
          assert.equal(row[`confidence_${key}`], cell(r.confidencePerCategory[option]));
        }
      });
      assert.equal(rows[0]?.winner, 'two "quoted"');
      assert.equal(rows[0]?.votes_a, '1');
      assert.equal(rows[1]?.votes_both, '1');

      const jsonl = await get(`/api/v1/jobs/${job.id}/results.jsonl`);
      assert.equal(jsonl.status, 200);
      assert.match(jsonl.headers.get('content-type') ?? '', /^application\/jsonl/);
      assert.match(
        jsonl.headers.get('content-disposition') ?? '',
        /filename="Helpful-really-results\.jsonl"/,
      );
      const lines = (await jsonl.text()).split('\n');
      assert.equal(lines.pop(), '', 'every line ends with a newline');
      assert.deepEqual(
        lines.map((l) => JSON.parse(l)),
        results.map((r, index) => ({ datapointId: rows[index]?.datapoint_id, index, ...r })),
      );
    });

    it('classification: one row per datapoint with per-category counts, ratios and confidence', async () => {
      const definition = await buildDefinition(deps(), {
        organizationId,
        type: 'classification',
        name: 'Pets',
        instruction: 'Which animal?',
        answerOptions: ['Cat', 'Dog'],
        datapoints: [{ text: 'meow' }, { text: 'woof' }],
        confidenceThreshold: 0.99,
      } as Partial<CreateJobDefinition>);
      const job = await buildJob(deps(), { organizationId, definitionId: definition.id });
      const a = await labeler('FR', 'fr', 0.9);
      const b = await labeler('GB', 'en', 0.6);
      const at = (ms: number) => new Date(clock.now().getTime() + ms);
      await answer(job.id, 0, a, { category: 'Cat' }, at(1));
      await answer(job.id, 0, b, { category: 'Dog' }, at(2));
      await answer(job.id, 1, b, { category: 'Dog' }, at(3));
      const results = (
        await json<{
          data: {
            results: {
              data: {
                text: string;
                aggregatedResults: Record<string, number>;
                aggregatedResultsRatios: Record<string, number>;
                summedUserScores: Record<string, number>;
                summedUserScoresRatios: Record<string, number>;
                confidencePerCategory: Record<string, number>;
              }[];
            };
          };
        }>(`/api/v1/jobs/${job.id}/results`)
      ).data.results.data;
      const rows = csvRecords(await (await get(`/api/v1/jobs/${job.id}/results.csv`)).text());
      assert.equal(rows.length, 2);
      rows.forEach((row, i) => {
        const r = results[i];
        assert.ok(r);
        assert.equal(row.item, r.text);
        for (const c of ['Cat', 'Dog']) {
          assert.equal(row[`votes_${c}`], cell(r.aggregatedResults[c]));
          assert.equal(row[`ratio_${c}`], cell(r.aggregatedResultsRatios[c]));
          assert.equal(row[`summed_trust_${c}`], cell(r.summedUserScores[c]));
          assert.equal(row[`summed_trust_ratio_${c}`], cell(r.summedUserScoresRatios[c]));
          assert.equal(row[`confidence_${c}`], cell(r.confidencePerCategory[c]));
        }
      });
      assert.equal(rows[1]?.votes_Dog, '1');
      const responses = await json<{ data: { votedFor: string; labeler: { audienceTrustScore: number } }[] }>(
        `/api/v1/jobs/${job.id}/responses?datapointId=${encodeURIComponent(rows[0]?.datapoint_id ?? '')}`,
      );
      assert.deepEqual(
        responses.data.map((r) => r.votedFor),
        ['Cat', 'Dog'],
      );
      const lines = (await (await get(`/api/v1/jobs/${job.id}/results.jsonl`)).text()).trim().split('\n');
      assert.deepEqual(
        lines.map((l) => JSON.parse(l).aggregatedResults),
        results.map((r) => r.aggregatedResults),
      );
    });

    it('the job list filters by status', async () => {
      const job = await buildJob(deps(), { organizationId, name: 'To pause' });
      const r = await fetch(`${server.url}/api/v1/jobs/${job.id}/pause`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(r.status, 200);
      const paused = await json<{ data: { id: string; status: string }[]; total: number }>(
        '/api/v1/jobs?status=paused',
      );
      assert.deepEqual(
        paused.data.map((j) => [j.id, j.status]),
        [[job.id, 'paused']],
      );
      const running = await json<{ data: { status: string }[] }>('/api/v1/jobs?status=running&amount=100');
      assert.ok(running.data.length >= 2);
      assert.ok(running.data.every((j) => j.status === 'running'));
    });

    it("labeler stats: trust-score bins over the labelers who answered this organization's jobs, answers per day", async () => {
      // A fresh organization: its own job and crowd, and a labeler who answered only another organization's job.
      const org = await buildCredentials({ url: server.url, ...deps() });
      const job = await buildJob(deps(), { organizationId: org.organizationId });
      const low = await labeler('DE', 'de', 0.05);
      const mid = await labeler('US', 'en', 0.55);
      const top = await labeler('US', 'en', 1);
      const elsewhere = await labeler('JP', 'ja', 0.95);
      const day = (d: number) => new Date(Date.UTC(2026, 5, d, 23, 59));
      await answer(job.id, 0, low, { choice: 'A' }, day(8));
      await answer(job.id, 1, low, { choice: 'A' }, day(8));
      await answer(job.id, 0, mid, { choice: 'B' }, day(8));
      await answer(job.id, 0, top, { choice: 'B' }, day(10));
      await answer(job.id, 1, top, { choice: 'B' }, day(1)); // outside a 7-day window
      await answer(otherJob, 0, elsewhere, { choice: 'A' }, day(9));
      const r = await get('/api/v1/labelers/stats?days=7&bins=4', org.token);
      const stats = ((await r.json()) as { data: unknown }).data;
      assert.equal(r.status, 200);
      assert.deepEqual(stats, {
        labelers: 3,
        trustScores: [
          { from: 0, to: 0.25, count: 1 },
          { from: 0.25, to: 0.5, count: 0 },
          { from: 0.5, to: 0.75, count: 1 },
          { from: 0.75, to: 1, count: 1 },
        ],
        answersPerDay: [
          { day: '2026-06-04', answers: 0, labelers: 0 },
          { day: '2026-06-05', answers: 0, labelers: 0 },
          { day: '2026-06-06', answers: 0, labelers: 0 },
          { day: '2026-06-07', answers: 0, labelers: 0 },
          { day: '2026-06-08', answers: 3, labelers: 2 },
          { day: '2026-06-09', answers: 0, labelers: 0 },
          { day: '2026-06-10', answers: 1, labelers: 1 },
        ],
      });
      const fallback = await json<{ data: { trustScores: unknown[]; answersPerDay: unknown[] } }>(
        '/api/v1/labelers/stats',
      );
      assert.equal(fallback.data.trustScores.length, 10);
      assert.equal(fallback.data.answersPerDay.length, 30);
    });

    it('audience members: state, trust score, qualification and gold tallies, and why someone was dropped', async () => {
      const audience = await buildAudience(deps(), {
        organizationId,
        name: 'Experts',
        passRule: { targetAccuracy: 0.75, minExamples: 1 },
      });
      const example = await addExample(deps(), organizationId, audience.id, {
        taskType: 'compare',
        instruction: 'Which is right?',
        dataType: 'text',
        datapoint: [{ text: 'right' }, { text: 'wrong' }],
        truth: 'right',
      } as AddExample);
      const db = server.database.db;
      const member = async (
        country: string,
        state: 'qualifying' | 'qualified' | 'dropped',
        qualification: [number, number],
        gold: [number, number],
        at: string,
      ) => {
        const l = await buildLabeler(db, { country, language: 'en' });
        await db
          .insertInto('audience_members')
          .values({
            audience_id: audience.id,
            labeler_id: l.id,
            state,
            answered: qualification[0],
            correct: qualification[1],
            user_score: 0.42,
            updated_at: at,
          })
          .execute();
        for (let i = 0; i < gold[0]; i++)
          await db
            .insertInto('gold_answers')
            .values({
              id: newId('gld'),
              example_id: example.id,
              audience_id: audience.id,
              labeler_id: l.id,
              answer: JSON.stringify({ choice: 'A' }),
              correct: i < gold[1] ? 1 : 0,
              created_at: at,
            })
            .execute();
        return l.id;
      };
      const failed = await member('DE', 'dropped', [4, 2], [0, 0], '2026-06-05T00:00:00.000Z');
      const goldDropped = await member('US', 'dropped', [4, 4], [10, 5], '2026-06-07T00:00:00.000Z');
      const qualified = await member('US', 'qualified', [4, 3], [2, 2], '2026-06-06T00:00:00.000Z');
      const qualifying = await member('FR', 'qualifying', [1, 1], [0, 0], '2026-06-04T00:00:00.000Z');

      type Member = {
        labelerId: string;
        state: string;
        trustScore: number;
        country: string;
        qualification: { answered: number; correct: number };
        gold: { answered: number; correct: number };
        dropReason: string | null;
      };
      const all = await json<{ data: Member[]; total: number }>(`/api/v1/audiences/${audience.id}/members`);
      assert.equal(all.total, 4);
      assert.deepEqual(
        all.data.map((m) => m.labelerId),
        [goldDropped, qualified, failed, qualifying],
        'latest change first',
      );
      const byId = new Map(all.data.map((m) => [m.labelerId, m]));
      assert.deepEqual(byId.get(failed), {
        labelerId: failed,
        state: 'dropped',
        trustScore: 0.42,
        country: 'DE',
        language: 'en',
        qualification: { answered: 4, correct: 2 },
        gold: { answered: 0, correct: 0 },
        dropReason: 'Failed qualification: 2 of 4 examples right (50%); the audience needs 75%.',
        updatedAt: '2026-06-05T00:00:00.000Z',
      });
      assert.equal(
        byId.get(goldDropped)?.dropReason,
        'Dropped after 10 gold checks: 9 of 14 answers right (64%) over qualification and gold checks; the audience needs 75%.',
      );
      assert.deepEqual(byId.get(goldDropped)?.gold, { answered: 10, correct: 5 });
      assert.equal(byId.get(qualified)?.dropReason, null);
      assert.equal(byId.get(qualifying)?.state, 'qualifying');

      const dropped = await json<{ data: Member[]; total: number }>(
        `/api/v1/audiences/${audience.id}/members?state=dropped&amount=1&page=2`,
      );
      assert.equal(dropped.total, 2);
      assert.deepEqual(
        dropped.data.map((m) => m.labelerId),
        [failed],
      );

      // A filtered audience lists its base's members who match its filters.
      const us = await fetch(`${server.url}/api/v1/audiences/${audience.id}/filter`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ filters: [{ type: 'country', countries: ['US'] }] }),
      });
      assert.equal(us.status, 201);
      const filteredId = ((await us.json()) as { data: { id: string } }).data.id;
      const filtered = await json<{ data: Member[] }>(`/api/v1/audiences/${filteredId}/members`);
      assert.deepEqual(
        filtered.data.map((m) => m.labelerId),
        [goldDropped, qualified],
      );
    });

    it("another organization's job or audience is a 404; bad query input is a 400 with the error body", async () => {
      const mine = await buildJob(deps(), { organizationId });
      const cases: [string, number, string][] = [
        [`/api/v1/jobs/${otherJob}/responses`, 404, 'NOT_FOUND'],
        [`/api/v1/jobs/${otherJob}/results.csv`, 404, 'NOT_FOUND'],
        [`/api/v1/jobs/${otherJob}/results.jsonl`, 404, 'NOT_FOUND'],
        ['/api/v1/jobs/job_unknown/results.csv', 404, 'NOT_FOUND'],
        [`/api/v1/audiences/${otherAudience}/members`, 404, 'NOT_FOUND'],
        [`/api/v1/jobs/${mine.id}/responses?amount=0`, 400, 'VALIDATION_FAILED'],
        [`/api/v1/jobs/${mine.id}/responses?name=x`, 400, 'VALIDATION_FAILED'],
        [`/api/v1/jobs/${mine.id}/responses?page=-1`, 400, 'VALIDATION_FAILED'],
        ['/api/v1/jobs?status=done', 400, 'VALIDATION_FAILED'],
        ['/api/v1/labelers/stats?days=0', 400, 'VALIDATION_FAILED'],
        ['/api/v1/labelers/stats?bins=1', 400, 'VALIDATION_FAILED'],
        ['/api/v1/labelers/stats?since=2026-01-01', 400, 'VALIDATION_FAILED'],
        [`/api/v1/audiences/${otherAudience}/members?state=gone`, 400, 'VALIDATION_FAILED'],
        ['/api/v1/audiences/global/members', 400, 'VALIDATION_FAILED'],
        [`/api/v1/jobs/${mine.id}/results?includeExcluded=yes`, 400, 'VALIDATION_FAILED'],
        [`/api/v1/jobs/${mine.id}/results?excluded=true`, 400, 'VALIDATION_FAILED'],
      ];
      for (const [path, status, code] of cases) {
        const r = await get(path);
        const body = (await r.json()) as { error: { code: string; message: string; requestId: string } };
        assert.equal(r.status, status, `${path}: ${JSON.stringify(body)}`);
        assert.equal(body.error.code, code, path);
        assert.ok(body.error.message && body.error.requestId, path);
      }
      const unauthenticated = await fetch(`${server.url}/api/v1/jobs/${mine.id}/results.csv`);
      assert.equal(unauthenticated.status, 401);
    });
  });
}
