import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { insertOrganization } from '../auth/store.ts';
import type { ModelsTable } from '../db/schema.ts';
import type { GetDb } from '../db/store-contract.ts';
import { createManualClock } from '../http/clock.ts';
import { secretsKey } from './secrets.ts';
import * as store from './store.ts';

export function modelStoreContract(getDb: GetDb): void {
  describe('models store', () => {
    const t0 = '2026-06-01T10:00:00.000Z';
    const row = (id: string, over: Partial<ModelsTable> = {}): ModelsTable => ({
      id,
      organization_id: 'org_models_a',
      name: id,
      description: null,
      publisher: null,
      architecture: null,
      parameter_count: null,
      visibility: 'private',
      publicly_runnable: 0,
      endpoint_url: 'http://127.0.0.1:1/v1',
      endpoint_headers: 'v1.x.y.z.w',
      body_template: '{"q":"%PROMPT%"}',
      response_path: '[]',
      requests_per_minute: null,
      tokens_per_minute: null,
      context_window_tokens: null,
      cost_per_1k_input: null,
      cost_per_1k_output: null,
      cost_per_hour: null,
      created_at: t0,
      updated_at: t0,
      deleted_at: null,
      ...over,
    });
    before(async () => {
      for (const id of ['org_models_a', 'org_models_b'])
        await insertOrganization(getDb().db, { id, name: id, created_at: t0 });
      const db = getDb().db;
      await store.insertModel(db, row('mdl_c_a1', { name: 'Alpha', parameter_count: 7e9 }));
      await store.insertModel(
        db,
        row('mdl_c_a2', { name: 'beta_50%', created_at: '2026-06-01T11:00:00.000Z' }),
      );
      await store.insertModel(
        db,
        row('mdl_c_b1', {
          organization_id: 'org_models_b',
          name: 'Gamma',
          visibility: 'public',
          parameter_count: 70e9,
        }),
      );
      await store.insertModel(db, row('mdl_c_b2', { organization_id: 'org_models_b', name: 'Hidden' }));
    });

    const find = (over: Partial<Parameters<typeof store.findModels>[2]> = {}) =>
      store.findModels(getDb().db, 'org_models_a', {
        owner: 'any',
        sort: { column: 'name', direction: 'asc' },
        amount: 10,
        page: 1,
        ...over,
      });

    it("own models plus others' public ones; another's private one is not visible", async () => {
      const { data: rows, total } = await find();
      assert.deepEqual(
        rows.map((r) => r.id),
        ['mdl_c_a1', 'mdl_c_a2', 'mdl_c_b1'],
      );
      assert.equal(total, 3);
      assert.equal((await find({ owner: 'others' })).data.length, 1);
      assert.equal((await find({ owner: 'mine' })).total, 2);
      assert.equal(await store.findVisibleModel(getDb().db, 'org_models_a', 'mdl_c_b2'), undefined);
      assert.equal((await store.findVisibleModel(getDb().db, 'org_models_a', 'mdl_c_b1'))?.name, 'Gamma');
      assert.equal(await store.findOwnModel(getDb().db, 'org_models_a', 'mdl_c_b1'), undefined);
    });

    it('name filter is literal and case-insensitive; parameter counts sort with nulls last', async () => {
      assert.deepEqual(
        (await find({ name: '_50%' })).data.map((r) => r.id),
        ['mdl_c_a2'],
      );
      assert.deepEqual(
        (await find({ name: 'ALP' })).data.map((r) => r.id),
        ['mdl_c_a1'],
      );
      const desc = await find({ sort: { column: 'parameter_count', direction: 'desc' } });
      assert.deepEqual(
        desc.data.map((r) => r.id),
        ['mdl_c_b1', 'mdl_c_a1', 'mdl_c_a2'],
      );
      const asc = await find({ sort: { column: 'parameter_count', direction: 'asc' } });
      assert.deepEqual(
        asc.data.map((r) => r.id),
        ['mdl_c_a1', 'mdl_c_b1', 'mdl_c_a2'],
      );
      assert.equal(Number(desc.data[0]!.parameter_count), 70e9);
    });

    it('names are unique per organization among live models only', async () => {
      const db = getDb().db;
      await assert.rejects(store.insertModel(db, row('mdl_c_dup', { name: 'Alpha' })));
      await store.insertModel(db, row('mdl_c_other_org', { organization_id: 'org_models_b', name: 'Alpha' }));
      await store.updateModel(db, 'mdl_c_a1', { deleted_at: t0 });
      await store.insertModel(db, row('mdl_c_again', { name: 'Alpha' }));
      assert.equal((await store.findModelByName(db, 'org_models_a', 'Alpha'))?.id, 'mdl_c_again');
    });

    it('the generated secrets key is made once per database and read back the same', async () => {
      const clock = createManualClock();
      const a = await secretsKey({ db: getDb().db, clock });
      const b = await secretsKey({ db: getDb().db, clock });
      assert.equal(a.length, 32);
      assert.deepEqual(a, b);
    });
  });
}
