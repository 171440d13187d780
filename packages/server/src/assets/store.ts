import type { Db } from '../db/database.ts';
import type { AssetsTable } from '../db/schema.ts';

export async function insertAsset(db: Db, row: AssetsTable): Promise<void> {
  await db.insertInto('assets').values(row).execute();
}

export async function findAsset(
  db: Db,
  organizationId: string,
  id: string,
): Promise<AssetsTable | undefined> {
  return db
    .selectFrom('assets')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

export async function findAssetBySha(
  db: Db,
  organizationId: string,
  sha256: string,
): Promise<AssetsTable | undefined> {
  return db
    .selectFrom('assets')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
}

export async function findAssetByUrl(
  db: Db,
  organizationId: string,
  url: string,
): Promise<AssetsTable | undefined> {
  return db
    .selectFrom('assets')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('url', '=', url)
    .executeTakeFirst();
}

/** An asset by id whatever its organization (a sealed media reference names it). */
export async function findAssetById(db: Db, id: string): Promise<AssetsTable | undefined> {
  return db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
}
