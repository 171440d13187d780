import type { Db } from '../db/database.ts';
import type { RuntimeLeasesTable } from '../db/schema.ts';

/** A task with no row has never run: any claim may take it. */
const NEVER = new Date(0).toISOString();

export type ClaimResult = { claimed: true } | { claimed: false; expiresAt: string };

/**
 * Takes the task's next run for `holder` if nobody holds it (expires_at <= now): one atomic UPDATE … RETURNING,
 * so of several processes asking at once exactly one gets it. Otherwise says until when the run is taken.
 */
export async function claimRun(
  db: Db,
  input: { name: string; holder: string; now: string; until: string },
): Promise<ClaimResult> {
  let expiresAt = NEVER;
  // Three rounds at most: claim; if there is no row, create it; if the row is free again, claim once more.
  for (let attempt = 0; attempt < 3; attempt++) {
    const won = await db
      .updateTable('runtime_leases')
      .set({ holder: input.holder, expires_at: input.until, last_run_at: input.now })
      .where('name', '=', input.name)
      .where('expires_at', '<=', input.now)
      .returning('name')
      .executeTakeFirst();
    if (won) return { claimed: true };
    const row = await findRuntimeLease(db, input.name);
    if (row) {
      expiresAt = row.expires_at;
      if (Date.parse(expiresAt) > Date.parse(input.now)) return { claimed: false, expiresAt };
    } else {
      // First run anywhere (a concurrent creator wins harmlessly); claimed like any other on the next round.
      await db
        .insertInto('runtime_leases')
        .values({ name: input.name, holder: null, expires_at: NEVER, last_run_at: null })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
  }
  return { claimed: false, expiresAt };
}

export async function findRuntimeLease(db: Db, name: string): Promise<RuntimeLeasesTable | undefined> {
  return db.selectFrom('runtime_leases').selectAll().where('name', '=', name).executeTakeFirst();
}

/** When each of these tasks may next run (tasks that never ran are absent). */
export async function runtimeLeaseExpiries(db: Db, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .selectFrom('runtime_leases')
    .select(['name', 'expires_at'])
    .where('name', 'in', [...names])
    .execute();
  return new Map(rows.map((r) => [r.name, r.expires_at]));
}
