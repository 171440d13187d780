import { CompiledQuery, sql } from 'kysely';
import type { Db, DialectName } from '../db/database.ts';
import type {
  AudienceExamplesTable,
  AudienceMembersTable,
  ExampleAnswersTable,
  GoldAnswersTable,
  GoldLeasesTable,
  ResponsesTable,
  TaskLeasesTable,
} from '../db/schema.ts';
import { type Statement, statement } from '../db/statement.ts';

// SQL of the labeling feature: task claims under leases, responses, qualification answers.

// LIMIT is written as a literal: SQLite's planner reads a bound LIMIT's value, which makes it re-prepare the
// statement on every run (for the claim query that cost more than running it).
const ONE = sql.lit(1);

// The statements every claim and answer runs are fixed SQL text (see db/statement.ts); the rest use the builder.
const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

/**
 * A write transaction. SQLite: BEGIN IMMEDIATE on the one connection (takes the write lock up front, so a
 * claim's read and its lease insert cannot interleave with another writer, even in another process).
 * Postgres: READ COMMITTED; claims lock the task row (FOR UPDATE SKIP LOCKED) and re-count leases after.
 */
export async function writeTransaction<T>(
  db: Db,
  dialect: DialectName,
  fn: (trx: Db) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute((trx) => fn(trx));
  return sqliteTransaction(db, fn);
}

/**
 * A claim's transaction. Postgres: also without waiting for the WAL flush (`synchronous_commit = off`): a lease
 * lost in a database crash costs nothing (the task is claimed again), and claims then need no disk flush.
 */
export async function claimTransaction<T>(
  db: Db,
  dialect: DialectName,
  fn: (trx: Db) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres')
    return db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = off`.execute(trx);
      return fn(trx);
    });
  return sqliteTransaction(db, fn);
}

function sqliteTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await conn.executeQuery(BEGIN_IMMEDIATE);
    try {
      const result = await fn(conn);
      await conn.executeQuery(COMMIT);
      return result;
    } catch (err) {
      await conn.executeQuery(ROLLBACK);
      throw err;
    }
  });
}

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
  task_type: 'compare' | 'classify';
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

export type LeaseRow = TaskSourceRow & {
  lease_id: string;
  labeler_id: string;
  presentation: string;
  expires_at: string;
};

function leaseQuery(db: Db) {
  return taskSourceQuery(db)
    .innerJoin('task_leases as l', 'l.task_id', 't.id')
    .select(['l.id as lease_id', 'l.labeler_id', 'l.presentation', 'l.expires_at']);
}

const LEASES_OF = statement(
  'select "id", "expires_at", 0 as "gold" from "task_leases" where "labeler_id" = ? union all select "id", "expires_at", 1 as "gold" from "gold_leases" where "labeler_id" = ?',
);

/** The labeler's task and gold leases, live or expired (cheap: two index lookups; usually none). */
export async function leasesOf(
  db: Db,
  labelerId: string,
): Promise<{ id: string; expires_at: string; gold: boolean }[]> {
  const rows = (await LEASES_OF<{ id: string; expires_at: string; gold: number }>(db, [labelerId, labelerId]))
    .rows;
  return rows.map((r) => ({ id: r.id, expires_at: String(r.expires_at), gold: Number(r.gold) === 1 }));
}

/** The labeler's live lease (they asked again before answering), with what to show. */
export async function findLiveLease(db: Db, labelerId: string, now: string): Promise<LeaseRow | undefined> {
  return leaseQuery(db)
    .where('l.labeler_id', '=', labelerId)
    .where('l.expires_at', '>', now)
    .orderBy('l.expires_at', 'desc')
    .limit(ONE)
    .executeTakeFirst();
}

export interface AnswerLeaseRow {
  lease_id: string;
  labeler_id: string;
  presentation: string;
  expires_at: string;
  task_id: string;
  job_id: string;
  datapoint_id: string;
}

const FIND_LEASE = statement(
  'select "l"."id" as "lease_id", "l"."labeler_id", "l"."presentation", "l"."expires_at", "l"."task_id", "l"."job_id", "t"."datapoint_id" from "task_leases" as "l" inner join "tasks" as "t" on "t"."id" = "l"."task_id" where "l"."id" = ?',
);

/** A lease with its task's ids: what answering needs (the rest comes from the job's cached meta). */
export async function findLease(db: Db, leaseId: string): Promise<AnswerLeaseRow | undefined> {
  return (await FIND_LEASE<AnswerLeaseRow>(db, [leaseId])).rows[0];
}

export async function runningJobs(db: Db): Promise<{ id: string; audience_id: string }[]> {
  return db.selectFrom('jobs').select(['id', 'audience_id']).where('status', '=', 'running').execute();
}

export type AudienceAccessRow = {
  id: string;
  base_audience_id: string | null;
  filters: string | null;
  pass_rule: string;
  deleted_at: string | null;
};

export async function findAudiences(db: Db, ids: readonly string[]): Promise<AudienceAccessRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('audiences')
    .select(['id', 'base_audience_id', 'filters', 'pass_rule', 'deleted_at'])
    .where('id', 'in', ids)
    .execute();
}

export async function findMemberships(
  db: Db,
  labelerId: string,
  audienceIds: readonly string[],
): Promise<AudienceMembersTable[]> {
  if (audienceIds.length === 0) return [];
  return db
    .selectFrom('audience_members')
    .selectAll()
    .where('labeler_id', '=', labelerId)
    .where('audience_id', 'in', audienceIds)
    .execute();
}

export async function exampleCounts(db: Db, audienceIds: readonly string[]): Promise<Map<string, number>> {
  if (audienceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('audience_examples')
    .select(['audience_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('audience_id', 'in', audienceIds)
    .groupBy('audience_id')
    .execute();
  return new Map(rows.map((r) => [r.audience_id, Number(r.n)]));
}

/** The audience's first example (in sort order) the labeler has not answered. */
export async function nextOwedExample(
  db: Db,
  audienceId: string,
  labelerId: string,
): Promise<AudienceExamplesTable | undefined> {
  return db
    .selectFrom('audience_examples as e')
    .selectAll('e')
    .where('e.audience_id', '=', audienceId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('example_answers as a')
            .select('a.id')
            .whereRef('a.example_id', '=', 'e.id')
            .where('a.labeler_id', '=', labelerId),
        ),
      ),
    )
    .orderBy('e.sort_index')
    .orderBy('e.id')
    .limit(ONE)
    .executeTakeFirst();
}

export async function findExample(db: Db, id: string): Promise<AudienceExamplesTable | undefined> {
  return db.selectFrom('audience_examples').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What every task of a job shares: its definition revision and audience (immutable once the job exists). */
export interface JobMeta {
  job_id: string;
  audience_id: string;
  task_type: 'compare' | 'classify';
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
 * is locked (FOR UPDATE SKIP LOCKED: concurrent claimers take other tasks).
 */
export async function pickClaimableTask(
  trx: Db,
  dialect: DialectName,
  input: {
    labelerId: string;
    jobs: readonly { id: string; responsesPerDatapoint: number }[];
    now: string;
    skip: readonly string[];
    /** Skip this many claimable tasks first (spreads concurrent claimers over rows; 0 = the best one). */
    offset?: number;
  },
): Promise<ClaimRow | undefined> {
  const { labelerId, jobs, now, skip } = input;
  const first = jobs[0];
  if (!first) return undefined;
  // The job's cap: one number when every job shares it, else per job.
  const sharedCap = jobs.every((j) => j.responsesPerDatapoint === first.responsesPerDatapoint);
  const offset = input.offset ?? 0;
  const parameters: unknown[] = [...jobs.map((j) => j.id), 'running', 'open', labelerId, labelerId, now];
  if (sharedCap) parameters.push(first.responsesPerDatapoint);
  else for (const j of jobs) parameters.push(j.id, j.responsesPerDatapoint);
  parameters.push(...skip);
  if (offset > 0) parameters.push(offset);
  const pick = pickStatement(jobs.length, sharedCap, skip.length, offset > 0, dialect === 'postgres');
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
): Statement {
  const key = `${jobs}/${sharedCap}/${skip}/${offset}/${lock}`;
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
      'and not exists (select "ol"."id" from "task_leases" as "ol" where "ol"."task_id" = "t"."id" and "ol"."labeler_id" = ?)',
      `and "t"."responses_count" + (select count(*) as "n" from "task_leases" as "ll" where "ll"."task_id" = "t"."id" and "ll"."expires_at" > ?) < ${cap}`,
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
          .selectFrom('task_leases as l')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('l.task_id', '=', 't.id')
          .where('l.expires_at', '>', now)
          .as('leases'),
    ])
    .where('t.id', '=', taskId)
    .executeTakeFirstOrThrow();
  return { status: row.status, responses: row.responses_count, leases: Number(row.leases) };
}

const INSERT_LEASE = statement(
  'insert into "task_leases" ("id", "task_id", "job_id", "labeler_id", "presentation", "created_at", "expires_at") values (?, ?, ?, ?, ?, ?, ?)',
);

export async function insertLease(trx: Db, row: TaskLeasesTable): Promise<void> {
  await INSERT_LEASE(trx, [
    row.id,
    row.task_id,
    row.job_id,
    row.labeler_id,
    row.presentation,
    row.created_at,
    row.expires_at,
  ]);
}

/** This labeler's leases that ran out (so the same task can be leased to them again). */
export async function deleteExpiredLeasesOf(trx: Db, labelerId: string, now: string): Promise<void> {
  await trx
    .deleteFrom('task_leases')
    .where('labeler_id', '=', labelerId)
    .where('expires_at', '<=', now)
    .execute();
}

/** Task leases and gold-check leases share their shape and their housekeeping. */
export type LeaseTable = 'task_leases' | 'gold_leases';

export async function deleteLeases(trx: Db, table: LeaseTable, ids: readonly string[]): Promise<void> {
  if (ids.length > 0)
    await trx
      .deleteFrom(table)
      .where('id', 'in', [...ids])
      .execute();
}

/** Housekeeping: leases that expired before `before` (kept a while so late answers get a clear error). */
export async function deleteLeasesExpiredBefore(db: Db, table: LeaseTable, before: string): Promise<number> {
  const r = await db.deleteFrom(table).where('expires_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

const DELETE_LEASE = statement('delete from "task_leases" where "id" = ?');

export async function deleteLease(trx: Db, leaseId: string): Promise<void> {
  await DELETE_LEASE(trx, [leaseId]);
}

export async function findResponse(
  db: Db,
  id: string,
): Promise<{ id: string; created_at: string } | undefined> {
  return db.selectFrom('responses').select(['id', 'created_at']).where('id', '=', id).executeTakeFirst();
}

const INSERT_RESPONSE = statement(
  'insert into "responses" ("id", "task_id", "job_id", "datapoint_id", "labeler_id", "answer", "presentation", "user_score", "audience_user_score", "created_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);

export async function insertResponse(trx: Db, row: ResponsesTable): Promise<void> {
  await INSERT_RESPONSE(trx, [
    row.id,
    row.task_id,
    row.job_id,
    row.datapoint_id,
    row.labeler_id,
    row.answer,
    row.presentation,
    row.user_score,
    row.audience_user_score,
    row.created_at,
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
): Promise<{ answer: string; audience_user_score: number }[]> {
  return trx
    .selectFrom('responses')
    .select(['answer', 'audience_user_score'])
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
 * Marks the job completed when none of its tasks is open. On Postgres the job row is locked first, so two
 * transactions completing the last two tasks cannot both miss each other's commit.
 */
export async function completeJobIfDone(
  trx: Db,
  dialect: DialectName,
  jobId: string,
  at: string,
): Promise<boolean> {
  // NO KEY UPDATE: serialises completers of one job without waiting on the KEY SHARE locks that inserting
  // leases and responses (foreign keys to jobs) take, which a plain FOR UPDATE would deadlock against.
  if (dialect === 'postgres')
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

export async function findAudience(db: Db, id: string): Promise<AudienceAccessRow | undefined> {
  return db
    .selectFrom('audiences')
    .select(['id', 'base_audience_id', 'filters', 'pass_rule', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findMembership(
  db: Db,
  audienceId: string,
  labelerId: string,
): Promise<AudienceMembersTable | undefined> {
  return db
    .selectFrom('audience_members')
    .selectAll()
    .where('audience_id', '=', audienceId)
    .where('labeler_id', '=', labelerId)
    .executeTakeFirst();
}

export async function insertExampleAnswer(trx: Db, row: ExampleAnswersTable): Promise<void> {
  await trx.insertInto('example_answers').values(row).execute();
}

export interface GradedAnswerRow {
  example_id: string;
  audience_id: string;
  correct: number;
  random_correct_probability: number;
  /** 'qualification' (example_answers) or 'gold' (gold_answers). */
  source: 'qualification' | 'gold';
}

/** The labeler's graded answers (qualification examples and gold checks), optionally of one audience. */
export async function gradedAnswers(
  trx: Db,
  labelerId: string,
  audienceId?: string,
): Promise<GradedAnswerRow[]> {
  let q = trx
    .selectFrom('example_answers as a')
    .innerJoin('audience_examples as e', 'e.id', 'a.example_id')
    .select(['a.example_id', 'a.audience_id', 'a.correct', 'e.random_correct_probability'])
    .where('a.labeler_id', '=', labelerId);
  let g = trx
    .selectFrom('gold_answers as a')
    .innerJoin('audience_examples as e', 'e.id', 'a.example_id')
    .select(['a.example_id', 'a.audience_id', 'a.correct', 'e.random_correct_probability'])
    .where('a.labeler_id', '=', labelerId);
  if (audienceId) {
    q = q.where('a.audience_id', '=', audienceId);
    g = g.where('a.audience_id', '=', audienceId);
  }
  const [qualification, gold] = [await q.execute(), await g.execute()];
  const row = (source: GradedAnswerRow['source']) => (r: Omit<GradedAnswerRow, 'source'>) => ({
    example_id: r.example_id,
    audience_id: r.audience_id,
    correct: Number(r.correct),
    random_correct_probability: Number(r.random_correct_probability),
    source,
  });
  return [...qualification.map(row('qualification')), ...gold.map(row('gold'))];
}

/** How the whole crowd did on each example: answers and correct answers. */
export async function exampleCrowdStats(
  trx: Db,
  exampleIds: readonly string[],
): Promise<Map<string, { answered: number; correct: number }>> {
  if (exampleIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('example_answers')
    .select([
      'example_id',
      (eb) => eb.fn.countAll<number>().as('answered'),
      (eb) => eb.fn.sum<number>('correct').as('correct'),
    ])
    .where('example_id', 'in', exampleIds as string[])
    .groupBy('example_id')
    .execute();
  return new Map(
    rows.map((r) => [r.example_id, { answered: Number(r.answered), correct: Number(r.correct) }]),
  );
}

export async function upsertMembership(trx: Db, row: AudienceMembersTable): Promise<void> {
  await trx
    .insertInto('audience_members')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['audience_id', 'labeler_id']).doUpdateSet({
        state: row.state,
        answered: row.answered,
        correct: row.correct,
        user_score: row.user_score,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function setLabelerScore(trx: Db, labelerId: string, score: number): Promise<void> {
  await trx.updateTable('labelers').set({ user_score: score }).where('id', '=', labelerId).execute();
}

// ---- Gold checks: qualification examples served again among tasks (see service.ts).

/** The custom audience whose examples gate `audienceId` (itself, or a filtered audience's base); null for global. */
export async function customRootOf(db: Db, audienceId: string): Promise<string | null> {
  if (audienceId === 'global') return null;
  const row = await findAudience(db, audienceId);
  if (!row) return null;
  const root = row.base_audience_id ?? row.id;
  return root === 'global' ? null : root;
}

/**
 * The example of `audienceId` of one task type to serve as this labeler's next gold check: fewest gold answers by
 * this labeler first, then sort order (so examples rotate and none comes twice in a row when there are two).
 */
export async function nextGoldExample(
  db: Db,
  audienceId: string,
  taskType: 'compare' | 'classify',
  labelerId: string,
): Promise<AudienceExamplesTable | undefined> {
  return db
    .selectFrom('audience_examples as e')
    .selectAll('e')
    .select((eb) =>
      eb
        .selectFrom('gold_answers as g')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('g.example_id', '=', 'e.id')
        .where('g.labeler_id', '=', labelerId)
        .as('gold_count'),
    )
    .where('e.audience_id', '=', audienceId)
    .where('e.task_type', '=', taskType)
    .orderBy('gold_count')
    .orderBy('e.sort_index')
    .orderBy('e.id')
    .limit(ONE)
    .executeTakeFirst();
}

export async function insertGoldLease(trx: Db, row: GoldLeasesTable): Promise<void> {
  await trx.insertInto('gold_leases').values(row).execute();
}

export type GoldLeaseRow = GoldLeasesTable & { example: AudienceExamplesTable };

/** A gold lease with its example. */
export async function findGoldLease(db: Db, leaseId: string): Promise<GoldLeaseRow | undefined> {
  const lease = await db.selectFrom('gold_leases').selectAll().where('id', '=', leaseId).executeTakeFirst();
  if (!lease) return undefined;
  const example = await findExample(db, lease.example_id);
  return example ? { ...lease, example } : undefined;
}

/** The labeler's live gold lease, if any. */
export async function findLiveGoldLease(
  db: Db,
  labelerId: string,
  now: string,
): Promise<GoldLeaseRow | undefined> {
  const lease = await db
    .selectFrom('gold_leases')
    .select('id')
    .where('labeler_id', '=', labelerId)
    .where('expires_at', '>', now)
    .orderBy('expires_at', 'desc')
    .limit(ONE)
    .executeTakeFirst();
  return lease ? findGoldLease(db, lease.id) : undefined;
}

export async function insertGoldAnswer(trx: Db, row: GoldAnswersTable): Promise<void> {
  await trx.insertInto('gold_answers').values(row).execute();
}

export async function findGoldAnswer(
  db: Db,
  id: string,
): Promise<{ id: string; created_at: string } | undefined> {
  return db.selectFrom('gold_answers').select(['id', 'created_at']).where('id', '=', id).executeTakeFirst();
}

/** Sets a member's trust score (and state) without touching their qualification progress counters. */
export async function updateMemberScore(
  trx: Db,
  row: Pick<AudienceMembersTable, 'audience_id' | 'labeler_id' | 'state' | 'user_score' | 'updated_at'>,
): Promise<void> {
  await trx
    .updateTable('audience_members')
    .set({ state: row.state, user_score: row.user_score, updated_at: row.updated_at })
    .where('audience_id', '=', row.audience_id)
    .where('labeler_id', '=', row.labeler_id)
    .execute();
}
