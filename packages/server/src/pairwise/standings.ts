// Standings from pair counts, shared by every pairwise feature (leaderboards, flows, ranking jobs): a Bradley-Terry
// fit on the Elo scale from @jury/stats with intervals, rank intervals, votes, wins and win rates per item, the
// fit's warnings, and the win/loss matrix. Pure: each feature folds its own votes into the counts.
import type { WinLossMatrix } from '@jury/api';
import { bradleyTerryIntervals, fitBradleyTerry, type PairCounts } from '@jury/stats';

export interface RankedItem {
  name: string;
  rank: number;
  /** Bradley-Terry rating on the Elo scale (400 points per factor 10 in odds; mean `offset` per component). */
  score: number;
  lower: number;
  upper: number;
  /** Best and worst rank the intervals allow. */
  rankLower: number;
  rankUpper: number;
  votes: number;
  wins: number;
  ties: number;
  winRate: number | null;
}

export interface RankWarning {
  kind: string;
  message: string;
  /** The items it is about. */
  models: string[];
}

export interface RankOptions {
  intervals: 'sandwich' | 'bootstrap';
  /** Coverage of the intervals (default 0.95). */
  level?: number;
  /** Mean rating of each component (default 1000). */
  offset?: number;
  /** An L2 penalty for the fit (default: maximum likelihood, a weak prior where it has none). */
  penalty?: number;
}

/** Every pair of items with votes: i beat j `ij` times, j beat i `ji` times, `tie` ties (i < j). */
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

/** Wins, ties and votes of every item in the counts. */
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

/** The items of `counts` ranked best first, with the fit's warnings; no items, no rows. */
export function rankFromCounts(
  counts: PairCounts,
  options: RankOptions,
): { rows: RankedItem[]; warnings: RankWarning[] } {
  if (counts.items.length === 0) return { rows: [], warnings: [] };
  const level = options.level ?? 0.95;
  const fit = fitBradleyTerry(counts, {
    ...(options.penalty !== undefined ? { penalty: options.penalty } : {}),
    ...(options.offset !== undefined ? { offset: options.offset } : {}),
  });
  const ci = bradleyTerryIntervals(counts, fit, { method: options.intervals, level, seed: 1 });
  const { wins, ties, votes } = tallies(counts);
  const m = fit.items.length;
  const rows: RankedItem[] = fit.items.map((name, i) => {
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
  return { rows, warnings };
}

/** Wins of every item over every other (ties half to each), items by name. */
export function winLossMatrixFrom(counts: PairCounts): WinLossMatrix {
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
