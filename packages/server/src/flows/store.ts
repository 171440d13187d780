import type { Insertable } from 'kysely';
import type { Db } from '../db/database.ts';
import type {
  FlowsTable,
  RankingJobDefinitionsTable,
  RankingJobsTable,
  RankingMatchupsTable,
  RankingsTable,
  RankingVotesTable,
} from '../db/schema.ts';
import { type PageRequest, pageRows } from '../http/pages.ts';
import type { AddressCap } from '../labeling/engine.ts';
import { belowAddressCap, type PairQuestion } from '../labeling/lease-store.ts';

// SQL of the flows room: flows, ranking job definitions and jobs, rankings (a flow item or a ranking job's
// datapoint), their matchups and votes.

/** Statuses of a ranking still collecting votes. */
export const OPEN_STATUSES = ['pending', 'running'] as const;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

// ---- Flows

export async function insertFlow(db: Db, row: FlowsTable): Promise<void> {
  await db.insertInto('flows').values(row).execute();
}

export async function findFlow(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('flows')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findFlows(
  db: Db,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
) {
  let q = db
    .selectFrom('flows')
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null);
  if (query.name) q = q.where('name', 'like', `%${escapeLike(query.name)}%`);
  return pageRows(q, (q) => q.selectAll(), query);
}

export async function updateFlow(
  db: Db,
  id: string,
  set: Partial<Omit<FlowsTable, 'id' | 'organization_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('flows').set(set).where('id', '=', id).execute();
}

/** How many items each flow has. */
export async function itemCounts(db: Db, flowIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (flowIds.length === 0) return out;
  const rows = await db
    .selectFrom('rankings')
    .select(['flow_id', (e) => e.fn.countAll<number>().as('n')])
    .where('flow_id', 'in', [...flowIds])
    .groupBy('flow_id')
    .execute();
  for (const r of rows) if (r.flow_id) out.set(r.flow_id, Number(r.n));
  return out;
}

// ---- Ranking job definitions and jobs

export async function insertDefinition(db: Db, row: RankingJobDefinitionsTable): Promise<void> {
  await db.insertInto('ranking_job_definitions').values(row).execute();
}

export async function findDefinition(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('ranking_job_definitions')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

type FindQuery = PageRequest & { name?: string | undefined };

export async function findDefinitions(db: Db, organizationId: string, query: FindQuery) {
  let q = db.selectFrom('ranking_job_definitions').where('organization_id', '=', organizationId);
  if (query.name) q = q.where('name', 'like', `%${escapeLike(query.name)}%`);
  return pageRows(q, (q) => q.selectAll(), query);
}

export async function findJobs(db: Db, organizationId: string, query: FindQuery) {
  let q = db.selectFrom('ranking_jobs').where('organization_id', '=', organizationId);
  if (query.name) q = q.where('name', 'like', `%${escapeLike(query.name)}%`);
  return pageRows(q, (q) => q.selectAll(), query);
}

/** The rankings of each of the jobs, by job id. */
export async function rankingsOfJobs(
  db: Db,
  jobIds: readonly string[],
): Promise<Map<string, RankingsTable[]>> {
  const out = new Map(jobIds.map((id) => [id, [] as RankingsTable[]]));
  if (jobIds.length === 0) return out;
  const rows = await db
    .selectFrom('rankings')
    .selectAll()
    .where('job_id', 'in', [...jobIds])
    .orderBy('sort_index')
    .execute();
  for (const r of rows) out.get(r.job_id!)?.push(r);
  return out;
}

export async function insertJob(db: Db, row: RankingJobsTable): Promise<void> {
  await db.insertInto('ranking_jobs').values(row).execute();
}

export async function findJob(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('ranking_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

// ---- Rankings

export async function insertRankings(db: Db, rows: RankingsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100)
    await db
      .insertInto('rankings')
      .values(rows.slice(i, i + 100))
      .execute();
}

export async function getRanking(db: Db, id: string): Promise<RankingsTable | undefined> {
  return db.selectFrom('rankings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A flow item of the organization (a ranking of a flow that is not deleted). */
export async function findFlowItem(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('rankings as r')
    .innerJoin('flows as f', 'f.id', 'r.flow_id')
    .selectAll('r')
    .where('r.id', '=', id)
    .where('r.organization_id', '=', organizationId)
    .where('f.deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function flowItems(
  db: Db,
  flowId: string,
  query: PageRequest & { status?: string | undefined },
) {
  let q = db.selectFrom('rankings').where('flow_id', '=', flowId);
  if (query.status) q = q.where('status', '=', query.status);
  return pageRows(q, (q) => q.selectAll(), query);
}

export async function rankingsOfJob(db: Db, jobId: string): Promise<RankingsTable[]> {
  return db.selectFrom('rankings').selectAll().where('job_id', '=', jobId).orderBy('sort_index').execute();
}

export async function updateRanking(
  db: Db,
  id: string,
  set: Partial<Pick<RankingsTable, 'status' | 'planned' | 'finished_at'>>,
): Promise<void> {
  await db.updateTable('rankings').set(set).where('id', '=', id).execute();
}

/** Stops the open rankings of a flow (it was deleted). */
export async function stopFlowRankings(db: Db, flowId: string, now: string): Promise<void> {
  await db
    .updateTable('rankings')
    .set({ status: 'stopped', finished_at: now })
    .where('flow_id', '=', flowId)
    .where('status', 'in', [...OPEN_STATUSES])
    .execute();
}

/** Rankings still collecting at `now` (open and not expired), with their audience. */
export async function openRankings(db: Db, now: string, organizationId?: string) {
  let q = db
    .selectFrom('rankings')
    .select(['id', 'audience_id'])
    .where('status', 'in', [...OPEN_STATUSES])
    .where((e) => e.or([e('expires_at', 'is', null), e('expires_at', '>', now)]));
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  return q.execute();
}

/**
 * Finishes the open rankings whose time to live ran out by `now`: completed with at least their minimum of
 * responses, else incomplete. Returns how many.
 */
export async function expireRankings(db: Db, now: string): Promise<number> {
  let n = 0;
  for (const [status, enough] of [
    ['completed', true],
    ['incomplete', false],
  ] as const) {
    const rows = await db
      .updateTable('rankings')
      .set({ status, finished_at: now })
      .where('status', 'in', [...OPEN_STATUSES])
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', now)
      .where((e) =>
        enough ? e('responses', '>=', e.ref('min_responses')) : e('responses', '<', e.ref('min_responses')),
      )
      .returning('id')
      .execute();
    n += rows.length;
  }
  return n;
}

/**
 * Counts a response: the ranking is running, and completed at its maximum. Returns its row after the count, or
 * undefined when it no longer takes responses (finished, or expired at `now`).
 */
export async function countRankingResponse(db: Db, id: string, now: string) {
  const row = await db
    .updateTable('rankings')
    .set((e) => ({ responses: e('responses', '+', 1), status: 'running' }))
    .where('id', '=', id)
    .where('status', 'in', [...OPEN_STATUSES])
    .where((e) => e.or([e('expires_at', 'is', null), e('expires_at', '>', now)]))
    .returning(['responses', 'max_responses'])
    .executeTakeFirst();
  if (!row) return undefined;
  const done = Number(row.responses) >= Number(row.max_responses);
  if (done) await updateRanking(db, id, { status: 'completed', finished_at: now });
  return { done };
}

// ---- Matchups and votes

export async function insertMatchups(db: Db, rows: RankingMatchupsTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('ranking_matchups').values(rows).execute();
}

/** The item pairs a ranking has matchups for (smaller index first). */
export async function plannedPairs(db: Db, rankingId: string): Promise<{ item_a: number; item_b: number }[]> {
  return db
    .selectFrom('ranking_matchups')
    .select(['item_a', 'item_b'])
    .where('ranking_id', '=', rankingId)
    .execute();
}

export async function findMatchup(db: Db, id: string): Promise<RankingMatchupsTable | undefined> {
  return db.selectFrom('ranking_matchups').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One question of this source for the per-address cap. */
const RANKING_QUESTION: PairQuestion = {
  kind: 'ranking',
  matchups: 'ranking_matchups',
  votes: 'ranking_votes',
  scope: ['ranking_id'],
  pair: ['item_a', 'item_b'],
};

/**
 * Open matchups of a ranking still collecting at `now` that the labeler has not voted on (and below its address's
 * cap), fewest responses first. An expired ranking's matchups are never returned, whether or not the expiry task has
 * run.
 */
export async function openMatchupsFor(
  db: Db,
  rankingId: string,
  labelerId: string,
  now: string,
  limit: number,
  address: AddressCap | undefined,
) {
  return db
    .selectFrom('ranking_matchups as m')
    .innerJoin('rankings as r', 'r.id', 'm.ranking_id')
    .selectAll('m')
    .where('m.ranking_id', '=', rankingId)
    .where('m.status', '=', 'open')
    .where('r.status', 'in', [...OPEN_STATUSES])
    .where((e) => e.or([e('r.expires_at', 'is', null), e('r.expires_at', '>', now)]))
    .where((e) =>
      e.not(
        e.exists(
          e
            .selectFrom('ranking_votes as v')
            .select('v.id')
            .whereRef('v.matchup_id', '=', 'm.id')
            .where('v.labeler_id', '=', labelerId),
        ),
      ),
    )
    .where(belowAddressCap(RANKING_QUESTION, address, now))
    .orderBy('m.responses')
    .orderBy('m.created_at')
    .limit(limit)
    .execute();
}

export async function insertVote(db: Db, row: Insertable<RankingVotesTable>): Promise<void> {
  await db.insertInto('ranking_votes').values(row).execute();
}

export async function findVote(db: Db, id: string) {
  return db.selectFrom('ranking_votes').select(['id', 'created_at']).where('id', '=', id).executeTakeFirst();
}

/** Counts a matchup's response; it is done once it has what it wanted. */
export async function countMatchupResponse(db: Db, id: string): Promise<void> {
  await db
    .updateTable('ranking_matchups')
    .set((e) => ({ responses: e('responses', '+', 1) }))
    .where('id', '=', id)
    .execute();
  await db
    .updateTable('ranking_matchups')
    .set({ status: 'done' })
    .where('id', '=', id)
    .where((e) => e('responses', '>=', e.ref('wanted')))
    .execute();
}

/** A ranking's votes folded per (item pair, outcome). */
export async function voteCells(db: Db, rankingIds: readonly string[]) {
  if (rankingIds.length === 0) return [];
  const rows = await db
    .selectFrom('ranking_votes')
    .select(['ranking_id', 'item_a', 'item_b', 'outcome', (e) => e.fn.countAll<number>().as('n')])
    .where('ranking_id', 'in', [...rankingIds])
    .groupBy(['ranking_id', 'item_a', 'item_b', 'outcome'])
    .execute();
  return rows.map((r) => ({ ...r, item_a: Number(r.item_a), item_b: Number(r.item_b), n: Number(r.n) }));
}

/** The ranking's row, locked for the planning transaction where rows lock. */
export async function lockRanking(db: Db, id: string, lock: boolean): Promise<RankingsTable | undefined> {
  let q = db.selectFrom('rankings').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}
