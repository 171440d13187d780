import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import { createCache } from '../http/cache.ts';

// node:sqlite takes parameters as arguments and has no booleans; Kysely's SQLite driver expects better-sqlite3's shape.
function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value as SQLInputValue;
}

function adapt(db: DatabaseSync): SqliteDatabase {
  // Preparing a statement costs more than running a simple one; hot paths (labeling) repeat the same SQL.
  const cache = createCache<string, { statement: StatementSync; reader: boolean }>({ max: 500 });
  const prepared = (sql: string) => {
    let entry = cache.get(sql);
    if (!entry) {
      const statement = db.prepare(sql);
      entry = { statement, reader: statement.columns().length > 0 };
      cache.set(sql, entry);
    }
    return entry;
  };
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const { statement, reader } = prepared(sql);
      return {
        reader,
        // node:sqlite rows have a null prototype; plain objects keep equality and spreading ordinary.
        all: (params) => statement.all(...params.map(toSqlite)).map((row) => ({ ...row })),
        run: (params) => {
          const r = statement.run(...params.map(toSqlite));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (params) => statement.iterate(...params.map(toSqlite)) as IterableIterator<unknown>,
      };
    },
  };
}

/**
 * A Kysely dialect over Node's built-in SQLite, in WAL mode with foreign keys on. `synchronous = FULL`: a
 * commit waits for the WAL's fsync, so an acknowledged write survives a power loss too, not only a crash of
 * the process (NORMAL could lose the last commits); `withTransaction(…, { durable: false })` relaxes it.
 */
export function createSqliteDialect(file: string): SqliteDialect {
  return new SqliteDialect({
    database: async () => {
      const db = new DatabaseSync(file);
      db.exec(
        'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;',
      );
      return adapt(db);
    },
  });
}
