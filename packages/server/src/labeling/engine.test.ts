// The engine serves any kind of work through the one leases table: a test-only work source ('probe') plugs in
// beside the job tasks and gold checks, and is claimed, shown again, answered and refused a second answer exactly
// like them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LabelerAnswer } from '@jury/api';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { createManualClock } from '../http/clock.ts';
import { AppError } from '../http/errors.ts';
import * as labelerStore from '../labelers/store.ts';
import { createEngine, type LabelingDeps, type WorkSource } from './engine.ts';
import { WORK_SOURCES } from './sources.ts';
import type { TaskSource } from './task-view.ts';

const t0 = '2026-05-01T10:00:00.000Z';
const org = 'org_engine';

/** A source of two fixed compare items, answered into memory; it never touches the leases itself. */
function probeSource(jobId: string) {
  const items = new Map<string, TaskSource>(
    ['prb_1', 'prb_2'].map((id) => [
      id,
      {
        taskType: 'compare',
        instruction: `Probe ${id}`,
        dataType: 'text',
        items: JSON.stringify([
          { type: 'text', text: `${id} left` },
          { type: 'text', text: `${id} right` },
        ]),
        context: null,
        mediaContext: null,
        answerOptions: null,
        settings: '["NoShuffle"]',
      },
    ]),
  );
  const answers: { id: string; item: string; answer: LabelerAnswer; created_at: string }[] = [];
  const source: WorkSource = {
    next: (ctx) =>
      ctx.claim(async () => {
        const open = [...items.keys()].find((id) => !answers.some((a) => a.item === id));
        return open
          ? { itemId: open, jobId, audienceId: 'global', shown: items.get(open) as TaskSource }
          : undefined;
      }),
    view: async (_db, lease) => items.get(lease.item_id),
    async accept({ now, answerId }, lease, answer) {
      if (!('choice' in answer)) throw new AppError('VALIDATION_FAILED', 'a probe takes a choice');
      answers.push({ id: answerId, item: lease.item_id, answer, created_at: now.toISOString() });
      return { completed: true, rescored: false };
    },
    findAnswer: async (_db, id) => answers.find((a) => a.id === id),
  };
  return { source, answers };
}

for (const target of testDatabaseTargets()) {
  describe(`labeling engine on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let handle: DatabaseHandle;
    before(async () => {
      env = await createTestEnvironment(target);
      handle = await openDatabase({ databaseUrl: env.databaseUrl, sqliteFile: `${env.dataDir}/jury.sqlite` });
      const { db } = handle;
      await db.insertInto('organizations').values({ id: org, name: 'Engine', created_at: t0 }).execute();
      await db
        .insertInto('job_definitions')
        .values({
          id: 'jdf_eng',
          organization_id: org,
          name: 'e',
          task_type: 'compare',
          latest_revision: 1,
          created_at: t0,
        })
        .execute();
      await db
        .insertInto('job_definition_revisions')
        .values({
          definition_id: 'jdf_eng',
          revision: 1,
          instruction: 'Pick',
          data_type: 'text',
          settings: '[]',
          answer_options: null,
          ab_names: null,
          responses_per_datapoint: 1,
          confidence_threshold: null,
          quorum_threshold: null,
          created_at: t0,
        })
        .execute();
      await db
        .insertInto('datapoints')
        .values({
          id: 'dp_eng',
          definition_id: 'jdf_eng',
          revision: 1,
          organization_id: org,
          sort_index: 0,
          items: JSON.stringify([
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
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
          id: 'job_eng',
          organization_id: org,
          definition_id: 'jdf_eng',
          revision: 1,
          audience_id: 'global',
          name: 'e',
          status: 'running',
          created_at: t0,
          completed_at: null,
        })
        .execute();
      await db
        .insertInto('tasks')
        .values({
          id: 'tsk_eng',
          job_id: 'job_eng',
          datapoint_id: 'dp_eng',
          organization_id: org,
          status: 'open',
          responses_count: 0,
          created_at: t0,
          completed_at: null,
        })
        .execute();
    });
    after(async () => {
      await handle.close();
      await env.cleanup();
    });

    it('serves, shows again and answers a third kind of work through the same leases', async () => {
      const { db } = handle;
      const clock = createManualClock(new Date(t0));
      const deps: LabelingDeps = { db, clock, leaseMs: 60_000, goldRate: 0 };
      const labeler = {
        id: 'lab_eng',
        kind: 'simulated' as const,
        country: 'US',
        language: 'en',
        demographics: null,
        user_score: 0.5,
        created_at: t0,
        last_seen_at: t0,
      };
      await labelerStore.insertLabeler(db, labeler);
      const probe = probeSource('job_eng');
      const engine = createEngine({ ...WORK_SOURCES, probe: probe.source });
      const leaseRows = () =>
        db
          .selectFrom('leases')
          .select(['id', 'kind', 'item_id'])
          .where('labeler_id', '=', labeler.id)
          .execute();

      // The job's task comes first (sources are asked in registry order) and is answered as ever.
      const task = await engine.nextTask(deps, labeler);
      assert.equal(task.kind === 'task' && task.instruction, 'Pick');
      if (task.kind !== 'task') return;
      assert.deepEqual(
        await engine.submitResponse(deps, labeler, { leaseId: task.leaseId, answer: { choice: 'A' } }),
        {
          id: `rsp_${task.leaseId.slice(4)}`,
          taskCompleted: true,
          createdAt: t0,
        },
      );

      // With no task left, the probe serves its first item under a lease of its kind in the same table.
      const first = await engine.nextTask(deps, labeler);
      assert.equal(first.kind, 'task');
      if (first.kind !== 'task') return;
      assert.equal(first.jobId, 'job_eng');
      assert.equal(first.instruction, 'Probe prb_1');
      assert.deepEqual(
        first.items.map((i) => [i.side, i.type === 'text' && i.text]),
        [
          ['A', 'prb_1 left'],
          ['B', 'prb_1 right'],
        ],
      );
      assert.equal(first.expiresAt, '2026-05-01T10:01:00.000Z');
      assert.deepEqual(await leaseRows(), [{ id: first.leaseId, kind: 'probe', item_id: 'prb_1' }]);

      // Asking again returns the held lease, shown by the probe's own view.
      await clock.advance(10_000);
      assert.deepEqual(await engine.nextTask(deps, labeler), first);

      // Someone else cannot answer it; a bad answer is the source's to refuse, and leaves the lease.
      await assert.rejects(
        engine.submitResponse(
          deps,
          { ...labeler, id: 'lab_other' },
          { leaseId: first.leaseId, answer: { choice: 'A' } },
        ),
        (err: AppError) => err.code === 'NOT_FOUND',
      );
      await assert.rejects(
        engine.submitResponse(deps, labeler, { leaseId: first.leaseId, answer: { category: 'x' } }),
        (err: AppError) => err.code === 'VALIDATION_FAILED',
      );
      assert.equal((await leaseRows()).length, 1);

      // The answer reaches the probe with its lease; the lease is used up.
      const answered = await engine.submitResponse(deps, labeler, {
        leaseId: first.leaseId,
        answer: { choice: 'B' },
      });
      assert.deepEqual(answered, {
        id: `rsp_${first.leaseId.slice(4)}`,
        taskCompleted: true,
        createdAt: '2026-05-01T10:00:10.000Z',
      });
      assert.deepEqual(
        probe.answers.map((a) => [a.id, a.item, a.answer]),
        [[answered.id, 'prb_1', { choice: 'B' }]],
      );
      assert.deepEqual(await leaseRows(), []);

      // A second answer is recognised through the probe's findAnswer.
      await assert.rejects(
        engine.submitResponse(deps, labeler, { leaseId: first.leaseId, answer: { choice: 'B' } }),
        (err: AppError) =>
          err.code === 'CONFLICT' && (err.details as { responseId: string }).responseId === answered.id,
      );

      // An expired probe lease cannot be answered, and goes when the labeler asks again.
      const second = await engine.nextTask(deps, labeler);
      assert.equal(second.kind === 'task' && second.instruction, 'Probe prb_2');
      if (second.kind !== 'task') return;
      await clock.advance(61_000);
      await assert.rejects(
        engine.submitResponse(deps, labeler, { leaseId: second.leaseId, answer: { choice: 'A' } }),
        (err: AppError) => err.code === 'CONFLICT' && 'expiredAt' in (err.details as object),
      );
      const again = await engine.nextTask(deps, labeler);
      assert.equal(again.kind === 'task' && again.instruction, 'Probe prb_2');
      assert.deepEqual(
        (await leaseRows()).map((l) => l.kind),
        ['probe'],
      );
      assert.notEqual(again.kind === 'task' && again.leaseId, second.leaseId);
    });
  });
}
