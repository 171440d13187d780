import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { insertOrganization } from '../auth/store.ts';
import type { RankingsTable } from '../db/schema.ts';
import type { GetDb } from '../db/store-contract.ts';
import * as store from './store.ts';

export function flowStoreContract(getDb: GetDb): void {
  describe('flows store', () => {
    const t0 = '2026-05-01T10:00:00.000Z';
    const t1 = '2026-05-01T10:01:00.000Z';
    const t2 = '2026-05-01T10:02:00.000Z';
    const ranking = (id: string, over: Partial<RankingsTable> = {}): RankingsTable => ({
      id,
      organization_id: 'org_flows_contract',
      flow_id: null,
      job_id: null,
      sort_index: 0,
      instruction: 'Which?',
      audience_id: 'global',
      data_type: 'text',
      items: JSON.stringify([
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ]),
      context: null,
      media_context: null,
      settings: '[]',
      private_metadata: null,
      min_responses: 2,
      max_responses: 3,
      responses_per_comparison: 1,
      random_ratio: 0.1,
      starting_elo: 1200,
      status: 'pending',
      responses: 0,
      planned: 0,
      expires_at: null,
      created_at: t0,
      finished_at: null,
      ...over,
    });
    before(async () => {
      await insertOrganization(getDb().db, {
        id: 'org_flows_contract',
        name: 'flows contract',
        created_at: t0,
      });
    });

    it('counts responses: pending → running, completed at the maximum, refused after it or after expiry', async () => {
      const { db } = getDb();
      await store.insertRankings(db, [ranking('rnk_c_count'), ranking('rnk_c_ttl', { expires_at: t1 })]);
      assert.deepEqual(await store.countRankingResponse(db, 'rnk_c_count', t0), { done: false });
      assert.equal((await store.getRanking(db, 'rnk_c_count'))?.status, 'running');
      await store.countRankingResponse(db, 'rnk_c_count', t0);
      assert.deepEqual(await store.countRankingResponse(db, 'rnk_c_count', t0), { done: true });
      const done = await store.getRanking(db, 'rnk_c_count');
      assert.deepEqual([done?.status, Number(done?.responses), done?.finished_at], ['completed', 3, t0]);
      assert.equal(await store.countRankingResponse(db, 'rnk_c_count', t0), undefined);
      assert.equal(await store.countRankingResponse(db, 'rnk_c_ttl', t1), undefined, 'expired at its time');
      assert.equal(Number((await store.getRanking(db, 'rnk_c_ttl'))?.responses), 0);
    });

    it('lists the rankings still collecting, and expires by the minimum of responses', async () => {
      const { db } = getDb();
      await store.insertRankings(db, [
        ranking('rnk_e_rich', { expires_at: t1, responses: 2, status: 'running' }),
        ranking('rnk_e_poor', { expires_at: t1, responses: 1, status: 'running' }),
        ranking('rnk_e_later', { expires_at: t2 }),
        ranking('rnk_e_stopped', { expires_at: t1, status: 'stopped' }),
      ]);
      const openAt = async (now: string) =>
        (await store.openRankings(db, now, 'org_flows_contract')).map((r) => r.id).sort();
      assert.deepEqual(await openAt(t0), ['rnk_c_ttl', 'rnk_e_later', 'rnk_e_poor', 'rnk_e_rich']);
      assert.deepEqual(await openAt(t1), ['rnk_e_later'], 'expired ones are out before the task runs');
      assert.equal(await store.expireRankings(db, t1), 3);
      const status = async (id: string) => (await store.getRanking(db, id))?.status;
      assert.deepEqual(
        [await status('rnk_e_rich'), await status('rnk_e_poor'), await status('rnk_c_ttl')],
        ['completed', 'incomplete', 'incomplete'],
      );
      assert.equal(await status('rnk_e_stopped'), 'stopped');
      assert.equal(await status('rnk_e_later'), 'pending');
      assert.equal((await store.getRanking(db, 'rnk_e_rich'))?.finished_at, t1);
      assert.equal(await store.expireRankings(db, t1), 0, 'once');
    });
  });
}
