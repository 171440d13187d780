import type { TaskType } from '@jury/api';
import { type ExpressionBuilder, sql } from 'kysely';
import { capabilitiesOf } from '../db/capabilities.ts';
import type { Db } from '../db/database.ts';
import { nameContains } from '../db/name-contains.ts';
import type {
  Database,
  DatapointsTable,
  JobDefinitionRevisionsTable,
  JobDefinitionsTable,
  JobPreviewsTable,
  JobsTable,
  TasksTable,
} from '../db/schema.ts';
import { type Page, type PageRequest, pageRows } from '../http/pages.ts';

// Inserts of many rows go in chunks to stay under bound-parameter limits (SQLite 32766, Postgres 65535).
const INSERT_CHUNK = 500;

async function insertChunked<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insert(rows.slice(i, i + INSERT_CHUNK));
}

export async function insertDefinition(db: Db, row: JobDefinitionsTable): Promise<void> {
  await db.insertInto('job_definitions').values(row).execute();
}

export async function insertRevision(db: Db, row: JobDefinitionRevisionsTable): Promise<void> {
  await db.insertInto('job_definition_revisions').values(row).execute();
}

export async function setLatestRevision(db: Db, definitionId: string, revision: number): Promise<void> {
  await db
    .updateTable('job_definitions')
    .set({ latest_revision: revision })
    .where('id', '=', definitionId)
    .execute();
}

export async function insertDatapoints(db: Db, rows: readonly DatapointsTable[]): Promise<void> {
  await insertChunked(rows, (chunk) => db.insertInto('datapoints').values(chunk).execute());
}

export async function findDefinition(
  db: Db,
  organizationId: string,
  id: string,
): Promise<JobDefinitionsTable | undefined> {
  return db
    .selectFrom('job_definitions')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

export async function findRevision(
  db: Db,
  definitionId: string,
  revision: number,
): Promise<JobDefinitionRevisionsTable | undefined> {
  return db
    .selectFrom('job_definition_revisions')
    .selectAll()
    .where('definition_id', '=', definitionId)
    .where('revision', '=', revision)
    .executeTakeFirst();
}

/** Definitions of one organization whose name contains `name`, newest first. */
export async function listDefinitions(
  db: Db,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
): Promise<Page<JobDefinitionsTable>> {
  let q = db.selectFrom('job_definitions').where('organization_id', '=', organizationId);
  if (query.name) q = q.where(nameContains(query.name));
  return pageRows(q, (q) => q.selectAll(), query);
}

/** Latest revisions of many definitions at once. */
export async function findRevisions(
  db: Db,
  keys: readonly { definitionId: string; revision: number }[],
): Promise<JobDefinitionRevisionsTable[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('job_definition_revisions')
    .selectAll()
    .where((eb) =>
      eb.or(
        keys.map((k) => eb.and([eb('definition_id', '=', k.definitionId), eb('revision', '=', k.revision)])),
      ),
    )
    .execute();
}

/** Datapoints of a definition that belong to `revision` (added at it or before), in order. */
export async function listDatapoints(
  db: Db,
  definitionId: string,
  revision: number,
): Promise<DatapointsTable[]> {
  return db
    .selectFrom('datapoints')
    .selectAll()
    .where('definition_id', '=', definitionId)
    .where('revision', '<=', revision)
    .orderBy('sort_index')
    .orderBy('id')
    .execute();
}

/** One page of a definition's datapoints in order, with how many it has. */
export async function listDatapointsPage(
  db: Db,
  definitionId: string,
  page: PageRequest,
): Promise<Page<DatapointsTable>> {
  const q = db.selectFrom('datapoints').where('definition_id', '=', definitionId);
  return pageRows(q, (q) => q.selectAll(), page, { key: 'sort_index', direction: 'asc' });
}

/** Every revision of a definition, newest first, each with the datapoints it has (added at it or before). */
export async function listRevisionsWithCounts(
  db: Db,
  definitionId: string,
): Promise<{ revision: JobDefinitionRevisionsTable; datapoints: number }[]> {
  const revisions = await db
    .selectFrom('job_definition_revisions')
    .selectAll()
    .where('definition_id', '=', definitionId)
    .orderBy('revision', 'desc')
    .execute();
  const added = await db
    .selectFrom('datapoints')
    .select(['revision', (eb) => eb.fn.countAll<number>().as('n')])
    .where('definition_id', '=', definitionId)
    .groupBy('revision')
    .execute();
  return revisions.map((revision) => ({
    revision,
    datapoints: added
      .filter((a) => Number(a.revision) <= Number(revision.revision))
      .reduce((sum, a) => sum + Number(a.n), 0),
  }));
}

/** Datapoint counts per definition (all revisions). */
export async function countDatapoints(
  db: Db,
  definitionIds: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (definitionIds.length === 0) return out;
  const rows = await db
    .selectFrom('datapoints')
    .select(['definition_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('definition_id', 'in', definitionIds)
    .groupBy('definition_id')
    .execute();
  for (const r of rows) out.set(r.definition_id, Number(r.n));
  return out;
}

export async function maxSortIndex(db: Db, definitionId: string): Promise<number> {
  const row = await db
    .selectFrom('datapoints')
    .select((eb) => eb.fn.max<number | null>('sort_index').as('m'))
    .where('definition_id', '=', definitionId)
    .executeTakeFirst();
  return row?.m === null || row?.m === undefined ? -1 : Number(row.m);
}

// ---- Jobs

export async function insertJob(db: Db, row: JobsTable): Promise<void> {
  await db.insertInto('jobs').values(row).execute();
}

export async function insertTasks(db: Db, rows: readonly TasksTable[]): Promise<void> {
  await insertChunked(rows, (chunk) => db.insertInto('tasks').values(chunk).execute());
}

/** A job with its definition's task type. */
export type JobRow = JobsTable & { task_type: TaskType };

const withTaskType = (eb: ExpressionBuilder<Database, 'jobs'>) =>
  eb
    .selectFrom('job_definitions')
    .select('job_definitions.task_type')
    .whereRef('job_definitions.id', '=', 'jobs.definition_id')
    .$asScalar()
    .$notNull()
    .as('task_type');

export async function findJob(db: Db, organizationId: string, id: string): Promise<JobRow | undefined> {
  return db
    .selectFrom('jobs')
    .selectAll('jobs')
    .select(withTaskType)
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

export async function listJobs(
  db: Db,
  organizationId: string,
  query: {
    name?: string | undefined;
    audienceId?: string | undefined;
    status?: JobsTable['status'] | undefined;
  } & PageRequest,
): Promise<Page<JobRow>> {
  let q = db.selectFrom('jobs').where('organization_id', '=', organizationId);
  if (query.name) q = q.where(nameContains(query.name));
  if (query.audienceId) q = q.where('audience_id', '=', query.audienceId);
  if (query.status) q = q.where('status', '=', query.status);
  return pageRows(q, (q) => q.selectAll('jobs').select(withTaskType), query, {
    key: 'jobs.created_at',
    id: 'jobs.id',
  });
}

export interface TaskCounts {
  total: number;
  completed: number;
  responses: number;
}

/** Task totals per job: tasks, completed tasks, responses recorded. */
export async function taskCounts(db: Db, jobIds: readonly string[]): Promise<Map<string, TaskCounts>> {
  const out = new Map<string, TaskCounts>();
  if (jobIds.length === 0) return out;
  const rows = await db
    .selectFrom('tasks')
    .select((eb) => [
      'job_id',
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'complete').then(1).else(0).end()).as('completed'),
      eb.fn.sum<number>('responses_count').as('responses'),
    ])
    .where('job_id', 'in', jobIds)
    .groupBy('job_id')
    .execute();
  for (const r of rows)
    out.set(r.job_id, {
      total: Number(r.total),
      completed: Number(r.completed ?? 0),
      responses: Number(r.responses ?? 0),
    });
  return out;
}

/** Moves a job from one status to another; false when it was not in `from` (someone else changed it). */
export async function transitionJob(
  db: Db,
  id: string,
  from: JobsTable['status'],
  to: JobsTable['status'],
  completedAt: string | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: to, ...(to === 'completed' ? { completed_at: completedAt } : {}) })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countOpenTasks(db: Db, jobId: string): Promise<number> {
  const row = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('job_id', '=', jobId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A response with the answering labeler's profile: what both reads of a job's responses select. */
const RESPONSE_COLUMNS = [
  'responses.id',
  'responses.datapoint_id',
  'responses.labeler_id',
  'responses.answer',
  'responses.user_score',
  'responses.audience_user_score',
  'responses.created_at',
  'labelers.country',
  'labelers.language',
] as const;

/** A job's responses with the answering labeler's profile, oldest first. */
export async function listJobResponses(db: Db, jobId: string) {
  return db
    .selectFrom('responses')
    .innerJoin('labelers', 'labelers.id', 'responses.labeler_id')
    .select([...RESPONSE_COLUMNS, 'responses.flagged_reason', 'labelers.demographics'])
    .where('responses.job_id', '=', jobId)
    .orderBy('responses.created_at')
    .orderBy('responses.id')
    .execute();
}

/** One page of a job's responses (optionally of one datapoint) with the labeler's profile, oldest first. */
export async function listJobResponsesPage(
  db: Db,
  jobId: string,
  query: PageRequest & { datapointId?: string | undefined },
) {
  let q = db.selectFrom('responses').where('responses.job_id', '=', jobId);
  if (query.datapointId) q = q.where('responses.datapoint_id', '=', query.datapointId);
  return pageRows(
    q,
    (q) =>
      q
        .innerJoin('labelers', 'labelers.id', 'responses.labeler_id')
        .select([...RESPONSE_COLUMNS, 'responses.flagged_reason']),
    query,
    { key: 'responses.created_at', id: 'responses.id', direction: 'asc' },
  );
}

/** The current global trust score of every labeler who answered one of the organization's jobs. */
export async function organizationLabelerScores(db: Db, organizationId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('labelers')
    .select('labelers.user_score')
    .where('labelers.id', 'in', (eb) =>
      eb
        .selectFrom('responses')
        .innerJoin('jobs', 'jobs.id', 'responses.job_id')
        .select('responses.labeler_id')
        .where('jobs.organization_id', '=', organizationId),
    )
    .execute();
  return rows.map((r) => Number(r.user_score));
}

/** Responses to the organization's jobs since `since`, per UTC day. */
export async function organizationAnswersPerDay(
  db: Db,
  organizationId: string,
  since: string,
): Promise<{ day: string; answers: number; labelers: number }[]> {
  const day = capabilitiesOf(db).textTimestamps
    ? sql<string>`substr(responses.created_at, 1, 10)`
    : sql<string>`to_char(responses.created_at at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom('responses')
    .innerJoin('jobs', 'jobs.id', 'responses.job_id')
    .select((eb) => [
      day.as('day'),
      eb.fn.countAll<number>().as('answers'),
      eb.fn.count<number>('responses.labeler_id').distinct().as('labelers'),
    ])
    .where('jobs.organization_id', '=', organizationId)
    .where('responses.created_at', '>=', since)
    .groupBy(day)
    .orderBy(day)
    .execute();
  return rows.map((r) => ({ day: r.day, answers: Number(r.answers), labelers: Number(r.labelers) }));
}

// ---- Stall facts (read when progress is read; see stall.ts)

/** Leases on the job's tasks that have not expired at `now` (someone is answering). */
export async function countLiveLeases(db: Db, jobId: string, now: string): Promise<number> {
  const row = await db
    .selectFrom('leases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'task')
    .where('job_id', '=', jobId)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open tasks of the job and the fewest / most responses any of them has. */
export async function openTaskSpread(
  db: Db,
  jobId: string,
): Promise<{ open: number; minResponses: number; maxResponses: number }> {
  const row = await db
    .selectFrom('tasks')
    .select((eb) => [
      eb.fn.countAll<number>().as('open'),
      eb.fn.min<number | null>('responses_count').as('min'),
      eb.fn.max<number | null>('responses_count').as('max'),
    ])
    .where('job_id', '=', jobId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return { open: Number(row.open), minResponses: Number(row.min ?? 0), maxResponses: Number(row.max ?? 0) };
}

/** Responses these labelers gave to the job's open tasks (at most one per labeler and task). */
export async function countOpenTaskResponsesBy(
  db: Db,
  jobId: string,
  labelerIds: readonly string[],
): Promise<number> {
  if (labelerIds.length === 0) return 0;
  const row = await db
    .selectFrom('responses')
    .innerJoin('tasks', 'tasks.id', 'responses.task_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('responses.job_id', '=', jobId)
    .where('tasks.status', '=', 'open')
    .where('responses.labeler_id', 'in', [...labelerIds])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The job's latest response and latest lease expiry before `now` (null when none). */
export async function lastJobActivity(db: Db, jobId: string, now: string): Promise<string | null> {
  const [response, lease] = await Promise.all([
    db
      .selectFrom('responses')
      .select((eb) => eb.fn.max<string | null>('created_at').as('at'))
      .where('job_id', '=', jobId)
      .executeTakeFirst(),
    db
      .selectFrom('leases')
      .select((eb) => eb.fn.max<string | null>('expires_at').as('at'))
      .where('kind', '=', 'task')
      .where('job_id', '=', jobId)
      .where('expires_at', '<=', now)
      .executeTakeFirst(),
  ]);
  const times = [response?.at, lease?.at].filter((t): t is string => typeof t === 'string');
  return times.length === 0 ? null : (times.sort().at(-1) ?? null);
}

// ---- Previews

export async function insertPreview(db: Db, row: JobPreviewsTable): Promise<void> {
  await db.insertInto('job_previews').values(row).execute();
}

export async function findPreview(db: Db, keyHash: string): Promise<JobPreviewsTable | undefined> {
  return db.selectFrom('job_previews').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

export async function deleteExpiredPreviews(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom('job_previews').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
