import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GetDb } from '../db/store-contract.ts';
import { withTransaction } from '../db/transaction.ts';
import * as labelerStore from '../labelers/store.ts';
import * as audienceStore from './audience-store.ts';
import * as leases from './lease-store.ts';
import * as store from './store.ts';

export function labelingStoreContract(getDb: GetDb): void {
  describe('labeling store', () => {
    const t0 = '2026-04-01T10:00:00.000Z';
    const later = '2026-04-01T10:05:00.000Z';
    const org = 'org_lab_contract';
    const labeler = (id: string) => ({
      id,
      kind: 'simulated' as const,
      country: 'US',
      language: 'en',
      demographics: null,
      user_score: 0.5,
      created_at: t0,
      last_seen_at: t0,
    });

    it('keeps one server setting per key, whoever writes first', async () => {
      const { db } = getDb();
      assert.equal(await labelerStore.ensureSetting(db, 'contract_key', 'first', t0), 'first');
      assert.equal(await labelerStore.ensureSetting(db, 'contract_key', 'second', t0), 'first');
    });

    it('claims within capacity, never twice for one labeler, fewest responses first, and counts answers', async () => {
      const { db } = getDb();
      await db
        .insertInto('organizations')
        .values({ id: org, name: 'Labeling contract', created_at: t0 })
        .execute();
      await db
        .insertInto('job_definitions')
        .values({
          id: 'jdf_lsc',
          organization_id: org,
          name: 'c',
          task_type: 'compare',
          latest_revision: 1,
          created_at: t0,
        })
        .execute();
      await db
        .insertInto('job_definition_revisions')
        .values({
          definition_id: 'jdf_lsc',
          revision: 1,
          instruction: 'Pick',
          data_type: 'text',
          settings: '[]',
          answer_options: null,
          ab_names: null,
          responses_per_datapoint: 2,
          confidence_threshold: null,
          quorum_threshold: null,
          created_at: t0,
        })
        .execute();
      for (const i of [0, 1])
        await db
          .insertInto('datapoints')
          .values({
            id: `dp_lsc${i}`,
            definition_id: 'jdf_lsc',
            revision: 1,
            organization_id: org,
            sort_index: i,
            items: JSON.stringify([
              { type: 'text', text: `a${i}` },
              { type: 'text', text: `b${i}` },
            ]),
            context: null,
            media_context: null,
            private_metadata: null,
            created_at: t0,
          })
          .execute();
      await db
        .insertInto('jobs')
        .values({
          id: 'job_lsc',
          organization_id: org,
          definition_id: 'jdf_lsc',
          revision: 1,
          audience_id: 'global',
          name: 'c',
          status: 'running',
          created_at: t0,
          completed_at: null,
        })
        .execute();
      for (const i of [0, 1])
        await db
          .insertInto('tasks')
          .values({
            id: `tsk_lsc${i}`,
            job_id: 'job_lsc',
            datapoint_id: `dp_lsc${i}`,
            organization_id: org,
            status: 'open',
            responses_count: i, // task 1 already has one response: task 0 comes first
            created_at: t0,
            completed_at: null,
          })
          .execute();
      for (const id of ['lab_lsc1', 'lab_lsc2', 'lab_lsc3', 'lab_lsc4'])
        await labelerStore.insertLabeler(db, labeler(id));
      assert.deepEqual(
        (await store.runningJobs(db)).filter((j) => j.id === 'job_lsc'),
        [{ id: 'job_lsc', audience_id: 'global' }],
      );

      const claim = (labelerId: string, now = t0) =>
        withTransaction(db, async (trx) => {
          const row = await store.pickClaimableTask(trx, {
            labelerId,
            jobs: [{ id: 'job_lsc', responsesPerDatapoint: 2 }],
            now,
            skip: [],
          });
          if (row)
            await leases.insertLease(trx, {
              id: `lse_${labelerId}_${row.task_id}`,
              kind: 'task',
              item_id: row.task_id,
              job_id: row.job_id,
              labeler_id: labelerId,
              presentation: '{"order":["A","B"]}',
              created_at: now,
              expires_at: new Date(Date.parse(now) + 60_000).toISOString(),
            });
          return row;
        });

      const first = await claim('lab_lsc1');
      assert.equal(first?.task_id, 'tsk_lsc0');
      assert.equal(first?.job_id, 'job_lsc');
      assert.deepEqual(await store.findJobMeta(db, 'job_lsc'), {
        job_id: 'job_lsc',
        audience_id: 'global',
        task_type: 'compare',
        instruction: 'Pick',
        data_type: 'text',
        settings: '[]',
        answer_options: null,
        responses_per_datapoint: 2,
        confidence_threshold: null,
        quorum_threshold: null,
      });
      assert.deepEqual(JSON.parse(first?.items ?? '[]')[0], { type: 'text', text: 'a0' });
      // Same labeler again: not the task they hold.
      assert.equal((await claim('lab_lsc1'))?.task_id, 'tsk_lsc1');
      // Capacity: task 0 has 1 live lease of 2 slots, task 1 has 1 response + 1 lease = full.
      assert.equal((await claim('lab_lsc2'))?.task_id, 'tsk_lsc0');
      assert.equal(await claim('lab_lsc3'), undefined);
      // Several jobs with different caps: the cap is per job.
      assert.equal(
        (
          await store.pickClaimableTask(db, {
            labelerId: 'lab_lsc3',
            jobs: [
              { id: 'job_lsc', responsesPerDatapoint: 2 },
              { id: 'job_other', responsesPerDatapoint: 9 },
            ],
            now: t0,
            skip: [],
          })
        )?.task_id,
        undefined,
      );
      assert.equal(
        (
          await store.pickClaimableTask(db, {
            labelerId: 'lab_lsc3',
            jobs: [
              { id: 'job_lsc', responsesPerDatapoint: 3 },
              { id: 'job_other', responsesPerDatapoint: 9 },
            ],
            now: t0,
            skip: [],
          })
        )?.task_id,
        'tsk_lsc0',
      );
      assert.deepEqual(await store.taskCapacity(db, 'tsk_lsc0', t0), {
        status: 'open',
        responses: 0,
        leases: 2,
      });
      // After the leases expire the slots are free again.
      assert.equal((await claim('lab_lsc3', later))?.task_id, 'tsk_lsc0');

      const held = await leases.leasesOf(db, 'lab_lsc1');
      assert.deepEqual(held.map((l) => [l.id, l.kind, l.item_id, l.job_id, l.labeler_id]).sort(), [
        ['lse_lab_lsc1_tsk_lsc0', 'task', 'tsk_lsc0', 'job_lsc', 'lab_lsc1'],
        ['lse_lab_lsc1_tsk_lsc1', 'task', 'tsk_lsc1', 'job_lsc', 'lab_lsc1'],
      ]);
      assert.equal((await store.findTaskSource(db, 'tsk_lsc0'))?.responses_per_datapoint, 2);
      assert.equal((await store.findTaskSource(db, 'tsk_lsc0'))?.datapoint_id, 'dp_lsc0');
      // A labeler's own expired leases go (so the task can be leased to them again); others' stay.
      const expired = (await leases.leasesOf(db, 'lab_lsc1')).filter((l) => l.expires_at <= later);
      await leases.deleteLeases(
        db,
        expired.map((l) => l.id),
      );
      assert.equal(await leases.findLease(db, 'lse_lab_lsc1_tsk_lsc0'), undefined);
      assert.equal(
        (await leases.findLease(db, 'lse_lab_lsc2_tsk_lsc0'))?.kind,
        'task',
        "other labelers' expired leases stay",
      );
      // One task lease per labeler and task is a database constraint.
      await assert.rejects(
        leases.insertLease(db, {
          id: 'lse_lsc_twice',
          kind: 'task',
          item_id: 'tsk_lsc0',
          job_id: 'job_lsc',
          labeler_id: 'lab_lsc2',
          presentation: '{}',
          created_at: t0,
          expires_at: later,
        }),
      );

      const response = {
        id: 'rsp_lsc1',
        task_id: 'tsk_lsc0',
        job_id: 'job_lsc',
        labeler_id: 'lab_lsc3',
        answer: '{"choice":"A"}',
        presentation: '{"order":["A","B"]}',
        user_score: 0.5,
        audience_user_score: 0.5,
        created_at: later,
      };
      await withTransaction(db, async (trx) => {
        await store.insertResponse(trx, response);
        await leases.deleteLease(trx, 'lse_lab_lsc3_tsk_lsc0');
        assert.deepEqual(await store.incrementResponses(trx, 'tsk_lsc0'), {
          responses_count: 1,
          status: 'open',
        });
      });
      assert.deepEqual(await store.taskVotes(db, 'tsk_lsc0'), [
        { answer: '{"choice":"A"}', audience_user_score: 0.5, flagged_reason: null },
      ]);
      assert.equal((await store.findResponse(db, 'rsp_lsc1'))?.created_at, later);
      const stored = await db
        .selectFrom('responses')
        .selectAll()
        .where('id', '=', 'rsp_lsc1')
        .executeTakeFirst();
      assert.equal(stored?.datapoint_id, 'dp_lsc0', "the datapoint comes from the task's row");
      // One response per labeler per task is a database constraint.
      await assert.rejects(store.insertResponse(db, { ...response, id: 'rsp_lsc1_again' }));
      // A failing transaction leaves nothing behind.
      await assert.rejects(
        withTransaction(db, async (trx) => {
          await store.incrementResponses(trx, 'tsk_lsc0');
          throw new Error('boom');
        }),
      );
      assert.equal((await store.taskCapacity(db, 'tsk_lsc0', later)).responses, 1);
    });

    it('completes a job only when no task is open', async () => {
      const { db } = getDb();
      await withTransaction(db, async (trx) => {
        await store.completeTask(trx, 'tsk_lsc0', later);
        assert.equal(await store.completeJobIfDone(trx, 'job_lsc', later), false);
        await store.completeTask(trx, 'tsk_lsc1', later);
        assert.equal(await store.completeJobIfDone(trx, 'job_lsc', later), true);
      });
      const job = await db
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', 'job_lsc')
        .executeTakeFirstOrThrow();
      assert.deepEqual([job.status, job.completed_at], ['completed', later]);
      assert.equal(
        ((await leases.deleteLeasesExpiredBefore(db, '2026-04-02T00:00:00.000Z')).task ?? 0) >= 1,
        true,
      );
    });

    it('gold checks: leases of kind gold in the same table, rotating examples, repeatable graded answers', async () => {
      const { db } = getDb();
      const audience = (id: string, base: string | null) => ({
        id,
        organization_id: org,
        name: id,
        base_audience_id: base,
        filters: null,
        pass_rule: '{"targetAccuracy":0.75,"minExamples":1}',
        show_qualification_feedback: 1,
        created_at: t0,
        deleted_at: null,
      });
      await db.insertInto('audiences').values(audience('aud_lscg', null)).execute();
      await db.insertInto('audiences').values(audience('aud_lscf', 'aud_lscg')).execute();
      await db.insertInto('audiences').values(audience('aud_lscw', 'global')).execute();
      for (const i of [0, 1])
        await db
          .insertInto('audience_examples')
          .values({
            id: `aex_lscg${i}`,
            audience_id: 'aud_lscg',
            organization_id: org,
            task_type: 'compare',
            instruction: 'Pick',
            data_type: 'text',
            items: JSON.stringify([
              { type: 'text', text: `r${i}` },
              { type: 'text', text: `w${i}` },
            ]),
            answer_options: null,
            truth: JSON.stringify([`r${i}`]),
            context: null,
            media_context: null,
            settings: '[]',
            explanation: null,
            random_correct_probability: 0.5,
            sort_index: i,
            purpose: 'gold',
            created_at: t0,
          })
          .execute();
      assert.equal(await audienceStore.customRootOf(db, 'aud_lscg'), 'aud_lscg');
      assert.equal(await audienceStore.customRootOf(db, 'aud_lscf'), 'aud_lscg');
      assert.equal(await audienceStore.customRootOf(db, 'aud_lscw'), null);
      assert.equal(await audienceStore.customRootOf(db, 'global'), null);
      assert.equal(
        await audienceStore.nextGoldExample(db, 'aud_lscg', 'classification', 'lab_lsc4'),
        undefined,
      );
      assert.equal(
        (await audienceStore.nextGoldExample(db, 'aud_lscg', 'compare', 'lab_lsc4'))?.id,
        'aex_lscg0',
      );

      const lease = {
        id: 'lse_gold_lsc4',
        kind: 'gold',
        item_id: 'aex_lscg0',
        job_id: 'job_lsc',
        labeler_id: 'lab_lsc4',
        presentation: '{"order":["B","A"]}',
        created_at: t0,
        expires_at: new Date(Date.parse(t0) + 60_000).toISOString(),
      };
      await withTransaction(db, (trx) => leases.insertLease(trx, lease));
      assert.deepEqual(await leases.leasesOf(db, 'lab_lsc4'), [
        {
          id: 'lse_gold_lsc4',
          kind: 'gold',
          item_id: 'aex_lscg0',
          job_id: 'job_lsc',
          labeler_id: 'lab_lsc4',
          presentation: '{"order":["B","A"]}',
          created_at: lease.created_at,
          expires_at: lease.expires_at,
          address_hash: null,
        },
      ]);
      assert.equal((await leases.findLease(db, 'lse_gold_lsc4'))?.item_id, 'aex_lscg0');
      // Gold checks may repeat for one labeler (no uniqueness outside task leases).
      await leases.insertLease(db, { ...lease, id: 'lse_gold_lsc4_again' });
      await leases.deleteLeases(db, ['lse_gold_lsc4_again']);

      // Gold answers repeat: no uniqueness per labeler and example.
      const answer = (id: string, correct: number) => ({
        id,
        example_id: 'aex_lscg0',
        audience_id: 'aud_lscg',
        labeler_id: 'lab_lsc4',
        answer: '{"choice":"A"}',
        correct,
        created_at: later,
      });
      await withTransaction(db, async (trx) => {
        await audienceStore.insertGoldAnswer(trx, answer('rsp_gold_lsc1', 1));
        await audienceStore.insertGoldAnswer(trx, answer('rsp_gold_lsc2', 0));
        await leases.deleteLeases(trx, ['lse_gold_lsc4']);
      });
      await assert.rejects(audienceStore.insertGoldAnswer(db, answer('rsp_gold_lsc1', 1)));
      assert.equal((await audienceStore.findGoldAnswer(db, 'rsp_gold_lsc2'))?.created_at, later);
      assert.deepEqual(await leases.leasesOf(db, 'lab_lsc4'), []);
      assert.equal(
        (await audienceStore.nextGoldExample(db, 'aud_lscg', 'compare', 'lab_lsc4'))?.id,
        'aex_lscg1',
      );
      const graded = await audienceStore.gradedAnswers(db, 'lab_lsc4', 'aud_lscg');
      assert.deepEqual(
        graded.map((g) => [g.example_id, g.correct, g.random_correct_probability, g.source]).sort(),
        [
          ['aex_lscg0', 0, 0.5, 'gold'],
          ['aex_lscg0', 1, 0.5, 'gold'],
        ],
      );

      await audienceStore.upsertMembership(db, {
        audience_id: 'aud_lscg',
        labeler_id: 'lab_lsc4',
        state: 'qualified',
        answered: 1,
        correct: 1,
        user_score: 0.6,
        updated_at: t0,
      });
      await audienceStore.updateMemberScore(db, {
        audience_id: 'aud_lscg',
        labeler_id: 'lab_lsc4',
        state: 'dropped',
        user_score: 0.4,
        updated_at: later,
      });
      const member = await audienceStore.findMembership(db, 'aud_lscg', 'lab_lsc4');
      assert.deepEqual(
        [member?.state, member?.answered, member?.correct, member?.user_score, member?.updated_at],
        ['dropped', 1, 1, 0.4, later],
      );

      await leases.insertLease(db, { ...lease, id: 'lse_gold_lsc5' });
      assert.deepEqual(await leases.deleteLeasesExpiredBefore(db, '2026-04-02T00:00:00.000Z'), { gold: 1 });
    });
  });
}
