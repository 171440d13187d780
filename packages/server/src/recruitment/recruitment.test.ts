// Recruitment on both databases, over real HTTP: invite links (single use, shared with a cap, revoked), an
// invite-only audience serves nobody without a way in, and a study's entry URL makes exactly one labeler per
// participant id (even with concurrent entries), walks profile → qualification → tasks and sends the participant
// back with the completion code, or the screened-out code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { Labeler, type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { admittedLabelers } from '../audiences/service.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely
type Json = any;

const STUDY = { completionCode: 'C1DONE', screenedOutCode: 'C2SCREEN' };

/** A custom audience with two compare examples (`right<i>` is the truth) and a job of `datapoints` on it. */
async function audienceWithJob(h: LabelingHarness, datapoints = 3) {
  const aud = await h.requester.ok('POST', '/api/v1/audiences', {
    name: 'Recruited',
    passRule: { targetAccuracy: 1, minExamples: 2 },
  });
  const audienceId = aud.data.id as string;
  for (let i = 0; i < 2; i++)
    await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
      taskType: 'compare',
      instruction: 'Which text is better?',
      dataType: 'text',
      datapoint: [{ text: `right${i}` }, { text: `wrong${i}` }],
      truth: `right${i}`,
    });
  const job = await h.requester.compareJob({ datapoints, responsesPerDatapoint: 1, audienceId });
  return { audienceId, job };
}

async function qualify(l: Labeler, audienceId: string, right = true): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const q = await l.next();
    assert.equal(q.kind, 'qualification');
    const pick = q.items.find((it: { text: string }) => it.text.startsWith(right ? 'right' : 'wrong'));
    assert.equal((await l.qualify(q.exampleId, audienceId, { choice: pick.side })).status, 201);
  }
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

for (const target of testDatabaseTargets()) {
  describe(`recruitment on ${target.name}`, () => {
    let h: LabelingHarness;
    before(async () => {
      // No gold checks: they look like tasks but are not the study's tasks, so they would shift the counts.
      h = await startLabelingHarness(target, { config: { goldRate: 0 } });
    });
    after(() => h.close());

    it('invite links are listed a page at a time: a link made between two pages neither repeats nor hides one', async () => {
      const aud = await h.requester.ok('POST', '/api/v1/audiences', { name: 'Invited' }); // no job: serves nothing
      const audienceId = aud.data.id as string;
      const make = async (label: string) =>
        (await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/invites`, { kind: 'single', label }))
          .data.id as string;
      const made = [await make('a'), await make('b'), await make('c')];
      const path = `/api/v1/audiences/${audienceId}/invites`;
      const first = await h.requester.ok('GET', `${path}?amount=2`);
      assert.equal(first.total, 3);
      assert.ok(first.nextCursor, 'a next page');
      await make('d'); // newer than every listed one: not on a later page
      const second = await h.requester.ok(
        'GET',
        `${path}?amount=2&cursor=${encodeURIComponent(first.nextCursor)}`,
      );
      assert.equal(second.nextCursor, null, 'the last page');
      const seen = [...first.data, ...second.data].map((i: Json) => i.id);
      assert.deepEqual(seen, [...made].reverse(), 'newest first, each once');
    });

    it('an invite-only audience serves only labelers who came through a link; a single-use link admits one', async () => {
      const { audienceId } = await audienceWithJob(h);
      const set = await h.requester.ok('PUT', `/api/v1/audiences/${audienceId}/recruitment`, {
        mode: 'invite',
      });
      assert.deepEqual(set.data, { audienceId, mode: 'invite', study: null, entryUrl: null });
      const outsider = await h.labeler({ country: 'DE', language: 'de' });
      assert.equal((await outsider.next()).kind, 'none', 'no way in: no qualification, no task');

      const invite = await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/invites`, {
        kind: 'single',
        label: 'Ada',
      });
      assert.match(invite.data.url, /\/label\/invite\/inv_/);
      assert.equal(invite.data.state, 'active');
      const ada = new Labeler(h.base);
      const accepted = await ada.request('POST', `/api/v1/labeler/invites/${tokenOf(invite.data.url)}`);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.data.audienceId, audienceId);
      assert.ok(ada.cookie, 'a new labeler gets its session cookie');
      assert.equal((await ada.next()).kind, 'qualification', 'in through the link: qualification comes');
      // Again with the same session: still in, and the link is not used twice.
      assert.equal(
        (await ada.request('POST', `/api/v1/labeler/invites/${tokenOf(invite.data.url)}`)).status,
        200,
      );
      const second = await outsider.request('POST', `/api/v1/labeler/invites/${tokenOf(invite.data.url)}`);
      assert.equal(second.status, 410);
      assert.equal(second.body.error.code, 'INVALID_LINK');
      assert.match(second.body.error.message, /already used/);
      assert.equal((await outsider.next()).kind, 'none');
      // The qualification route refuses the outsider too.
      const q = await ada.next();
      const sneak = await outsider.qualify(q.exampleId, audienceId, { choice: 'A' });
      assert.equal(sneak.status, 409);

      const list = await h.requester.ok('GET', `/api/v1/audiences/${audienceId}/invites`);
      assert.equal(list.data.length, 1);
      assert.equal(list.data[0].uses, 1);
      assert.equal(list.data[0].state, 'used');
      assert.equal(list.data[0].label, 'Ada');
      assert.equal(list.data[0].url, undefined, 'the token is shown only when created');
    });

    it('a shared link admits at most maxUses labelers, even at once; a revoked link admits nobody', async () => {
      const { audienceId } = await audienceWithJob(h);
      await h.requester.ok('PUT', `/api/v1/audiences/${audienceId}/recruitment`, { mode: 'invite' });
      const shared = await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/invites`, {
        kind: 'shared',
        maxUses: 3,
      });
      const token = tokenOf(shared.data.url);
      const crowd = Array.from({ length: 8 }, () => new Labeler(h.base));
      const answers = await Promise.all(
        crowd.map((l) => l.request('POST', `/api/v1/labeler/invites/${token}`)),
      );
      assert.equal(answers.filter((r) => r.status === 200).length, 3, 'exactly the cap');
      for (const r of answers.filter((x) => x.status !== 200)) {
        assert.equal(r.status, 410);
        assert.match(r.body.error.message, /as many labelers as it may/);
      }
      const [listed] = (await h.requester.ok('GET', `/api/v1/audiences/${audienceId}/invites`)).data;
      assert.equal(listed.uses, 3);

      const other = await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/invites`, {
        kind: 'shared',
        maxUses: 100,
      });
      const revoke = await h.requester.request(
        'DELETE',
        `/api/v1/audiences/${audienceId}/invites/${other.data.id}`,
      );
      assert.equal(revoke.status, 204);
      const late = await new Labeler(h.base).request(
        'POST',
        `/api/v1/labeler/invites/${tokenOf(other.data.url)}`,
      );
      assert.equal(late.status, 410);
      assert.match(late.body.error.message, /withdrawn/);
      const states = (await h.requester.ok('GET', `/api/v1/audiences/${audienceId}/invites`)).data.map(
        (i: Json) => i.state,
      );
      assert.deepEqual(states.sort(), ['revoked', 'used']);
    });

    it('a study: one labeler per participant id, even with concurrent entries; ids kept; work only of the study', async () => {
      const { audienceId } = await audienceWithJob(h, 1);
      await h.requester.compareJob({ datapoints: 2, audienceId: 'global' });
      const set = await h.requester.ok('PUT', `/api/v1/audiences/${audienceId}/recruitment`, {
        mode: 'study',
        study: { ...STUDY, tasksPerLabeler: 1 },
      });
      assert.equal(set.data.study.participantParam, 'PROLIFIC_PID');
      assert.equal(set.data.study.returnUrl, 'https://app.prolific.com/submissions/complete?cc={code}');
      assert.match(
        set.data.entryUrl,
        new RegExp(`/label/study/${audienceId}\\?PROLIFIC_PID=\\{\\{%PROLIFIC_PID%\\}\\}&`),
      );
      const params = { PROLIFIC_PID: '5f1a2b3c4d5e6f7a8b9c0d1e', STUDY_ID: 'study1', SESSION_ID: 'sess1' };
      const browsers = Array.from({ length: 6 }, () => new Labeler(h.base));
      const entries = await Promise.all(
        browsers.map((b) => b.request('POST', `/api/v1/labeler/study/${audienceId}`, { params })),
      );
      for (const e of entries) assert.equal(e.status, 200, JSON.stringify(e.body));
      const ids = new Set(entries.map((e) => e.body.data.labeler.id));
      assert.equal(ids.size, 1, 'one labeler for the participant');
      const rows = await h.server.database.db.selectFrom('labeler_identities').selectAll().execute();
      assert.equal(rows.filter((r) => r.external_id === params.PROLIFIC_PID).length, 1);

      const p = browsers[0] as Labeler;
      const step = (l: Labeler) => l.request('GET', `/api/v1/labeler/study/${audienceId}/next`);
      assert.deepEqual((await step(p)).body.data, { step: 'profile' });
      assert.equal(
        (await p.request('PUT', '/api/v1/labeler/me', { country: 'GB', language: 'en' })).status,
        200,
      );
      const first = (await step(p)).body.data;
      assert.equal(first.step, 'work');
      assert.equal(first.work.kind, 'qualification');
      await qualify(p, audienceId);
      const work = (await step(p)).body.data;
      assert.equal(work.step, 'work');
      assert.equal(work.work.kind, 'task');
      assert.match(work.work.instruction, /Which text/);
      assert.equal((await p.answer(work.work.leaseId, { choice: 'A' })).status, 201);
      assert.deepEqual((await step(p)).body.data, {
        step: 'finished',
        outcome: 'completed',
        code: 'C1DONE',
        redirectUrl: 'https://app.prolific.com/submissions/complete?cc=C1DONE',
      });
      // The participant does only the study's work (all answered now): nothing of the open global job.
      assert.equal((await p.next()).kind, 'none');
      assert.equal((await (await h.labeler()).next()).kind, 'task', 'the global job has work for others');

      // Back later in another browser with a new session id: the same labeler, the latest ids kept.
      const again = new Labeler(h.base);
      const back = await again.request('POST', `/api/v1/labeler/study/${audienceId}`, {
        params: { ...params, SESSION_ID: 'sess2' },
      });
      assert.equal(back.body.data.labeler.id, [...ids][0]);
      const row = await h.server.database.db
        .selectFrom('labeler_identities')
        .selectAll()
        .where('external_id', '=', params.PROLIFIC_PID)
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.provider, row.study_id, row.session_id], ['prolific', 'study1', 'sess2']);
    });

    it('a job waiting on an invite or study audience says how labelers get in; study participants are not labelers of global work', async () => {
      const { audienceId, job } = await audienceWithJob(h, 1);
      const stalled = async () =>
        (await h.requester.ok('GET', `/api/v1/jobs/${job.id}`)).data.progress.stalled;
      assert.match((await stalled()).reason, /nobody has qualified for audience "Recruited"/);
      await h.requester.ok('PUT', `/api/v1/audiences/${audienceId}/recruitment`, { mode: 'invite' });
      const invite = await stalled();
      assert.equal(invite.code, 'NO_ADMITTED_LABELERS');
      assert.match(invite.reason, /takes only labelers who open one of its invite links.*createInvite/);
      await h.requester.ok('PUT', `/api/v1/audiences/${audienceId}/recruitment`, {
        mode: 'study',
        study: STUDY,
      });
      assert.match((await stalled()).reason, /only study participants who arrive through its entry URL/);

      const entered = await new Labeler(h.base).request('POST', `/api/v1/labeler/study/${audienceId}`, {
        params: { PROLIFIC_PID: 'p-not-global', STUDY_ID: 's', SESSION_ID: 'x' },
      });
      assert.equal(entered.status, 200);
      const participant = entered.body.data.labeler.id as string;
      const anyone = await h.labeler();
      await anyone.next();
      const global = await admittedLabelers(h.server.database.db, 'global', 1_000_000);
      assert.ok(global.ids.includes(anyone.id), 'a labeler of the open crowd works on global');
      assert.ok(!global.ids.includes(participant), 'a study participant works only on the study');
    });

    it('a study participant screened out by qualification gets the other code; configurable names and URL', async () => {
      const { audienceId } = await audienceWithJob(h, 2);
      await h.requester.ok('PUT', `/api/v1/audiences/${audienceId}/recruitment`, {
        mode: 'study',
        study: {
          ...STUDY,
          provider: 'othersite',
          participantParam: 'workerId',
          studyParam: 'projectId',
          sessionParam: 'assignmentId',
          returnUrl: 'https://recruit.example/return?status=ok&code={code}',
        },
      });
      const l = new Labeler(h.base);
      const missing = await l.request('POST', `/api/v1/labeler/study/${audienceId}`, {
        params: { PROLIFIC_PID: 'abc' },
      });
      assert.equal(missing.status, 400);
      assert.match(missing.body.error.message, /missing your workerId/);
      assert.equal(
        (await l.request('POST', `/api/v1/labeler/study/${audienceId}`, { params: { workerId: 'W1' } }))
          .status,
        200,
      );
      await l.request('PUT', '/api/v1/labeler/me', { country: 'GB', language: 'en' });
      await qualify(l, audienceId, false);
      assert.deepEqual((await l.request('GET', `/api/v1/labeler/study/${audienceId}/next`)).body.data, {
        step: 'finished',
        outcome: 'screened_out',
        code: 'C2SCREEN',
        redirectUrl: 'https://recruit.example/return?status=ok&code=C2SCREEN',
      });
      // The one who does all the work with none left for them finishes with the completion code.
      const w2 = new Labeler(h.base);
      await w2.request('POST', `/api/v1/labeler/study/${audienceId}`, { params: { workerId: 'W2' } });
      await w2.request('PUT', '/api/v1/labeler/me', { country: 'GB', language: 'en' });
      await qualify(w2, audienceId);
      for (;;) {
        const s = (await w2.request('GET', `/api/v1/labeler/study/${audienceId}/next`)).body.data;
        if (s.step === 'finished') {
          assert.equal(s.code, 'C1DONE');
          break;
        }
        assert.equal(s.work.kind, 'task');
        assert.equal((await w2.answer(s.work.leaseId, { choice: 'B' })).status, 201);
      }
    });
  });
}
