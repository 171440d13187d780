// Jobs: a definition's revision assigned to an audience; progress, pause/resume, results.
import type { CreateJob, Item, Job, JobResults, JobStall, LabelerAnswer } from '@jury/api';
import { droppedLabelers, getAssignableAudience } from '../audiences/service.ts';
import type { JobsTable, TasksTable } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import { AppError, notFound } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import type { Page, PageRequest } from '../http/pages.ts';
import { TASK_TYPE_MODULES } from '../task-types/index.ts';
import { type JobDeps, parse } from './definitions.ts';
import type { ResultsInput } from './results.ts';
import { jobStall } from './stall.ts';
import * as store from './store.ts';

export function presentJob(
  row: store.JobRow,
  counts: store.TaskCounts | undefined,
  stalled: JobStall | null = null,
): Job {
  const total = counts?.total ?? 0;
  const completed = counts?.completed ?? 0;
  return {
    id: row.id,
    name: row.name,
    definitionId: row.definition_id,
    type: row.task_type,
    revision: Number(row.revision),
    audienceId: row.audience_id,
    status: row.status,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    progress: {
      completedTasks: completed,
      totalTasks: total,
      responses: counts?.responses ?? 0,
      completionPercentage: total === 0 ? 0 : Math.round((completed / total) * 10000) / 100,
      stalled,
    },
  };
}

/** The job as presented, with its stall (if any) derived now. */
async function presentWithStall(deps: JobDeps, row: store.JobRow, counts: store.TaskCounts | undefined) {
  return presentJob(row, counts, await jobStall(deps, row, counts));
}

/** Assigns a definition (revision) to an audience: a running job and one open task per datapoint, atomically. */
export async function createJob(
  deps: JobDeps,
  organizationId: string,
  body: CreateJob,
): Promise<{ job: Job; warnings: string[] }> {
  const definition = await store.findDefinition(deps.db, organizationId, body.definitionId);
  if (!definition) throw notFound('Job definition', body.definitionId);
  const revision = body.revision ?? definition.latest_revision;
  if (revision > definition.latest_revision)
    throw new AppError(
      'VALIDATION_FAILED',
      `Job definition ${definition.id} has revisions 1..${definition.latest_revision}; revision ${revision} does not exist.`,
      { target: 'body', issues: [{ path: 'revision', message: 'No such revision', code: 'custom' }] },
    );
  // The audiences feature decides: unknown is NOT_FOUND, a deleted base CONFLICT, too few examples a warning.
  const { warning } = await getAssignableAudience(deps, organizationId, body.audienceId);
  const warnings = warning ? [warning] : [];
  const datapoints = await store.listDatapoints(deps.db, definition.id, revision);
  const now = deps.clock.now().toISOString();
  const job: JobsTable = {
    id: newId('job'),
    organization_id: organizationId,
    definition_id: definition.id,
    revision,
    audience_id: body.audienceId,
    name: body.name ?? definition.name,
    status: 'running',
    created_at: now,
    completed_at: null,
  };
  const tasks: TasksTable[] = datapoints.map((dp) => ({
    id: newId('tsk'),
    job_id: job.id,
    datapoint_id: dp.id,
    organization_id: organizationId,
    status: 'open',
    responses_count: 0,
    created_at: now,
    completed_at: null,
  }));
  await withTransaction(deps.db, async (trx) => {
    await store.insertJob(trx, job);
    await store.insertTasks(trx, tasks);
  });
  return {
    job: await presentWithStall(
      deps,
      { ...job, task_type: definition.task_type },
      { total: tasks.length, completed: 0, responses: 0 },
    ),
    warnings,
  };
}

export async function loadJob(
  deps: Pick<JobDeps, 'db'>,
  organizationId: string,
  id: string,
): Promise<store.JobRow> {
  const row = await store.findJob(deps.db, organizationId, id);
  if (!row) throw notFound('Job', id);
  return row;
}

export async function getJob(deps: JobDeps, organizationId: string, id: string): Promise<Job> {
  const row = await loadJob(deps, organizationId, id);
  const counts = await store.taskCounts(deps.db, [id]);
  return presentWithStall(deps, row, counts.get(id));
}

export async function listJobs(
  deps: JobDeps,
  organizationId: string,
  query: {
    name?: string | undefined;
    audienceId?: string | undefined;
    status?: Job['status'] | undefined;
  } & PageRequest,
): Promise<Page<Job>> {
  const page = await store.listJobs(deps.db, organizationId, query);
  const counts = await store.taskCounts(
    deps.db,
    page.data.map((r) => r.id),
  );
  return {
    ...page,
    data: await Promise.all(page.data.map((r) => presentWithStall(deps, r, counts.get(r.id)))),
  };
}

/** Stops serving a running job's tasks; pausing a paused job changes nothing. */
export async function pauseJob(deps: JobDeps, organizationId: string, id: string): Promise<Job> {
  const row = await loadJob(deps, organizationId, id);
  if (
    row.status !== 'paused' &&
    !(row.status === 'running' && (await store.transitionJob(deps.db, id, 'running', 'paused')))
  )
    throw new AppError(
      'CONFLICT',
      `Job ${id} is ${(await loadJob(deps, organizationId, id)).status}; only running jobs can be paused.`,
    );
  return getJob(deps, organizationId, id);
}

/** Serves a paused job's tasks again (it completes at once if nothing is left open). */
export async function resumeJob(deps: JobDeps, organizationId: string, id: string): Promise<Job> {
  const row = await loadJob(deps, organizationId, id);
  if (row.status === 'running') return getJob(deps, organizationId, id);
  if (row.status !== 'paused')
    throw new AppError('CONFLICT', `Job ${id} is ${row.status}; only paused jobs can be resumed.`);
  await withTransaction(deps.db, async (trx) => {
    const open = await store.countOpenTasks(trx, id);
    const to = open === 0 ? 'completed' : 'running';
    await store.transitionJob(trx, id, 'paused', to, deps.clock.now().toISOString());
  });
  return getJob(deps, organizationId, id);
}

/** What results keep: by default, responses of labelers since dropped from the job's audience are left out. */
export interface ResultsOptions {
  includeExcluded?: boolean;
}

/** The job's results so far, derived from its responses (see results.ts). */
export async function getJobResults(
  deps: JobDeps,
  organizationId: string,
  id: string,
  options: ResultsOptions = {},
): Promise<JobResults> {
  const input = await resultsInputOf(deps, organizationId, id, options);
  return TASK_TYPE_MODULES[input.type].presentResults(input);
}

/**
 * What the job's results are derived from: its revision, datapoints and responses, as of now; the responses of
 * labelers dropped from the job's audience (e.g. by their gold accuracy) are counted in `excluded` instead.
 */
export async function resultsInputOf(
  deps: JobDeps,
  organizationId: string,
  id: string,
  options: ResultsOptions = {},
): Promise<ResultsInput> {
  const job = await loadJob(deps, organizationId, id);
  const definition = await store.findDefinition(deps.db, organizationId, job.definition_id);
  const revision = await store.findRevision(deps.db, job.definition_id, job.revision);
  if (!definition || !revision) throw new Error(`job ${id} lost its definition revision`);
  const [datapoints, all] = await Promise.all([
    store.listDatapoints(deps.db, definition.id, job.revision),
    store.listJobResponses(deps.db, id),
  ]);
  const dropped = options.includeExcluded
    ? new Set<string>()
    : await droppedLabelers(
        deps.db,
        job.audience_id,
        all.map((r) => r.labeler_id),
      );
  const responses = all.filter((r) => !dropped.has(r.labeler_id));
  const excludedCount = all.length - responses.length;
  return {
    type: definition.task_type,
    jobName: job.name,
    instruction: revision.instruction,
    settings: parse<string[]>(revision.settings) ?? [],
    answerOptions: parse<string[]>(revision.answer_options),
    aBNames: parse<string[]>(revision.ab_names),
    confidenceThreshold: revision.confidence_threshold,
    datapoints: datapoints.map((d) => ({
      id: d.id,
      items: parse<Item[]>(d.items) ?? [],
      context: d.context,
      privateMetadata: parse<Record<string, string>>(d.private_metadata),
    })),
    responses: responses.map((r) => ({
      datapointId: r.datapoint_id,
      answer: JSON.parse(r.answer) as LabelerAnswer,
      userScore: Number(r.user_score),
      audienceUserScore: Number(r.audience_user_score),
      flaggedReason: r.flagged_reason,
      weight: r.flagged_reason ? (deps.flaggedWeight ?? 1) : 1,
      country: r.country,
      language: r.language,
      demographics: parse<Record<string, unknown>>(r.demographics),
    })),
    excluded: excludedCount > 0 ? { dropped: excludedCount } : {},
    now: deps.clock.now(),
  };
}
