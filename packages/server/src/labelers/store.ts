import type { Db } from '../db/database.ts';
import type { LabelersTable } from '../db/schema.ts';

export type LabelerRow = LabelersTable;

export async function insertLabeler(db: Db, row: LabelerRow): Promise<void> {
  await db.insertInto('labelers').values(row).execute();
}

export async function findLabeler(db: Db, id: string): Promise<LabelerRow | undefined> {
  return db.selectFrom('labelers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateLabelerProfile(
  db: Db,
  id: string,
  profile: Pick<LabelerRow, 'country' | 'language' | 'demographics'>,
): Promise<void> {
  await db.updateTable('labelers').set(profile).where('id', '=', id).execute();
}

export async function touchLabeler(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('labelers').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/**
 * Inserts the setting and says whether this call did: a race on first start has one winner, since a second
 * insert of the key waits for the first transaction and then conflicts.
 */
export async function claimSetting(db: Db, key: string, value: string, at: string): Promise<boolean> {
  const row = await db
    .insertInto('server_settings')
    .values({ key, value, created_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

/** Inserts the setting unless one exists (several processes may race on first start), then reads it. */
export async function ensureSetting(db: Db, key: string, value: string, at: string): Promise<string> {
  await db
    .insertInto('server_settings')
    .values({ key, value, created_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('server_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) throw new Error(`server setting ${key} could not be stored`);
  return row.value;
}
