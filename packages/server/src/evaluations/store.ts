import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { nameContains } from '../db/name-contains.ts';
import type {
  Database,
  EvaluationItemsTable,
  EvaluationsTable,
  EvaluationVersionsTable,
} from '../db/schema.ts';
import { type Page, type PageRequest, pageRows } from '../http/pages.ts';

// SQL of the evaluations room: evaluations, their versions and the versions' items.

export type EvaluationRow = EvaluationsTable;
export type VersionRow = EvaluationVersionsTable;
export type ItemRow = EvaluationItemsTable;

// Rows per INSERT: 11 columns × 2,000 stays far below SQLite's and Postgres' bound-parameter limits.
const CHUNK = 2000;

// Inserts that meet an existing id or unique name/version do nothing and say so (false): a concurrent writer
// that got there first waits for its commit instead of failing on the constraint.

/** Inserts the evaluation unless its id, or its name in the organization, exists; whether it did. */
export async function insertEvaluation(db: Db, row: EvaluationRow): Promise<boolean> {
  const done = await db
    .insertInto('evaluations')
    .values(row)
    .onConflict((c) => c.doNothing())
    .returning('id')
    .execute();
  return done.length > 0;
}

/** Inserts the version unless its id, or the version name in its evaluation, exists; whether it did. */
export async function insertVersion(db: Db, row: VersionRow): Promise<boolean> {
  const done = await db
    .insertInto('evaluation_versions')
    .values(row)
    .onConflict((c) => c.doNothing())
    .returning('id')
    .execute();
  return done.length > 0;
}

export async function insertItems(db: Db, rows: readonly ItemRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('evaluation_items')
      .values(rows.slice(i, i + CHUNK))
      .execute();
}

/** Which of these version ids exist. */
export async function existingVersionIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('evaluation_versions').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** What an organization may see: its own evaluations, the built-in ones and other organizations' public ones. */
const visibleTo = (organizationId: string) => (e: ExpressionBuilder<Database, 'evaluations'>) =>
  e.or([
    e('organization_id', '=', organizationId),
    e('organization_id', 'is', null),
    e('visibility', '=', 'public'),
  ]);

/** An evaluation the organization may see (its own, built-in or public) by id, or by name among its own and the built-in ones. */
export async function findVisibleEvaluation(db: Db, organizationId: string, ref: string) {
  const visible = db.selectFrom('evaluations').selectAll().where(visibleTo(organizationId));
  const byId = await visible.where('id', '=', ref).executeTakeFirst();
  if (byId) return byId;
  // A name: the organization's own first, then a built-in (names are unique across the two).
  const rows = await db
    .selectFrom('evaluations')
    .selectAll()
    .where('name', '=', ref)
    .where((e) => e.or([e('organization_id', '=', organizationId), e('organization_id', 'is', null)]))
    .execute();
  return rows.find((r) => r.organization_id === organizationId) ?? rows[0];
}

/** The organization's own or a built-in evaluation named so (names are unique across both). */
export async function findNameTaken(db: Db, organizationId: string, name: string) {
  return db
    .selectFrom('evaluations')
    .select(['id', 'organization_id'])
    .where('name', '=', name)
    .where((e) => e.or([e('organization_id', '=', organizationId), e('organization_id', 'is', null)]))
    .executeTakeFirst();
}

export async function findEvaluations(
  db: Db,
  organizationId: string,
  query: { name?: string | undefined; trusted?: boolean | undefined },
) {
  let q = db.selectFrom('evaluations').where(visibleTo(organizationId));
  if (query.name) q = q.where(nameContains(query.name));
  if (query.trusted !== undefined) q = q.where('trusted', '=', query.trusted ? 1 : 0);
  return q.selectAll().execute();
}

export async function versionsOf(db: Db, evaluationIds: readonly string[]): Promise<VersionRow[]> {
  if (evaluationIds.length === 0) return [];
  return db
    .selectFrom('evaluation_versions')
    .selectAll()
    .where('evaluation_id', 'in', evaluationIds)
    .orderBy('created_at')
    .orderBy('version')
    .execute();
}

export async function findVersion(db: Db, evaluationId: string, version: string) {
  return db
    .selectFrom('evaluation_versions')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function listItems(
  db: Db,
  versionId: string,
  query: PageRequest & { split?: string | undefined },
): Promise<Page<ItemRow>> {
  let q = db.selectFrom('evaluation_items').where('version_id', '=', versionId);
  if (query.split) q = q.where('split', '=', query.split);
  return pageRows(q, (q) => q.selectAll(), query, { key: 'position', direction: 'asc' });
}

/** Items by id, within one version. */
export async function itemsById(db: Db, versionId: string, ids: readonly string[]): Promise<ItemRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('evaluation_items')
    .selectAll()
    .where('version_id', '=', versionId)
    .where('id', 'in', ids)
    .orderBy('position')
    .execute();
}

export async function deleteVersions(db: Db, versionIds: readonly string[]): Promise<void> {
  if (versionIds.length === 0) return;
  // The versions' runs go with them (a score on items that no longer exist means nothing).
  const runs = db.selectFrom('evaluation_runs').select('id').where('version_id', 'in', versionIds);
  await db.deleteFrom('evaluation_run_items').where('run_id', 'in', runs).execute();
  await db.deleteFrom('evaluation_runs').where('version_id', 'in', versionIds).execute();
  await db.deleteFrom('evaluation_items').where('version_id', 'in', versionIds).execute();
  await db.deleteFrom('evaluation_versions').where('id', 'in', versionIds).execute();
}

export async function deleteEvaluation(db: Db, id: string): Promise<void> {
  const versions = await db
    .selectFrom('evaluation_versions')
    .select('id')
    .where('evaluation_id', '=', id)
    .execute();
  await deleteVersions(
    db,
    versions.map((v) => v.id),
  );
  await db.deleteFrom('evaluations').where('id', '=', id).execute();
}

/**
 * The evaluations that count towards aggregate scores as an organization sees them: the trusted built-in ones and
 * its own trusted ones. Another organization's trusted flag says nothing here (anyone may mark their own public
 * evaluation trusted), so uploading easy evaluations cannot raise a model's score for everyone.
 */
export async function countedEvaluationIds(db: Db, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('evaluations')
    .select('id')
    .where('trusted', '=', 1)
    .where((e) => e.or([e('organization_id', 'is', null), e('organization_id', '=', organizationId)]))
    .execute();
  return rows.map((r) => r.id);
}
