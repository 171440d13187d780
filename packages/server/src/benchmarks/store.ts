import { type Insertable, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { nameContains } from '../db/name-contains.ts';
import type {
  BenchmarkPromptsTable,
  BenchmarksTable,
  ImportedVotesTable,
  LeaderboardRunsTable,
  LeaderboardsTable,
  MatchupsTable,
  MatchupVotesTable,
  ParticipantMediaTable,
  ParticipantsTable,
} from '../db/schema.ts';
import { type PageRequest, pageRows } from '../http/pages.ts';
import type { AddressCap } from '../labeling/engine.ts';
import { belowAddressCap, type PairQuestion } from '../labeling/lease-store.ts';

export type PromptRow = BenchmarkPromptsTable;

// SQL of the benchmarks room: benchmarks, prompts, participants and their media, leaderboards, matchmaking runs,
// matchups and votes.

export async function insertBenchmark(db: Db, row: BenchmarksTable): Promise<void> {
  await db.insertInto('benchmarks').values(row).execute();
}

export async function findBenchmark(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('benchmarks')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

export async function findBenchmarks(
  db: Db,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
) {
  let q = db.selectFrom('benchmarks').where('organization_id', '=', organizationId);
  if (query.name) q = q.where(nameContains(query.name));
  return pageRows(q, (q) => q.selectAll(), query);
}

/** How many prompts, participants and leaderboards each benchmark has. */
export async function benchmarkCounts(db: Db, ids: readonly string[]) {
  const counts = new Map(ids.map((id) => [id, { prompts: 0, participants: 0, leaderboards: 0 }]));
  if (ids.length === 0) return counts;
  const tables = [
    ['benchmark_prompts', 'prompts'],
    ['participants', 'participants'],
    ['leaderboards', 'leaderboards'],
  ] as const;
  for (const [table, key] of tables) {
    const rows = await db
      .selectFrom(table)
      .select(['benchmark_id', (e) => e.fn.countAll<number>().as('n')])
      .where('benchmark_id', 'in', [...ids])
      .groupBy('benchmark_id')
      .execute();
    for (const r of rows) counts.get(r.benchmark_id)![key] = Number(r.n);
  }
  return counts;
}

// ---- Prompts

export async function promptsOf(db: Db, benchmarkId: string): Promise<BenchmarkPromptsTable[]> {
  return db
    .selectFrom('benchmark_prompts')
    .selectAll()
    .where('benchmark_id', '=', benchmarkId)
    .orderBy('sort_index')
    .execute();
}

export async function insertPrompts(db: Db, rows: BenchmarkPromptsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('benchmark_prompts')
      .values(rows.slice(i, i + 200))
      .execute();
}

/** A prompt of one of the organization's benchmarks. */
export async function findPrompt(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('benchmark_prompts as p')
    .innerJoin('benchmarks as b', 'b.id', 'p.benchmark_id')
    .selectAll('p')
    .where('p.id', '=', id)
    .where('b.organization_id', '=', organizationId)
    .executeTakeFirst();
}

export async function updatePrompt(
  db: Db,
  id: string,
  set: Partial<Pick<BenchmarkPromptsTable, 'tags' | 'structured_tags' | 'origin'>>,
): Promise<void> {
  await db.updateTable('benchmark_prompts').set(set).where('id', '=', id).execute();
}

/** Deletes a prompt with its media, matchups and votes, and the imported battles naming it. */
export async function deletePrompt(db: Db, prompt: BenchmarkPromptsTable): Promise<void> {
  await db.deleteFrom('matchup_votes').where('prompt_id', '=', prompt.id).execute();
  await db.deleteFrom('matchups').where('prompt_id', '=', prompt.id).execute();
  await db.deleteFrom('participant_media').where('prompt_id', '=', prompt.id).execute();
  await db
    .deleteFrom('imported_votes')
    .where('prompt_identifier', '=', prompt.identifier)
    .where('leaderboard_id', 'in', (e) =>
      e.selectFrom('leaderboards').select('id').where('benchmark_id', '=', prompt.benchmark_id),
    )
    .execute();
  await db.deleteFrom('benchmark_prompts').where('id', '=', prompt.id).execute();
}

export async function findPrompts(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('benchmark_prompts')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

// ---- Participants and media

export async function insertParticipant(db: Db, row: ParticipantsTable): Promise<void> {
  await db.insertInto('participants').values(row).execute();
}

export async function findParticipant(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('participants as p')
    .innerJoin('benchmarks as b', 'b.id', 'p.benchmark_id')
    .selectAll('p')
    .where('p.id', '=', id)
    .where('b.organization_id', '=', organizationId)
    .executeTakeFirst();
}

export async function participantsOf(db: Db, benchmarkId: string): Promise<ParticipantsTable[]> {
  return db
    .selectFrom('participants')
    .selectAll()
    .where('benchmark_id', '=', benchmarkId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function updateParticipant(
  db: Db,
  id: string,
  set: Partial<Pick<ParticipantsTable, 'name' | 'status' | 'submitted_at'>>,
): Promise<void> {
  await db.updateTable('participants').set(set).where('id', '=', id).execute();
}

export async function insertMedia(db: Db, rows: ParticipantMediaTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('participant_media')
      .values(rows.slice(i, i + 200))
      .execute();
}

export async function mediaCounts(db: Db, participantIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (participantIds.length === 0) return out;
  const rows = await db
    .selectFrom('participant_media')
    .select(['participant_id', (e) => e.fn.countAll<number>().as('n')])
    .where('participant_id', 'in', [...participantIds])
    .groupBy('participant_id')
    .execute();
  for (const r of rows) out.set(r.participant_id, Number(r.n));
  return out;
}

/** Every media item of the benchmark's participants in `statuses`. */
export async function mediaOf(db: Db, benchmarkId: string, statuses: readonly string[]) {
  return db
    .selectFrom('participant_media as m')
    .innerJoin('participants as p', 'p.id', 'm.participant_id')
    .select(['m.id', 'm.participant_id', 'm.prompt_id', 'm.item'])
    .where('p.benchmark_id', '=', benchmarkId)
    .where('p.status', 'in', [...statuses])
    .orderBy('m.id')
    .execute();
}

/** A participant's media with their prompts' identifiers, oldest first. */
export async function mediaOfParticipant(db: Db, participantId: string) {
  return db
    .selectFrom('participant_media as m')
    .innerJoin('benchmark_prompts as p', 'p.id', 'm.prompt_id')
    .select(['m.id', 'm.prompt_id', 'p.identifier', 'm.item', 'm.created_at'])
    .where('m.participant_id', '=', participantId)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
}

export async function findMedia(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('participant_media')
    .select(['id', 'participant_id', 'prompt_id', 'item'])
    .where('id', 'in', [...ids])
    .execute();
}

/** Deletes a participant with its media, its matchups and its votes. */
export async function deleteParticipant(db: Db, id: string): Promise<void> {
  for (const side of ['participant_a', 'participant_b'] as const) {
    await db.deleteFrom('matchup_votes').where(side, '=', id).execute();
    await db.deleteFrom('matchups').where(side, '=', id).execute();
  }
  await db.deleteFrom('participant_media').where('participant_id', '=', id).execute();
  await db.deleteFrom('participants').where('id', '=', id).execute();
}

// ---- Leaderboards and runs

export async function insertLeaderboard(db: Db, row: LeaderboardsTable): Promise<void> {
  await db.insertInto('leaderboards').values(row).execute();
}

export async function findLeaderboard(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('leaderboards as l')
    .innerJoin('benchmarks as b', 'b.id', 'l.benchmark_id')
    .selectAll('l')
    .where('l.id', '=', id)
    .where('b.organization_id', '=', organizationId)
    .executeTakeFirst();
}

export async function leaderboardsOf(db: Db, benchmarkId: string): Promise<LeaderboardsTable[]> {
  return db
    .selectFrom('leaderboards')
    .selectAll()
    .where('benchmark_id', '=', benchmarkId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function getLeaderboard(db: Db, id: string): Promise<LeaderboardsTable | undefined> {
  return db.selectFrom('leaderboards').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateLeaderboard(
  db: Db,
  id: string,
  set: Partial<
    Pick<
      LeaderboardsTable,
      'name' | 'level_of_detail' | 'response_budget' | 'responses_per_comparison' | 'vote_aggregation'
    >
  >,
): Promise<void> {
  await db.updateTable('leaderboards').set(set).where('id', '=', id).execute();
}

/** Votes per leaderboard (matchup answers plus imported battles). */
export async function voteTotals(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map(ids.map((id) => [id, 0]));
  if (ids.length === 0) return out;
  const answered = await db
    .selectFrom('matchup_votes')
    .select(['leaderboard_id', (e) => e.fn.countAll<number>().as('n')])
    .where('leaderboard_id', 'in', [...ids])
    .groupBy('leaderboard_id')
    .execute();
  for (const r of answered) out.set(r.leaderboard_id, (out.get(r.leaderboard_id) ?? 0) + Number(r.n));
  const imported = await db
    .selectFrom('imported_votes')
    .select([
      'leaderboard_id',
      (e) => e.fn.sum<number>('wins_a').as('a'),
      (e) => e.fn.sum<number>('wins_b').as('b'),
      (e) => e.fn.sum<number>('ties').as('t'),
    ])
    .where('leaderboard_id', 'in', [...ids])
    .groupBy('leaderboard_id')
    .execute();
  for (const r of imported)
    out.set(r.leaderboard_id, (out.get(r.leaderboard_id) ?? 0) + Number(r.a) + Number(r.b) + Number(r.t));
  return out;
}

/** Leaderboards whose matchmaking still has work: an open run or an open matchup. */
export async function matchingLeaderboards(db: Db, ids?: readonly string[]) {
  let q = db
    .selectFrom('leaderboards as l')
    .select(['l.id', 'l.audience_id'])
    .where((e) =>
      e.or([
        e.exists(
          e
            .selectFrom('leaderboard_runs as r')
            .select('r.id')
            .whereRef('r.leaderboard_id', '=', 'l.id')
            .where('r.status', '=', 'open'),
        ),
        e.exists(
          e
            .selectFrom('matchups as m')
            .select('m.id')
            .whereRef('m.leaderboard_id', '=', 'l.id')
            .where('m.status', '=', 'open'),
        ),
      ]),
    );
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('l.id', 'in', [...ids]);
  }
  return q.execute();
}

export async function insertRun(db: Db, row: LeaderboardRunsTable): Promise<void> {
  await db.insertInto('leaderboard_runs').values(row).execute();
}

/** A leaderboard's runs, newest first. */
export async function runsOf(db: Db, leaderboardId: string): Promise<LeaderboardRunsTable[]> {
  return db
    .selectFrom('leaderboard_runs')
    .selectAll()
    .where('leaderboard_id', '=', leaderboardId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Votes per run of a leaderboard. */
export async function runVoteCounts(db: Db, leaderboardId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('matchup_votes as v')
    .innerJoin('matchups as m', 'm.id', 'v.matchup_id')
    .select(['m.run_id', (e) => e.fn.countAll<number>().as('n')])
    .where('v.leaderboard_id', '=', leaderboardId)
    .groupBy('m.run_id')
    .execute();
  return new Map(rows.map((r) => [r.run_id, Number(r.n)]));
}

/** The runs of a leaderboard with a matchup still open. */
export async function runsWithOpenMatchups(db: Db, leaderboardId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('matchups')
    .select('run_id')
    .distinct()
    .where('leaderboard_id', '=', leaderboardId)
    .where('status', '=', 'open')
    .execute();
  return new Set(rows.map((r) => r.run_id));
}

export async function openRuns(db: Db, leaderboardId: string, lock: boolean) {
  let q = db
    .selectFrom('leaderboard_runs')
    .selectAll()
    .where('leaderboard_id', '=', leaderboardId)
    .where('status', '=', 'open')
    .orderBy('created_at');
  if (lock) q = q.forUpdate();
  return q.execute();
}

export async function updateRun(
  db: Db,
  id: string,
  set: Partial<Pick<LeaderboardRunsTable, 'planned' | 'status'>>,
): Promise<void> {
  await db.updateTable('leaderboard_runs').set(set).where('id', '=', id).execute();
}

// ---- Matchups and votes

export async function insertMatchups(db: Db, rows: MatchupsTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('matchups').values(rows).execute();
}

export async function findMatchup(db: Db, id: string): Promise<MatchupsTable | undefined> {
  return db.selectFrom('matchups').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Locks an open matchup's row for a claim (FOR UPDATE SKIP LOCKED, where rows lock); false when another claim holds
 * it or it is no longer open. Afterwards the claim re-reads its responses and leases, as job tasks do.
 */
export async function lockOpenMatchup(db: Db, id: string): Promise<MatchupsTable | undefined> {
  return db
    .selectFrom('matchups')
    .selectAll()
    .where('id', '=', id)
    .where('status', '=', 'open')
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** One question of this source for the per-address cap. */
const MATCHUP_QUESTION: PairQuestion = {
  kind: 'matchup',
  matchups: 'matchups',
  votes: 'matchup_votes',
  scope: ['leaderboard_id', 'prompt_id'],
  pair: ['participant_a', 'participant_b'],
};

/** Open matchups the labeler has not voted on (and, with `address`, below its address's cap), fewest votes first. */
export async function openMatchupsFor(
  db: Db,
  leaderboardId: string,
  labelerId: string,
  limit: number,
  now: string,
  address: AddressCap | undefined,
) {
  return db
    .selectFrom('matchups as m')
    .selectAll('m')
    .where('m.leaderboard_id', '=', leaderboardId)
    .where('m.status', '=', 'open')
    .where((e) =>
      e.not(
        e.exists(
          e
            .selectFrom('matchup_votes as v')
            .select('v.id')
            .whereRef('v.matchup_id', '=', 'm.id')
            .where('v.labeler_id', '=', labelerId),
        ),
      ),
    )
    .where(belowAddressCap(MATCHUP_QUESTION, address, now))
    .orderBy('m.responses')
    .orderBy('m.created_at')
    .limit(limit)
    .execute();
}

export async function insertVote(db: Db, row: Insertable<MatchupVotesTable>): Promise<void> {
  await db.insertInto('matchup_votes').values(row).execute();
}

export async function findVote(db: Db, id: string) {
  return db.selectFrom('matchup_votes').select(['id', 'created_at']).where('id', '=', id).executeTakeFirst();
}

/** Counts a response; the matchup is done once it has what it wanted. Returns whether it is done. */
export async function countMatchupResponse(db: Db, id: string): Promise<boolean> {
  const row = await db
    .updateTable('matchups')
    .set((e) => ({ responses: e('responses', '+', 1) }))
    .where('id', '=', id)
    .returning(['responses', 'wanted', 'status'])
    .executeTakeFirst();
  if (!row) return false;
  if (row.status === 'open' && Number(row.responses) >= Number(row.wanted)) {
    await db.updateTable('matchups').set({ status: 'done' }).where('id', '=', id).execute();
    return true;
  }
  return row.status !== 'open';
}

/**
 * A leaderboard's votes, one tally per matchup (a, b, tie), with the summed trust scores of each side's voters
 * (a vote from before trust scores were kept weighs 1): what majority aggregation and weighted matrices fold.
 */
export async function matchupTallies(db: Db, leaderboardId: string) {
  const weight = sql<number>`coalesce(user_score, 1)`;
  const rows = await db
    .selectFrom('matchup_votes')
    .select([
      'matchup_id',
      'participant_a',
      'participant_b',
      'prompt_id',
      'outcome',
      (e) => e.fn.countAll<number>().as('n'),
      (e) => e.fn.sum<number>(weight).as('w'),
    ])
    .where('leaderboard_id', '=', leaderboardId)
    .groupBy(['matchup_id', 'participant_a', 'participant_b', 'prompt_id', 'outcome'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n), w: Number(r.w) }));
}

/** A leaderboard's votes folded per (participant pair, prompt, outcome). */
export async function voteCells(db: Db, leaderboardId: string) {
  const rows = await db
    .selectFrom('matchup_votes')
    .select([
      'participant_a',
      'participant_b',
      'prompt_id',
      'outcome',
      (e) => e.fn.countAll<number>().as('n'),
    ])
    .where('leaderboard_id', '=', leaderboardId)
    .groupBy(['participant_a', 'participant_b', 'prompt_id', 'outcome'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export async function insertImportedVotes(db: Db, rows: ImportedVotesTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('imported_votes')
      .values(rows.slice(i, i + 200))
      .execute();
}

export async function importedVotes(db: Db, leaderboardId: string) {
  const rows = await db
    .selectFrom('imported_votes')
    .select(['model_a', 'model_b', 'prompt_identifier', 'wins_a', 'wins_b', 'ties'])
    .where('leaderboard_id', '=', leaderboardId)
    .execute();
  return rows.map((r) => ({
    ...r,
    wins_a: Number(r.wins_a),
    wins_b: Number(r.wins_b),
    ties: Number(r.ties),
  }));
}
