// Gold checks over real HTTP: qualified labelers of a custom audience are now and then (goldRate) served one of
// its gold examples (a pool apart from the qualification examples), shown exactly like a task and answered through
// POST /responses; the answers are graded into gold_answers, move trust scores, can drop a labeler (whose
// responses the results then leave out), and never count as responses. A seeded random source makes the rates
// reproducible. SQLite always; Postgres when TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRng } from '@jury/stats';
import { testDatabaseTargets } from '../../test/environment.ts';
import { type Labeler, type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { createManualClock } from '../http/clock.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests inspect freely
type Json = any;

const isGold = (t: Json) =>
  t.kind === 'task' && t.items.some((i: { text: string }) => /^(right|wrong)\d$/.test(i.text));

/**
 * Custom audience with two compare qualification examples (`qright<i>` is the truth), two gold examples (`right<i>`)
 * and a compare job assigned to it.
 */
async function goldSetup(h: LabelingHarness, datapoints = 150) {
  const aud = await h.requester.ok('POST', '/api/v1/audiences', {
    name: 'Gold checked',
    passRule: { targetAccuracy: 0.6, minExamples: 2 },
  });
  const audienceId = aud.data.id as string;
  for (const [prefix, purpose] of [
    ['q', 'qualification'],
    ['', 'gold'],
  ] as const)
    for (let i = 0; i < 2; i++)
      await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
        taskType: 'compare',
        instruction: 'Which text is better?',
        dataType: 'text',
        datapoint: [{ text: `${prefix}right${i}` }, { text: `${prefix}wrong${i}` }],
        truth: `${prefix}right${i}`,
        purpose,
      });
  const job = await h.requester.compareJob({ datapoints, responsesPerDatapoint: 3, audienceId });
  return { audienceId, job };
}

async function qualify(l: Labeler, audienceId: string): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const q = await l.next();
    assert.equal(q.kind, 'qualification', 'qualification comes first, never a gold check');
    const right = q.items.find((it: { text: string }) => it.text.startsWith('qright'));
    const r = await l.qualify(q.exampleId, audienceId, { choice: right.side });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
}

/** Serves up to `n` items, answering tasks 'A' and gold checks right or wrong; stops at `none`. */
async function work(l: Labeler, n: number, gold: 'right' | 'wrong') {
  let tasks = 0;
  const golds: string[] = [];
  for (let k = 0; k < n; k++) {
    const t = await l.next();
    if (t.kind === 'none') break;
    assert.equal(t.kind, 'task');
    if (isGold(t)) {
      assert.match(t.leaseId, /^lse_/, 'a gold check has a lease id like any task');
      assert.equal((await l.next()).leaseId, t.leaseId, 'asking again returns the same gold check');
      const pick = t.items.find((it: { text: string }) => it.text.startsWith(gold));
      golds.push(pick.text.slice(gold.length));
      const r = await l.answer(t.leaseId, { choice: pick.side });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.data.taskCompleted, false);
    } else {
      const r = await l.answer(t.leaseId, { choice: 'A' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      tasks++;
    }
  }
  return { tasks, golds };
}

for (const target of testDatabaseTargets()) {
  describe(`gold checks on ${target.name}`, () => {
    const clock = createManualClock(new Date('2026-07-01T09:00:00Z'));
    const rng = createRng(20260701);
    let h: LabelingHarness;
    before(async () => {
      h = await startLabelingHarness(target, {
        clock,
        config: { goldRate: 0.2, goldDropAfter: 4 },
        random: () => rng.next(),
      });
    });
    after(() => h.close());
    const db = () => h.server.database.db;
    const labelerRow = (id: string) =>
      db().selectFrom('labelers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const memberRow = (audienceId: string, id: string) =>
      db()
        .selectFrom('audience_members')
        .selectAll()
        .where('audience_id', '=', audienceId)
        .where('labeler_id', '=', id)
        .executeTakeFirstOrThrow();
    const goldRows = (id: string) =>
      db().selectFrom('gold_answers').selectAll().where('labeler_id', '=', id).execute();

    let audienceId = '';
    let jobId = '';
    let good: Labeler;

    it('serves gold checks at about goldRate to qualified labelers, graded into gold_answers, never as responses', async () => {
      const setup = await goldSetup(h);
      audienceId = setup.audienceId;
      jobId = setup.job.id;
      good = await h.labeler();
      await qualify(good, audienceId);
      const before = await labelerRow(good.id);
      const { tasks, golds } = await work(good, 100, 'right');
      assert.equal(tasks + golds.length, 100);
      assert.ok(
        golds.length >= 8 && golds.length <= 35,
        `${golds.length} gold checks in 100 items at rate 0.2`,
      );
      for (let k = 1; k < golds.length; k++)
        assert.notEqual(golds[k], golds[k - 1], 'the same example is never repeated back-to-back');

      const rows = await goldRows(good.id);
      assert.equal(rows.length, golds.length);
      assert.ok(rows.every((r) => r.correct === 1 && r.audience_id === audienceId));
      assert.ok(rows.every((r) => r.id.startsWith('rsp_')));
      const after = await labelerRow(good.id);
      assert.ok(after.user_score > before.user_score, `${after.user_score} > ${before.user_score}`);
      assert.equal((await memberRow(audienceId, good.id)).state, 'qualified');

      // Results and counts see the tasks only.
      const responses = await db().selectFrom('responses').selectAll().where('job_id', '=', jobId).execute();
      assert.equal(responses.length, tasks);
      const counted = await db()
        .selectFrom('tasks')
        .select('responses_count')
        .where('job_id', '=', jobId)
        .execute();
      assert.equal(
        counted.reduce((s, t) => s + t.responses_count, 0),
        tasks,
      );
      const job = await h.requester.ok('GET', `/api/v1/jobs/${jobId}`);
      assert.equal(job.data.progress.responses, tasks);
      const results = await h.requester.ok('GET', `/api/v1/jobs/${jobId}/results`);
      const detailed = results.data.results.reduce(
        (s: number, r: { detailedResults: unknown[] }) => s + r.detailedResults.length,
        0,
      );
      assert.equal(detailed, tasks);
    });

    it('a labeler answering gold wrongly scores lower, and is dropped after goldDropAfter gold answers', async () => {
      const bad = await h.labeler();
      await qualify(bad, audienceId);
      const qualified = await labelerRow(bad.id);
      const { golds } = await work(bad, 300, 'wrong');
      // 2 right qualification answers, then wrong gold: 2 / (2 + 4) < 0.6 at the 4th gold answer.
      assert.equal(golds.length, 4);
      assert.equal((await bad.next()).kind, 'none', 'a dropped labeler gets no more work nor gold');
      const rows = await goldRows(bad.id);
      assert.equal(rows.length, 4);
      assert.ok(rows.every((r) => r.correct === 0));
      const member = await memberRow(audienceId, bad.id);
      assert.deepEqual([member.state, member.answered, member.correct], ['dropped', 2, 2]);
      const badRow = await labelerRow(bad.id);
      const goodRow = await labelerRow(good.id);
      assert.ok(badRow.user_score < qualified.user_score, `${badRow.user_score} < ${qualified.user_score}`);
      assert.ok(badRow.user_score < goodRow.user_score);
      assert.ok(member.user_score < (await memberRow(audienceId, good.id)).user_score);
      const responses = await db()
        .selectFrom('responses')
        .select('id')
        .where('labeler_id', '=', bad.id)
        .execute();
      assert.ok(responses.length > 0, 'the tasks before the drop were recorded');
    });

    it('gold check leases refuse a second answer, another labeler, and an expired lease like task leases', async () => {
      const l = await h.labeler();
      await qualify(l, audienceId);
      let gold: Json;
      for (let k = 0; k < 200 && !gold; k++) {
        const t = await l.next();
        if (isGold(t)) gold = t;
        else assert.equal((await l.answer(t.leaseId, { choice: 'A' })).status, 201);
      }
      assert.ok(gold, 'a gold check within 200 items at rate 0.2');
      const other = await h.labeler();
      const stolen = await other.answer(gold.leaseId, { choice: 'A' });
      assert.equal(stolen.status, 404);
      assert.equal((await l.answer(gold.leaseId, { choice: 'Both' })).status, 400);
      assert.equal((await l.answer(gold.leaseId, { choice: 'A' })).status, 201);
      const twice = await l.answer(gold.leaseId, { choice: 'A' });
      assert.equal(twice.status, 409);
      assert.match(twice.body.error.message, /already answered this task/);

      let late: Json;
      for (let k = 0; k < 200 && !late; k++) {
        const t = await l.next();
        if (isGold(t)) late = t;
        else assert.equal((await l.answer(t.leaseId, { choice: 'A' })).status, 201);
      }
      assert.ok(late);
      clock.advance(61_000);
      const expired = await l.answer(late.leaseId, { choice: 'A' });
      assert.equal(expired.status, 409);
      assert.match(expired.body.error.message, /expired/);
      assert.equal((await goldRows(l.id)).length, 1);
    });

    it('never serves gold for global jobs (no examples)', async () => {
      await h.requester.ok('POST', `/api/v1/jobs/${jobId}/pause`);
      const job = await h.requester.compareJob({ datapoints: 30, responsesPerDatapoint: 1 });
      const l = await h.labeler();
      const { tasks, golds } = await work(l, 40, 'right');
      assert.deepEqual([tasks, golds.length], [30, 0]);
      assert.equal((await goldRows(l.id)).length, 0);
      assert.equal((await h.requester.ok('GET', `/api/v1/jobs/${job.id}`)).data.status, 'completed');
    });
  });

  describe(`secret gold pool (issue 12 probe) on ${target.name}`, () => {
    const rng = createRng(20261202);
    let h: LabelingHarness;
    before(async () => {
      h = await startLabelingHarness(target, {
        config: { goldRate: 0.3, goldDropAfter: 4 },
        random: () => rng.next(),
      });
    });
    after(() => h.close());
    const key = (t: Json) =>
      t.items
        .map((i: { text: string }) => i.text)
        .sort()
        .join('|');

    it('a second session with every qualification truth (learned by a scout) passes, is caught by the gold pool, dropped, and left out of results', async () => {
      const aud = await h.requester.ok('POST', '/api/v1/audiences', {
        name: 'Secret gold',
        passRule: { targetAccuracy: 0.8, minExamples: 3 },
      });
      const audienceId = aud.data.id as string;
      assert.equal(aud.data.showQualificationFeedback, true, 'feedback is on by default');
      const add = (text: string, purpose: 'qualification' | 'gold') =>
        h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
          taskType: 'compare',
          instruction: 'Which text is better?',
          dataType: 'text',
          datapoint: [{ text: `${text}-good` }, { text: `${text}-bad` }],
          truth: `${text}-good`,
          explanation: 'The good one.',
          purpose,
        });
      for (let i = 0; i < 3; i++)
        assert.equal((await add(`qual${i}`, 'qualification')).data.purpose, 'qualification');
      const goldIds: string[] = [];
      for (let i = 0; i < 5; i++) goldIds.push((await add(`gold${i}`, 'gold')).data.id);
      const listed = await h.requester.ok('GET', `/api/v1/audiences/${audienceId}/examples?amount=20`);
      assert.deepEqual(
        listed.data.map((e: Json) => e.purpose),
        ['qualification', 'qualification', 'qualification', 'gold', 'gold', 'gold', 'gold', 'gold'],
      );
      const stats = await h.requester.ok('GET', `/api/v1/audiences/${audienceId}/stats`);
      assert.deepEqual(
        [stats.data.examples, stats.data.ready],
        [3, true],
        'the gold pool is not qualification',
      );
      const job = await h.requester.compareJob({ datapoints: 200, responsesPerDatapoint: 2, audienceId });

      // The scout learns every qualification truth from the feedback (it answers 'A' and reads the truth).
      const scout = await h.labeler();
      const truths = new Map<string, string>();
      for (;;) {
        const q = await scout.next();
        if (q.kind !== 'qualification') break;
        const r = await scout.qualify(q.exampleId, audienceId, { choice: 'A' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const side = r.body.data.truth[0];
        truths.set(key(q), q.items.find((i: Json) => i.side === side).text);
        assert.ok(!key(q).includes('gold'), 'a gold example is never served in qualification');
      }
      assert.equal(truths.size, 3);
      const refused = await scout.qualify(goldIds[0] as string, audienceId, { choice: 'A' });
      assert.equal(refused.status, 404, 'a gold example cannot be answered as qualification');

      // The cheater passes with the learned truths, then answers tasks and what it cannot recognise at random.
      const cheater = await h.labeler();
      let membership: Json;
      for (;;) {
        const q = await cheater.next();
        if (q.kind !== 'qualification') break;
        const truth = truths.get(key(q));
        assert.ok(truth, 'every qualification example was learned by the scout');
        const pick = q.items.find((i: Json) => i.text === truth);
        const r = await cheater.qualify(q.exampleId, audienceId, { choice: pick.side });
        assert.equal(r.body.data.correct, true);
        membership = r.body.data.membership;
      }
      assert.deepEqual([membership.state, membership.correct], ['qualified', 3]);
      let golds = 0;
      let recognised = 0;
      let state = 'qualified';
      for (let k = 0; k < 400 && state === 'qualified'; k++) {
        const t = await cheater.next();
        if (t.kind === 'none') break;
        assert.equal(t.kind, 'task');
        const isGoldCheck = key(t).includes('gold');
        if (isGoldCheck) golds++;
        if (truths.has(key(t))) recognised++;
        const r = await cheater.answer(t.leaseId, { choice: rng.next() < 0.5 ? 'A' : 'B' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal('truth' in r.body.data || 'correct' in r.body.data, false, 'no feedback on any task');
        if (isGoldCheck)
          state = (
            await h.server.database.db
              .selectFrom('audience_members')
              .select('state')
              .where('audience_id', '=', audienceId)
              .where('labeler_id', '=', cheater.id)
              .executeTakeFirstOrThrow()
          ).state;
      }
      assert.equal(recognised, 0, 'no gold check is a qualification example');
      assert.ok(golds >= 4, `${golds} gold checks`);
      assert.equal(state, 'dropped', `dropped after ${golds} gold checks`);
      assert.equal((await cheater.next()).kind, 'none', 'a dropped labeler gets no more work');

      // An honest labeler answers some tasks too; the results leave the cheater's responses out.
      const honest = await h.labeler();
      for (;;) {
        const q = await honest.next();
        if (q.kind !== 'qualification') break;
        const pick = q.items.find((i: Json) => i.text.endsWith('-good'));
        await honest.qualify(q.exampleId, audienceId, { choice: pick.side });
      }
      for (let k = 0; k < 20; k++) {
        const t = await honest.next();
        const pick = t.items.find((i: Json) => i.text.endsWith('-good'));
        assert.equal((await honest.answer(t.leaseId, { choice: pick ? pick.side : 'A' })).status, 201);
      }
      const count = async (labelerId: string) =>
        (
          await h.server.database.db
            .selectFrom('responses')
            .select('id')
            .where('job_id', '=', job.id)
            .where('labeler_id', '=', labelerId)
            .execute()
        ).length;
      const [cheated, honestCount] = [await count(cheater.id), await count(honest.id)];
      assert.ok(cheated > 0 && honestCount > 0);
      const detailed = (results: Json) =>
        results.data.results.reduce((s: number, r: Json) => s + r.detailedResults.length, 0);
      const results = await h.requester.ok('GET', `/api/v1/jobs/${job.id}/results`);
      assert.equal(detailed(results), honestCount);
      assert.deepEqual(results.data.integrity.excluded, { total: cheated, byReason: { dropped: cheated } });
      assert.equal(results.data.integrity.responses, cheated + honestCount);
      const kept = await h.requester.ok('GET', `/api/v1/jobs/${job.id}/results?includeExcluded=true`);
      assert.equal(detailed(kept), cheated + honestCount);
      assert.deepEqual(kept.data.integrity.excluded, { total: 0, byReason: {} });
      // The downloads count the same responses, and keep the dropped ones on request.
      const responsesIn = async (query: string) => {
        const r = await fetch(`${h.base}/api/v1/jobs/${job.id}/results.jsonl${query}`, {
          headers: { authorization: `Bearer ${h.requester.token}` },
        });
        const lines = (await r.text())
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line));
        return lines.reduce((s: number, line: Json) => s + line.detailedResults.length, 0);
      };
      assert.equal(await responsesIn(''), honestCount);
      assert.equal(await responsesIn('?includeExcluded=true'), cheated + honestCount);
      // The responses one by one say which are left out and why.
      const oneByOne = await h.requester.ok('GET', `/api/v1/jobs/${job.id}/responses?amount=500`);
      const excludedBy = new Map<string, Set<unknown>>();
      for (const r of oneByOne.data as Json[]) {
        const set = excludedBy.get(r.labeler.id) ?? new Set();
        set.add(r.excluded);
        excludedBy.set(r.labeler.id, set);
      }
      assert.deepEqual([...(excludedBy.get(cheater.id) ?? [])], ['dropped']);
      assert.deepEqual([...(excludedBy.get(honest.id) ?? [])], [null]);
    });

    it('showQualificationFeedback false: a qualification answer carries no truth, grade or score', async () => {
      const aud = await h.requester.ok('POST', '/api/v1/audiences', {
        name: 'No feedback',
        passRule: { targetAccuracy: 0.5, minExamples: 2 },
        showQualificationFeedback: false,
      });
      const audienceId = aud.data.id as string;
      assert.equal(aud.data.showQualificationFeedback, false);
      assert.equal(
        (await h.requester.ok('GET', `/api/v1/audiences/${audienceId}`)).data.showQualificationFeedback,
        false,
      );
      for (let i = 0; i < 2; i++)
        await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
          taskType: 'compare',
          instruction: 'Which text is better?',
          dataType: 'text',
          datapoint: [{ text: `nf${i}-good` }, { text: `nf${i}-bad` }],
          truth: `nf${i}-good`,
          explanation: 'The good one.',
        });
      await h.requester.compareJob({ datapoints: 5, responsesPerDatapoint: 1, audienceId });
      const l = await h.labeler();
      const bodies: Json[] = [];
      for (;;) {
        const q = await l.next();
        if (q.kind !== 'qualification') break;
        const pick = q.items.find((i: Json) => i.text.endsWith('-good'));
        // The first test's audience may ask first (its job still runs); only this audience's answers are looked at.
        const r = await l.qualify(q.exampleId, q.audienceId, { choice: pick.side });
        assert.equal(r.status, 201);
        if (q.audienceId === audienceId) bodies.push(r.body.data);
      }
      assert.equal(bodies.length, 2);
      for (const b of bodies) {
        assert.deepEqual([b.correct, b.truth, b.explanation], [null, null, null]);
        assert.deepEqual([b.membership.correct, b.membership.userScore], [null, null]);
      }
      assert.equal(bodies[1].membership.state, 'qualified', 'the outcome is still told');
    });
  });

  describe(`gold checks disabled (goldRate 0) on ${target.name}`, () => {
    let h: LabelingHarness;
    before(async () => {
      h = await startLabelingHarness(target, { config: { goldRate: 0 } });
    });
    after(() => h.close());

    it('serves only tasks to qualified labelers', async () => {
      const { audienceId } = await goldSetup(h, 40);
      const l = await h.labeler();
      await qualify(l, audienceId);
      const { tasks, golds } = await work(l, 60, 'right');
      assert.deepEqual([tasks, golds.length], [40, 0]);
      const rows = await h.server.database.db.selectFrom('gold_answers').select('id').execute();
      assert.equal(rows.length, 0);
    });
  });
}
