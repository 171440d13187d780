import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AudienceExamplesTable, AudiencesTable } from '../db/schema.ts';
import type { GetDb } from '../db/store-contract.ts';
import * as store from './store.ts';

export function audienceStoreContract(getDb: GetDb): void {
  describe('audiences store', () => {
    const t = (minute: number) => `2026-03-05T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const orgA = 'org_aud_contract_a';
    const orgB = 'org_aud_contract_b';
    const audience = (id: string, over: Partial<AudiencesTable> = {}): AudiencesTable => ({
      id,
      organization_id: orgA,
      name: `Audience ${id}`,
      base_audience_id: null,
      filters: null,
      pass_rule: JSON.stringify({ targetAccuracy: 0.75, minExamples: 3 }),
      show_qualification_feedback: 1,
      created_at: t(0),
      deleted_at: null,
      ...over,
    });
    const example = (
      id: string,
      audienceId: string,
      sortIndex: number,
      purpose: AudienceExamplesTable['purpose'] = 'qualification',
    ): AudienceExamplesTable => ({
      id,
      audience_id: audienceId,
      organization_id: orgA,
      task_type: 'compare',
      instruction: 'Which is better?',
      data_type: 'text',
      items: JSON.stringify([
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ]),
      answer_options: null,
      truth: JSON.stringify(['a']),
      context: null,
      media_context: null,
      settings: '[]',
      explanation: null,
      random_correct_probability: 0.5,
      sort_index: sortIndex,
      purpose,
      created_at: t(sortIndex),
    });

    it('round-trips an audience with JSON text columns and nulls; scopes by organization; hides deleted', async () => {
      const { db } = getDb();
      await db
        .insertInto('organizations')
        .values([
          { id: orgA, name: 'Aud A', created_at: t(0) },
          { id: orgB, name: 'Aud B', created_at: t(0) },
        ])
        .execute();
      const row = audience('aud_c1', { filters: JSON.stringify([{ type: 'country', countries: ['US'] }]) });
      await store.insertAudience(db, row);
      assert.deepEqual(await store.findAudience(db, orgA, 'aud_c1'), row);
      assert.equal(await store.findAudience(db, orgB, 'aud_c1'), undefined);
      await store.markAudienceDeleted(db, 'aud_c1', t(5));
      assert.equal(await store.findAudience(db, orgA, 'aud_c1'), undefined);
      const [deleted] = await store.findAudiencesByIds(db, ['aud_c1']);
      assert.equal(deleted?.deleted_at, t(5));
    });

    it('lists live audiences newest first with a case-insensitive, wildcard-safe name filter and a total', async () => {
      const { db } = getDb();
      await store.insertAudience(db, audience('aud_l1', { name: 'Cat lovers', created_at: t(1) }));
      await store.insertAudience(db, audience('aud_l2', { name: 'DOG people', created_at: t(2) }));
      await store.insertAudience(db, audience('aud_l3', { name: '100%_cats', created_at: t(3) }));
      await store.insertAudience(
        db,
        audience('aud_l4', { name: 'cats', organization_id: orgB, created_at: t(4) }),
      );
      const all = await store.listAudiences(db, orgA, { amount: 10, page: 1 });
      assert.deepEqual(
        all.data.map((r) => r.id),
        ['aud_l3', 'aud_l2', 'aud_l1'],
      );
      assert.equal(all.total, 3);
      const cats = await store.listAudiences(db, orgA, { name: 'CAT', amount: 10, page: 1 });
      assert.deepEqual(
        cats.data.map((r) => r.id),
        ['aud_l3', 'aud_l1'],
      );
      const literal = await store.listAudiences(db, orgA, { name: '%_', amount: 10, page: 1 });
      assert.deepEqual(
        literal.data.map((r) => r.id),
        ['aud_l3'],
      );
      const page2 = await store.listAudiences(db, orgA, { amount: 2, page: 2 });
      assert.deepEqual(
        page2.data.map((r) => r.id),
        ['aud_l1'],
      );
      assert.equal(page2.total, 3);
    });

    it('keeps examples in sort order, numbers the next one, counts qualification examples per audience', async () => {
      const { db } = getDb();
      await store.insertAudience(db, audience('aud_e1'));
      assert.equal(await store.nextExampleSortIndex(db, 'aud_e1'), 0);
      await store.insertExample(db, example('aex_2', 'aud_e1', 1));
      await store.insertExample(db, example('aex_1', 'aud_e1', 0));
      assert.equal(await store.nextExampleSortIndex(db, 'aud_e1'), 2);
      const rows = await store.listExamples(db, 'aud_e1');
      assert.deepEqual(
        rows.map((r) => r.id),
        ['aex_1', 'aex_2'],
      );
      assert.equal(rows[0]?.random_correct_probability, 0.5);
      assert.deepEqual((await store.listExamplesPage(db, 'aud_e1', { amount: 1, page: 2 })).data, [rows[1]]);
      await store.insertExample(db, example('aex_g', 'aud_e1', 2, 'gold'));
      const counts = await store.countExamples(db, ['aud_e1', 'aud_l1']);
      assert.equal(counts.get('aud_e1'), 2, 'the gold pool is not counted as qualification examples');
      assert.equal(counts.get('aud_l1'), undefined);
      assert.equal((await store.listExamplesPage(db, 'aud_e1', { amount: 10 })).total, 3);
      const gold = await store.listExamplesPage(db, 'aud_e1', { amount: 10 }, 'gold');
      assert.deepEqual([gold.total, gold.data.map((r) => r.id)], [1, ['aex_g']]);
      assert.deepEqual(
        (await store.listExamples(db, 'aud_e1', 'gold')).map((r) => r.id),
        ['aex_g'],
      );
      await assert.rejects(store.insertExample(db, example('aex_orphan', 'aud_missing', 0)));
    });

    it('groups members and labelers by profile and state; finds a labeler’s memberships', async () => {
      const { db } = getDb();
      const labeler = (id: string, country: string | null, language: string | null) => ({
        id,
        kind: 'human' as const,
        country,
        language,
        demographics: null,
        user_score: 0.5,
        created_at: t(0),
        last_seen_at: t(0),
      });
      const countAll = async () => (await store.labelerCountsByProfile(db)).reduce((s, r) => s + r.n, 0);
      const before = await countAll();
      await db
        .insertInto('labelers')
        .values([
          labeler('lab_m1', 'US', 'en'),
          labeler('lab_m2', 'US', 'en'),
          labeler('lab_m3', 'DE', 'de'),
          labeler('lab_m4', null, null),
        ])
        .execute();
      const member = (labelerId: string, state: 'qualifying' | 'qualified' | 'dropped') => ({
        audience_id: 'aud_e1',
        labeler_id: labelerId,
        state,
        answered: 0,
        correct: 0,
        user_score: 0.5,
        updated_at: t(0),
      });
      await db
        .insertInto('audience_members')
        .values([member('lab_m1', 'qualified'), member('lab_m2', 'qualified'), member('lab_m3', 'dropped')])
        .execute();
      const byProfile = await store.memberCountsByProfile(db, 'aud_e1');
      const sorted = [...byProfile].sort((a, b) => String(a.country).localeCompare(String(b.country)));
      assert.deepEqual(sorted, [
        { country: 'DE', language: 'de', state: 'dropped', n: 1 },
        { country: 'US', language: 'en', state: 'qualified', n: 2 },
      ]);
      assert.equal(await countAll(), before + 4);
      const everyone = await store.labelerCountsByProfile(db);
      assert.ok(everyone.every((r) => r.state === 'qualified'));
      assert.ok(everyone.some((r) => r.country === 'DE' && r.language === 'de' && r.n >= 1));
      assert.deepEqual(await store.findMemberships(db, 'lab_m3', ['aud_e1', 'aud_l1']), [
        { audience_id: 'aud_e1', state: 'dropped' },
      ]);
      assert.deepEqual(await store.findMemberships(db, 'lab_m4', ['aud_e1']), []);
    });
  });
}
