import { CompiledQuery, sql } from 'kysely';
import { capabilitiesOf } from './capabilities.ts';
import type { Db } from './database.ts';

export interface TransactionOptions {
  /**
   * `write` (the default): SQLite `BEGIN IMMEDIATE` takes the write lock up front, so a transaction that reads
   * then writes cannot fail to upgrade (or interleave with another writer, even in another process); Postgres
   * `BEGIN` at its default isolation (READ COMMITTED): lock rows that decide a write (see `rowLocks`).
   * `read`: one consistent snapshot and no writes (SQLite deferred `BEGIN`; Postgres REPEATABLE READ, READ ONLY).
   */
  mode?: 'write' | 'read';
  /**
   * `false`: commit without waiting for the log flush (Postgres `synchronous_commit = off`, SQLite
   * `synchronous = NORMAL`); for writes whose loss in a power loss costs nothing (a lease is claimed again).
   */
  durable?: boolean;
}

const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
const BEGIN_DEFERRED = CompiledQuery.raw('begin');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');
// SQLite's durability is per connection: FULL (the dialect's default) but for a `durable: false` transaction.
const SYNC_NORMAL = CompiledQuery.raw('pragma synchronous = normal');
const SYNC_FULL = CompiledQuery.raw('pragma synchronous = full');

/** SQLite connections inside a transaction begun here (Kysely marks only its own transactions). */
const open = new WeakSet<Db>();

/**
 * Runs `fn` in one transaction, committed when it resolves and rolled back when it throws. Inside a
 * transaction already (`db` is a transaction), `fn` joins it.
 */
export async function withTransaction<T>(
  db: Db,
  fn: (trx: Db) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (db.isTransaction || open.has(db)) return fn(db);
  const capabilities = capabilitiesOf(db);
  const read = options.mode === 'read';
  if (capabilities.name === 'postgres') {
    const builder = read
      ? db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only')
      : db.transaction();
    if (options.durable !== false || read) return builder.execute(fn);
    return builder.execute(async (trx) => {
      await sql`set local synchronous_commit = off`.execute(trx);
      return fn(trx);
    });
  }
  // SQLite: Kysely's own transaction is always deferred; this is its one connection, begun as asked.
  const relaxed = options.durable === false && !read;
  return db.connection().execute(async (conn) => {
    if (relaxed) await conn.executeQuery(SYNC_NORMAL);
    await conn.executeQuery(read ? BEGIN_DEFERRED : BEGIN_IMMEDIATE);
    open.add(conn);
    try {
      const result = await fn(conn);
      await conn.executeQuery(COMMIT);
      return result;
    } catch (err) {
      // A failed statement may have ended the transaction already; the first error is the one to report.
      await conn.executeQuery(ROLLBACK).catch(() => undefined);
      throw err;
    } finally {
      open.delete(conn);
      if (relaxed) await conn.executeQuery(SYNC_FULL);
    }
  });
}
