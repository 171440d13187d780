// Benchmarks (MRI): prompt sets, models (participants) with media per prompt, leaderboards. Submitting models
// opens a matchmaking run on every leaderboard (matchmaking.ts plans its matchups, matchup-source.ts serves them).
import type {
  Benchmark,
  BenchmarkPrompt,
  CreateBenchmark,
  CreateLeaderboard,
  CreateParticipant,
  ImportVotes,
  Item,
  Leaderboard,
  LeaderboardRun,
  LevelOfDetail,
  OriginInput,
  Participant,
  ParticipantMedia,
  ParticipantMediaItem,
  PromptList,
  UpdateLeaderboard,
  UpdateParticipant,
  UpdatePrompt,
  VoteAggregation,
} from '@jury/api';
import { createLeaderboardSchema, createParticipantSchema } from '@jury/api';
import { levelOfDetailBudget } from '@jury/stats';
import { resolveItems } from '../assets/resolve-items.ts';
import { getAssignableAudience } from '../audiences/service.ts';
import type { Db } from '../db/database.ts';
import type { LeaderboardsTable, ParticipantsTable } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import { mapPage, type PageRequest, pageArray } from '../http/pages.ts';
import { parseBattles } from './import.ts';
import * as store from './store.ts';
import { inTagScope, structuredTags, tagColumns, tagsOfPrompt } from './tags.ts';

export interface BenchmarkDeps {
  db: Db;
  clock: Clock;
}

// The benchmark's lists read whole (they are small) and pages cut in memory, in (created_at, id) order.
const createdOrder = {
  name: 'created',
  keyOf: (r: { created_at: string; id: string }) => [String(r.created_at), r.id] as const,
};

// ---- Benchmarks and prompts

async function presentBenchmarks(db: Db, rows: { id: string; name: string; created_at: string }[]) {
  const counts = await store.benchmarkCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map(
    (r): Benchmark => ({
      id: r.id,
      name: r.name,
      promptCount: counts.get(r.id)?.prompts ?? 0,
      participantCount: counts.get(r.id)?.participants ?? 0,
      leaderboardCount: counts.get(r.id)?.leaderboards ?? 0,
      createdAt: String(r.created_at),
    }),
  );
}

export async function requireBenchmark(deps: Pick<BenchmarkDeps, 'db'>, organizationId: string, id: string) {
  const row = await store.findBenchmark(deps.db, organizationId, id);
  if (!row) throw notFound('Benchmark', id);
  return row;
}

export async function createBenchmark(
  deps: BenchmarkDeps,
  organizationId: string,
  body: CreateBenchmark,
): Promise<Benchmark> {
  const id = newId('bmk');
  await withTransaction(deps.db, async (trx) => {
    await store.insertBenchmark(trx, {
      id,
      organization_id: organizationId,
      name: body.name,
      created_at: deps.clock.now().toISOString(),
    });
    if (body.prompts) await insertPrompts({ ...deps, db: trx }, organizationId, id, body.prompts);
  });
  return getBenchmark(deps, organizationId, id);
}

export async function getBenchmark(
  deps: BenchmarkDeps,
  organizationId: string,
  id: string,
): Promise<Benchmark> {
  const row = await requireBenchmark(deps, organizationId, id);
  return (await presentBenchmarks(deps.db, [row]))[0]!;
}

export async function findBenchmarks(
  deps: BenchmarkDeps,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
) {
  const page = await store.findBenchmarks(deps.db, organizationId, query);
  return { ...page, data: await presentBenchmarks(deps.db, page.data) };
}

function presentPrompt(row: store.PromptRow): BenchmarkPrompt {
  return {
    id: row.id,
    identifier: row.identifier,
    prompt: row.prompt,
    promptAsset: row.prompt_asset ? (JSON.parse(row.prompt_asset) as Item) : null,
    tags: JSON.parse(row.tags) as string[],
    structuredTags: tagsOfPrompt(row),
    origin: row.origin,
    englishPrompt: row.english_prompt ?? row.prompt,
    createdAt: String(row.created_at),
  };
}

const originText = (o: OriginInput | null | undefined) =>
  o == null ? null : typeof o === 'string' ? o : o.source;

async function insertPrompts(
  deps: BenchmarkDeps,
  organizationId: string,
  benchmarkId: string,
  list: PromptList,
): Promise<BenchmarkPrompt[]> {
  const length = (list.identifiers ?? list.prompts ?? []).length;
  const identifiers = list.identifiers ?? (list.prompts as string[]);
  const existing = await store.promptsOf(deps.db, benchmarkId);
  const taken = new Set(existing.map((p) => p.identifier));
  const clash = identifiers.filter((id) => taken.has(id));
  if (clash.length > 0)
    throw new AppError(
      'CONFLICT',
      `Identifiers already exist in the benchmark: ${JSON.stringify(clash.slice(0, 20))}.`,
      { identifiers: clash },
    );
  const assetInputs = (list.promptAssets ?? []).flatMap((a, i) => (a ? [{ a, i }] : []));
  const resolved = await resolveItems(
    deps.db,
    organizationId,
    assetInputs.map((x) => x.a),
    'media',
    (k) => `promptAssets[${assetInputs[k]!.i}]`,
  );
  const assetAt = new Map(assetInputs.map((x, k) => [x.i, resolved[k]!]));
  const now = deps.clock.now().toISOString();
  const rows = Array.from({ length }, (_, i) => ({
    id: newId('bpr'),
    benchmark_id: benchmarkId,
    identifier: identifiers[i]!,
    prompt: list.prompts?.[i] ?? null,
    prompt_asset: assetAt.has(i) ? JSON.stringify(assetAt.get(i)) : null,
    ...tagColumns(structuredTags(list.tags?.[i])),
    origin: originText(list.origins?.[i]),
    english_prompt: list.englishPrompts?.[i] ?? null,
    sort_index: existing.length + i,
    created_at: now,
  }));
  await store.insertPrompts(deps.db, rows);
  return rows.map(presentPrompt);
}

/** Adds prompts; they take part for the models submitted (or given media) afterwards. */
export async function addPrompts(
  deps: BenchmarkDeps,
  organizationId: string,
  benchmarkId: string,
  list: PromptList,
): Promise<BenchmarkPrompt[]> {
  await requireBenchmark(deps, organizationId, benchmarkId);
  return withTransaction(deps.db, (trx) =>
    insertPrompts({ ...deps, db: trx }, organizationId, benchmarkId, list),
  );
}

export async function listPrompts(
  deps: BenchmarkDeps,
  organizationId: string,
  benchmarkId: string,
  query: PageRequest,
) {
  await requireBenchmark(deps, organizationId, benchmarkId);
  const rows = await store.promptsOf(deps.db, benchmarkId);
  return mapPage(
    pageArray(rows, query, { name: 'prompts', keyOf: (r) => [Number(r.sort_index), r.id] }),
    presentPrompt,
  );
}

async function requirePrompt(deps: Pick<BenchmarkDeps, 'db'>, organizationId: string, id: string) {
  const row = await store.findPrompt(deps.db, organizationId, id);
  if (!row) throw notFound('Prompt', id);
  return row;
}

/** Replaces a prompt's tags and/or origin; runs already open keep the prompts they started with. */
export async function updatePrompt(
  deps: BenchmarkDeps,
  organizationId: string,
  id: string,
  body: UpdatePrompt,
): Promise<BenchmarkPrompt> {
  await requirePrompt(deps, organizationId, id);
  await store.updatePrompt(deps.db, id, {
    ...(body.tags !== undefined ? tagColumns(structuredTags(body.tags)) : {}),
    ...(body.origin !== undefined ? { origin: originText(body.origin) } : {}),
  });
  return presentPrompt(await requirePrompt(deps, organizationId, id));
}

/** Deletes a prompt with its media, matchups and votes (imported battles naming it too): it leaves every standings. */
export async function deletePrompt(deps: BenchmarkDeps, organizationId: string, id: string): Promise<void> {
  const row = await requirePrompt(deps, organizationId, id);
  await withTransaction(deps.db, (trx) => store.deletePrompt(trx, row));
}

// ---- Leaderboards

function parseLevel(text: string): LevelOfDetail {
  return JSON.parse(text) as LevelOfDetail;
}

async function presentLeaderboards(db: Db, rows: LeaderboardsTable[]): Promise<Leaderboard[]> {
  const ids = rows.map((r) => r.id);
  const votes = await store.voteTotals(db, ids);
  const matching = new Set((await store.matchingLeaderboards(db, ids)).map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    benchmarkId: r.benchmark_id,
    name: r.name,
    instruction: r.instruction,
    showPrompt: r.show_prompt === 1,
    showPromptAsset: r.show_prompt_asset === 1,
    inverseRanking: r.inverse_ranking === 1,
    levelOfDetail: parseLevel(r.level_of_detail),
    responseBudget: Number(r.response_budget),
    audienceId: r.audience_id,
    minResponsesPerMatchup: Number(r.responses_per_comparison),
    includedTags: JSON.parse(r.included_tags) as string[],
    excludedTags: JSON.parse(r.excluded_tags) as string[],
    voteAggregation: r.vote_aggregation as VoteAggregation,
    votes: votes.get(r.id) ?? 0,
    matching: matching.has(r.id),
    createdAt: String(r.created_at),
  }));
}

export async function requireLeaderboard(
  deps: Pick<BenchmarkDeps, 'db'>,
  organizationId: string,
  id: string,
) {
  const row = await store.findLeaderboard(deps.db, organizationId, id);
  if (!row) throw notFound('Leaderboard', id);
  return row;
}

/**
 * A matchmaking run on `leaderboard` for `focus` (participant ids): its pairs include one of them. The
 * leaderboard's included/excluded tags are evaluated now: the run uses the prompts in scope at its start.
 */
async function openRun(db: Db, leaderboard: LeaderboardsTable, focus: readonly string[], now: string) {
  if (focus.length === 0) return;
  const included = JSON.parse(leaderboard.included_tags) as string[];
  const excluded = JSON.parse(leaderboard.excluded_tags) as string[];
  const scoped = included.length > 0 || excluded.length > 0;
  const promptIds = scoped
    ? (await store.promptsOf(db, leaderboard.benchmark_id))
        .filter((p) => inTagScope(JSON.parse(p.tags) as string[], included, excluded))
        .map((p) => p.id)
    : null;
  await store.insertRun(db, {
    id: newId('lrn'),
    leaderboard_id: leaderboard.id,
    focus: JSON.stringify(focus),
    budget: Number(leaderboard.response_budget),
    planned: 0,
    status: 'open',
    prompt_ids: promptIds && JSON.stringify(promptIds),
    created_at: now,
  });
}

/** Responses per matchup when none is given: one under `all` votes (each a fresh pair), three for a majority. */
const defaultPerMatchup = (aggregation: VoteAggregation) => (aggregation === 'majority' ? 3 : 1);

export async function createLeaderboard(
  deps: BenchmarkDeps,
  organizationId: string,
  benchmarkId: string,
  input: CreateLeaderboard,
): Promise<Leaderboard> {
  const body = createLeaderboardSchema.parse(input);
  await requireBenchmark(deps, organizationId, benchmarkId);
  await getAssignableAudience(deps, organizationId, body.audienceId);
  const now = deps.clock.now().toISOString();
  const row: LeaderboardsTable = {
    id: newId('lbd'),
    benchmark_id: benchmarkId,
    name: body.name,
    instruction: body.instruction,
    show_prompt: body.showPrompt ? 1 : 0,
    show_prompt_asset: body.showPromptAsset ? 1 : 0,
    inverse_ranking: body.inverseRanking ? 1 : 0,
    level_of_detail: JSON.stringify(body.levelOfDetail),
    response_budget: levelOfDetailBudget(body.levelOfDetail),
    audience_id: body.audienceId,
    responses_per_comparison: body.minResponsesPerMatchup ?? defaultPerMatchup(body.voteAggregation),
    included_tags: JSON.stringify([...new Set(body.includedTags)]),
    excluded_tags: JSON.stringify([...new Set(body.excludedTags)]),
    vote_aggregation: body.voteAggregation,
    created_at: now,
  };
  await withTransaction(deps.db, async (trx) => {
    await store.insertLeaderboard(trx, row);
    if (body.skipInitialRun) return;
    const submitted = (await store.participantsOf(trx, benchmarkId)).filter((p) => p.status === 'submitted');
    await openRun(
      trx,
      row,
      submitted.map((p) => p.id),
      now,
    );
  });
  return (await presentLeaderboards(deps.db, [row]))[0]!;
}

export async function listLeaderboards(
  deps: BenchmarkDeps,
  organizationId: string,
  benchmarkId: string,
  query: PageRequest,
) {
  await requireBenchmark(deps, organizationId, benchmarkId);
  const rows = pageArray(await store.leaderboardsOf(deps.db, benchmarkId), query, createdOrder);
  return { ...rows, data: await presentLeaderboards(deps.db, rows.data) };
}

/** The benchmark's leaderboards, or those of `ids` (each must be one of them), oldest first. */
export async function benchmarkLeaderboards(
  deps: BenchmarkDeps,
  organizationId: string,
  benchmarkId: string,
  ids: readonly string[] | null,
): Promise<LeaderboardsTable[]> {
  await requireBenchmark(deps, organizationId, benchmarkId);
  const all = await store.leaderboardsOf(deps.db, benchmarkId);
  if (ids === null) return all;
  const mine = new Set(all.map((l) => l.id));
  const unknown = [...new Set(ids.filter((id) => !mine.has(id)))];
  if (unknown.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `Not leaderboards of benchmark ${benchmarkId}: ${JSON.stringify(unknown.slice(0, 20))}.`,
      {
        target: 'query',
        issues: [{ path: 'leaderboardIds', message: 'unknown leaderboards', code: 'custom' }],
      },
    );
  const wanted = new Set(ids);
  return all.filter((l) => wanted.has(l.id));
}

/** Throws VALIDATION_FAILED naming the ids that are not models of the benchmark (checked by the caller's route). */
export async function checkParticipantsOf(
  deps: Pick<BenchmarkDeps, 'db'>,
  benchmarkId: string,
  ids: readonly string[],
): Promise<void> {
  const mine = new Set((await store.participantsOf(deps.db, benchmarkId)).map((p) => p.id));
  const unknown = [...new Set(ids.filter((id) => !mine.has(id)))];
  if (unknown.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `Not models of benchmark ${benchmarkId}: ${JSON.stringify(unknown.slice(0, 20))}.`,
      {
        target: 'query',
        issues: [{ path: 'participantIds', message: 'unknown participants', code: 'custom' }],
      },
    );
}

export async function getLeaderboard(deps: BenchmarkDeps, organizationId: string, id: string) {
  const row = await requireLeaderboard(deps, organizationId, id);
  return (await presentLeaderboards(deps.db, [row]))[0]!;
}

/**
 * Changes the fields given: the name; the level of detail (the budget of runs opened from now on); the responses
 * per matchup (of matchups planned from now on); the vote aggregation (standings fold the raw votes on every read,
 * so it applies to past votes too).
 */
export async function updateLeaderboard(
  deps: BenchmarkDeps,
  organizationId: string,
  id: string,
  body: UpdateLeaderboard,
): Promise<Leaderboard> {
  await requireLeaderboard(deps, organizationId, id);
  await store.updateLeaderboard(deps.db, id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.levelOfDetail !== undefined
      ? {
          level_of_detail: JSON.stringify(body.levelOfDetail),
          response_budget: levelOfDetailBudget(body.levelOfDetail),
        }
      : {}),
    ...(body.minResponsesPerMatchup !== undefined
      ? { responses_per_comparison: body.minResponsesPerMatchup }
      : {}),
    ...(body.voteAggregation !== undefined ? { vote_aggregation: body.voteAggregation } : {}),
  });
  return getLeaderboard(deps, organizationId, id);
}

/** The leaderboard's runs, newest first, with the votes their matchups received. */
export async function listLeaderboardRuns(
  deps: BenchmarkDeps,
  organizationId: string,
  id: string,
  query: PageRequest,
) {
  await requireLeaderboard(deps, organizationId, id);
  const rows = pageArray(await store.runsOf(deps.db, id), query, { ...createdOrder, direction: 'desc' });
  const votes = await store.runVoteCounts(deps.db, id);
  const open = await store.runsWithOpenMatchups(deps.db, id);
  return mapPage(
    rows,
    (r): LeaderboardRun => ({
      id: r.id,
      leaderboardId: r.leaderboard_id,
      status: r.status === 'open' ? 'matching' : open.has(r.id) ? 'collecting' : 'done',
      participantIds: JSON.parse(r.focus) as string[],
      budget: Number(r.budget),
      planned: Number(r.planned),
      votes: votes.get(r.id) ?? 0,
      promptIds: r.prompt_ids === null ? null : (JSON.parse(r.prompt_ids) as string[]),
      createdAt: String(r.created_at),
    }),
  );
}

// ---- Participants

async function presentParticipants(db: Db, rows: ParticipantsTable[]): Promise<Participant[]> {
  const media = await store.mediaCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    benchmarkId: r.benchmark_id,
    name: r.name,
    status: r.status as Participant['status'],
    mediaCount: media.get(r.id) ?? 0,
    createdAt: String(r.created_at),
    submittedAt: r.submitted_at === null ? null : String(r.submitted_at),
  }));
}

async function requireParticipant(deps: Pick<BenchmarkDeps, 'db'>, organizationId: string, id: string) {
  const row = await store.findParticipant(deps.db, organizationId, id);
  if (!row) throw notFound('Participant', id);
  return row;
}

async function checkNameFree(db: Db, benchmarkId: string, name: string, except?: string) {
  const taken = (await store.participantsOf(db, benchmarkId)).some((p) => p.name === name && p.id !== except);
  if (taken)
    throw new AppError(
      'CONFLICT',
      `The benchmark already has a model named ${JSON.stringify(name)}; standings name models, so names are unique.`,
    );
}

/** The benchmark prompt each media item is paired with (by identifier or by prompt text), in order. */
async function pairMedia(db: Db, benchmarkId: string, body: ParticipantMedia): Promise<string[]> {
  const prompts = await store.promptsOf(db, benchmarkId);
  if (body.identifiers) {
    const byId = new Map(prompts.map((p) => [p.identifier, p.id]));
    const unknown = [...new Set(body.identifiers.filter((id) => !byId.has(id)))];
    if (unknown.length > 0)
      throw new AppError(
        'VALIDATION_FAILED',
        `Unknown identifiers (not in the benchmark's prompt set): ${JSON.stringify(unknown.slice(0, 20))}; add them with addPrompts first.`,
        {
          target: 'body',
          issues: [{ path: 'identifiers', message: 'unknown identifiers', code: 'custom' }],
          unknown,
        },
      );
    return body.identifiers.map((id) => byId.get(id)!);
  }
  const byText = new Map<string, string[]>();
  for (const p of prompts)
    if (p.prompt !== null) byText.set(p.prompt, [...(byText.get(p.prompt) ?? []), p.id]);
  const texts = body.prompts ?? [];
  const unknown = [...new Set(texts.filter((t) => !byText.has(t)))];
  if (unknown.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `Prompts not in the benchmark's prompt set: ${JSON.stringify(unknown.slice(0, 20))}; every media item must be paired with one of the benchmark's prompts (see benchmark.prompts), or add them with addPrompts first.`,
      {
        target: 'body',
        issues: [{ path: 'prompts', message: 'prompts not in the benchmark', code: 'custom' }],
        unknown,
      },
    );
  const ambiguous = [...new Set(texts.filter((t) => byText.get(t)!.length > 1))];
  if (ambiguous.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `Prompts shared by several identifiers: ${JSON.stringify(ambiguous.slice(0, 20))}; pair the media by identifiers instead.`,
    );
  return texts.map((t) => byText.get(t)![0]!);
}

async function insertMedia(
  deps: BenchmarkDeps,
  organizationId: string,
  participant: ParticipantsTable,
  body: ParticipantMedia,
) {
  const promptIds = await pairMedia(deps.db, participant.benchmark_id, body);
  const items = await resolveItems(deps.db, organizationId, body.media, 'media', (i) => `media[${i}]`);
  const now = deps.clock.now().toISOString();
  await store.insertMedia(
    deps.db,
    items.map((item, i) => ({
      id: newId('pmd'),
      participant_id: participant.id,
      prompt_id: promptIds[i]!,
      item: JSON.stringify(item),
      created_at: now,
    })),
  );
}

/** Submits participants: each leaderboard opens one matchmaking run for them (and only them). */
async function submit(deps: BenchmarkDeps, db: Db, benchmarkId: string, ids: readonly string[]) {
  const now = deps.clock.now().toISOString();
  for (const id of ids) await store.updateParticipant(db, id, { status: 'submitted', submitted_at: now });
  for (const leaderboard of await store.leaderboardsOf(db, benchmarkId))
    await openRun(db, leaderboard, ids, now);
}

export async function createParticipant(
  deps: BenchmarkDeps,
  organizationId: string,
  benchmarkId: string,
  input: CreateParticipant,
): Promise<Participant> {
  const body = createParticipantSchema.parse(input);
  await requireBenchmark(deps, organizationId, benchmarkId);
  const row: ParticipantsTable = {
    id: newId('prt'),
    benchmark_id: benchmarkId,
    name: body.name,
    status: 'created',
    created_at: deps.clock.now().toISOString(),
    submitted_at: null,
  };
  if (body.submit && !body.media)
    throw new AppError('VALIDATION_FAILED', 'A model evaluated at once needs media: give `media` with it.');
  await withTransaction(deps.db, async (trx) => {
    await checkNameFree(trx, benchmarkId, body.name);
    await store.insertParticipant(trx, row);
    if (body.media) await insertMedia({ ...deps, db: trx }, organizationId, row, body.media);
    if (body.submit) await submit(deps, trx, benchmarkId, [row.id]);
  });
  return getParticipant(deps, organizationId, row.id);
}

export async function getParticipant(deps: BenchmarkDeps, organizationId: string, id: string) {
  const row = await requireParticipant(deps, organizationId, id);
  return (await presentParticipants(deps.db, [row]))[0]!;
}

export async function listParticipants(
  deps: BenchmarkDeps,
  organizationId: string,
  benchmarkId: string,
  query: PageRequest,
) {
  await requireBenchmark(deps, organizationId, benchmarkId);
  const rows = pageArray(await store.participantsOf(deps.db, benchmarkId), query, createdOrder);
  return { ...rows, data: await presentParticipants(deps.db, rows.data) };
}

export async function listParticipantMedia(
  deps: BenchmarkDeps,
  organizationId: string,
  id: string,
  query: PageRequest,
) {
  await requireParticipant(deps, organizationId, id);
  const rows = await store.mediaOfParticipant(deps.db, id);
  return mapPage(
    pageArray(rows, query, createdOrder),
    (r): ParticipantMediaItem => ({
      id: r.id,
      promptId: r.prompt_id,
      identifier: r.identifier,
      item: JSON.parse(r.item) as Item,
      createdAt: String(r.created_at),
    }),
  );
}

/** Adds media; a submitted model's new media re-opens matchmaking for it. */
export async function uploadMedia(
  deps: BenchmarkDeps,
  organizationId: string,
  id: string,
  body: ParticipantMedia,
): Promise<Participant> {
  const row = await requireParticipant(deps, organizationId, id);
  await withTransaction(deps.db, async (trx) => {
    await insertMedia({ ...deps, db: trx }, organizationId, row, body);
    if (row.status === 'submitted') {
      const now = deps.clock.now().toISOString();
      for (const leaderboard of await store.leaderboardsOf(trx, row.benchmark_id))
        await openRun(trx, leaderboard, [row.id], now);
    }
  });
  return getParticipant(deps, organizationId, id);
}

export async function runParticipant(deps: BenchmarkDeps, organizationId: string, id: string) {
  const row = await requireParticipant(deps, organizationId, id);
  if (row.status !== 'created')
    throw new AppError(
      'CONFLICT',
      `Participant ${id} is ${row.status}; only a created one is submitted (enable a disabled one instead).`,
    );
  const media = (await store.mediaCounts(deps.db, [id])).get(id) ?? 0;
  if (media === 0)
    throw new AppError('CONFLICT', `Participant ${id} has no media yet; upload media before running it.`);
  await withTransaction(deps.db, (trx) => submit(deps, trx, row.benchmark_id, [id]));
  return getParticipant(deps, organizationId, id);
}

/** Submits every created participant that has media. */
export async function runBenchmark(deps: BenchmarkDeps, organizationId: string, benchmarkId: string) {
  await requireBenchmark(deps, organizationId, benchmarkId);
  const created = (await store.participantsOf(deps.db, benchmarkId)).filter((p) => p.status === 'created');
  const media = await store.mediaCounts(
    deps.db,
    created.map((p) => p.id),
  );
  const ready = created.filter((p) => (media.get(p.id) ?? 0) > 0).map((p) => p.id);
  await withTransaction(deps.db, (trx) => submit(deps, trx, benchmarkId, ready));
  const rows = (await store.participantsOf(deps.db, benchmarkId)).filter((p) => ready.includes(p.id));
  return { submitted: await presentParticipants(deps.db, rows) };
}

export async function updateParticipant(
  deps: BenchmarkDeps,
  organizationId: string,
  id: string,
  body: UpdateParticipant,
): Promise<Participant> {
  const row = await requireParticipant(deps, organizationId, id);
  await withTransaction(deps.db, async (trx) => {
    if (body.name !== undefined && body.name !== row.name) {
      await checkNameFree(trx, row.benchmark_id, body.name, id);
      await store.updateParticipant(trx, id, { name: body.name });
    }
    if (body.status === 'disabled' && row.status !== 'disabled') {
      if (row.status !== 'submitted')
        throw new AppError(
          'CONFLICT',
          `Participant ${id} is ${row.status}; only a submitted one is disabled.`,
        );
      await store.updateParticipant(trx, id, { status: 'disabled' });
    }
    if (body.status === 'submitted' && row.status !== 'submitted') {
      if (row.status !== 'disabled')
        throw new AppError(
          'CONFLICT',
          `Participant ${id} is ${row.status}; only a disabled one is enabled (run a created one).`,
        );
      await store.updateParticipant(trx, id, { status: 'submitted' });
    }
  });
  return getParticipant(deps, organizationId, id);
}

export async function deleteParticipant(
  deps: BenchmarkDeps,
  organizationId: string,
  id: string,
): Promise<void> {
  await requireParticipant(deps, organizationId, id);
  await withTransaction(deps.db, (trx) => store.deleteParticipant(trx, id));
}

// ---- Imported votes

/** Folds battles (model names, winner or tie, prompt optional) into the leaderboard's imported counts. */
export async function importVotes(
  deps: BenchmarkDeps,
  organizationId: string,
  leaderboardId: string,
  body: ImportVotes,
) {
  const leaderboard = await requireLeaderboard(deps, organizationId, leaderboardId);
  const battles = 'csv' in body ? parseBattles(body.csv) : body.battles;
  const known = new Set((await store.promptsOf(deps.db, leaderboard.benchmark_id)).map((p) => p.identifier));
  const unknown = [
    ...new Set(battles.flatMap((b) => (b.prompt !== undefined && !known.has(b.prompt) ? [b.prompt] : []))),
  ];
  if (unknown.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `Battles name prompts that are not identifiers of the benchmark: ${JSON.stringify(unknown.slice(0, 20))}.`,
      { unknown },
    );
  const cells = new Map<
    string,
    { a: string; b: string; prompt: string | null; wa: number; wb: number; t: number }
  >();
  for (const b of battles) {
    const key = JSON.stringify([b.modelA, b.modelB, b.prompt ?? null]);
    const cell = cells.get(key) ?? { a: b.modelA, b: b.modelB, prompt: b.prompt ?? null, wa: 0, wb: 0, t: 0 };
    if (b.winner === 'model_a' || b.winner === 'a') cell.wa++;
    else if (b.winner === 'model_b' || b.winner === 'b') cell.wb++;
    else cell.t++;
    cells.set(key, cell);
  }
  const now = deps.clock.now().toISOString();
  await withTransaction(deps.db, (trx) =>
    store.insertImportedVotes(
      trx,
      [...cells.values()].map((c) => ({
        id: newId('ivt'),
        leaderboard_id: leaderboardId,
        model_a: c.a,
        model_b: c.b,
        prompt_identifier: c.prompt,
        wins_a: c.wa,
        wins_b: c.wb,
        ties: c.t,
        created_at: now,
      })),
    ),
  );
  const models = [...new Set(battles.flatMap((b) => [b.modelA, b.modelB]))].sort();
  return { imported: battles.length, models };
}
