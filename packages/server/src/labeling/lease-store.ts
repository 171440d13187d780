import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { LeasesTable } from '../db/schema.ts';
import { statement } from '../db/statement.ts';
import type { AddressCap } from './engine.ts';

// SQL of the engine's one leases table (every kind of work). The statements every claim and answer runs are fixed
// SQL text (see db/statement.ts).

/** A lease as the engine reads it (created_at: when it was served, for the too-fast floor). */
export type LeaseRow = Omit<LeasesTable, 'address_hash'> & { address_hash: string | null };

const COLUMNS =
  '"id", "kind", "item_id", "job_id", "labeler_id", "presentation", "created_at", "expires_at", "address_hash"';

const timestamps = (r: LeaseRow): LeaseRow => ({
  ...r,
  created_at: String(r.created_at),
  expires_at: String(r.expires_at),
});

const LEASES_OF = statement(`select ${COLUMNS} from "leases" where "labeler_id" = ?`);

/** The labeler's leases of every kind, live or expired (cheap: one index lookup; usually none). */
export async function leasesOf(db: Db, labelerId: string): Promise<LeaseRow[]> {
  const rows = (await LEASES_OF<LeaseRow>(db, [labelerId])).rows;
  return rows.map(timestamps);
}

const FIND_LEASE = statement(`select ${COLUMNS} from "leases" where "id" = ?`);

export async function findLease(db: Db, leaseId: string): Promise<LeaseRow | undefined> {
  const row = (await FIND_LEASE<LeaseRow>(db, [leaseId])).rows[0];
  return row && timestamps(row);
}

const INSERT_LEASE = statement(
  'insert into "leases" ("id", "kind", "item_id", "job_id", "labeler_id", "presentation", "created_at", "expires_at", "address_hash") values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
);

export async function insertLease(
  trx: Db,
  row: Omit<LeaseRow, 'address_hash'> & { address_hash?: string | null },
): Promise<void> {
  await INSERT_LEASE(trx, [
    row.id,
    row.kind,
    row.item_id,
    row.job_id,
    row.labeler_id,
    row.presentation,
    row.created_at,
    row.expires_at,
    row.address_hash ?? null,
  ]);
}

const HELD = statement(
  'select (select count(*) from "leases" where "labeler_id" = ? and "expires_at" > ?) as "labeler", (select count(*) from "leases" where "address_hash" = ? and "expires_at" > ?) as "address"',
);

/** Live leases of the labeler, and of every labeler of `addressHash` (0 when null), in one statement. */
export async function liveLeasesHeld(
  db: Db,
  labelerId: string,
  addressHash: string | null,
  now: string,
): Promise<{ labeler: number; address: number }> {
  const row = (await HELD<{ labeler: unknown; address: unknown }>(db, [labelerId, now, addressHash, now]))
    .rows[0];
  return { labeler: Number(row?.labeler ?? 0), address: Number(row?.address ?? 0) };
}

const SERIALISE = statement('select pg_advisory_xact_lock(hashtext(?))');

/** Postgres: waits for the other claim transactions of `holder` (an address hash or labeler id) to end. */
export async function serialiseClaims(trx: Db, holder: string): Promise<void> {
  await SERIALISE(trx, [`claims:${holder}`]);
}

const DELETE_LEASE = statement('delete from "leases" where "id" = ?');

export async function deleteLease(trx: Db, leaseId: string): Promise<void> {
  await DELETE_LEASE(trx, [leaseId]);
}

export async function deleteLeases(trx: Db, ids: readonly string[]): Promise<void> {
  if (ids.length > 0)
    await trx
      .deleteFrom('leases')
      .where('id', 'in', [...ids])
      .execute();
}

/** Housekeeping: leases of every kind that expired before `before`, counted by kind. */
export async function deleteLeasesExpiredBefore(db: Db, before: string): Promise<Record<string, number>> {
  const rows = await db.deleteFrom('leases').where('expires_at', '<', before).returning('kind').execute();
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
}

/** Live leases of `kind` on each of `itemIds` (a source counting what is out, e.g. matchups). */
export async function liveLeaseCounts(
  db: Db,
  kind: string,
  itemIds: readonly string[],
  now: string,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (itemIds.length === 0) return out;
  const rows = await db
    .selectFrom('leases')
    .select(['item_id', (e) => e.fn.countAll<number>().as('n')])
    .where('kind', '=', kind)
    .where('item_id', 'in', [...itemIds])
    .where('expires_at', '>', now)
    .groupBy('item_id')
    .execute();
  for (const r of rows) out.set(r.item_id, Number(r.n));
  return out;
}

/** Where a pairwise source keeps one question: its lease kind, matchup and votes tables, and their columns. */
export interface PairQuestion {
  /** The lease kind of the source's matchups. */
  kind: string;
  /** The matchups table (leases point at its rows). */
  matchups: string;
  /** The votes table, one row per vote with its `address_hash`. */
  votes: string;
  /** Columns that, with the pair, make one question (the leaderboard and prompt, or the ranking). */
  scope: readonly string[];
  /** The two item columns, compared in either order. */
  pair: readonly [string, string];
}

/**
 * SQL for the per-address cap on matchup "m" of a pairwise source: the address's votes and live leases on the same
 * question (the scope columns and the pair in either order, across matchups planned again) stay below the cap.
 */
export function belowAddressCap(
  q: PairQuestion,
  address: AddressCap | undefined,
  now: string,
): RawBuilder<boolean> {
  if (!address) return sql<boolean>`1 = 1`;
  const [a, b] = q.pair;
  const same = (t: string) =>
    [
      ...q.scope.map((c) => `"${t}"."${c}" = "m"."${c}"`),
      `(("${t}"."${a}" = "m"."${a}" and "${t}"."${b}" = "m"."${b}") or ("${t}"."${a}" = "m"."${b}" and "${t}"."${b}" = "m"."${a}"))`,
    ].join(' and ');
  const votes = sql.raw(
    `(select count(*) from "${q.votes}" as "av" where ${same('av')} and "av"."address_hash" = `,
  );
  const leases = sql.raw(
    `(select count(*) from "leases" as "al" inner join "${q.matchups}" as "om" on "om"."id" = "al"."item_id" where "al"."kind" = '${q.kind}' and ${same('om')} and "al"."address_hash" = `,
  );
  return sql<boolean>`${votes}${address.hash}) + ${leases}${address.hash} and "al"."expires_at" > ${now}) < ${address.cap}`;
}
