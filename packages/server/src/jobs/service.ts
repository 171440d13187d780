import {
  type AddDatapoints,
  type CreateJob,
  type CreateRevision,
  type createJobDefinitionSchema,
  type DefinitionIssue,
  type Item,
  type ItemInput,
  type Job,
  type JobDefinition,
  type JobDefinitionPreview,
  type JobResults,
  type JobStall,
  jobDefinitionIssues,
  type LabelerAnswer,
  type LabelerTaskView,
  type SettingName,
  settingWarnings,
  type z,
} from '@jury/api';
import { resolveItems } from '../assets/resolve-items.ts';
import { getAssignableAudience } from '../audiences/service.ts';
import type { Db } from '../db/database.ts';
import type {
  DatapointsTable,
  JobDefinitionRevisionsTable,
  JobDefinitionsTable,
  JobsTable,
  TasksTable,
} from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { hashSecret, newId, newSecret } from '../http/ids.ts';
import { choosePresentation, presentTaskView, type TaskSource } from '../labeling/task-view.ts';
import { TASK_TYPE_MODULES } from '../task-types/index.ts';
import { jobStall } from './stall.ts';
import * as store from './store.ts';

export interface JobDeps {
  db: Db;
  clock: Clock;
  /** Uniform [0, 1) source for the preview's presentation (A/B order, shuffled options); tests inject one. */
  random?: (() => number) | undefined;
}

/** How long a preview link works. */
export const PREVIEW_TTL_MS = 60 * 60 * 1000;

type CreateDefinitionBody = z.output<typeof createJobDefinitionSchema>;

const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

function validationError(issues: DefinitionIssue[]): AppError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AppError(
    'VALIDATION_FAILED',
    `Invalid body: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid job definition'}${more}`,
    {
      target: 'body',
      issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: 'custom' })),
    },
  );
}

export function presentJobDefinition(
  definition: JobDefinitionsTable,
  revision: JobDefinitionRevisionsTable,
  datapointCount: number,
): JobDefinition {
  return {
    id: definition.id,
    name: definition.name,
    type: definition.task_type,
    revision: revision.revision,
    instruction: revision.instruction,
    dataType: revision.data_type,
    settings: parse<SettingName[]>(revision.settings) ?? [],
    answerOptions: parse<string[]>(revision.answer_options),
    aBNames: parse<string[]>(revision.ab_names),
    responsesPerDatapoint: Number(revision.responses_per_datapoint),
    confidenceThreshold:
      revision.confidence_threshold === null ? null : Number(revision.confidence_threshold),
    quorumThreshold: revision.quorum_threshold === null ? null : Number(revision.quorum_threshold),
    datapointCount,
    createdAt: definition.created_at,
  };
}

interface DatapointInputs {
  datapoints: readonly (ItemInput | readonly ItemInput[])[];
  contexts?: readonly string[] | undefined;
  mediaContexts?: readonly (readonly ItemInput[])[] | undefined;
  privateMetadata?: readonly Record<string, string>[] | undefined;
}

/** Resolves every item of the datapoints (one asset lookup for all) and builds their rows. */
async function buildDatapointRows(
  deps: JobDeps,
  organizationId: string,
  definitionId: string,
  revision: number,
  dataType: 'media' | 'text',
  input: DatapointInputs,
  firstSortIndex: number,
  now: string,
): Promise<DatapointsTable[]> {
  const lists = input.datapoints.map((dp) => (Array.isArray(dp) ? dp : [dp]) as ItemInput[]);
  const flat = lists.flat();
  const owner: number[] = lists.flatMap((l, i) => l.map(() => i));
  const items = await resolveItems(deps.db, organizationId, flat, dataType, (i) => `datapoints[${owner[i]}]`);
  const mcLists = (input.mediaContexts ?? []).map((l) => [...l]);
  const mcFlat = mcLists.flat();
  const mcOwner: number[] = mcLists.flatMap((l, i) => l.map(() => i));
  const mcItems = await resolveItems(
    deps.db,
    organizationId,
    mcFlat,
    'media',
    (i) => `mediaContexts[${mcOwner[i]}]`,
  );
  let at = 0;
  let mcAt = 0;
  return lists.map((list, i) => {
    const dpItems = items.slice(at, at + list.length);
    at += list.length;
    const mcLen = mcLists[i]?.length ?? 0;
    const mc: Item[] | null = input.mediaContexts ? mcItems.slice(mcAt, mcAt + mcLen) : null;
    mcAt += mcLen;
    return {
      id: newId('dpt'),
      definition_id: definitionId,
      revision,
      organization_id: organizationId,
      sort_index: firstSortIndex + i,
      items: JSON.stringify(dpItems),
      context: input.contexts?.[i] ?? null,
      media_context: mc ? JSON.stringify(mc) : null,
      private_metadata: input.privateMetadata?.[i] ? JSON.stringify(input.privateMetadata[i]) : null,
      created_at: now,
    };
  });
}

/** Creates a definition, its revision 1 and its datapoints in one transaction. */
export async function createJobDefinition(
  deps: JobDeps,
  organizationId: string,
  body: CreateDefinitionBody,
): Promise<{ definition: JobDefinition; warnings: string[] }> {
  const now = deps.clock.now().toISOString();
  const definition: JobDefinitionsTable = {
    id: newId('jdf'),
    organization_id: organizationId,
    name: body.name.trim(),
    task_type: body.type,
    latest_revision: 1,
    created_at: now,
  };
  const settings = [...new Set(body.settings)];
  const revision: JobDefinitionRevisionsTable = {
    definition_id: definition.id,
    revision: 1,
    instruction: body.instruction,
    data_type: body.dataType,
    settings: JSON.stringify(settings),
    ...TASK_TYPE_MODULES[body.type].revisionColumns(body),
    responses_per_datapoint: body.responsesPerDatapoint,
    confidence_threshold: body.confidenceThreshold ?? null,
    quorum_threshold: body.quorumThreshold ?? null,
    created_at: now,
  };
  const rows = await buildDatapointRows(deps, organizationId, definition.id, 1, body.dataType, body, 0, now);
  await withTransaction(deps.db, async (trx) => {
    await store.insertDefinition(trx, definition);
    await store.insertRevision(trx, revision);
    await store.insertDatapoints(trx, rows);
  });
  return {
    definition: presentJobDefinition(definition, revision, rows.length),
    warnings: settingWarnings(body.type, settings),
  };
}

async function loadDefinition(deps: Pick<JobDeps, 'db'>, organizationId: string, id: string) {
  const definition = await store.findDefinition(deps.db, organizationId, id);
  if (!definition) throw notFound('Job definition', id);
  const revision = await store.findRevision(deps.db, id, definition.latest_revision);
  if (!revision) throw new Error(`job definition ${id} has no revision ${definition.latest_revision}`);
  return { definition, revision };
}

export async function getJobDefinition(
  deps: Pick<JobDeps, 'db'>,
  organizationId: string,
  id: string,
): Promise<JobDefinition> {
  const { definition, revision } = await loadDefinition(deps, organizationId, id);
  const counts = await store.countDatapoints(deps.db, [id]);
  return presentJobDefinition(definition, revision, counts.get(id) ?? 0);
}

export async function listJobDefinitions(
  deps: Pick<JobDeps, 'db'>,
  organizationId: string,
  query: { name?: string | undefined; amount: number; page: number },
): Promise<{ data: JobDefinition[]; page: number; amount: number; total: number }> {
  const { rows, total } = await store.listDefinitions(deps.db, organizationId, {
    name: query.name,
    limit: query.amount,
    offset: (query.page - 1) * query.amount,
  });
  const revisions = await store.findRevisions(
    deps.db,
    rows.map((r) => ({ definitionId: r.id, revision: r.latest_revision })),
  );
  const byId = new Map(revisions.map((r) => [r.definition_id, r]));
  const counts = await store.countDatapoints(
    deps.db,
    rows.map((r) => r.id),
  );
  const data = rows.flatMap((r) => {
    const rev = byId.get(r.id);
    return rev ? [presentJobDefinition(r, rev, counts.get(r.id) ?? 0)] : [];
  });
  return { data, page: query.page, amount: query.amount, total };
}

function rulesInputOf(definition: JobDefinitionsTable, revision: JobDefinitionRevisionsTable) {
  return {
    type: definition.task_type,
    instruction: revision.instruction,
    responsesPerDatapoint: Number(revision.responses_per_datapoint),
    confidenceThreshold: revision.confidence_threshold,
    quorumThreshold: revision.quorum_threshold,
    answerOptions: parse<string[]>(revision.answer_options),
    aBNames: parse<string[]>(revision.ab_names),
    settings: parse<string[]>(revision.settings) ?? [],
  };
}

const isItemInput = (v: unknown): v is ItemInput =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && ('text' in v || 'assetId' in v);
const itemInputKey = (v: ItemInput) => ('text' in v ? v.text : v.name);

/** Adds datapoints to the latest revision (jobs created later include them); same rules as at creation. */
export async function addDatapoints(
  deps: JobDeps,
  organizationId: string,
  id: string,
  body: AddDatapoints,
): Promise<JobDefinition> {
  const { definition, revision } = await loadDefinition(deps, organizationId, id);
  const issues = jobDefinitionIssues(
    { ...rulesInputOf(definition, revision), ...body },
    { itemKey: itemInputKey, isItem: isItemInput },
  );
  if (issues.length > 0) throw validationError(issues);
  const now = deps.clock.now().toISOString();
  const first = (await store.maxSortIndex(deps.db, id)) + 1;
  const rows = await buildDatapointRows(
    deps,
    organizationId,
    id,
    revision.revision,
    revision.data_type,
    body,
    first,
    now,
  );
  await withTransaction(deps.db, (trx) => store.insertDatapoints(trx, rows));
  return getJobDefinition(deps, organizationId, id);
}

/** A new revision: the given fields change, the rest (and the datapoints) carry over. */
export async function createRevision(
  deps: JobDeps,
  organizationId: string,
  id: string,
  body: CreateRevision,
): Promise<{ definition: JobDefinition; warnings: string[] }> {
  const { definition, revision } = await loadDefinition(deps, organizationId, id);
  const current = rulesInputOf(definition, revision);
  // Giving either threshold replaces the stopping rule as a whole.
  const stopping =
    body.confidenceThreshold !== undefined || body.quorumThreshold !== undefined
      ? {
          confidenceThreshold: body.confidenceThreshold ?? null,
          quorumThreshold: body.quorumThreshold ?? null,
        }
      : { confidenceThreshold: current.confidenceThreshold, quorumThreshold: current.quorumThreshold };
  const next = {
    ...current,
    instruction: body.instruction ?? current.instruction,
    settings: body.settings ? [...new Set(body.settings)] : current.settings,
    responsesPerDatapoint: body.responsesPerDatapoint ?? current.responsesPerDatapoint,
    answerOptions: body.answerOptions ?? current.answerOptions,
    aBNames: body.aBNames === undefined ? current.aBNames : body.aBNames,
    ...stopping,
  };
  const issues = jobDefinitionIssues(
    { ...next, datapoints: [] },
    { itemKey: itemInputKey, isItem: isItemInput, skipDatapoints: true },
  );
  if (issues.length > 0) throw validationError(issues);
  const row: JobDefinitionRevisionsTable = {
    definition_id: id,
    revision: revision.revision + 1,
    instruction: next.instruction,
    data_type: revision.data_type,
    settings: JSON.stringify(next.settings),
    ...TASK_TYPE_MODULES[next.type].revisionColumns(next),
    responses_per_datapoint: next.responsesPerDatapoint,
    confidence_threshold: next.confidenceThreshold,
    quorum_threshold: next.quorumThreshold,
    created_at: deps.clock.now().toISOString(),
  };
  await withTransaction(deps.db, async (trx) => {
    await store.insertRevision(trx, row);
    await store.setLatestRevision(trx, id, row.revision);
  });
  return {
    definition: await getJobDefinition(deps, organizationId, id),
    warnings: settingWarnings(next.type, next.settings),
  };
}

// ---- Jobs

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

async function loadJob(deps: Pick<JobDeps, 'db'>, organizationId: string, id: string): Promise<store.JobRow> {
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
  query: { name?: string | undefined; audienceId?: string | undefined; amount: number; page: number },
): Promise<{ data: Job[]; page: number; amount: number; total: number }> {
  const { rows, total } = await store.listJobs(deps.db, organizationId, {
    name: query.name,
    audienceId: query.audienceId,
    limit: query.amount,
    offset: (query.page - 1) * query.amount,
  });
  const counts = await store.taskCounts(
    deps.db,
    rows.map((r) => r.id),
  );
  return {
    data: await Promise.all(rows.map((r) => presentWithStall(deps, r, counts.get(r.id)))),
    page: query.page,
    amount: query.amount,
    total,
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

/** The job's results so far, derived from its responses (see results.ts). */
export async function getJobResults(deps: JobDeps, organizationId: string, id: string): Promise<JobResults> {
  const job = await loadJob(deps, organizationId, id);
  const definition = await store.findDefinition(deps.db, organizationId, job.definition_id);
  const revision = await store.findRevision(deps.db, job.definition_id, job.revision);
  if (!definition || !revision) throw new Error(`job ${id} lost its definition revision`);
  const [datapoints, responses] = await Promise.all([
    store.listDatapoints(deps.db, definition.id, job.revision),
    store.listJobResponses(deps.db, id),
  ]);
  return TASK_TYPE_MODULES[definition.task_type].presentResults({
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
      country: r.country,
      language: r.language,
      demographics: parse<Record<string, unknown>>(r.demographics),
    })),
    now: deps.clock.now(),
  });
}

// ---- Preview

/** A short-lived link to the labeler view of the definition's latest revision; the key is stored hashed. */
export async function createPreview(
  deps: JobDeps,
  organizationId: string,
  id: string,
  origin: string,
): Promise<JobDefinitionPreview> {
  const { definition } = await loadDefinition(deps, organizationId, id);
  const now = deps.clock.now();
  const key = newSecret('pvw');
  const expiresAt = new Date(now.getTime() + PREVIEW_TTL_MS).toISOString();
  await store.deleteExpiredPreviews(deps.db, now.toISOString());
  await store.insertPreview(deps.db, {
    key_hash: hashSecret(key),
    definition_id: definition.id,
    organization_id: organizationId,
    revision: definition.latest_revision,
    created_at: now.toISOString(),
    expires_at: expiresAt,
  });
  return { url: `${origin}/label/preview/${key}`, expiresAt };
}

export interface PreviewView {
  definitionId: string;
  name: string;
  revision: number;
  expiresAt: string;
  tasks: LabelerTaskView[];
}

/**
 * What a preview link shows: every datapoint as one labeler would see it, through labeling's own presentation
 * (the same A/B order and option shuffling rules, drawn afresh per view; nothing is recorded).
 */
export async function getPreview(deps: JobDeps, key: string): Promise<PreviewView> {
  const row = await store.findPreview(deps.db, hashSecret(key));
  if (!row || row.expires_at <= deps.clock.now().toISOString())
    throw new AppError(
      'NOT_FOUND',
      'This preview link is unknown or has expired; create a new one with preview().',
    );
  const definition = await store.findDefinition(deps.db, row.organization_id, row.definition_id);
  const revision = await store.findRevision(deps.db, row.definition_id, row.revision);
  if (!definition || !revision)
    throw new AppError('NOT_FOUND', 'The previewed job definition no longer exists.');
  const datapoints = await store.listDatapoints(deps.db, definition.id, revision.revision);
  return {
    definitionId: definition.id,
    name: definition.name,
    revision: revision.revision,
    expiresAt: row.expires_at,
    tasks: datapoints.map((dp) => {
      const source: TaskSource = {
        taskType: definition.task_type,
        instruction: revision.instruction,
        dataType: revision.data_type,
        items: dp.items,
        context: dp.context,
        mediaContext: dp.media_context,
        answerOptions: revision.answer_options,
        settings: revision.settings,
      };
      return presentTaskView(source, choosePresentation(source, deps.random));
    }),
  };
}
