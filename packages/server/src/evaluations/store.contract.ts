import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { insertOrganization } from '../auth/store.ts';
import type { GetDb } from '../db/store-contract.ts';
import { withTransaction } from '../db/transaction.ts';
import * as store from './store.ts';

export function evaluationStoreContract(getDb: GetDb): void {
  describe('evaluations store', () => {
    const t0 = '2026-05-01T10:00:00.000Z';
    const org = 'org_evals_contract';
    const evaluation = (id: string, over: Partial<store.EvaluationRow> = {}): store.EvaluationRow => ({
      id,
      organization_id: org,
      name: id,
      description: '',
      trusted: 0,
      visibility: 'private',
      created_at: t0,
      ...over,
    });
    const version = (id: string, evaluationId: string, label: string): store.VersionRow => ({
      id,
      evaluation_id: evaluationId,
      version: label,
      free_form_count: 0,
      multiple_choice_count: 0,
      created_at: t0,
    });
    const item = (versionId: string, position: number): store.ItemRow => ({
      id: `evi_c_${versionId}_${position}`,
      version_id: versionId,
      position,
      split: position % 2 === 0 ? 'multiple-choice' : 'free-form',
      key: String(position),
      question: `Q${position} — ünïcode`,
      context: null,
      options: position % 2 === 0 ? '["a","b"]' : null,
      answers: position % 2 === 0 ? null : '["a"]',
      correct_option: position % 2 === 0 ? 1 : null,
      benchmark: null,
    });
    before(async () => {
      await insertOrganization(getDb().db, { id: org, name: 'evals contract', created_at: t0 });
      await insertOrganization(getDb().db, { id: `${org}_2`, name: 'evals contract 2', created_at: t0 });
    });

    it('inserts do nothing on an existing id or name and say so', async () => {
      const { db } = getDb();
      assert.equal(await store.insertEvaluation(db, evaluation('evl_c1')), true);
      assert.equal(await store.insertEvaluation(db, evaluation('evl_c1', { name: 'other' })), false);
      assert.equal(await store.insertEvaluation(db, evaluation('evl_c1b', { name: 'evl_c1' })), false);
      // The same name in another organization is fine.
      assert.equal(
        await store.insertEvaluation(
          db,
          evaluation('evl_c1c', { name: 'evl_c1', organization_id: `${org}_2` }),
        ),
        true,
      );
      assert.equal(await store.insertVersion(db, version('evv_c1', 'evl_c1', 'v1')), true);
      assert.equal(await store.insertVersion(db, version('evv_c1x', 'evl_c1', 'v1')), false);
      assert.equal(await store.insertVersion(db, version('evv_c1', 'evl_c1', 'v2')), false);
    });

    it('stores thousands of items in chunks, pages them in order, filters by split', async () => {
      const { db } = getDb();
      await store.insertEvaluation(db, evaluation('evl_c2'));
      await store.insertVersion(db, version('evv_c2', 'evl_c2', 'v1'));
      const rows = Array.from({ length: 4500 }, (_, i) => item('evv_c2', i + 1));
      await withTransaction(db, (trx) => store.insertItems(trx, rows));
      const page = await store.listItems(db, 'evv_c2', { amount: 3, page: 2 });
      assert.deepEqual([page.total, page.data.map((r) => Number(r.position))], [4500, [4, 5, 6]]);
      assert.equal(page.data[0]?.question, 'Q4 — ünïcode');
      const mc = await store.listItems(db, 'evv_c2', { split: 'multiple-choice', amount: 2, page: 1 });
      assert.deepEqual([mc.total, mc.data.map((r) => Number(r.correct_option))], [2250, [1, 1]]);
      const picked = await store.itemsById(db, 'evv_c2', ['evi_c_evv_c2_9', 'evi_c_evv_c2_3', 'evi_c_other']);
      assert.deepEqual(
        picked.map((r) => Number(r.position)),
        [3, 9],
      );
    });

    it('a failed item insert leaves nothing of the version behind', async () => {
      const { db } = getDb();
      await store.insertEvaluation(db, evaluation('evl_c3'));
      const duplicate = [item('evv_c3', 1), { ...item('evv_c3', 2), position: 1 }];
      await assert.rejects(
        withTransaction(db, async (trx) => {
          await store.insertVersion(trx, version('evv_c3', 'evl_c3', 'v1'));
          await store.insertItems(trx, duplicate);
        }),
      );
      assert.deepEqual(await store.existingVersionIds(db, ['evv_c3']), new Set());
      assert.equal((await store.listItems(db, 'evv_c3', { amount: 10, page: 1 })).total, 0);
    });

    it('finds what an organization may see: its own, built-in and public ones; names among its own and built-in', async () => {
      const { db } = getDb();
      await store.insertEvaluation(
        db,
        evaluation('evl_c4b', { organization_id: null, name: 'c4-builtin', visibility: 'public' }),
      );
      await store.insertEvaluation(
        db,
        evaluation('evl_c4p', { organization_id: `${org}_2`, name: 'c4-public', visibility: 'public' }),
      );
      await store.insertEvaluation(
        db,
        evaluation('evl_c4x', { organization_id: `${org}_2`, name: 'c4-private' }),
      );
      assert.equal((await store.findVisibleEvaluation(db, org, 'c4-builtin'))?.id, 'evl_c4b');
      assert.equal((await store.findVisibleEvaluation(db, org, 'evl_c4p'))?.id, 'evl_c4p');
      assert.equal(await store.findVisibleEvaluation(db, org, 'c4-public'), undefined, 'not by name');
      assert.equal(await store.findVisibleEvaluation(db, org, 'evl_c4x'), undefined);
      assert.equal(
        (await store.findVisibleEvaluation(db, org, 'evl_c1'))?.organization_id,
        org,
        'own name first',
      );
      const found = await store.findEvaluations(db, org, { name: 'C4' });
      assert.deepEqual(found.map((r) => r.id).sort(), ['evl_c4b', 'evl_c4p']);
      const trusted = await store.findEvaluations(db, org, {
        name: 'c4',
        trusted: true,
      });
      assert.equal(trusted.length, 0);
    });

    it('deleting an evaluation removes its versions and items', async () => {
      const { db } = getDb();
      await withTransaction(db, (trx) => store.deleteEvaluation(trx, 'evl_c2'));
      assert.equal((await store.listItems(db, 'evv_c2', { amount: 1, page: 1 })).total, 0);
      assert.deepEqual(await store.versionsOf(db, ['evl_c2']), []);
      assert.equal(await store.findVisibleEvaluation(db, org, 'evl_c2'), undefined);
    });
  });
}
