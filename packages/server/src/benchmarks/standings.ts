// Standings of a leaderboard: its votes (matchup answers and imported battles) folded into pair counts per model,
// a Bradley-Terry fit on the Elo scale with 95% intervals from @jury/stats, and the win/loss matrix. A benchmark's
// overall standings fold the votes of several of its leaderboards (each in its own direction) into one fit.
import type { BenchmarkStandings, Standing, Standings, WinLossMatrix } from '@jury/api';
import {
  addPairCounts,
  bradleyTerryIntervals,
  createPairCounts,
  fitBradleyTerry,
  type PairCounts,
  SKLEARN_DEFAULT_PENALTY,
} from '@jury/stats';
import type { Db } from '../db/database.ts';
import type { LeaderboardsTable } from '../db/schema.ts';
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

/** Wins, ties and votes of every model in the counts. */
function tallies(counts: PairCounts) {
  const m = counts.items.length;
  const wins = new Float64Array(m);
  const ties = new Float64Array(m);
  const votes = new Float64Array(m);
  for (const pair of pairCells(counts)) {
    wins[pair.i]! += pair.ij;
    wins[pair.j]! += pair.ji;
    ties[pair.i]! += pair.tie;
    ties[pair.j]! += pair.tie;
    const n = pair.ij + pair.ji + pair.tie;
    votes[pair.i]! += n;
    votes[pair.j]! += n;
  }
  return { wins, ties, votes };
}

/** Every pair of models with votes: i beat j `ij` times, j beat i `ji` times, `tie` ties (i < j). */
function pairCells(counts: PairCounts): { i: number; j: number; ij: number; ji: number; tie: number }[] {
  const m = counts.items.length;
  const cap = counts.capacity;
  const out: { i: number; j: number; ij: number; ji: number; tie: number }[] = [];
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) {
      const ij = counts.wins[i * cap + j]!;
      const ji = counts.wins[j * cap + i]!;
      const tie = counts.ties[i * cap + j]!;
      if (ij + ji + tie > 0) out.push({ i, j, ij, ji, tie });
    }
  return out;
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

function fitStandings({ counts, participantOf }: Folded, options: StandingsOptions) {
  const base = {
    method: options.intervals,
    level: 0.95,
    totalVotes: counts.votes,
    tags: options.tags,
  };
  if (counts.items.length === 0) return { ...base, standings: [], warnings: [] };
  const fit = fitBradleyTerry(
    counts,
    options.sklearnC !== undefined ? { penalty: SKLEARN_DEFAULT_PENALTY / options.sklearnC } : {},
  );
  const ci = bradleyTerryIntervals(counts, fit, { method: options.intervals, level: 0.95, seed: 1 });
  const { wins, ties, votes } = tallies(counts);
  const m = fit.items.length;
  const rows: Standing[] = fit.items.map((name, i) => {
    let above = 0;
    let below = 0;
    let size = 0;
    for (let j = 0; j < m; j++) {
      if (fit.componentOf[j] !== fit.componentOf[i]) continue;
      size++;
      if (j === i) continue;
      if (ci.lower[j]! > ci.upper[i]!) above++;
      if (ci.upper[j]! < ci.lower[i]!) below++;
    }
    return {
      participantId: participantOf.get(name) ?? null,
      name,
      rank: 0,
      score: fit.ratings[i]!,
      lower: ci.lower[i]!,
      upper: ci.upper[i]!,
      rankLower: 1 + above,
      rankUpper: size - below,
      votes: votes[i]!,
      wins: wins[i]!,
      ties: ties[i]!,
      winRate: votes[i]! > 0 ? (wins[i]! + ties[i]! / 2) / votes[i]! : null,
    };
  });
  rows.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  rows.forEach((r, i) => {
    r.rank = i + 1;
  });
  const warnings = fit.warnings.map((w) => ({
    kind: w.kind,
    message: w.message,
    models:
      w.kind === 'disconnected'
        ? w.components.flat()
        : w.kind === 'poorly-determined'
          ? w.items.map((x) => x.item)
          : 'items' in w
            ? w.items
            : [],
  }));
  return { ...base, standings: rows, warnings };
}

export async function winLossMatrixOf(
  db: Db,
  leaderboard: LeaderboardsTable,
  tags: string[] | null,
): Promise<WinLossMatrix> {
  const { counts } = await foldVotes(db, leaderboard.benchmark_id, [leaderboard], tags);
  const order = counts.items.map((name, i) => ({ name, i })).sort((a, b) => a.name.localeCompare(b.name));
  const at = new Map(order.map((o, k) => [o.i, k]));
  const n = order.length;
  const wins = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const votes = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const c of pairCells(counts)) {
    const i = at.get(c.i)!;
    const j = at.get(c.j)!;
    wins[i]![j]! += c.ij + c.tie / 2;
    wins[j]![i]! += c.ji + c.tie / 2;
    votes[i]![j]! += c.ij + c.ji + c.tie;
    votes[j]![i]! += c.ij + c.ji + c.tie;
  }
  return { models: order.map((o) => o.name), wins, votes };
}
