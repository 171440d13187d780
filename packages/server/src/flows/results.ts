// Results of a ranking (a flow item, or one datapoint of a ranking job): its votes folded into pair counts by item
// name, ranked by pairwise/standings.ts (Bradley-Terry on the Elo scale around the ranking's starting Elo, 95%
// sandwich intervals), and the win/loss matrix.
import { type Item, itemName, type RankingStatus, type WinLossMatrix } from '@jury/api';
import { addPairCounts, createPairCounts, type PairCounts } from '@jury/stats';
import type { Db } from '../db/database.ts';
import type { RankingsTable } from '../db/schema.ts';
import { rankFromCounts, winLossMatrixFrom } from '../pairwise/standings.ts';
import * as store from './store.ts';

type Cells = Awaited<ReturnType<typeof store.voteCells>>;

function countsOf(ranking: RankingsTable, cells: Cells): { counts: PairCounts; items: Item[] } {
  const items = JSON.parse(ranking.items) as Item[];
  const names = items.map(itemName);
  const counts = createPairCounts(names);
  for (const c of cells) {
    if (c.ranking_id !== ranking.id) continue;
    addPairCounts(counts, names[c.item_a]!, names[c.item_b]!, {
      wins: c.outcome === 'a' ? c.n : 0,
      losses: c.outcome === 'b' ? c.n : 0,
      ties: c.outcome === 'tie' ? c.n : 0,
    });
  }
  return { counts, items };
}

/** The progress fields every ranking reports. */
export function progressOf(ranking: RankingsTable) {
  return {
    status: ranking.status as RankingStatus,
    responseCount: Number(ranking.responses),
    minResponseThreshold: Number(ranking.min_responses),
    maxResponseThreshold: Number(ranking.max_responses),
  };
}

function resultOf(ranking: RankingsTable, cells: Cells) {
  const { counts, items } = countsOf(ranking, cells);
  const byName = new Map(items.map((item) => [itemName(item), item]));
  const { rows, warnings } = rankFromCounts(counts, {
    intervals: 'sandwich',
    offset: Number(ranking.starting_elo),
  });
  return {
    ...progressOf(ranking),
    totalVotes: counts.votes,
    datapoints: Object.fromEntries(rows.map((r) => [r.name, Math.round(r.score)])),
    ranking: rows.map((r) => ({
      ...r,
      // An item without votes has no interval (the fit gives NaN, which JSON would turn into null silently).
      lower: Number.isFinite(r.lower) ? r.lower : null,
      upper: Number.isFinite(r.upper) ? r.upper : null,
      item: byName.get(r.name)!,
    })),
    level: 0.95,
    warnings,
  };
}

/** Each ranking's results, in the order given (one query for their votes). */
export async function resultsOf(db: Db, rankings: readonly RankingsTable[]) {
  const cells = await store.voteCells(
    db,
    rankings.map((r) => r.id),
  );
  return rankings.map((r) => resultOf(r, cells));
}

export async function winLossMatrixOfRanking(db: Db, ranking: RankingsTable): Promise<WinLossMatrix> {
  return winLossMatrixFrom(countsOf(ranking, await store.voteCells(db, [ranking.id])).counts);
}
