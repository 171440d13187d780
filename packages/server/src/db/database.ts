import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.ts';
import type { Database } from './schema.ts';
import { createSqliteDialect } from './sqlite-dialect.ts';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  dialect: DialectName;
  /** A redacted description for logs (no password). */
  description: string;
  close(): Promise<void>;
}

const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;
pg.types.setTypeParser(TIMESTAMPTZ_OID, (v) => new Date(v).toISOString());
pg.types.setTypeParser(INT8_OID, (v) => Number(v));

export interface OpenDatabaseOptions {
  /** A postgres:// URL; when absent the embedded SQLite file is used. */
  databaseUrl?: string | undefined;
  /** SQLite file path (ignored for Postgres). `:memory:` works for throwaway databases. */
  sqliteFile?: string;
  /** Pool size for Postgres. */
  poolSize?: number;
}

/** Opens the database and applies every pending migration. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openSqlite(options.sqliteFile);
  await migrateToLatest(handle.db, handle.dialect);
  return handle;
}

function openPostgres(url: string, max: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client whose connection fails (server restart, or the database dropped right after close(), since
  // pg-pool's end() resolves before sockets close) is discarded by the pool, which then emits 'error': without a
  // listener that is an uncaught exception. The next query simply opens a new connection.
  let closing = false;
  pool.on('error', (err) => {
    if (!closing) console.warn(`[jury] an idle database connection failed and was discarded: ${err.message}`);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const parsed = new URL(url);
  parsed.password = parsed.password ? '***' : '';
  return {
    db,
    dialect: 'postgres',
    description: parsed.toString(),
    close: () => {
      closing = true;
      return db.destroy();
    },
  };
}

function openSqlite(file = ':memory:'): DatabaseHandle {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Kysely<Database>({ dialect: createSqliteDialect(file) });
  return { db, dialect: 'sqlite', description: `sqlite:${file}`, close: () => db.destroy() };
}
