import type { ExamplePurpose } from '@jury/api';
import type { Db } from '../db/database.ts';
import { nameContains } from '../db/name-contains.ts';
import type { AudienceExamplesTable, AudienceMembersTable, AudiencesTable } from '../db/schema.ts';
import { type Page, type PageRequest, pageRows } from '../http/pages.ts';

export async function insertAudience(db: Db, row: AudiencesTable): Promise<void> {
  await db.insertInto('audiences').values(row).execute();
}

/** An audience of the organization that is not deleted. */
export async function findAudience(
  db: Db,
  organizationId: string,
  id: string,
): Promise<AudiencesTable | undefined> {
  return db
    .selectFrom('audiences')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Audiences by id whatever their organization or deletion (admission of already-assigned jobs). */
export async function findAudiencesByIds(db: Db, ids: readonly string[]): Promise<AudiencesTable[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('audiences')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** Non-deleted audiences of the organization whose name contains `name` (case-insensitive), newest first. */
export async function listAudiences(
  db: Db,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
): Promise<Page<AudiencesTable>> {
  let base = db
    .selectFrom('audiences')
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null);
  if (query.name) base = base.where(nameContains(query.name));
  return pageRows(base, (q) => q.selectAll(), query);
}

export async function markAudienceDeleted(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('audiences').set({ deleted_at: at }).where('id', '=', id).execute();
}

export async function insertExample(db: Db, row: AudienceExamplesTable): Promise<void> {
  await db.insertInto('audience_examples').values(row).execute();
}

export async function nextExampleSortIndex(db: Db, audienceId: string): Promise<number> {
  const r = await db
    .selectFrom('audience_examples')
    .select((eb) => eb.fn.max<number | null>('sort_index').as('max'))
    .where('audience_id', '=', audienceId)
    .executeTakeFirst();
  return r?.max === null || r?.max === undefined ? 0 : Number(r.max) + 1;
}

/** Examples in the order labelers see them (of one purpose when given). */
export async function listExamples(
  db: Db,
  audienceId: string,
  purpose?: ExamplePurpose,
): Promise<AudienceExamplesTable[]> {
  let q = db
    .selectFrom('audience_examples')
    .selectAll()
    .where('audience_id', '=', audienceId)
    .orderBy('sort_index')
    .orderBy('created_at')
    .orderBy('id');
  if (purpose) q = q.where('purpose', '=', purpose);
  return q.execute();
}

/** One page of the examples in the order labelers see them (of one purpose when given). */
export async function listExamplesPage(
  db: Db,
  audienceId: string,
  page: PageRequest,
  purpose?: ExamplePurpose,
): Promise<Page<AudienceExamplesTable>> {
  let q = db.selectFrom('audience_examples').where('audience_id', '=', audienceId);
  if (purpose) q = q.where('purpose', '=', purpose);
  return pageRows(q, (q) => q.selectAll(), page, { key: 'sort_index', direction: 'asc' });
}

/** Qualification examples per audience (the pass rule's minExamples counts these; the gold pool is apart). */
export async function countExamples(db: Db, audienceIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (audienceIds.length === 0) return out;
  const rows = await db
    .selectFrom('audience_examples')
    .select(['audience_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('audience_id', 'in', [...audienceIds])
    .where('purpose', '=', 'qualification')
    .groupBy('audience_id')
    .execute();
  for (const r of rows) out.set(r.audience_id, Number(r.n));
  return out;
}

/** The labeler's membership rows in these audiences. */
export async function findMemberships(
  db: Db,
  labelerId: string,
  audienceIds: readonly string[],
): Promise<Pick<AudienceMembersTable, 'audience_id' | 'state'>[]> {
  if (audienceIds.length === 0) return [];
  return db
    .selectFrom('audience_members')
    .select(['audience_id', 'state'])
    .where('labeler_id', '=', labelerId)
    .where('audience_id', 'in', [...audienceIds])
    .execute();
}

export interface ProfileCount {
  country: string | null;
  language: string | null;
  state: AudienceMembersTable['state'];
  n: number;
}

/** Members of a custom audience grouped by profile and state (few rows: filters are evaluated on them). */
export async function memberCountsByProfile(db: Db, audienceId: string): Promise<ProfileCount[]> {
  const rows = await db
    .selectFrom('audience_members')
    .innerJoin('labelers', 'labelers.id', 'audience_members.labeler_id')
    .select([
      'labelers.country',
      'labelers.language',
      'audience_members.state',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('audience_members.audience_id', '=', audienceId)
    .groupBy(['labelers.country', 'labelers.language', 'audience_members.state'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Every labeler grouped by profile (the `global` audience: all of them count as qualified). */
export async function labelerCountsByProfile(db: Db): Promise<ProfileCount[]> {
  const rows = await db
    .selectFrom('labelers')
    .select(['country', 'language', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['country', 'language'])
    .execute();
  return rows.map((r) => ({ ...r, state: 'qualified' as const, n: Number(r.n) }));
}

export interface AdmissionCandidate {
  id: string;
  country: string | null;
  language: string | null;
  /** The membership state in the custom audience asked about; null for every-labeler pages. */
  state: AudienceMembersTable['state'] | null;
}

/**
 * A page of labelers by id after `afterId` (seen since `seenSince`, when given): the members of custom audience
 * `customId` with their state, or every labeler when `customId` is null (the `global` audience).
 */
export async function admissionCandidates(
  db: Db,
  customId: string | null,
  page: { afterId: string | null; limit: number; seenSince?: string | undefined },
): Promise<AdmissionCandidate[]> {
  if (customId === null) {
    let q = db.selectFrom('labelers').select(['id', 'country', 'language']).orderBy('id').limit(page.limit);
    if (page.afterId !== null) q = q.where('id', '>', page.afterId);
    if (page.seenSince !== undefined) q = q.where('last_seen_at', '>=', page.seenSince);
    return (await q.execute()).map((r) => ({ ...r, state: null }));
  }
  let q = db
    .selectFrom('audience_members')
    .innerJoin('labelers', 'labelers.id', 'audience_members.labeler_id')
    .select(['labelers.id', 'labelers.country', 'labelers.language', 'audience_members.state'])
    .where('audience_members.audience_id', '=', customId)
    .orderBy('labelers.id')
    .limit(page.limit);
  if (page.afterId !== null) q = q.where('labelers.id', '>', page.afterId);
  if (page.seenSince !== undefined) q = q.where('labelers.last_seen_at', '>=', page.seenSince);
  return q.execute();
}

export interface MemberRow {
  labeler_id: string;
  state: AudienceMembersTable['state'];
  answered: number;
  correct: number;
  user_score: number;
  updated_at: string;
  country: string | null;
  language: string | null;
}

/** Members of a custom audience (in `state`, when given) with their profile, latest change first. */
export async function listMembers(
  db: Db,
  audienceId: string,
  query: { state?: AudienceMembersTable['state'] | undefined },
): Promise<MemberRow[]> {
  let q = db
    .selectFrom('audience_members')
    .innerJoin('labelers', 'labelers.id', 'audience_members.labeler_id')
    .select([
      'audience_members.labeler_id',
      'audience_members.state',
      'audience_members.answered',
      'audience_members.correct',
      'audience_members.user_score',
      'audience_members.updated_at',
      'labelers.country',
      'labelers.language',
    ])
    .where('audience_members.audience_id', '=', audienceId);
  if (query.state) q = q.where('audience_members.state', '=', query.state);
  const rows = await q
    .orderBy('audience_members.updated_at', 'desc')
    .orderBy('audience_members.labeler_id')
    .execute();
  return rows.map((r) => ({
    ...r,
    answered: Number(r.answered),
    correct: Number(r.correct),
    user_score: Number(r.user_score),
  }));
}

/** Of these labelers, those `dropped` from the custom audience. */
export async function droppedMembers(
  db: Db,
  audienceId: string,
  labelerIds: readonly string[],
): Promise<string[]> {
  if (labelerIds.length === 0) return [];
  const rows = await db
    .selectFrom('audience_members')
    .select('labeler_id')
    .where('audience_id', '=', audienceId)
    .where('state', '=', 'dropped')
    .where('labeler_id', 'in', [...labelerIds])
    .execute();
  return rows.map((r) => r.labeler_id);
}
