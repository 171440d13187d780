import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GetDb } from '../db/store-contract.ts';
import * as store from './store.ts';

export function runtimeStoreContract(getDb: GetDb): void {
  describe('runtime store', () => {
    const t0 = '2026-05-01T10:00:00.000Z';
    const t1 = '2026-05-01T10:01:00.000Z';
    const claim = (holder: string, now: string, until: string) =>
      store.claimRun(getDb().db, { name: 'contract.task', holder, now, until });

    it('creates the row on the first claim and records holder, run time and expiry', async () => {
      assert.deepEqual(await claim('a', t0, t1), { claimed: true });
      assert.deepEqual(await store.findRuntimeLease(getDb().db, 'contract.task'), {
        name: 'contract.task',
        holder: 'a',
        expires_at: t1,
        last_run_at: t0,
      });
    });

    it('refuses a claim before the expiry and names it; grants it at the expiry', async () => {
      assert.deepEqual(await claim('b', '2026-05-01T10:00:30.000Z', '2026-05-01T10:01:30.000Z'), {
        claimed: false,
        expiresAt: t1,
      });
      assert.deepEqual(await claim('b', t1, '2026-05-01T10:02:00.000Z'), { claimed: true });
      assert.equal((await store.findRuntimeLease(getDb().db, 'contract.task'))?.holder, 'b');
    });

    it('grants exactly one of several simultaneous claims, also of a task that never ran', async () => {
      const { db } = getDb();
      const results = await Promise.all(
        ['p', 'q', 'r', 's'].map((holder) =>
          store.claimRun(db, { name: 'contract.race', holder, now: t0, until: t1 }),
        ),
      );
      assert.equal(results.filter((r) => r.claimed).length, 1);
      assert.deepEqual(
        results.filter((r) => !r.claimed),
        [1, 2, 3].map(() => ({ claimed: false, expiresAt: t1 })),
      );
    });

    it('reads the due times of the tasks asked for', async () => {
      const due = await store.runtimeLeaseExpiries(getDb().db, ['contract.race', 'contract.never']);
      assert.deepEqual([...due], [['contract.race', t1]]);
      assert.equal((await store.runtimeLeaseExpiries(getDb().db, [])).size, 0);
    });
  });
}
