import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatapointsTable, JobDefinitionRevisionsTable, JobsTable, TasksTable } from '../db/schema.ts';
import type { GetDb } from '../db/store-contract.ts';
import * as store from './store.ts';

export function jobStoreContract(getDb: GetDb): void {
  describe('jobs store', () => {
    const t = (minute: number) => `2026-03-07T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const org = 'org_jobs_contract';
    const otherOrg = 'org_jobs_contract_b';
    const revision = (definitionId: string, n: number): JobDefinitionRevisionsTable => ({
      definition_id: definitionId,
      revision: n,
      instruction: `Which is better? (${n})`,
      data_type: 'text',
      settings: '["NoShuffle"]',
      answer_options: null,
      ab_names: null,
      responses_per_datapoint: 5,
      confidence_threshold: n === 1 ? 0.99 : null,
      quorum_threshold: null,
      created_at: t(n),
    });
    const datapoint = (
      id: string,
      definitionId: string,
      rev: number,
      sortIndex: number,
    ): DatapointsTable => ({
      id,
      definition_id: definitionId,
      revision: rev,
      organization_id: org,
      sort_index: sortIndex,
      items: JSON.stringify([
        { type: 'text', text: `${id}-a` },
        { type: 'text', text: `${id}-b` },
      ]),
      context: null,
      media_context: null,
      private_metadata: null,
      created_at: t(1),
    });

    it('stores definitions, revisions and datapoints; datapoints of a revision include earlier ones', async () => {
      const { db } = getDb();
      for (const id of [org, otherOrg])
        await db
          .insertInto('organizations')
          .values({ id, name: id, created_at: t(0) })
          .execute();
      await store.insertDefinition(db, {
        id: 'jdf_c1',
        organization_id: org,
        name: 'Alpha 50%_off',
        task_type: 'compare',
        latest_revision: 1,
        created_at: t(1),
      });
      await store.insertDefinition(db, {
        id: 'jdf_c2',
        organization_id: org,
        name: 'alphabet',
        task_type: 'classification',
        latest_revision: 1,
        created_at: t(2),
      });
      await store.insertDefinition(db, {
        id: 'jdf_c3',
        organization_id: otherOrg,
        name: 'Alpha other',
        task_type: 'compare',
        latest_revision: 1,
        created_at: t(3),
      });
      await store.insertRevision(db, revision('jdf_c1', 1));
      await store.insertRevision(db, revision('jdf_c1', 2));
      await store.setLatestRevision(db, 'jdf_c1', 2);
      await store.insertDatapoints(db, [
        datapoint('dpt_c1', 'jdf_c1', 1, 0),
        datapoint('dpt_c2', 'jdf_c1', 1, 1),
        datapoint('dpt_c3', 'jdf_c1', 2, 2),
      ]);
      assert.equal((await store.findDefinition(db, org, 'jdf_c1'))?.latest_revision, 2);
      assert.equal(await store.findDefinition(db, org, 'jdf_c3'), undefined);
      assert.deepEqual(await store.findRevision(db, 'jdf_c1', 1), revision('jdf_c1', 1));
      assert.deepEqual(
        (await store.listDatapoints(db, 'jdf_c1', 1)).map((d) => d.id),
        ['dpt_c1', 'dpt_c2'],
      );
      assert.deepEqual(
        (await store.listDatapoints(db, 'jdf_c1', 2)).map((d) => d.id),
        ['dpt_c1', 'dpt_c2', 'dpt_c3'],
      );
      assert.equal(await store.maxSortIndex(db, 'jdf_c1'), 2);
      assert.equal(await store.maxSortIndex(db, 'jdf_c2'), -1);
      assert.deepEqual(await store.countDatapoints(db, ['jdf_c1', 'jdf_c2']), new Map([['jdf_c1', 3]]));
      const revs = await store.findRevisions(db, [
        { definitionId: 'jdf_c1', revision: 2 },
        { definitionId: 'jdf_c2', revision: 1 },
      ]);
      assert.deepEqual(
        revs.map((r) => [r.definition_id, r.revision]),
        [['jdf_c1', 2]],
      );
    });

    it('finds definitions by name: case-insensitive, literal % and _, one organization, newest first', async () => {
      const { db } = getDb();
      const all = await store.listDefinitions(db, org, { name: 'ALPHA', amount: 10, page: 1 });
      assert.deepEqual(
        all.data.map((r) => r.id),
        ['jdf_c2', 'jdf_c1'],
      );
      assert.equal(all.total, 2);
      const literal = await store.listDefinitions(db, org, { name: '50%_', amount: 10, page: 1 });
      assert.deepEqual(
        literal.data.map((r) => r.id),
        ['jdf_c1'],
      );
      assert.equal((await store.listDefinitions(db, org, { name: 'a_p', amount: 10, page: 1 })).total, 0);
      const page = await store.listDefinitions(db, org, { amount: 1, page: 2 });
      assert.deepEqual(
        page.data.map((r) => r.id),
        ['jdf_c1'],
      );
      assert.equal(page.total, 2);
    });

    it('stores jobs and tasks; counts progress; moves status only from the expected one', async () => {
      const { db } = getDb();
      const job: JobsTable = {
        id: 'job_c1',
        organization_id: org,
        definition_id: 'jdf_c1',
        revision: 2,
        audience_id: 'global',
        name: 'Alpha job',
        status: 'running',
        created_at: t(5),
        completed_at: null,
      };
      await store.insertJob(db, job);
      const task = (id: string, dp: string, status: TasksTable['status'], n: number): TasksTable => ({
        id,
        job_id: job.id,
        datapoint_id: dp,
        organization_id: org,
        status,
        responses_count: n,
        created_at: t(5),
        completed_at: status === 'complete' ? t(6) : null,
      });
      await store.insertTasks(db, [
        task('tsk_c1', 'dpt_c1', 'complete', 5),
        task('tsk_c2', 'dpt_c2', 'open', 2),
        task('tsk_c3', 'dpt_c3', 'open', 0),
      ]);
      assert.deepEqual(await store.findJob(db, org, job.id), { ...job, task_type: 'compare' });
      assert.equal(await store.findJob(db, otherOrg, job.id), undefined);
      assert.deepEqual(
        await store.taskCounts(db, [job.id, 'job_none']),
        new Map([[job.id, { total: 3, completed: 1, responses: 7 }]]),
      );
      assert.equal(await store.countOpenTasks(db, job.id), 2);
      assert.equal(await store.transitionJob(db, job.id, 'paused', 'running'), false);
      assert.equal(await store.transitionJob(db, job.id, 'running', 'paused'), true);
      assert.equal(await store.transitionJob(db, job.id, 'paused', 'completed', t(9)), true);
      const done = await store.findJob(db, org, job.id);
      assert.equal(done?.status, 'completed');
      assert.equal(done?.completed_at, t(9));
      const listed = await store.listJobs(db, org, {
        audienceId: 'global',
        name: 'alpha',
        amount: 10,
        page: 1,
      });
      assert.deepEqual(
        listed.data.map((r) => r.id),
        [job.id],
      );
      assert.equal((await store.listJobs(db, org, { audienceId: 'aud_x', amount: 10, page: 1 })).total, 0);
    });

    it('previews: found by hash until deleted as expired', async () => {
      const { db } = getDb();
      const row = {
        key_hash: 'hash_c1',
        definition_id: 'jdf_c1',
        organization_id: org,
        revision: 2,
        created_at: t(10),
        expires_at: t(20),
      };
      await store.insertPreview(db, row);
      assert.deepEqual(await store.findPreview(db, 'hash_c1'), row);
      assert.equal(await store.deleteExpiredPreviews(db, t(19)), 0);
      assert.equal(await store.deleteExpiredPreviews(db, t(20)), 1);
      assert.equal(await store.findPreview(db, 'hash_c1'), undefined);
    });
  });
}
