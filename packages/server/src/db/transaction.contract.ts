import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { capabilitiesOf } from './capabilities.ts';
import type { Db } from './database.ts';
import type { GetDb } from './store-contract.ts';
import { withTransaction } from './transaction.ts';

export function transactionContract(getDb: GetDb): void {
  describe('withTransaction', () => {
    const at = '2026-04-01T10:00:00.000Z';
    const insert = (db: Db, id: string) =>
      db.insertInto('organizations').values({ id, name: id, created_at: at }).execute();
    const exists = async (db: Db, id: string) =>
      (await db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst()) !==
      undefined;

    it('commits what fn wrote and returns its result', async () => {
      const { db } = getDb();
      const result = await withTransaction(db, async (trx) => {
        await insert(trx, 'org_trx_commit');
        return 7;
      });
      assert.equal(result, 7);
      assert.equal(await exists(db, 'org_trx_commit'), true);
    });

    it('rolls back when fn throws, rethrowing its error', async () => {
      const { db } = getDb();
      const boom = new Error('boom');
      await assert.rejects(
        withTransaction(db, async (trx) => {
          await insert(trx, 'org_trx_rollback');
          throw boom;
        }),
        (err) => err === boom,
      );
      assert.equal(await exists(db, 'org_trx_rollback'), false);
    });

    it('reports the failing statement, not the rollback, when the database ended the transaction', async () => {
      const { db } = getDb();
      await insert(db, 'org_trx_dup');
      await assert.rejects(
        withTransaction(db, (trx) => insert(trx, 'org_trx_dup')),
        /unique|UNIQUE|duplicate/,
      );
      assert.equal(await withTransaction(db, async () => 'usable'), 'usable');
    });

    it('joins the transaction it is called in: an outer rollback undoes the inner writes', async () => {
      const { db } = getDb();
      await assert.rejects(
        withTransaction(db, async (trx) => {
          await withTransaction(trx, (inner) => insert(inner, 'org_trx_inner'));
          assert.equal(await exists(trx, 'org_trx_inner'), true);
          throw new Error('outer fails');
        }),
        /outer fails/,
      );
      assert.equal(await exists(db, 'org_trx_inner'), false);
    });

    it('commits a non-durable write, and reads in a read transaction', async () => {
      const { db } = getDb();
      await withTransaction(db, (trx) => insert(trx, 'org_trx_fast'), { durable: false });
      assert.equal(await withTransaction(db, (trx) => exists(trx, 'org_trx_fast'), { mode: 'read' }), true);
    });

    it('waits for the log flush on commit but in a non-durable transaction (SQLite synchronous FULL / NORMAL)', async () => {
      const { db } = getDb();
      if (capabilitiesOf(db).name !== 'sqlite') return; // Postgres: synchronous_commit, set per transaction
      const level = async (d: Db) =>
        Number(Object.values((await sql`pragma synchronous`.execute(d)).rows[0] as object)[0]);
      assert.equal(await withTransaction(db, (trx) => level(trx)), 2, 'FULL by default');
      assert.equal(
        await withTransaction(db, (trx) => level(trx), { durable: false }),
        1,
        'NORMAL when relaxed',
      );
      assert.equal(await withTransaction(db, (trx) => level(trx)), 2, 'FULL again after');
    });

    it('serialises write transactions that read, then write what they read', async () => {
      const { db } = getDb();
      await insert(db, 'org_trx_counter');
      const bump = () =>
        withTransaction(db, async (trx) => {
          // Postgres reads with a row lock; SQLite's write transaction already holds the write lock.
          let q = trx.selectFrom('organizations').select('name').where('id', '=', 'org_trx_counter');
          if (capabilitiesOf(trx).rowLocks) q = q.forUpdate();
          const { name } = await q.executeTakeFirstOrThrow();
          const n = name === 'org_trx_counter' ? 0 : Number(name);
          await trx
            .updateTable('organizations')
            .set({ name: String(n + 1) })
            .where('id', '=', 'org_trx_counter')
            .execute();
        });
      await Promise.all(Array.from({ length: 5 }, bump));
      const row = await db
        .selectFrom('organizations')
        .select('name')
        .where('id', '=', 'org_trx_counter')
        .executeTakeFirstOrThrow();
      assert.equal(row.name, '5');
    });

    it('reads the same capabilities from a transaction as from the handle', async () => {
      const handle = getDb();
      await withTransaction(handle.db, async (trx) => {
        assert.deepEqual(capabilitiesOf(trx), handle.capabilities);
      });
      assert.equal(handle.capabilities.name, handle.dialect);
    });
  });
}
