import type { Db } from '../db/database.ts';
import { statement } from '../db/statement.ts';
import { withTransaction } from '../db/transaction.ts';

// SQL of the rate-limit counters (one row per limit and subject, a fixed window each). One atomic upsert adds to
// the current window (or starts it), so processes sharing the database never lose each other's counts.

// A row of an older window starts over; a row of a newer window (another process's clock runs ahead) is added to,
// which errs on the side of limiting.
const ADD = statement(
  'insert into "rate_limits" ("key", "window_start", "count", "expires_at") values (?, ?, ?, ?) on conflict ("key") do update set "count" = case when excluded."window_start" > "rate_limits"."window_start" then excluded."count" else "rate_limits"."count" + excluded."count" end, "window_start" = case when excluded."window_start" > "rate_limits"."window_start" then excluded."window_start" else "rate_limits"."window_start" end, "expires_at" = case when excluded."expires_at" > "rate_limits"."expires_at" then excluded."expires_at" else "rate_limits"."expires_at" end returning "count"',
);

/** Adds `n` to the window of `key` starting at `windowStart` (ms); returns the window's count, `n` included. */
export async function addToWindow(
  db: Db,
  key: string,
  windowStart: number,
  n: number,
  expiresAt: number,
): Promise<number> {
  // A counter lost in a crash costs nothing worth a log flush.
  const rows = await withTransaction(
    db,
    async (trx) => (await ADD<{ count: number | string }>(trx, [key, windowStart, n, expiresAt])).rows,
    { durable: false },
  );
  return Number(rows[0]?.count ?? n);
}

/** Housekeeping: counters whose window ended before `before` (ms). */
export async function deleteWindowsEndedBefore(db: Db, before: number): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('expires_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
