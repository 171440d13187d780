// The labeling engine over real HTTP: sessions, task claims under leases, A/B order and option shuffling,
// stopping rules, job completion, qualification before work, filtered audiences. SQLite always; Postgres when
// TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { createManualClock } from '../http/clock.ts';

for (const target of testDatabaseTargets()) {
  describe(`labeling on ${target.name}`, () => {
    const clock = createManualClock(new Date('2026-05-01T12:00:00Z'));
    let h: LabelingHarness;
    before(async () => {
      // Gold checks (tested in gold.test.ts) off: these tests expect a qualified labeler's next item to be work.
      h = await startLabelingHarness(target, { clock, config: { goldRate: 0 } });
    });
    after(() => h.close());

    const db = () => h.server.database.db;
    const pause = async (jobId: string) => {
      await h.requester.ok('POST', `/api/v1/jobs/${jobId}/pause`);
    };

    it('creates an anonymous labeler with a signed HttpOnly cookie, resumes it, updates the profile', async () => {
      const l = await h.labeler();
      assert.match(l.cookie, /^jury_labeler=lab_[0-9a-z]+\.[\w-]+$/);
      const again = await l.request('POST', '/api/v1/labeler/session');
      assert.equal(again.status, 200);
      assert.equal(again.body.data.id, l.id);
      assert.equal(again.headers.get('set-cookie'), null);
      const me = await l.request('GET', '/api/v1/labeler/me');
      assert.equal(me.body.data.profileComplete, false);
      assert.ok(me.body.data.userScore > 0.49 && me.body.data.userScore < 0.51);
      const put = await l.request('PUT', '/api/v1/labeler/me', {
        country: 'DE',
        language: 'de',
        demographics: { age: '25-34' },
      });
      assert.equal(put.status, 200);
      assert.deepEqual(
        [
          put.body.data.country,
          put.body.data.language,
          put.body.data.demographics,
          put.body.data.profileComplete,
        ],
        ['DE', 'de', { age: '25-34' }, true],
      );
      const fresh = await fetch(`${h.base}/api/v1/labeler/session`, { method: 'POST' });
      const cookie = fresh.headers.get('set-cookie') ?? '';
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Path=\//);
    });

    it('serves nothing when no job is running', async () => {
      const l = await h.labeler();
      const next = await l.next();
      assert.equal(next.kind, 'none');
      assert.ok(next.retryAfterMs > 0);
    });

    it('leases compare tasks with side labels in a random order per labeler, records it, and stops at the cap', async () => {
      const job = await h.requester.compareJob({ datapoints: 2, responsesPerDatapoint: 2 });
      const orders = new Set<string>();
      const labelers = await Promise.all(Array.from({ length: 6 }, () => h.labeler()));
      const answered: string[] = [];
      for (const l of labelers) {
        const t = await l.next();
        if (t.kind !== 'task') continue;
        assert.equal(t.jobId, job.id);
        assert.equal(t.taskType, 'compare');
        assert.deepEqual(t.items.map((i: { side: string }) => i.side).sort(), ['A', 'B']);
        const a = t.items.find((i: { side: string }) => i.side === 'A');
        assert.match(a.text, /^a\d$/, 'side A is the first item the requester gave');
        orders.add(t.items.map((i: { side: string }) => i.side).join(''));
        // Asking again while holding the lease returns the same task.
        assert.equal((await l.next()).leaseId, t.leaseId);
        const r = await l.answer(t.leaseId, { choice: 'A' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        answered.push(r.body.data.id);
      }
      assert.equal(answered.length, 4, '2 datapoints × 2 responses, then nothing more');
      const rows = await db().selectFrom('responses').selectAll().where('job_id', '=', job.id).execute();
      assert.equal(rows.length, 4);
      for (const row of rows) {
        assert.deepEqual(JSON.parse(row.answer), { choice: 'A' });
        assert.ok(['AB', 'BA'].includes(JSON.parse(row.presentation).order.join('')));
      }
      const tasks = await db().selectFrom('tasks').selectAll().where('job_id', '=', job.id).execute();
      assert.ok(tasks.every((t) => t.status === 'complete' && t.responses_count === 2 && t.completed_at));
      const jobRow = await db()
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow();
      assert.equal(jobRow.status, 'completed');
      assert.ok(jobRow.completed_at);
      assert.equal(
        await db().selectFrom('leases').select('id').where('job_id', '=', job.id).executeTakeFirst(),
        undefined,
      );
      // 4 random orders being all equal has probability 1/8; the test tolerates it rather than flake.
      assert.ok(orders.size >= 1);
    });

    it('a lease expires: the task goes to someone else and the late answer is refused', async () => {
      const job = await h.requester.compareJob({ datapoints: 1, responsesPerDatapoint: 1 });
      const slow = await h.labeler();
      const quick = await h.labeler();
      const t = await slow.next();
      assert.equal(t.kind, 'task');
      assert.equal((await quick.next()).kind, 'none', 'the only slot is leased');
      clock.advance(61_000);
      const t2 = await quick.next();
      assert.equal(t2.kind, 'task');
      const late = await slow.answer(t.leaseId, { choice: 'B' });
      assert.equal(late.status, 409);
      assert.equal(late.body.error.code, 'CONFLICT');
      assert.match(late.body.error.message, /expired/);
      assert.equal((await quick.answer(t2.leaseId, { choice: 'B' })).status, 201);
      const n = await db().selectFrom('responses').select('id').where('job_id', '=', job.id).execute();
      assert.equal(n.length, 1);
    });

    it('shuffles classification options unless NoShuffle, and accepts only offered options', async () => {
      const options = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8'];
      const shuffledJob = await h.requester.classificationJob({
        answerOptions: options,
        datapoints: 1,
        responsesPerDatapoint: 3,
      });
      const seen: string[][] = [];
      for (let i = 0; i < 3; i++) {
        const l = await h.labeler();
        const t = await l.next();
        assert.equal(t.kind, 'task');
        assert.equal(t.jobId, shuffledJob.id);
        assert.deepEqual([...t.answerOptions].sort(), options);
        assert.equal(t.items.length, 1);
        assert.equal(t.items[0].side, undefined);
        seen.push(t.answerOptions);
        assert.equal((await l.answer(t.leaseId, { category: t.answerOptions[0] })).status, 201);
      }
      // Three identical shuffles of 8 options: probability (1/8!)² — never in practice.
      assert.ok(seen.some((s) => s.join() !== options.join()));
      const fixed = await h.requester.classificationJob({
        answerOptions: options,
        datapoints: 1,
        responsesPerDatapoint: 1,
        settings: ['NoShuffle'],
      });
      const l = await h.labeler();
      const t = await l.next();
      assert.equal(t.jobId, fixed.id);
      assert.deepEqual(t.answerOptions, options);
      assert.equal(t.settings.noShuffle, true);
      assert.equal((await l.answer(t.leaseId, { category: 'o9' })).status, 400);
      assert.equal((await l.answer(t.leaseId, { category: 'o8' })).status, 201);
    });

    it('quorum stopping: completes a datapoint once enough responses agree', async () => {
      const job = await h.requester.compareJob({
        datapoints: 1,
        responsesPerDatapoint: 5,
        quorumThreshold: 2,
      });
      for (let i = 0; i < 2; i++) {
        const l = await h.labeler();
        const t = await l.next();
        assert.equal(t.jobId, job.id);
        const r = await l.answer(t.leaseId, { choice: 'B' });
        assert.equal(r.body.data.taskCompleted, i === 1);
      }
      const jobRow = await db()
        .selectFrom('jobs')
        .select('status')
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow();
      assert.equal(jobRow.status, 'completed');
    });

    it('confidence stopping: completes once the leading category is confident enough', async () => {
      const job = await h.requester.compareJob({
        datapoints: 1,
        responsesPerDatapoint: 10,
        confidenceThreshold: 0.9,
      });
      let answers = 0;
      let done = false;
      while (!done && answers < 10) {
        const l = await h.labeler();
        const t = await l.next();
        assert.equal(t.jobId, job.id);
        await clock.advance(1500); // as long as a person takes (the compare floor is 1 s: not too fast)
        done = (await l.answer(t.leaseId, { choice: 'A' })).body.data.taskCompleted;
        answers++;
      }
      // New labelers have trust 0.5: each vote multiplies the odds by 3, so 0.9 needs 2 agreeing votes.
      assert.equal(answers, 2);
    });

    it('confidence stopping weighs a too-fast answer as the results do (flaggedWeight 0.25)', async () => {
      const job = await h.requester.compareJob({
        datapoints: 1,
        responsesPerDatapoint: 10,
        confidenceThreshold: 0.9,
      });
      let answers = 0;
      let done = false;
      while (!done && answers < 10) {
        const l = await h.labeler();
        const t = await l.next();
        assert.equal(t.jobId, job.id);
        done = (await l.answer(t.leaseId, { choice: 'A' })).body.data.taskCompleted; // at once: too fast
        answers++;
      }
      // Trust 0.5 counts as 0.125: log-odds 0.25 a vote instead of 1.1, so 0.9 takes 9 agreeing votes.
      assert.equal(answers, 9);
    });

    it('paused jobs are not served; held leases can still be answered', async () => {
      const job = await h.requester.compareJob({ datapoints: 2, responsesPerDatapoint: 1 });
      const a = await h.labeler();
      const t = await a.next();
      assert.equal(t.jobId, job.id);
      await pause(job.id);
      const b = await h.labeler();
      assert.equal((await b.next()).kind, 'none');
      assert.equal((await a.answer(t.leaseId, { choice: 'A' })).status, 201);
    });

    it('qualification comes before work: passing admits, failing drops', async () => {
      const aud = await h.requester.ok('POST', '/api/v1/audiences', {
        name: 'Experts',
        passRule: { targetAccuracy: 0.6, minExamples: 3 },
      });
      const audienceId = aud.data.id as string;
      for (let i = 0; i < 3; i++)
        await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
          taskType: 'compare',
          instruction: 'Which is right?',
          dataType: 'text',
          datapoint: [{ text: `right${i}` }, { text: `wrong${i}` }],
          truth: `right${i}`,
          explanation: 'The right one is right.',
        });
      const job = await h.requester.compareJob({ datapoints: 1, responsesPerDatapoint: 2, audienceId });

      const good = await h.labeler();
      const bad = await h.labeler();
      for (let i = 0; i < 3; i++) {
        const q = await good.next();
        assert.equal(q.kind, 'qualification');
        assert.equal(q.audienceId, audienceId);
        assert.deepEqual(q.progress, { answered: i, total: 3 });
        const right = q.items.find((it: { text: string }) => it.text.startsWith('right'));
        const r = await good.qualify(q.exampleId, audienceId, { choice: right.side });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.data.correct, true);
        assert.deepEqual(r.body.data.truth, ['A']);
        assert.equal(r.body.data.explanation, 'The right one is right.');
        assert.equal(r.body.data.membership.state, i < 2 ? 'qualifying' : 'qualified');

        const qb = await bad.next();
        const wrong = qb.items.find((it: { text: string }) => it.text.startsWith('wrong'));
        const rb = await bad.qualify(qb.exampleId, audienceId, { choice: wrong.side });
        assert.equal(rb.body.data.correct, false);
        assert.equal(rb.body.data.membership.state, i < 2 ? 'qualifying' : 'dropped');
      }
      const work = await good.next();
      assert.equal(work.kind, 'task');
      assert.equal(work.jobId, job.id);
      assert.equal((await bad.next()).kind, 'none');

      const goodRow = await db()
        .selectFrom('labelers')
        .selectAll()
        .where('id', '=', good.id)
        .executeTakeFirstOrThrow();
      const badRow = await db()
        .selectFrom('labelers')
        .selectAll()
        .where('id', '=', bad.id)
        .executeTakeFirstOrThrow();
      assert.ok(
        goodRow.user_score > 0.5 && badRow.user_score < 0.5,
        `${goodRow.user_score} ${badRow.user_score}`,
      );
      const member = await db()
        .selectFrom('audience_members')
        .selectAll()
        .where('labeler_id', '=', good.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual([member.state, member.answered, member.correct], ['qualified', 3, 3]);
      const r = await good.answer(work.leaseId, { choice: 'A' });
      assert.equal(r.status, 201);
      const resp = await db()
        .selectFrom('responses')
        .selectAll()
        .where('id', '=', r.body.data.id)
        .executeTakeFirstOrThrow();
      assert.equal(resp.audience_user_score, member.user_score);
      assert.equal(resp.user_score, goodRow.user_score);
      await pause(job.id);
    });

    it('filtered audiences admit only labelers whose profile matches', async () => {
      const fau = await h.requester.ok('POST', '/api/v1/audiences/global/filter', {
        filters: [{ type: 'country', countries: ['FR'] }],
      });
      const job = await h.requester.compareJob({
        datapoints: 1,
        responsesPerDatapoint: 2,
        audienceId: fau.data.id,
      });
      const us = await h.labeler({ country: 'US', language: 'en' });
      const fr = await h.labeler({ country: 'FR', language: 'fr' });
      const nobody = await h.labeler();
      assert.equal((await us.next()).kind, 'none');
      assert.equal((await nobody.next()).kind, 'none');
      const t = await fr.next();
      assert.equal(t.kind, 'task');
      assert.equal(t.jobId, job.id);
      await pause(job.id);
    });
  });
}
