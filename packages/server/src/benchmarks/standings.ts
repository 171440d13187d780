// Standings of a leaderboard: its votes (matchup answers and imported battles) folded into pair counts per model,
// ranked by pairwise/standings.ts (Bradley-Terry on the Elo scale with 95% intervals), and the win/loss matrix. A
// benchmark's overall standings fold the votes of several of its leaderboards (each in its own direction) into one fit.
import type { BenchmarkStandings, Standing, Standings, VoteAggregation, WinLossMatrix } from '@jury/api';
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

interface FoldOptions {
  /** Only votes on prompts with any of these tags; null: all. */
  tags: string[] | null;
  /** Each labeler vote weighs its labeler's trust score when cast (imported battles weigh 1). */
  weighted?: boolean;
  /** Only votes between these participants (imported battles of unknown models drop out); null: all. */
  participantIds?: ReadonlySet<string> | null;
}

type Outcome = 'a' | 'b' | 'tie';
const record = (outcome: Outcome, n: number) =>
  outcome === 'a' ? { wins: n } : outcome === 'b' ? { losses: n } : { ties: n };

/**
 * A leaderboard's labeler votes as pair outcomes `(a, b, outcome, count, weight)`. `all`: every vote is one (with
 * `weighted`, of its labeler's trust score); `majority`: each matchup is one, won by the side with more votes
 * (`weighted`: more trust), a draw a tie; the tally is read from the raw votes, so a switch applies to the past.
 */
async function labelerOutcomes(db: Db, leaderboard: LeaderboardsTable, weighted: boolean) {
  const out: { a: string; b: string; prompt: string; outcome: Outcome; count: number; weight: number }[] = [];
  if (leaderboard.vote_aggregation !== 'majority' && !weighted) {
    for (const c of await store.voteCells(db, leaderboard.id))
      out.push({
        a: c.participant_a,
        b: c.participant_b,
        prompt: c.prompt_id,
        outcome: c.outcome as Outcome,
        count: c.n,
        weight: 1,
      });
    return out;
  }
  const tallies = await store.matchupTallies(db, leaderboard.id);
  if (leaderboard.vote_aggregation !== 'majority') {
    for (const t of tallies)
      out.push({
        a: t.participant_a,
        b: t.participant_b,
        prompt: t.prompt_id,
        outcome: t.outcome as Outcome,
        count: t.n,
        weight: t.w / t.n,
      });
    return out;
  }
  const matchups = new Map<string, { a: string; b: string; prompt: string; sa: number; sb: number }>();
  for (const t of tallies) {
    const m = matchups.get(t.matchup_id) ?? {
      a: t.participant_a,
      b: t.participant_b,
      prompt: t.prompt_id,
      sa: 0,
      sb: 0,
    };
    const x = weighted ? t.w : t.n;
    if (t.outcome === 'a') m.sa += x;
    else if (t.outcome === 'b') m.sb += x;
    else {
      m.sa += x / 2;
      m.sb += x / 2;
    }
    matchups.set(t.matchup_id, m);
  }
  for (const m of matchups.values()) {
    const outcome: Outcome = m.sa > m.sb ? 'a' : m.sb > m.sa ? 'b' : 'tie';
    out.push({ a: m.a, b: m.b, prompt: m.prompt, outcome, count: 1, weight: 1 });
  }
  return out;
}

/** Pair counts of the leaderboards' votes, per model name, each in its leaderboard's direction (inverse flips). */
async function foldVotes(
  db: Db,
  benchmarkId: string,
  leaderboards: readonly LeaderboardsTable[],
  options: FoldOptions,
): Promise<Folded> {
  const { tags, weighted = false, participantIds = null } = options;
  const participants = await store.participantsOf(db, benchmarkId);
  const prompts = await store.promptsOf(db, benchmarkId);
  const tagsOf = new Map(prompts.map((p) => [p.id, JSON.parse(p.tags) as string[]]));
  const tagsById = new Map(prompts.map((p) => [p.identifier, JSON.parse(p.tags) as string[]]));
  const wanted = tags && new Set(tags);
  const inScope = (promptTags: string[] | undefined) =>
    !wanted || (promptTags ?? []).some((t) => wanted.has(t));
  const active = new Map(
    participants
      .filter((p) => p.status !== 'disabled' && (!participantIds || participantIds.has(p.id)))
      .map((p) => [p.id, p.name]),
  );
  const counts = createPairCounts();
  const participantOf = new Map<string, string>();
  for (const p of participants) if (p.status === 'submitted') participantOf.set(p.name, p.id);
  const known = new Set([...active.values()]);
  const disabled = new Set(participants.filter((p) => p.status === 'disabled').map((p) => p.name));
  for (const leaderboard of leaderboards) {
    const inverse = leaderboard.inverse_ranking === 1;
    const fold = (a: string, b: string, outcome: Outcome, n: number, weight: number) => {
      if (n === 0) return;
      const flipped: Outcome = !inverse || outcome === 'tie' ? outcome : outcome === 'a' ? 'b' : 'a';
      addPairCounts(counts, a, b, record(flipped, n), weight);
    };
    for (const v of await labelerOutcomes(db, leaderboard, weighted)) {
      const a = active.get(v.a);
      const b = active.get(v.b);
      if (!a || !b || !inScope(tagsOf.get(v.prompt))) continue;
      fold(a, b, v.outcome, v.count, v.weight);
    }
    for (const v of await store.importedVotes(db, leaderboard.id)) {
      if (disabled.has(v.model_a) || disabled.has(v.model_b)) continue;
      if (participantIds && !(known.has(v.model_a) && known.has(v.model_b))) continue;
      if (wanted && (v.prompt_identifier === null || !inScope(tagsById.get(v.prompt_identifier)))) continue;
      fold(v.model_a, v.model_b, 'a', v.wins_a, 1);
      fold(v.model_a, v.model_b, 'b', v.wins_b, 1);
      fold(v.model_a, v.model_b, 'tie', v.ties, 1);
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
  const folded = await foldVotes(db, leaderboard.benchmark_id, [leaderboard], { tags: options.tags });
  return {
    leaderboardId: leaderboard.id,
    voteAggregation: leaderboard.vote_aggregation as VoteAggregation,
    ...fitStandings(folded, options),
  };
}

/** A benchmark's overall standings: one fit of the votes of `leaderboards` (all of its own, or those asked for). */
export async function benchmarkStandingsOf(
  db: Db,
  benchmarkId: string,
  leaderboards: readonly LeaderboardsTable[],
  options: StandingsOptions,
): Promise<BenchmarkStandings> {
  const folded = await foldVotes(db, benchmarkId, leaderboards, { tags: options.tags });
  return { benchmarkId, leaderboardIds: leaderboards.map((l) => l.id), ...fitStandings(folded, options) };
}

/** Wins of every model over every other in `leaderboards` (one, or a benchmark's), each in its direction. */
export async function winLossMatrixOf(
  db: Db,
  benchmarkId: string,
  leaderboards: readonly LeaderboardsTable[],
  options: FoldOptions,
): Promise<WinLossMatrix> {
  return winLossMatrixFrom((await foldVotes(db, benchmarkId, leaderboards, options)).counts);
}
