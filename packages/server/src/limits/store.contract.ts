import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GetDb } from '../db/store-contract.ts';
import * as store from './store.ts';

export function limitsStoreContract(getDb: GetDb): void {
  describe('limits store', () => {
    const w0 = Date.parse('2026-05-01T10:00:00.000Z');
    const w1 = w0 + 60_000;

    it('adds to a window atomically: 40 simultaneous additions lose none', async () => {
      const { db } = getDb();
      const counts = await Promise.all(
        Array.from({ length: 40 }, () => store.addToWindow(db, 'contract:race', w0, 3, w1)),
      );
      assert.equal(Math.max(...counts), 120);
      assert.deepEqual(
        [...counts].sort((a, b) => a - b),
        Array.from({ length: 40 }, (_, i) => 3 * (i + 1)),
        'each addition saw its own running total',
      );
    });

    it('a later window starts over; an earlier one (a clock behind) adds to the current one', async () => {
      const { db } = getDb();
      assert.equal(await store.addToWindow(db, 'contract:windows', w0, 5, w1), 5);
      assert.equal(await store.addToWindow(db, 'contract:windows', w1, 2, w1 + 60_000), 2);
      assert.equal(await store.addToWindow(db, 'contract:windows', w0, 1, w1), 3);
    });

    it('sweeps the windows that ended', async () => {
      const { db } = getDb();
      assert.ok((await store.deleteWindowsEndedBefore(db, w1 + 1)) >= 1);
      assert.equal(await store.addToWindow(db, 'contract:race', w0, 1, w1), 1, 'swept: counted afresh');
      assert.equal(await store.deleteWindowsEndedBefore(db, w0), 0);
    });
  });
}
