import type { TaskType } from '@jury/api';
import { sql } from 'kysely';
import { capabilitiesOf } from '../db/capabilities.ts';
import type { Db } from '../db/database.ts';
import type { ResponsesTable } from '../db/schema.ts';
import { type Statement, statement } from '../db/statement.ts';

// SQL of the job tasks work source (job-tasks.ts): claims of a running job's tasks, responses, task completion.
// The leases table is the engine's (lease-store.ts); task leases are its rows of kind 'task'.

// LIMIT is written as a literal: SQLite's planner reads a bound LIMIT's value, which makes it re-prepare the
// statement on every run (for the claim query that cost more than running it).
const ONE = sql.lit(1);

// The statements every claim and answer runs are fixed SQL text (see db/statement.ts); the rest use the builder.

/** A query over `tasks as t` with what the labeler sees and how the task stops. */
function taskSourceQuery(db: Db) {
  return db
    .selectFrom('tasks as t')
    .innerJoin('jobs as j', 'j.id', 't.job_id')
    .innerJoin('job_definitions as jd', 'jd.id', 'j.definition_id')
    .innerJoin('job_definition_revisions as r', (join) =>
      join.onRef('r.definition_id', '=', 'j.definition_id').onRef('r.revision', '=', 'j.revision'),
    )
    .innerJoin('datapoints as d', 'd.id', 't.datapoint_id')
    .select([
      't.id as task_id',
      't.job_id',
      't.datapoint_id',
      't.status as task_status',
      't.responses_count',
      'j.audience_id',
      'jd.task_type',
      'r.instruction',
      'r.data_type',
      'r.settings',
      'r.answer_options',
      'r.responses_per_datapoint',
      'r.confidence_threshold',
      'r.quorum_threshold',
      'd.items',
      'd.context',
      'd.media_context',
    ]);
}

export type TaskSourceRow = {
  task_id: string;
  job_id: string;
  datapoint_id: string;
  task_status: 'open' | 'complete';
  responses_count: number;
  audience_id: string;
  task_type: TaskType;
  instruction: string;
  data_type: 'media' | 'text';
  settings: string;
  answer_options: string | null;
  responses_per_datapoint: number;
  confidence_threshold: number | null;
  quorum_threshold: number | null;
  items: string;
  context: string | null;
  media_context: string | null;
};

/** What a task shows and how it stops, by task id (a held lease asked for again). */
export async function findTaskSource(db: Db, taskId: string): Promise<TaskSourceRow | undefined> {
  return taskSourceQuery(db).where('t.id', '=', taskId).executeTakeFirst();
}

export async function runningJobs(db: Db): Promise<{ id: string; audience_id: string }[]> {
  return db.selectFrom('jobs').select(['id', 'audience_id']).where('status', '=', 'running').execute();
}

/** What every task of a job shares: its definition revision and audience (immutable once the job exists). */
export interface JobMeta {
  job_id: string;
  audience_id: string;
  task_type: TaskType;
  instruction: string;
  data_type: 'media' | 'text';
  settings: string;
  answer_options: string | null;
  responses_per_datapoint: number;
  confidence_threshold: number | null;
  quorum_threshold: number | null;
}

export async function findJobMeta(db: Db, jobId: string): Promise<JobMeta | undefined> {
  return db
    .selectFrom('jobs as j')
    .innerJoin('job_definitions as jd', 'jd.id', 'j.definition_id')
    .innerJoin('job_definition_revisions as r', (join) =>
      join.onRef('r.definition_id', '=', 'j.definition_id').onRef('r.revision', '=', 'j.revision'),
    )
    .select([
      'j.id as job_id',
      'j.audience_id',
      'jd.task_type',
      'r.instruction',
      'r.data_type',
      'r.settings',
      'r.answer_options',
      'r.responses_per_datapoint',
      'r.confidence_threshold',
      'r.quorum_threshold',
    ])
    .where('j.id', '=', jobId)
    .executeTakeFirst();
}

export interface ClaimRow {
  task_id: string;
  job_id: string;
  datapoint_id: string;
  responses_count: number;
  items: string;
  context: string | null;
  media_context: string | null;
}

/**
 * The open task of one of `jobs` (running) this labeler may take next: not answered or leased by them, with
 * responses + live leases below the job's responses_per_datapoint, fewest responses first. On Postgres the row
 * is locked where rows lock (Postgres: FOR UPDATE SKIP LOCKED, so concurrent claimers take other tasks).
 */
export async function pickClaimableTask(
  trx: Db,
  input: {
    labelerId: string;
    jobs: readonly { id: string; responsesPerDatapoint: number }[];
    now: string;
    skip: readonly string[];
    /** Skip this many claimable tasks first (spreads concurrent claimers over rows; 0 = the best one). */
    offset?: number;
    /** Only tasks where this address's responses + live leases are below `cap` (absent: no such cap). */
    address?: { hash: string; cap: number } | undefined;
  },
): Promise<ClaimRow | undefined> {
  const { labelerId, jobs, now, skip, address } = input;
  const first = jobs[0];
  if (!first) return undefined;
  // The job's cap: one number when every job shares it, else per job.
  const sharedCap = jobs.every((j) => j.responsesPerDatapoint === first.responsesPerDatapoint);
  const offset = input.offset ?? 0;
  const parameters: unknown[] = [...jobs.map((j) => j.id), 'running', 'open', labelerId, labelerId, now];
  if (sharedCap) parameters.push(first.responsesPerDatapoint);
  else for (const j of jobs) parameters.push(j.id, j.responsesPerDatapoint);
  if (address) parameters.push(address.hash, now, address.hash, address.cap);
  parameters.push(...skip);
  if (offset > 0) parameters.push(offset);
  const pick = pickStatement(
    jobs.length,
    sharedCap,
    skip.length,
    offset > 0,
    capabilitiesOf(trx).rowLocks,
    address !== undefined,
  );
  return (await pick<ClaimRow>(trx, parameters)).rows[0];
}

const pickStatements = new Map<string, Statement>();

/** The claim query for one shape (number of jobs, caps, skipped tasks, offset, row lock), built once. */
function pickStatement(
  jobs: number,
  sharedCap: boolean,
  skip: number,
  offset: boolean,
  lock: boolean,
  perAddress: boolean,
): Statement {
  const key = `${jobs}/${sharedCap}/${skip}/${offset}/${lock}/${perAddress}`;
  let pick = pickStatements.get(key);
  if (pick) return pick;
  const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const cap = sharedCap
    ? '?'
    : `case ${Array.from({ length: jobs }, () => 'when "t"."job_id" = ? then ?').join(' ')} else 0 end`;
  pick = statement(
    [
      'select "t"."id" as "task_id", "t"."job_id", "t"."datapoint_id", "t"."responses_count", "d"."items", "d"."context", "d"."media_context"',
      'from "tasks" as "t" inner join "jobs" as "j" on "j"."id" = "t"."job_id" inner join "datapoints" as "d" on "d"."id" = "t"."datapoint_id"',
      `where "t"."job_id" in (${list(jobs)}) and "j"."status" = ? and "t"."status" = ?`,
      'and not exists (select "x"."id" from "responses" as "x" where "x"."task_id" = "t"."id" and "x"."labeler_id" = ?)',
      `and not exists (select "ol"."id" from "leases" as "ol" where "ol"."item_id" = "t"."id" and "ol"."kind" = 'task' and "ol"."labeler_id" = ?)`,
      `and "t"."responses_count" + (select count(*) as "n" from "leases" as "ll" where "ll"."item_id" = "t"."id" and "ll"."kind" = 'task' and "ll"."expires_at" > ?) < ${cap}`,
      // The per-address cap (limits): this address's live leases and responses on the task.
      perAddress
        ? `and (select count(*) from "leases" as "al" where "al"."item_id" = "t"."id" and "al"."kind" = 'task' and "al"."address_hash" = ? and "al"."expires_at" > ?) + (select count(*) from "responses" as "ar" where "ar"."task_id" = "t"."id" and "ar"."address_hash" = ?) < ?`
        : '',
      skip > 0 ? `and "t"."id" not in (${list(skip)})` : '',
      'order by "t"."responses_count" limit 1',
      offset ? 'offset ?' : '',
      lock ? 'for update of t skip locked' : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
  if (pickStatements.size >= 1000) pickStatements.clear();
  pickStatements.set(key, pick);
  return pick;
}

/** Live leases and the stored counters of a (locked) task, read fresh after locking it (one query). */
export async function taskCapacity(
  trx: Db,
  taskId: string,
  now: string,
): Promise<{ status: string; responses: number; leases: number }> {
  const row = await trx
    .selectFrom('tasks as t')
    .select([
      't.status',
      't.responses_count',
      (eb) =>
        eb
          .selectFrom('leases as l')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('l.item_id', '=', 't.id')
          .where('l.kind', '=', 'task')
          .where('l.expires_at', '>', now)
          .as('leases'),
    ])
    .where('t.id', '=', taskId)
    .executeTakeFirstOrThrow();
  return { status: row.status, responses: row.responses_count, leases: Number(row.leases) };
}

export async function findResponse(
  db: Db,
  id: string,
): Promise<{ id: string; created_at: string } | undefined> {
  return db.selectFrom('responses').select(['id', 'created_at']).where('id', '=', id).executeTakeFirst();
}

// The datapoint comes from the task row (a primary-key lookup), so the lease need not carry it.
const INSERT_RESPONSE = statement(
  'insert into "responses" ("id", "task_id", "job_id", "datapoint_id", "labeler_id", "answer", "presentation", "user_score", "audience_user_score", "created_at", "address_hash", "flagged_reason") values (?, ?, ?, (select "datapoint_id" from "tasks" where "id" = ?), ?, ?, ?, ?, ?, ?, ?, ?)',
);

export async function insertResponse(
  trx: Db,
  row: Omit<ResponsesTable, 'datapoint_id' | 'address_hash' | 'flagged_reason'> & {
    address_hash?: string | null;
    flagged_reason?: string | null;
  },
): Promise<void> {
  await INSERT_RESPONSE(trx, [
    row.id,
    row.task_id,
    row.job_id,
    row.task_id,
    row.labeler_id,
    row.answer,
    row.presentation,
    row.user_score,
    row.audience_user_score,
    row.created_at,
    row.address_hash ?? null,
    row.flagged_reason ?? null,
  ]);
}

/** Adds one response to the task's counter (locks the row on Postgres); returns the new count and status. */
const INCREMENT_RESPONSES = statement(
  'update "tasks" set "responses_count" = "responses_count" + 1 where "id" = ? returning "responses_count", "status"',
);

export async function incrementResponses(
  trx: Db,
  taskId: string,
): Promise<{ responses_count: number; status: 'open' | 'complete' }> {
  const row = (
    await INCREMENT_RESPONSES<{ responses_count: number; status: 'open' | 'complete' }>(trx, [taskId])
  ).rows[0];
  if (!row) throw new Error(`task ${taskId} not found`);
  return row;
}

export async function taskVotes(
  trx: Db,
  taskId: string,
): Promise<{ answer: string; audience_user_score: number; flagged_reason: string | null }[]> {
  return trx
    .selectFrom('responses')
    .select(['answer', 'audience_user_score', 'flagged_reason'])
    .where('task_id', '=', taskId)
    .execute();
}

export async function completeTask(trx: Db, taskId: string, at: string): Promise<void> {
  await trx
    .updateTable('tasks')
    .set({ status: 'complete', completed_at: at })
    .where('id', '=', taskId)
    .where('status', '=', 'open')
    .execute();
}

/**
 * Marks the job completed when none of its tasks is open. Where rows lock (Postgres) the job row is locked first, so two
 * transactions completing the last two tasks cannot both miss each other's commit.
 */
export async function completeJobIfDone(trx: Db, jobId: string, at: string): Promise<boolean> {
  // NO KEY UPDATE: serialises completers of one job without waiting on the KEY SHARE locks that inserting
  // leases and responses (foreign keys to jobs) take, which a plain FOR UPDATE would deadlock against.
  if (capabilitiesOf(trx).rowLocks)
    await trx.selectFrom('jobs').select('id').where('id', '=', jobId).forNoKeyUpdate().executeTakeFirst();
  const open = await trx
    .selectFrom('tasks')
    .select('id')
    .where('job_id', '=', jobId)
    .where('status', '=', 'open')
    .limit(ONE)
    .executeTakeFirst();
  if (open) return false;
  const r = await trx
    .updateTable('jobs')
    .set({ status: 'completed', completed_at: at })
    .where('id', '=', jobId)
    .where('status', 'in', ['running', 'paused'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The labeler's task answers by the audience of each job (a study counts those of its audience). */
export async function responsesByAudience(db: Db, labelerId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('responses')
    .innerJoin('jobs', 'jobs.id', 'responses.job_id')
    .select(['jobs.audience_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('responses.labeler_id', '=', labelerId)
    .groupBy('jobs.audience_id')
    .execute();
  return new Map(rows.map((r) => [r.audience_id, Number(r.n)]));
}
