// Ranking flows and ranking jobs. Both create rankings (sets of items ordered by pairwise votes, each with its
// settings copied in): a flow batch is one ranking with an optional time to live; a ranking job is one ranking per
// datapoint of its definition. ranking-source.ts serves their matchups, results.ts ranks their votes, tasks.ts
// finishes the ones whose time to live ran out.
import type {
  CreateFlowBatch,
  CreateRankingFlow,
  CreateRankingJob,
  CreateRankingJobDefinition,
  Flow,
  FlowItem,
  FlowItemResult,
  Item,
  ItemInput,
  RankingJob,
  RankingJobDefinition,
  RankingJobResults,
  UpdateFlowConfig,
  WinLossMatrix,
} from '@jury/api';
import {
  createFlowBatchSchema,
  createRankingFlowSchema,
  createRankingJobDefinitionSchema,
  createRankingJobSchema,
} from '@jury/api';
import { resolveItems } from '../assets/resolve-items.ts';
import { getAssignableAudience } from '../audiences/service.ts';
import type { Db } from '../db/database.ts';
import type { FlowsTable, RankingJobDefinitionsTable, RankingsTable } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import { mapPage, type PageRequest } from '../http/pages.ts';
import { refreshOpenRankings } from './ranking-source.ts';
import { progressOf, resultsOf, winLossMatrixOfRanking } from './results.ts';
import * as store from './store.ts';

export interface FlowDeps {
  db: Db;
  clock: Clock;
}

/** A flow's random share of matchups (flows have no such parameter): enough to keep the graph connected. */
const FLOW_RANDOM_RATIO = 0.1;
/** Ranking jobs' scores are centred here, as the reference product's (BradleyTerry startingScore 1200). */
const RANKING_JOB_ELO = 1200;

// ---- Flows

async function presentFlows(db: Db, rows: FlowsTable[]): Promise<Flow[]> {
  const counts = await store.itemCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    instruction: r.instruction,
    maxResponseThreshold: Number(r.max_responses),
    minResponseThreshold: Number(r.min_responses),
    audienceId: r.audience_id,
    startingElo: Number(r.starting_elo),
    settings: JSON.parse(r.settings) as string[],
    itemCount: counts.get(r.id) ?? 0,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  }));
}

async function requireFlow(deps: Pick<FlowDeps, 'db'>, organizationId: string, id: string) {
  const row = await store.findFlow(deps.db, organizationId, id);
  if (!row) throw notFound('Flow', id);
  return row;
}

export async function createRankingFlow(
  deps: FlowDeps,
  organizationId: string,
  input: CreateRankingFlow,
): Promise<Flow> {
  const body = createRankingFlowSchema.parse(input);
  await getAssignableAudience(deps, organizationId, body.audienceId);
  const now = deps.clock.now().toISOString();
  const row: FlowsTable = {
    id: newId('flw'),
    organization_id: organizationId,
    name: body.name,
    instruction: body.instruction,
    audience_id: body.audienceId,
    min_responses: body.minResponseThreshold ?? body.maxResponseThreshold,
    max_responses: body.maxResponseThreshold,
    starting_elo: body.startingElo,
    settings: JSON.stringify(body.settings),
    deleted_at: null,
    created_at: now,
    updated_at: now,
  };
  await store.insertFlow(deps.db, row);
  return (await presentFlows(deps.db, [row]))[0]!;
}

export async function getFlow(deps: FlowDeps, organizationId: string, id: string): Promise<Flow> {
  return (await presentFlows(deps.db, [await requireFlow(deps, organizationId, id)]))[0]!;
}

export async function findFlows(
  deps: FlowDeps,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
) {
  const page = await store.findFlows(deps.db, organizationId, query);
  return { ...page, data: await presentFlows(deps.db, page.data) };
}

/** Changes the flow's configuration; items already created keep theirs (it is copied into each item). */
export async function updateFlowConfig(
  deps: FlowDeps,
  organizationId: string,
  id: string,
  body: UpdateFlowConfig,
): Promise<Flow> {
  const row = await requireFlow(deps, organizationId, id);
  const max = body.maxResponseThreshold ?? Number(row.max_responses);
  // A new maximum without a minimum keeps "min = max" flows at min = max, and never leaves min above max.
  const min =
    body.minResponseThreshold ??
    (body.maxResponseThreshold !== undefined && Number(row.min_responses) === Number(row.max_responses)
      ? max
      : Math.min(Number(row.min_responses), max));
  if (min > max)
    throw new AppError(
      'VALIDATION_FAILED',
      `minResponseThreshold (${min}) cannot be above maxResponseThreshold (${max}).`,
      {
        target: 'body',
        issues: [{ path: 'minResponseThreshold', message: 'above the maximum', code: 'custom' }],
      },
    );
  if (body.audienceId !== undefined) await getAssignableAudience(deps, organizationId, body.audienceId);
  await store.updateFlow(deps.db, id, {
    ...(body.instruction !== undefined ? { instruction: body.instruction } : {}),
    ...(body.audienceId !== undefined ? { audience_id: body.audienceId } : {}),
    ...(body.startingElo !== undefined ? { starting_elo: body.startingElo } : {}),
    ...(body.settings !== undefined ? { settings: JSON.stringify(body.settings) } : {}),
    min_responses: min,
    max_responses: max,
    updated_at: deps.clock.now().toISOString(),
  });
  return getFlow(deps, organizationId, id);
}

/** Deletes a flow: its open items stop, and neither it nor its items are found afterwards. */
export async function deleteFlow(deps: FlowDeps, organizationId: string, id: string): Promise<void> {
  await requireFlow(deps, organizationId, id);
  const now = deps.clock.now().toISOString();
  await withTransaction(deps.db, async (trx) => {
    await store.stopFlowRankings(trx, id, now);
    await store.updateFlow(trx, id, { deleted_at: now });
  });
}

// ---- Flow items

function present(row: RankingsTable): FlowItem {
  return {
    id: row.id,
    flowId: row.flow_id!,
    ...progressOf(row),
    datapoints: JSON.parse(row.items) as Item[],
    context: row.context,
    contextAssets: row.media_context ? (JSON.parse(row.media_context) as Item[]) : null,
    privateMetadata: row.private_metadata
      ? (JSON.parse(row.private_metadata) as Record<string, string>)
      : null,
    instruction: row.instruction,
    startingElo: Number(row.starting_elo),
    expiresAt: row.expires_at === null ? null : String(row.expires_at),
    createdAt: String(row.created_at),
    finishedAt: row.finished_at === null ? null : String(row.finished_at),
  };
}

async function requireFlowItem(deps: Pick<FlowDeps, 'db'>, organizationId: string, id: string) {
  const row = await store.findFlowItem(deps.db, organizationId, id);
  if (!row) throw notFound('Flow item', id);
  return row;
}

/** Resolves each ranking's items (and media context) in one lookup; `label` names an input in errors. */
async function resolveGroups(
  db: Db,
  organizationId: string,
  groups: { items: ItemInput[]; media?: ItemInput[] | undefined }[],
  dataType: 'media' | 'text',
  label: (group: number, index: number, media: boolean) => string,
): Promise<{ items: Item[]; media: Item[] | null }[]> {
  const flat: { input: ItemInput; group: number; index: number; media: boolean }[] = [];
  groups.forEach((g, group) => {
    g.items.forEach((input, index) => {
      flat.push({ input, group, index, media: false });
    });
  });
  const items = await resolveItems(
    db,
    organizationId,
    flat.map((f) => f.input),
    dataType,
    (k) => label(flat[k]!.group, flat[k]!.index, false),
  );
  const mediaFlat: { input: ItemInput; group: number; index: number }[] = [];
  groups.forEach((g, group) => {
    g.media?.forEach((input, index) => {
      mediaFlat.push({ input, group, index });
    });
  });
  const media = await resolveItems(
    db,
    organizationId,
    mediaFlat.map((f) => f.input),
    'media',
    (k) => label(mediaFlat[k]!.group, mediaFlat[k]!.index, true),
  );
  const out = groups.map((g) => ({ items: [] as Item[], media: g.media ? ([] as Item[]) : null }));
  flat.forEach((f, k) => {
    out[f.group]!.items.push(items[k]!);
  });
  mediaFlat.forEach((f, k) => {
    out[f.group]!.media!.push(media[k]!);
  });
  return out;
}

/** Adds a batch to the flow: one flow item ranking its datapoints, with the flow's configuration as it is now. */
export async function createFlowBatch(
  deps: FlowDeps,
  organizationId: string,
  flowId: string,
  input: CreateFlowBatch,
): Promise<FlowItem> {
  const body = createFlowBatchSchema.parse(input);
  const flow = await requireFlow(deps, organizationId, flowId);
  const [group] = await resolveGroups(
    deps.db,
    organizationId,
    [{ items: body.datapoints, media: body.contextAssets }],
    body.dataType,
    (_, i, media) => (media ? `contextAssets[${i}]` : `datapoints[${i}]`),
  );
  const now = deps.clock.now();
  const row: RankingsTable = {
    id: newId('rnk'),
    organization_id: organizationId,
    flow_id: flow.id,
    job_id: null,
    sort_index: 0,
    instruction: flow.instruction,
    audience_id: flow.audience_id,
    data_type: body.dataType,
    items: JSON.stringify(group!.items),
    context: body.context ?? null,
    media_context: group!.media ? JSON.stringify(group!.media) : null,
    settings: flow.settings,
    private_metadata: body.privateMetadata ? JSON.stringify(body.privateMetadata) : null,
    min_responses: Number(flow.min_responses),
    max_responses: Number(flow.max_responses),
    responses_per_comparison: 1,
    random_ratio: FLOW_RANDOM_RATIO,
    starting_elo: Number(flow.starting_elo),
    status: 'pending',
    responses: 0,
    planned: 0,
    expires_at:
      body.timeToLive === undefined ? null : new Date(now.getTime() + body.timeToLive * 1000).toISOString(),
    created_at: now.toISOString(),
    finished_at: null,
  };
  await store.insertRankings(deps.db, [row]);
  return present(row);
}

export async function listFlowItems(
  deps: FlowDeps,
  organizationId: string,
  flowId: string,
  query: PageRequest & { status?: string | undefined },
) {
  await requireFlow(deps, organizationId, flowId);
  return mapPage(await store.flowItems(deps.db, flowId, query), present);
}

export async function getFlowItem(deps: FlowDeps, organizationId: string, id: string): Promise<FlowItem> {
  return present(await requireFlowItem(deps, organizationId, id));
}

export async function getFlowItemResults(
  deps: FlowDeps,
  organizationId: string,
  id: string,
): Promise<FlowItemResult> {
  const row = await requireFlowItem(deps, organizationId, id);
  const [result] = await resultsOf(deps.db, [row]);
  return { flowItemId: row.id, ...result! };
}

export async function getFlowItemWinLossMatrix(
  deps: FlowDeps,
  organizationId: string,
  id: string,
): Promise<WinLossMatrix> {
  return winLossMatrixOfRanking(deps.db, await requireFlowItem(deps, organizationId, id));
}

export async function getFlowItemResponseCount(deps: FlowDeps, organizationId: string, id: string) {
  const row = await requireFlowItem(deps, organizationId, id);
  return { flowItemId: row.id, responseCount: Number(row.responses) };
}

/** Stops a flow item that is still collecting; it keeps its votes. */
export async function stopFlowItem(deps: FlowDeps, organizationId: string, id: string): Promise<FlowItem> {
  const row = await requireFlowItem(deps, organizationId, id);
  if (!(store.OPEN_STATUSES as readonly string[]).includes(row.status))
    throw new AppError(
      'CONFLICT',
      `Flow item ${id} is already ${row.status}; only a pending or running one stops.`,
    );
  await store.updateRanking(deps.db, id, { status: 'stopped', finished_at: deps.clock.now().toISOString() });
  return getFlowItem(deps, organizationId, id);
}

/**
 * Preheat: claims have no cold start to warm beyond the list of open rankings every claim reads first, which this
 * loads into the process's cache; returns how many of the organization's items are open.
 */
export async function preheat(deps: FlowDeps, organizationId: string) {
  await refreshOpenRankings(deps.db, deps.clock.now());
  const mine = await store.openRankings(deps.db, deps.clock.now().toISOString(), organizationId);
  return { openItems: mine.length };
}

// ---- Ranking jobs

interface StoredGroup {
  items: Item[];
  context: string | null;
  mediaContext: Item[] | null;
}

function presentDefinition(row: RankingJobDefinitionsTable): RankingJobDefinition {
  return {
    id: row.id,
    name: row.name,
    instruction: row.instruction,
    dataType: row.data_type === 'text' ? 'text' : 'media',
    comparisonBudgetPerRanking: Number(row.comparison_budget),
    responsesPerComparison: Number(row.responses_per_comparison),
    randomComparisonsRatio: Number(row.random_ratio),
    settings: JSON.parse(row.settings) as string[],
    rankingCount: (JSON.parse(row.groups) as unknown[]).length,
    createdAt: String(row.created_at),
  };
}

async function requireDefinition(deps: Pick<FlowDeps, 'db'>, organizationId: string, id: string) {
  const row = await store.findDefinition(deps.db, organizationId, id);
  if (!row) throw notFound('Ranking job definition', id);
  return row;
}

export async function createRankingJobDefinition(
  deps: FlowDeps,
  organizationId: string,
  input: CreateRankingJobDefinition,
): Promise<RankingJobDefinition> {
  const body = createRankingJobDefinitionSchema.parse(input);
  const resolved = await resolveGroups(
    deps.db,
    organizationId,
    body.datapoints.map((items, i) => ({ items, media: body.mediaContexts?.[i] })),
    body.dataType,
    (g, i, media) => (media ? `mediaContexts[${g}][${i}]` : `datapoints[${g}][${i}]`),
  );
  const groups: StoredGroup[] = resolved.map((g, i) => ({
    items: g.items,
    context: body.contexts?.[i] ?? null,
    mediaContext: g.media,
  }));
  const row: RankingJobDefinitionsTable = {
    id: newId('rjd'),
    organization_id: organizationId,
    name: body.name,
    instruction: body.instruction,
    data_type: body.dataType,
    comparison_budget: body.comparisonBudgetPerRanking,
    responses_per_comparison: body.responsesPerComparison,
    random_ratio: body.randomComparisonsRatio,
    settings: JSON.stringify(body.settings),
    groups: JSON.stringify(groups),
    created_at: deps.clock.now().toISOString(),
  };
  await store.insertDefinition(deps.db, row);
  return presentDefinition(row);
}

export async function getRankingJobDefinition(deps: FlowDeps, organizationId: string, id: string) {
  return presentDefinition(await requireDefinition(deps, organizationId, id));
}

function presentJob(
  job: { id: string; definition_id: string; name: string; audience_id: string; created_at: string },
  rankings: RankingsTable[],
): RankingJob {
  const completed = rankings.filter(
    (r) => !(store.OPEN_STATUSES as readonly string[]).includes(r.status),
  ).length;
  return {
    id: job.id,
    definitionId: job.definition_id,
    name: job.name,
    audienceId: job.audience_id,
    status: completed === rankings.length ? 'completed' : 'running',
    progress: {
      rankings: rankings.length,
      completedRankings: completed,
      responses: rankings.reduce((n, r) => n + Number(r.responses), 0),
      wantedResponses: rankings.reduce((n, r) => n + Number(r.max_responses), 0),
    },
    createdAt: String(job.created_at),
  };
}

async function requireJob(deps: Pick<FlowDeps, 'db'>, organizationId: string, id: string) {
  const row = await store.findJob(deps.db, organizationId, id);
  if (!row) throw notFound('Ranking job', id);
  return row;
}

/** Assigns a definition to an audience: one ranking per datapoint, each wanting budget × responses per matchup. */
export async function createRankingJob(
  deps: FlowDeps,
  organizationId: string,
  input: CreateRankingJob,
): Promise<RankingJob> {
  const body = createRankingJobSchema.parse(input);
  const definition = await requireDefinition(deps, organizationId, body.definitionId);
  await getAssignableAudience(deps, organizationId, body.audienceId);
  const now = deps.clock.now().toISOString();
  const job = {
    id: newId('rjb'),
    organization_id: organizationId,
    definition_id: definition.id,
    name: body.name ?? definition.name,
    audience_id: body.audienceId,
    created_at: now,
  };
  const perMatchup = Number(definition.responses_per_comparison);
  const wanted = Number(definition.comparison_budget) * perMatchup;
  const rankings = (JSON.parse(definition.groups) as StoredGroup[]).map(
    (g, i): RankingsTable => ({
      id: newId('rnk'),
      organization_id: organizationId,
      flow_id: null,
      job_id: job.id,
      sort_index: i,
      instruction: definition.instruction,
      audience_id: body.audienceId,
      data_type: definition.data_type,
      items: JSON.stringify(g.items),
      context: g.context,
      media_context: g.mediaContext ? JSON.stringify(g.mediaContext) : null,
      settings: definition.settings,
      private_metadata: null,
      min_responses: wanted,
      max_responses: wanted,
      responses_per_comparison: perMatchup,
      random_ratio: Number(definition.random_ratio),
      starting_elo: RANKING_JOB_ELO,
      status: 'pending',
      responses: 0,
      planned: 0,
      expires_at: null,
      created_at: now,
      finished_at: null,
    }),
  );
  await withTransaction(deps.db, async (trx) => {
    await store.insertJob(trx, job);
    await store.insertRankings(trx, rankings);
  });
  return presentJob(job, rankings);
}

export async function findRankingJobDefinitions(
  deps: FlowDeps,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
) {
  return mapPage(await store.findDefinitions(deps.db, organizationId, query), presentDefinition);
}

export async function findRankingJobs(
  deps: FlowDeps,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
) {
  const page = await store.findJobs(deps.db, organizationId, query);
  const rankings = await store.rankingsOfJobs(
    deps.db,
    page.data.map((r) => r.id),
  );
  return mapPage(page, (job) => presentJob(job, rankings.get(job.id) ?? []));
}

export async function getRankingJob(deps: FlowDeps, organizationId: string, id: string): Promise<RankingJob> {
  const job = await requireJob(deps, organizationId, id);
  return presentJob(job, await store.rankingsOfJob(deps.db, id));
}

export async function getRankingJobResults(
  deps: FlowDeps,
  organizationId: string,
  id: string,
): Promise<RankingJobResults> {
  const job = await requireJob(deps, organizationId, id);
  const rankings = await store.rankingsOfJob(deps.db, id);
  const results = await resultsOf(deps.db, rankings);
  return {
    jobId: job.id,
    name: job.name,
    status: presentJob(job, rankings).status,
    rankings: rankings.map((r, i) => ({ index: Number(r.sort_index), context: r.context, ...results[i]! })),
  };
}
