/**
 * Labeler bad input gets a clear error with a stable code and loses nothing. Real HTTP on loopback, SQLite
 * always and Postgres when TEST_DATABASE_URL is set.
 *
 * | #  | Case                                                          | Status | Code              |
 * |----|---------------------------------------------------------------|--------|-------------------|
 * | 1  | no session cookie (GET /labeler/me, tasks/next, responses…)   | 401    | UNAUTHENTICATED   |
 * | 2  | forged cookie (valid labeler id, wrong signature)             | 401    | UNAUTHENTICATED   |
 * | 3  | cookie signed for a labeler that does not exist               | 401    | UNAUTHENTICATED   |
 * | 4  | garbage cookie value                                          | 401    | UNAUTHENTICATED   |
 * | 5  | requester bearer token instead of a cookie                    | 401    | UNAUTHENTICATED   |
 * | 6  | profile with a lower-case / 3-letter country code             | 400    | VALIDATION_FAILED |
 * | 7  | profile with an upper-case language code                      | 400    | VALIDATION_FAILED |
 * | 8  | profile without language                                      | 400    | VALIDATION_FAILED |
 * | 9  | profile with an unknown field                                 | 400    | VALIDATION_FAILED |
 * | 10 | session body with a bad country code                          | 400    | VALIDATION_FAILED |
 * | 11 | malformed lease id                                            | 400    | VALIDATION_FAILED |
 * | 12 | well-formed lease id nobody holds                             | 404    | NOT_FOUND         |
 * | 13 | answering a task another labeler holds                        | 404    | NOT_FOUND         |
 * | 14 | answering after the lease expired                             | 409    | CONFLICT          |
 * | 15 | answering the same lease twice                                | 409    | CONFLICT          |
 * | 16 | compare answer that is not A/B (e.g. "C")                     | 400    | VALIDATION_FAILED |
 * | 17 | "Both"/"Neither" when AllowNeitherBoth is not set             | 400    | VALIDATION_FAILED |
 * | 18 | a category answer to a compare task                           | 400    | VALIDATION_FAILED |
 * | 19 | classification answer that is not one of the options          | 400    | VALIDATION_FAILED |
 * | 20 | a choice answer to a classification task                      | 400    | VALIDATION_FAILED |
 * | 21 | answer missing / empty object / extra field                   | 400    | VALIDATION_FAILED |
 * | 22 | malformed JSON body                                           | 400    | BAD_REQUEST       |
 * | 23 | qualification answer for an unknown example                   | 404    | NOT_FOUND         |
 * | 24 | qualification answer naming another audience than the example's | 404  | NOT_FOUND         |
 * | 25 | qualification answer for the same example twice               | 409    | CONFLICT          |
 * | 26 | qualification answer after qualification finished             | 409    | CONFLICT          |
 * | 27 | qualification answer not among the example's options          | 400    | VALIDATION_FAILED |
 * | 28 | qualification answer to an audience whose filters exclude you | 409    | CONFLICT          |
 * | 29 | qualification answer to an audience with too few examples     | 409    | CONFLICT          |
 * | 30 | gold check (served as a task): another labeler's lease / an answer not offered / answered twice / expired | 404 / 400 / 409 / 409 | NOT_FOUND / VALIDATION_FAILED / CONFLICT |
 * Afterwards: exactly the accepted answers are stored (responses and example answers), every rejected answer
 * left no row, held leases are intact, and the counters equal the stored responses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { Labeler, type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { createManualClock } from '../http/clock.ts';

for (const target of testDatabaseTargets()) {
  describe(`labeler bad input on ${target.name}`, () => {
    const clock = createManualClock(new Date('2026-06-01T08:00:00Z'));
    let h: LabelingHarness;
    before(async () => {
      h = await startLabelingHarness(target, { clock });
    });
    after(() => h.close());
    const db = () => h.server.database.db;

    const expectError = (
      r: { status: number; body: { error?: { code: string; message: string } } },
      status: number,
      code: string,
    ) => {
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.error?.code, code);
      assert.ok((r.body.error?.message.length ?? 0) > 10, 'the message says what to do');
    };

    it('rejects missing, forged, unknown and foreign credentials (1-5)', async () => {
      const anon = new Labeler(h.base);
      for (const [method, path, body] of [
        ['GET', '/api/v1/labeler/me', undefined],
        ['PUT', '/api/v1/labeler/me', { country: 'US', language: 'en' }],
        ['GET', '/api/v1/labeler/tasks/next', undefined],
        ['POST', '/api/v1/labeler/responses', { leaseId: 'lse_0000000000000000', answer: { choice: 'A' } }],
        [
          'POST',
          '/api/v1/labeler/qualification-answers',
          { exampleId: 'aex_x', audienceId: 'aud_x', answer: { choice: 'A' } },
        ],
      ] as const)
        expectError(await anon.request(method, path, body), 401, 'UNAUTHENTICATED');
      const real = await h.labeler();
      const [name, value] = real.cookie.split('=') as [string, string];
      const [id, mac] = value.split('.') as [string, string];
      const forged = new Labeler(h.base);
      forged.cookie = `${name}=${id}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
      expectError(await forged.request('GET', '/api/v1/labeler/me'), 401, 'UNAUTHENTICATED');
      forged.cookie = `${name}=lab_doesnotexist0000.${mac}`;
      expectError(await forged.request('GET', '/api/v1/labeler/tasks/next'), 401, 'UNAUTHENTICATED');
      forged.cookie = `${name}=garbage`;
      expectError(await forged.request('GET', '/api/v1/labeler/me'), 401, 'UNAUTHENTICATED');
      const bearer = await fetch(`${h.base}/api/v1/labeler/me`, {
        headers: { authorization: `Bearer ${h.requester.token}` },
      });
      assert.equal(bearer.status, 401);
      // A forged cookie on POST /session gets a new labeler, never the forged one.
      forged.cookie = `${name}=${id}.AAAA`;
      const s = await forged.request('POST', '/api/v1/labeler/session');
      assert.equal(s.status, 201);
      assert.notEqual(s.body.data.id, id);
    });

    it('rejects bad profiles (6-10)', async () => {
      const l = await h.labeler();
      for (const body of [
        { country: 'us', language: 'en' },
        { country: 'USA', language: 'en' },
        { country: 'US', language: 'EN' },
        { country: 'US' },
        { country: 'US', language: 'en', nickname: 'x' },
      ])
        expectError(await l.request('PUT', '/api/v1/labeler/me', body), 400, 'VALIDATION_FAILED');
      const r = await l.request('PUT', '/api/v1/labeler/me', { country: 'us', language: 'en' });
      assert.match(r.body.error.message, /country/);
      expectError(
        await new Labeler(h.base).request('POST', '/api/v1/labeler/session', { country: 'Germany' }),
        400,
        'VALIDATION_FAILED',
      );
      const me = await l.request('GET', '/api/v1/labeler/me');
      assert.equal(me.body.data.country, null, 'nothing was stored');
    });

    it('rejects bad answers to leased tasks and records only the good ones (11-22)', async () => {
      const compare = await h.requester.compareJob({ datapoints: 2, responsesPerDatapoint: 3 });
      const a = await h.labeler();
      const b = await h.labeler();
      const ta = await a.next();
      const tb = await b.next();
      assert.equal(ta.kind, 'task');
      assert.equal(tb.kind, 'task');

      expectError(await a.answer('not-a-lease', { choice: 'A' }), 400, 'VALIDATION_FAILED');
      expectError(await a.answer('lse_zzzzzzzzzzzzzzzz', { choice: 'A' }), 404, 'NOT_FOUND');
      expectError(await a.answer(tb.leaseId, { choice: 'A' }), 404, 'NOT_FOUND');
      expectError(await a.answer(ta.leaseId, { choice: 'C' }), 400, 'VALIDATION_FAILED');
      const both = await a.answer(ta.leaseId, { choice: 'Both' });
      expectError(both, 400, 'VALIDATION_FAILED');
      assert.match(both.body.error.message, /Both\/Neither/);
      expectError(await a.answer(ta.leaseId, { choice: 'Neither' }), 400, 'VALIDATION_FAILED');
      expectError(await a.answer(ta.leaseId, { category: 'A' }), 400, 'VALIDATION_FAILED');
      expectError(
        await a.request('POST', '/api/v1/labeler/responses', { leaseId: ta.leaseId }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await a.answer(ta.leaseId, {}), 400, 'VALIDATION_FAILED');
      expectError(await a.answer(ta.leaseId, { choice: 'A', extra: 1 }), 400, 'VALIDATION_FAILED');
      expectError(await a.request('POST', '/api/v1/labeler/responses', '{"leaseId":'), 400, 'BAD_REQUEST');

      assert.equal((await a.answer(ta.leaseId, { choice: 'A' })).status, 201);
      const twice = await a.answer(ta.leaseId, { choice: 'B' });
      expectError(twice, 409, 'CONFLICT');
      assert.match(twice.body.error.message, /already answered/);

      clock.advance(61_000);
      const late = await b.answer(tb.leaseId, { choice: 'B' });
      expectError(late, 409, 'CONFLICT');
      assert.match(late.body.error.message, /expired/);

      const cls = await h.requester.classificationJob({
        datapoints: 1,
        responsesPerDatapoint: 1,
        answerOptions: ['Cat', 'Dog'],
      });
      await h.requester.ok('POST', `/api/v1/jobs/${compare.id}/pause`);
      const c = await h.labeler();
      const tc = await c.next();
      assert.equal(tc.jobId, cls.id);
      const notOption = await c.answer(tc.leaseId, { category: 'Horse' });
      expectError(notOption, 400, 'VALIDATION_FAILED');
      assert.match(notOption.body.error.message, /"Cat", "Dog"/);
      expectError(await c.answer(tc.leaseId, { choice: 'A' }), 400, 'VALIDATION_FAILED');
      expectError(await c.answer(tc.leaseId, { category: '' }), 400, 'VALIDATION_FAILED');
      assert.equal((await c.answer(tc.leaseId, { category: 'Dog' })).status, 201);

      // Nothing lost, nothing extra: exactly the two accepted answers, counters in step, C's lease released.
      const responses = await db().selectFrom('responses').selectAll().execute();
      assert.deepEqual(
        responses.map((r) => [r.labeler_id, JSON.parse(r.answer)]).sort(),
        [
          [a.id, { choice: 'A' }],
          [c.id, { category: 'Dog' }],
        ].sort(),
      );
      const tasks = await db().selectFrom('tasks').select(['id', 'responses_count']).execute();
      for (const t of tasks)
        assert.equal(t.responses_count, responses.filter((r) => r.task_id === t.id).length);
      const leases = await db()
        .selectFrom('leases')
        .select(['labeler_id'])
        .where('kind', '=', 'task')
        .execute();
      assert.deepEqual(
        leases.map((l) => l.labeler_id),
        [b.id],
        "only B's expired lease remains (swept later)",
      );
    });

    it('rejects bad qualification answers and keeps the good ones (23-29)', async () => {
      const aud = await h.requester.ok('POST', '/api/v1/audiences', {
        name: 'Qualified',
        passRule: { targetAccuracy: 0.5, minExamples: 2 },
      });
      const audienceId = aud.data.id as string;
      for (let i = 0; i < 2; i++)
        await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
          taskType: 'classification',
          instruction: 'Which animal?',
          dataType: 'text',
          answerOptions: ['Cat', 'Dog'],
          datapoint: { text: `animal ${i}` },
          truth: ['Cat'],
        });
      const other = await h.requester.ok('POST', '/api/v1/audiences', { name: 'Other' });
      const job = await h.requester.classificationJob({
        audienceId,
        datapoints: 1,
        responsesPerDatapoint: 1,
      });
      const l = await h.labeler();
      const q = await l.next();
      assert.equal(q.kind, 'qualification');

      expectError(await l.qualify('aex_unknown000000000', audienceId, { category: 'Cat' }), 404, 'NOT_FOUND');
      expectError(await l.qualify(q.exampleId, other.data.id, { category: 'Cat' }), 404, 'NOT_FOUND');
      expectError(await l.qualify(q.exampleId, audienceId, { category: 'Horse' }), 400, 'VALIDATION_FAILED');
      expectError(await l.qualify(q.exampleId, audienceId, { choice: 'A' }), 400, 'VALIDATION_FAILED');
      assert.equal((await l.qualify(q.exampleId, audienceId, { category: 'Cat' })).status, 201);
      expectError(await l.qualify(q.exampleId, audienceId, { category: 'Cat' }), 409, 'CONFLICT');
      const q2 = await l.next();
      assert.equal(q2.kind, 'qualification');
      const done = await l.qualify(q2.exampleId, audienceId, { category: 'Dog' });
      assert.equal(done.body.data.membership.state, 'qualified');
      expectError(await l.qualify(q2.exampleId, audienceId, { category: 'Dog' }), 409, 'CONFLICT');

      const fr = await h.requester.ok('POST', '/api/v1/audiences', {
        name: 'French',
        passRule: { minExamples: 1 },
        filters: [{ type: 'country', countries: ['FR'] }],
      });
      const frEx = await h.requester.ok('POST', `/api/v1/audiences/${fr.data.id}/examples`, {
        taskType: 'classification',
        instruction: 'Which animal?',
        dataType: 'text',
        answerOptions: ['Cat', 'Dog'],
        datapoint: { text: 'chat' },
        truth: ['Cat'],
      });
      expectError(await l.qualify(frEx.data.id, fr.data.id, { category: 'Cat' }), 409, 'CONFLICT');
      const thin = await h.requester.ok('POST', '/api/v1/audiences', {
        name: 'Thin',
        passRule: { minExamples: 3 },
      });
      const thinEx = await h.requester.ok('POST', `/api/v1/audiences/${thin.data.id}/examples`, {
        taskType: 'classification',
        instruction: 'Which animal?',
        dataType: 'text',
        answerOptions: ['Cat', 'Dog'],
        datapoint: { text: 'meow' },
        truth: ['Cat'],
      });
      expectError(await l.qualify(thinEx.data.id, thin.data.id, { category: 'Cat' }), 409, 'CONFLICT');

      const stored = await db()
        .selectFrom('example_answers')
        .selectAll()
        .where('labeler_id', '=', l.id)
        .execute();
      assert.deepEqual(stored.map((s) => [s.correct, JSON.parse(s.answer).category]).sort(), [
        [0, 'Dog'],
        [1, 'Cat'],
      ]);
      const work = await l.next();
      assert.equal(work.jobId, job.id);
    });
  });

  describe(`labeler bad input on gold checks on ${target.name}`, () => {
    const clock = createManualClock(new Date('2026-06-02T08:00:00Z'));
    let h: LabelingHarness;
    before(async () => {
      // Every claim of a qualified labeler becomes a gold check.
      h = await startLabelingHarness(target, { clock, config: { goldRate: 1 } });
    });
    after(() => h.close());

    it('30: gold checks refuse what task leases refuse, with the same codes, and store only the accepted answer', async () => {
      const aud = await h.requester.ok('POST', '/api/v1/audiences', {
        name: 'Gold',
        passRule: { minExamples: 2, targetAccuracy: 0.5 },
      });
      const audienceId = aud.data.id as string;
      for (const purpose of ['qualification', 'gold'])
        for (let i = 0; i < 2; i++)
          await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
            taskType: 'classification',
            instruction: 'Which animal?',
            dataType: 'text',
            answerOptions: ['Cat', 'Dog'],
            datapoint: { text: `${purpose} animal ${i}` },
            truth: ['Cat'],
            purpose,
          });
      const job = await h.requester.classificationJob({
        audienceId,
        answerOptions: ['Cat', 'Dog'],
        datapoints: 2,
      });
      const l = await h.labeler();
      for (let i = 0; i < 2; i++) {
        const q = await l.next();
        assert.equal(q.kind, 'qualification');
        assert.equal((await l.qualify(q.exampleId, audienceId, { category: 'Cat' })).status, 201);
      }
      const gold = await l.next();
      assert.equal(gold.kind, 'task');
      assert.equal(gold.jobId, job.id);
      const other = await h.labeler();
      const status = (r: { status: number; body: { error?: { code: string } } }) => [
        r.status,
        r.body.error?.code,
      ];
      assert.deepEqual(status(await other.answer(gold.leaseId, { category: 'Cat' })), [404, 'NOT_FOUND']);
      assert.deepEqual(status(await l.answer(gold.leaseId, { category: 'Horse' })), [
        400,
        'VALIDATION_FAILED',
      ]);
      assert.deepEqual(status(await l.answer(gold.leaseId, { choice: 'A' })), [400, 'VALIDATION_FAILED']);
      assert.equal((await l.answer(gold.leaseId, { category: 'Cat' })).status, 201);
      assert.deepEqual(status(await l.answer(gold.leaseId, { category: 'Cat' })), [409, 'CONFLICT']);
      const late = await l.next();
      assert.equal(late.kind, 'task');
      clock.advance(61_000);
      assert.deepEqual(status(await l.answer(late.leaseId, { category: 'Cat' })), [409, 'CONFLICT']);

      const db = h.server.database.db;
      const golds = await db.selectFrom('gold_answers').selectAll().where('labeler_id', '=', l.id).execute();
      assert.deepEqual(
        golds.map((g) => [g.correct, JSON.parse(g.answer).category]),
        [[1, 'Cat']],
      );
      assert.equal(
        (await db.selectFrom('responses').select('id').where('job_id', '=', job.id).execute()).length,
        0,
      );
      const tasks = await db
        .selectFrom('tasks')
        .select('responses_count')
        .where('job_id', '=', job.id)
        .execute();
      assert.ok(tasks.every((t) => t.responses_count === 0));
    });
  });
}
