import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { capabilitiesOf, type DialectCapabilities } from './capabilities.ts';
import { migrateToLatest } from './migrations.ts';
import type { Database } from './schema.ts';
import { createSqliteDialect } from './sqlite-dialect.ts';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  dialect: DialectName;
  /** What the dialect can do (row locks, async commit, …); `capabilitiesOf(db)` where only `db` is at hand. */
  capabilities: DialectCapabilities;
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

/** The database could not be reached or opened; the message is one line naming the address (no password). */
export class DatabaseOpenError extends Error {
  /** The address with any password replaced by `***`. */
  readonly address: string;
  /** What went wrong, e.g. `connection refused: …`. */
  readonly reason: string;
  constructor(address: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot open the database ${address}: ${reason}`, options);
    this.name = 'DatabaseOpenError';
    this.address = address;
    this.reason = reason;
  }
}

/** How long the first connection may take before an unreachable host is reported. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Opens the database and applies every pending migration. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) await probePostgres(options.databaseUrl);
  const handle = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openSqlite(options.sqliteFile);
  try {
    await migrateToLatest(handle.db, handle.dialect);
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
  return handle;
}

/** A URL for messages: the password replaced by `***`, also when the text is not a valid URL. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** Why a first connection failed, in words (pg and Node error codes; the driver's message otherwise). */
function connectFailure(err: unknown, url: URL): string {
  const e = err as { code?: string; message?: string };
  const host = `${url.hostname}:${url.port || 5432}`;
  const database = decodeURIComponent(url.pathname.slice(1)) || url.username || 'postgres';
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${url.hostname} is not known (DNS lookup failed)`;
    case 'ECONNREFUSED':
      return `connection refused: nothing accepts PostgreSQL connections on ${host}`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} is unreachable (${e.code})`;
    case '28P01':
    case '28000':
      return `authentication failed: ${e.message}`;
    case '3D000':
      return `the database "${database}" does not exist on ${host}; create it (createdb ${database}) or name another`;
  }
  if (/terminated unexpectedly/i.test(e.message ?? ''))
    return `${host} closed the connection before answering as PostgreSQL (is it a PostgreSQL server?)`;
  if (/timeout/i.test(e.message ?? ''))
    return `no answer from ${host} within ${CONNECT_TIMEOUT_MS / 1000} s (unreachable host or firewall)`;
  return e.message || String(err);
}

/** One connection before the pool: a bad URL, host, password or database is one clear error, not a stack. */
async function probePostgres(url: string): Promise<void> {
  const shown = redactDatabaseUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseOpenError(shown, 'not a URL; expected postgres://user:password@host:5432/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new DatabaseOpenError(
      shown,
      `unsupported scheme "${parsed.protocol}"; only PostgreSQL is supported (postgres://user:password@host:5432/database), or leave the URL out for the embedded database`,
    );
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined); // a failure after connect() rejected is already reported
  try {
    await client.connect();
  } catch (err) {
    throw new DatabaseOpenError(shown, connectFailure(err, parsed), { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
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
  return {
    db,
    dialect: 'postgres',
    capabilities: capabilitiesOf(db),
    description: redactDatabaseUrl(url),
    close: () => {
      closing = true;
      return db.destroy();
    },
  };
}

/**
 * The database holds the labeler cookie secret and token hashes: a directory made for it is 0700 (an
 * existing one is the operator's) and the file 0600 before SQLite opens it (SQLite gives its -wal and -shm
 * files the database file's mode); an older, wider file is narrowed on start.
 */
function makePrivate(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

function openSqlite(file = ':memory:'): DatabaseHandle {
  if (file !== ':memory:') makePrivate(file);
  const db = new Kysely<Database>({ dialect: createSqliteDialect(file) });
  return {
    db,
    dialect: 'sqlite',
    capabilities: capabilitiesOf(db),
    description: `sqlite:${file}`,
    close: () => db.destroy(),
  };
}
