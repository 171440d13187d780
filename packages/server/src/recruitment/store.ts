import type { Db } from '../db/database.ts';
import type {
  AudienceEntriesTable,
  AudienceRecruitmentTable,
  InviteLinksTable,
  LabelerIdentitiesTable,
} from '../db/schema.ts';
import { type Page, type PageRequest, pageRows } from '../http/pages.ts';

export type RecruitmentRow = AudienceRecruitmentTable;
export type InviteRow = InviteLinksTable;
export type EntryRow = AudienceEntriesTable;
export type IdentityRow = LabelerIdentitiesTable;

export async function findRecruitments(db: Db, audienceIds: readonly string[]): Promise<RecruitmentRow[]> {
  if (audienceIds.length === 0) return [];
  return db.selectFrom('audience_recruitment').selectAll().where('audience_id', 'in', audienceIds).execute();
}

export async function upsertRecruitment(db: Db, row: RecruitmentRow): Promise<void> {
  await db
    .insertInto('audience_recruitment')
    .values(row)
    .onConflict((oc) =>
      oc.column('audience_id').doUpdateSet({ mode: row.mode, study: row.study, updated_at: row.updated_at }),
    )
    .execute();
}

export async function insertInvite(db: Db, row: InviteRow): Promise<void> {
  await db.insertInto('invite_links').values(row).execute();
}

/** One page of the audience's invite links, newest first. */
export async function listInvites(
  db: Db,
  organizationId: string,
  audienceId: string,
  page: PageRequest,
): Promise<Page<InviteRow>> {
  const q = db
    .selectFrom('invite_links')
    .where('organization_id', '=', organizationId)
    .where('audience_id', '=', audienceId);
  return pageRows(q, (q) => q.selectAll(), page);
}

export async function findInviteByHash(db: Db, tokenHash: string): Promise<InviteRow | undefined> {
  return db.selectFrom('invite_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Revokes the link unless it is revoked already; false when the organization has no such link. */
export async function revokeInvite(
  db: Db,
  organizationId: string,
  audienceId: string,
  id: string,
  at: string,
): Promise<boolean> {
  const found = await db
    .selectFrom('invite_links')
    .select('revoked_at')
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .where('audience_id', '=', audienceId)
    .executeTakeFirst();
  if (!found) return false;
  if (found.revoked_at === null)
    await db.updateTable('invite_links').set({ revoked_at: at }).where('id', '=', id).execute();
  return true;
}

/** Takes one use of a live link with uses left, atomically (the row lock re-checks the cap); false if none is left. */
export async function takeInviteUse(db: Db, id: string): Promise<boolean> {
  const row = await db
    .updateTable('invite_links')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .whereRef('uses', '<', 'max_uses')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findEntries(db: Db, labelerId: string): Promise<EntryRow[]> {
  return db.selectFrom('audience_entries').selectAll().where('labeler_id', '=', labelerId).execute();
}

/** Records the entry unless the labeler is in already; true when this call added it. */
export async function insertEntry(db: Db, row: EntryRow): Promise<boolean> {
  const added = await db
    .insertInto('audience_entries')
    .values(row)
    .onConflict((oc) => oc.columns(['audience_id', 'labeler_id']).doNothing())
    .returning('labeler_id')
    .executeTakeFirst();
  return added !== undefined;
}

/** Of these labelers, those with a participant identity (they came from a recruiting site). */
export async function identityHolders(db: Db, labelerIds: readonly string[]): Promise<string[]> {
  if (labelerIds.length === 0) return [];
  const rows = await db
    .selectFrom('labeler_identities')
    .select('labeler_id')
    .where('labeler_id', 'in', [...labelerIds])
    .execute();
  return rows.map((r) => r.labeler_id);
}

export async function hasIdentity(db: Db, labelerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('labeler_identities')
    .select('provider')
    .where('labeler_id', '=', labelerId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Inserts the identity unless the participant has one; true when this call did (a racing second waits, then not). */
export async function claimIdentity(db: Db, row: IdentityRow): Promise<boolean> {
  const added = await db
    .insertInto('labeler_identities')
    .values(row)
    .onConflict((oc) => oc.columns(['provider', 'external_id']).doNothing())
    .returning('labeler_id')
    .executeTakeFirst();
  return added !== undefined;
}

export async function findIdentity(
  db: Db,
  provider: string,
  externalId: string,
): Promise<IdentityRow | undefined> {
  return db
    .selectFrom('labeler_identities')
    .selectAll()
    .where('provider', '=', provider)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export async function updateIdentitySession(
  db: Db,
  provider: string,
  externalId: string,
  ids: Pick<IdentityRow, 'study_id' | 'session_id' | 'updated_at'>,
): Promise<void> {
  await db
    .updateTable('labeler_identities')
    .set(ids)
    .where('provider', '=', provider)
    .where('external_id', '=', externalId)
    .execute();
}
