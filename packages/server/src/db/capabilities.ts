import { PostgresAdapter } from 'kysely';
import type { Db, DialectName } from './database.ts';

/**
 * What the database can do, read from the Kysely instance's dialect adapter (also inside a transaction), so
 * call sites ask for a capability instead of a dialect's name.
 */
export interface DialectCapabilities {
  readonly name: DialectName;
  /** `?` placeholders (SQLite) or `$1, $2, …` (Postgres) in raw SQL text. */
  readonly placeholders: '?' | '$n';
  /**
   * Row locks (`FOR UPDATE`, `FOR NO KEY UPDATE`, `SKIP LOCKED`). Without them (SQLite) a write transaction holds
   * the database's one write lock from its first statement, so no row needs locking.
   */
  readonly rowLocks: boolean;
  /** Several transactions write at once (Postgres), so hot rows are worth spreading writers over. */
  readonly concurrentWriters: boolean;
  /** `INSERT/UPDATE/DELETE … RETURNING`. */
  readonly returning: boolean;
  /** A transaction may commit without waiting for its log flush (`synchronous_commit = off`). */
  readonly asyncCommit: boolean;
  /** Timestamps are stored as ISO-8601 text (SQLite), not as `timestamptz` (Postgres): string functions apply. */
  readonly textTimestamps: boolean;
}

const POSTGRES: DialectCapabilities = {
  name: 'postgres',
  placeholders: '$n',
  rowLocks: true,
  concurrentWriters: true,
  returning: true,
  asyncCommit: true,
  textTimestamps: false,
};

const SQLITE: DialectCapabilities = {
  name: 'sqlite',
  placeholders: '?',
  rowLocks: false,
  concurrentWriters: false,
  returning: true,
  asyncCommit: false,
  textTimestamps: true,
};

/** The capabilities of the database behind `db` (a Kysely instance, a transaction or a connection). */
export function capabilitiesOf(db: Db): DialectCapabilities {
  return db.getExecutor().adapter instanceof PostgresAdapter ? POSTGRES : SQLITE;
}
