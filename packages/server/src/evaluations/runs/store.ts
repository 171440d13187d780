// SQL of evaluation runs: the run rows (with a run-level lease: which process drives it) and the per-item rows
// read for listings and re-scoring. The engine's own item SQL is in item-store.ts.
import type { Db } from '../../db/database.ts';
import type { EvaluationRunItemsTable, EvaluationRunsTable } from '../../db/schema.ts';
import { type PageRequest, pageRows } from '../../http/pages.ts';

export type RunRow = EvaluationRunsTable;
export type RunItemRow = EvaluationRunItemsTable;

/** A run row with its evaluation's name and version label. */
export type RunView = RunRow & { evaluation_name: string; version_label: string };

const withNames = (db: Db) =>
  db
    .selectFrom('evaluation_runs as r')
    .innerJoin('evaluations as e', 'e.id', 'r.evaluation_id')
    .innerJoin('evaluation_versions as v', 'v.id', 'r.version_id')
    .selectAll('r')
    .select(['e.name as evaluation_name', 'v.version as version_label']);

export async function insertRun(db: Db, row: RunRow): Promise<void> {
  await db.insertInto('evaluation_runs').values(row).execute();
}

export async function findRun(db: Db, organizationId: string, id: string): Promise<RunView | undefined> {
  return withNames(db)
    .where('r.id', '=', id)
    .where('r.organization_id', '=', organizationId)
    .executeTakeFirst();
}

export async function findRunById(db: Db, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('evaluation_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface RunFilters {
  modelId?: string | undefined;
  evaluationId?: string | undefined;
  status?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  minScore?: number | undefined;
}

export async function findRuns(db: Db, organizationId: string, f: RunFilters & PageRequest) {
  let q = withNames(db).where('r.organization_id', '=', organizationId);
  if (f.modelId) q = q.where('r.model_id', '=', f.modelId);
  if (f.evaluationId) q = q.where('r.evaluation_id', '=', f.evaluationId);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.since) q = q.where('r.created_at', '>=', new Date(f.since).toISOString());
  if (f.until) q = q.where('r.created_at', '<', new Date(f.until).toISOString());
  if (f.minScore !== undefined) q = q.where('r.score', '>=', f.minScore);
  return pageRows(q, (q) => q, f, { key: 'r.created_at', id: 'r.id' });
}

/** Runs to drive: queued, or running with its driver's lease expired (a killed or stopped process). */
export async function findRunnableRunIds(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('evaluation_runs')
    .select('id')
    .where('status', 'in', ['queued', 'running'])
    .where('lease_until', '<=', now)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Takes the run for `holder` until `until` when no live lease holds it; true when taken. */
export async function claimRun(
  db: Db,
  id: string,
  claim: { holder: string; now: number; until: number; startedAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable('evaluation_runs')
    .set((eb) => ({
      holder: claim.holder,
      lease_until: claim.until,
      status: 'running',
      started_at: eb.fn.coalesce('started_at', eb.val(claim.startedAt)),
    }))
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .where('lease_until', '<=', claim.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Extends the holder's lease; the run's status comes back (a cancel from any process shows here). */
export async function renewRun(
  db: Db,
  id: string,
  holder: string,
  until: number,
): Promise<string | undefined> {
  await db
    .updateTable('evaluation_runs')
    .set({ lease_until: until })
    .where('id', '=', id)
    .where('holder', '=', holder)
    .where('status', '=', 'running')
    .execute();
  const row = await db
    .selectFrom('evaluation_runs')
    .select(['status', 'holder'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.holder === holder ? row.status : 'lost';
}

export type RunUpdate = Partial<Omit<RunRow, 'id' | 'organization_id'>>;

export async function updateRun(db: Db, id: string, set: RunUpdate, onlyIfStatus?: readonly string[]) {
  let q = db.updateTable('evaluation_runs').set(set).where('id', '=', id);
  if (onlyIfStatus) q = q.where('status', 'in', [...onlyIfStatus]);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Changes the run only while `holder` drives it (a process that lost its lease must not free another's). */
export async function updateHeldRun(
  db: Db,
  id: string,
  holder: string,
  set: RunUpdate,
  onlyIfStatus?: readonly string[],
) {
  let q = db.updateTable('evaluation_runs').set(set).where('id', '=', id).where('holder', '=', holder);
  if (onlyIfStatus) q = q.where('status', 'in', [...onlyIfStatus]);
  await q.execute();
}

/** The stored item rows of a run (those with a record). */
export async function recordedItems(db: Db, runId: string): Promise<RunItemRow[]> {
  return db
    .selectFrom('evaluation_run_items')
    .selectAll()
    .where('run_id', '=', runId)
    .where('status', 'is not', null)
    .execute();
}

/** Counts and spend of a run's stored items. */
export async function itemTotals(db: Db, runId: string) {
  const rows = await db
    .selectFrom('evaluation_run_items')
    .select((e) => [
      'status',
      e.fn.countAll<number>().as('n'),
      e.fn.sum<number>('cached').as('cached'),
      e.fn.sum<number>('input_tokens').as('input_tokens'),
      e.fn.sum<number>('output_tokens').as('output_tokens'),
      e.fn.sum<number>('cost').as('cost'),
    ])
    .where('run_id', '=', runId)
    .where('status', 'is not', null)
    .groupBy('status')
    .execute();
  const of = (status: string) => rows.find((r) => r.status === status);
  const answered = of('answered');
  return {
    answered: Number(answered?.n ?? 0),
    failed: Number(of('failed')?.n ?? 0),
    skipped: Number(of('skipped')?.n ?? 0),
    cached: Number(answered?.cached ?? 0),
    // Spend: what answered requests cost (a cached answer cost nothing this run).
    input_tokens: Number(answered?.input_tokens ?? 0),
    output_tokens: Number(answered?.output_tokens ?? 0),
    cost: Number(answered?.cost ?? 0),
  };
}

/** One page of a run's items joined to the evaluation's items, in the evaluation's order. */
export async function pageItems(
  db: Db,
  run: { id: string; version_id: string },
  query: PageRequest & { split?: string | undefined; status?: string | undefined },
) {
  let q = db
    .selectFrom('evaluation_items as i')
    .leftJoin('evaluation_run_items as ri', (j) =>
      j.onRef('ri.item_id', '=', 'i.id').on('ri.run_id', '=', run.id),
    )
    .where('i.version_id', '=', run.version_id);
  if (query.split) q = q.where('i.split', '=', query.split);
  if (query.status) q = q.where('ri.status', '=', query.status);
  return pageRows(
    q,
    (q) => q.select(['i.id as item_key_id', 'i.position', 'i.split', 'i.key']).selectAll('ri'),
    query,
    { key: 'i.position', id: 'i.id', idField: 'item_key_id', direction: 'asc' },
  );
}

/** Writes a new grade of one stored item. */
export async function regradeItem(
  db: Db,
  runId: string,
  itemId: string,
  grade: { grade: string | null; grade_error: string | null; score: number | null; parser: string | null },
): Promise<void> {
  await db
    .updateTable('evaluation_run_items')
    .set(grade)
    .where('run_id', '=', runId)
    .where('item_id', '=', itemId)
    .execute();
}

/** Completed, scored runs: of every organization (private models count in aggregates) unless one is given. */
export async function scoredRuns(
  db: Db,
  filter: {
    organizationId?: string;
    modelIds?: readonly string[];
    evaluationIds?: readonly string[];
  },
) {
  let q = withNames(db).where('r.status', '=', 'completed').where('r.score', 'is not', null);
  if (filter.organizationId) q = q.where('r.organization_id', '=', filter.organizationId);
  if (filter.modelIds) {
    if (filter.modelIds.length === 0) return [];
    q = q.where('r.model_id', 'in', [...filter.modelIds]);
  }
  if (filter.evaluationIds) {
    if (filter.evaluationIds.length === 0) return [];
    q = q.where('r.evaluation_id', 'in', [...filter.evaluationIds]);
  }
  return q.orderBy('r.finished_at').orderBy('r.id').execute();
}

/** The ids of a version's items (to score a run over every item, recorded or not). */
export async function versionItemIds(db: Db, versionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('evaluation_items')
    .select('id')
    .where('version_id', '=', versionId)
    .execute();
  return rows.map((r) => r.id);
}
