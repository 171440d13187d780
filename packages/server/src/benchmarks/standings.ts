// Standings of a leaderboard: its votes (matchup answers and imported battles) folded into pair counts per model,
// ranked by pairwise/standings.ts (Bradley-Terry on the Elo scale with 95% intervals), and the win/loss matrix. A
// benchmark's overall standings fold the votes of several of its leaderboards (each in its own direction) into one fit.
import type { BenchmarkStandings, Standing, Standings, WinLossMatrix } from '@jury/api';
import { addPairCounts, createPairCounts, type PairCounts, SKLEARN_DEFAULT_PENALTY } from '@jury/stats';
import type { Db } from '../db/database.ts';
import type { LeaderboardsTable } from '../db/schema.ts';
import { rankFromCounts, winLossMatrixFrom } from '../pairwise/standings.ts';
import * as store from './store.ts';

export interface StandingsOptions {
  /** Only votes on prompts with any of these tags (imported battles without a prompt drop out); null: all. */
  tags: string[] | null;
  intervals: 'sandwich' | 'bootstrap';
  /** Fit with scikit-learn's L2 penalty at this C; default: maximum likelihood, a weak prior where it has none. */
  sklearnC?: number | undefined;
}

interface Folded {
  counts: PairCounts;
  /** Model name → participant id (absent for models only in imported battles). */
  participantOf: Map<string, string>;
}

/** Pair counts of the leaderboards' votes, per model name, each in its leaderboard's direction (inverse flips). */
async function foldVotes(
  db: Db,
  benchmarkId: string,
  leaderboards: readonly LeaderboardsTable[],
  tags: string[] | null,
): Promise<Folded> {
  const participants = await store.participantsOf(db, benchmarkId);
  const prompts = await store.promptsOf(db, benchmarkId);
  const tagsOf = new Map(prompts.map((p) => [p.id, JSON.parse(p.tags) as string[]]));
  const tagsById = new Map(prompts.map((p) => [p.identifier, JSON.parse(p.tags) as string[]]));
  const wanted = tags && new Set(tags);
  const inScope = (promptTags: string[] | undefined) =>
    !wanted || (promptTags ?? []).some((t) => wanted.has(t));
  const active = new Map(participants.filter((p) => p.status !== 'disabled').map((p) => [p.id, p.name]));
  const counts = createPairCounts();
  const participantOf = new Map<string, string>();
  for (const p of participants) if (p.status === 'submitted') participantOf.set(p.name, p.id);
  const disabled = new Set(participants.filter((p) => p.status === 'disabled').map((p) => p.name));
  for (const leaderboard of leaderboards) {
    const inverse = leaderboard.inverse_ranking === 1;
    const fold = (a: string, b: string, winsA: number, winsB: number, ties: number) => {
      if (winsA + winsB + ties === 0) return;
      addPairCounts(
        counts,
        a,
        b,
        inverse ? { wins: winsB, losses: winsA, ties } : { wins: winsA, losses: winsB, ties },
      );
    };
    for (const cell of await store.voteCells(db, leaderboard.id)) {
      const a = active.get(cell.participant_a);
      const b = active.get(cell.participant_b);
      if (!a || !b || !inScope(tagsOf.get(cell.prompt_id))) continue;
      const n = cell.n;
      fold(a, b, cell.outcome === 'a' ? n : 0, cell.outcome === 'b' ? n : 0, cell.outcome === 'tie' ? n : 0);
    }
    for (const v of await store.importedVotes(db, leaderboard.id)) {
      if (disabled.has(v.model_a) || disabled.has(v.model_b)) continue;
      if (wanted && (v.prompt_identifier === null || !inScope(tagsById.get(v.prompt_identifier)))) continue;
      fold(v.model_a, v.model_b, v.wins_a, v.wins_b, v.ties);
    }
  }
  return { counts, participantOf };
}

function fitStandings({ counts, participantOf }: Folded, options: StandingsOptions) {
  const { rows, warnings } = rankFromCounts(counts, {
    intervals: options.intervals,
    ...(options.sklearnC !== undefined ? { penalty: SKLEARN_DEFAULT_PENALTY / options.sklearnC } : {}),
  });
  return {
    method: options.intervals,
    level: 0.95,
    totalVotes: counts.votes,
    tags: options.tags,
    standings: rows.map((r): Standing => ({ participantId: participantOf.get(r.name) ?? null, ...r })),
    warnings,
  };
}

export async function standingsOf(
  db: Db,
  leaderboard: LeaderboardsTable,
  options: StandingsOptions,
): Promise<Standings> {
  const folded = await foldVotes(db, leaderboard.benchmark_id, [leaderboard], options.tags);
  return { leaderboardId: leaderboard.id, ...fitStandings(folded, options) };
}

/** A benchmark's overall standings: one fit of the votes of `leaderboards` (all of its own, or those asked for). */
export async function benchmarkStandingsOf(
  db: Db,
  benchmarkId: string,
  leaderboards: readonly LeaderboardsTable[],
  options: StandingsOptions,
): Promise<BenchmarkStandings> {
  const folded = await foldVotes(db, benchmarkId, leaderboards, options.tags);
  return { benchmarkId, leaderboardIds: leaderboards.map((l) => l.id), ...fitStandings(folded, options) };
}

export async function winLossMatrixOf(
  db: Db,
  leaderboard: LeaderboardsTable,
  tags: string[] | null,
): Promise<WinLossMatrix> {
  return winLossMatrixFrom((await foldVotes(db, leaderboard.benchmark_id, [leaderboard], tags)).counts);
}
