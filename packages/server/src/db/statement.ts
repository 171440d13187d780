import { CompiledQuery, type QueryResult } from 'kysely';
import { capabilitiesOf } from './capabilities.ts';
import type { Db } from './database.ts';

export type Statement = <R>(db: Db, parameters: readonly unknown[]) => Promise<QueryResult<R>>;

/**
 * A statement written once as SQL text with `?` placeholders (`$1, $2, …` on Postgres), run through Kysely's
 * executor without its query builder and compiler, which cost more than SQLite takes to run a simple statement.
 * For hot paths only; the text must read the same in both dialects (double-quoted identifiers, no `?` literals).
 */
export function statement(text: string): Statement {
  let n = 0;
  const postgres = text.replace(/\?/g, () => `$${++n}`);
  return <R>(db: Db, parameters: readonly unknown[]) =>
    db.executeQuery<R>(
      CompiledQuery.raw(capabilitiesOf(db).placeholders === '$n' ? postgres : text, [...parameters]),
    );
}
