// A run store in one SQLite file (node:sqlite), shared by every process that opens it: runs outside a server
// (the benchmark's killed-and-resumed run, scripts) and the store contract on a real file. Claims take the
// write lock (BEGIN IMMEDIATE), so of several processes exactly one gets an item; each save is committed with
// synchronous=FULL (WAL: fsync'd) before it returns, so no stored answer is lost. Claims and renewals commit
// without an fsync (synchronous=NORMAL): a claim lost with the machine is harmless, its holder is gone too.
import { DatabaseSync } from 'node:sqlite';
import type { ClaimResult, ItemRecord, RunStore } from './types.ts';

interface Row {
  holder: string | null;
  lease_until: number;
  status: string | null;
  record: string | null;
}

export interface SqliteFileRunStore<TGrade> extends RunStore<TGrade> {
  records(): ItemRecord<TGrade>[];
  close(): void;
}

export function createSqliteFileRunStore<TGrade = unknown>(options: {
  path: string;
  /** Several runs may share the file; each sees only its own items. */
  runId: string;
  now?: () => number;
}): SqliteFileRunStore<TGrade> {
  const now = options.now ?? Date.now;
  const db = new DatabaseSync(options.path, { timeout: 10_000 });
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    CREATE TABLE IF NOT EXISTS file_run_items (
      run_id TEXT NOT NULL, item_id TEXT NOT NULL, holder TEXT, lease_until INTEGER NOT NULL DEFAULT 0,
      status TEXT, record TEXT, PRIMARY KEY (run_id, item_id))`);
  const find = db.prepare(
    'SELECT holder, lease_until, status, record FROM file_run_items WHERE run_id = ? AND item_id = ?',
  );
  const upsertLease =
    db.prepare(`INSERT INTO file_run_items (run_id, item_id, holder, lease_until) VALUES (?, ?, ?, ?)
    ON CONFLICT (run_id, item_id) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until`);
  const renewLease = db.prepare(
    'UPDATE file_run_items SET lease_until = ? WHERE run_id = ? AND item_id = ? AND holder = ? AND lease_until > ?',
  );
  const writeRecord =
    db.prepare(`INSERT INTO file_run_items (run_id, item_id, status, record) VALUES (?, ?, ?, ?)
    ON CONFLICT (run_id, item_id) DO UPDATE SET status = excluded.status, record = excluded.record,
      holder = CASE WHEN holder = ? OR lease_until <= ? THEN NULL ELSE holder END,
      lease_until = CASE WHEN holder = ? OR lease_until <= ? THEN 0 ELSE lease_until END`);
  const dropLease = db.prepare(
    'UPDATE file_run_items SET holder = NULL, lease_until = 0 WHERE run_id = ? AND item_id = ? AND holder = ?',
  );
  const all = db.prepare('SELECT record FROM file_run_items WHERE run_id = ? AND record IS NOT NULL');
  const { runId } = options;

  /** One write transaction: BEGIN IMMEDIATE takes the file's write lock before reading. */
  const inTransaction = <T>(fn: () => T, durable = false): T => {
    if (durable) db.exec('PRAGMA synchronous = FULL');
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    } finally {
      if (durable) db.exec('PRAGMA synchronous = NORMAL');
    }
  };
  const rowOf = (itemId: string) => find.get(runId, itemId) as Row | undefined;

  return {
    async claim(itemId, { holder, leaseMs, retakeFailed }): Promise<ClaimResult<TGrade>> {
      return inTransaction(() => {
        const row = rowOf(itemId);
        const t = now();
        if (row?.record && !(retakeFailed && row.status === 'failed'))
          return { status: 'done', record: JSON.parse(row.record) as ItemRecord<TGrade> };
        if (row?.holder && row.holder !== holder && row.lease_until > t)
          return { status: 'held', until: new Date(row.lease_until) };
        upsertLease.run(runId, itemId, holder, t + leaseMs);
        return { status: 'claimed' };
      });
    },
    async renew(itemId, { holder, leaseMs }) {
      const t = now();
      return Number(renewLease.run(t + leaseMs, runId, itemId, holder, t).changes) === 1;
    },
    async save(record, holder) {
      return inTransaction(() => {
        const row = rowOf(record.itemId);
        if (row?.record && row.status !== 'failed') return false;
        const t = now();
        writeRecord.run(runId, record.itemId, record.status, JSON.stringify(record), holder, t, holder, t);
        return true;
      }, true);
    },
    async release(itemId, holder) {
      dropLease.run(runId, itemId, holder);
    },
    records: () =>
      (all.all(runId) as { record: string }[]).map((r) => JSON.parse(r.record) as ItemRecord<TGrade>),
    close: () => db.close(),
  };
}
