/**
 * Matchmaking for a ranking (a flow item or a ranking job's datapoint): which of its items meet next. Pairs come
 * from `proposePairs` of @jury/stats on the ranking's votes so far, with the ranking's random share
 * (`randomComparisonsRatio`; the rest go where a vote is expected to fix the most misordered pairs). Matchups are
 * planned a batch at a time, when a labeler finds none open, so each batch sees the votes before it; each asks
 * `responsesPerComparison` labelers, and together they never ask more than the ranking's maximum of responses.
 * A set of at most ten items meets every pair once first (as the reference's full-permutation pair maker does for
 * small groups), so no pair is left unseen by chance; the posterior's choices come after.
 */
import { addPairCounts, createPairCounts, createRng, proposePairs } from '@jury/stats';
import { capabilitiesOf } from '../db/capabilities.ts';
import type { Db } from '../db/database.ts';
import type { RankingMatchupsTable } from '../db/schema.ts';
import { newId } from '../http/ids.ts';
import * as store from './store.ts';

/** Matchups planned at a time per ranking. */
const BATCH = 8;
/** Sets up to this size meet every pair once before the adaptive choice. */
const EVERY_PAIR_UP_TO = 10;

/** Plans the next batch of the ranking's matchups in `trx`; returns how many it made. */
export async function planRankingMatchups(
  trx: Db,
  rankingId: string,
  now: Date,
  random: () => number,
): Promise<number> {
  const ranking = await store.lockRanking(trx, rankingId, capabilitiesOf(trx).rowLocks);
  if (!ranking || !(store.OPEN_STATUSES as readonly string[]).includes(ranking.status)) return 0;
  const perMatchup = Number(ranking.responses_per_comparison);
  const remaining = Number(ranking.max_responses) - Number(ranking.planned);
  const n = (JSON.parse(ranking.items) as unknown[]).length;
  if (remaining <= 0 || n < 2) return 0;
  const wanted = Math.min(BATCH, Math.ceil(remaining / perMatchup));
  const rng = createRng(Math.floor(random() * 2 ** 31));
  const keys = Array.from({ length: n }, (_, i) => String(i));
  const counts = createPairCounts(keys);
  for (const cell of await store.voteCells(trx, [ranking.id]))
    addPairCounts(counts, String(cell.item_a), String(cell.item_b), {
      wins: cell.outcome === 'a' ? cell.n : 0,
      losses: cell.outcome === 'b' ? cell.n : 0,
      ties: cell.outcome === 'tie' ? cell.n : 0,
    });
  let pairs: (readonly [number, number])[] =
    n <= EVERY_PAIR_UP_TO ? await unplannedPairs(trx, ranking.id, n, wanted, () => rng.next()) : [];
  if (pairs.length === 0)
    pairs = proposePairs(counts, {
      rng,
      batchSize: wanted,
      randomComparisonsRatio: Number(ranking.random_ratio),
    }).map((p) => [Number(p.a), Number(p.b)] as const);
  if (pairs.length === 0) {
    // Nothing informative left by the posterior's measure: keep collecting with random pairs up to the maximum.
    const a = Math.floor(rng.next() * n);
    const b = (a + 1 + Math.floor(rng.next() * (n - 1))) % n;
    pairs = [[a, b]];
  }
  let left = remaining;
  const rows: RankingMatchupsTable[] = [];
  for (const [a, b] of pairs) {
    if (left <= 0) break;
    const take = Math.min(perMatchup, left);
    left -= take;
    rows.push({
      id: newId('rmt'),
      ranking_id: ranking.id,
      item_a: a,
      item_b: b,
      wanted: take,
      responses: 0,
      status: 'open',
      created_at: now.toISOString(),
    });
  }
  await store.insertMatchups(trx, rows);
  await store.updateRanking(trx, ranking.id, { planned: Number(ranking.planned) + (remaining - left) });
  return rows.length;
}

/** Up to `wanted` pairs of the n items that have no matchup yet, in random order. */
async function unplannedPairs(
  trx: Db,
  rankingId: string,
  n: number,
  wanted: number,
  random: () => number,
): Promise<(readonly [number, number])[]> {
  const seen = new Set(
    (await store.plannedPairs(trx, rankingId)).map((p) => {
      const [a, b] = [Number(p.item_a), Number(p.item_b)].sort((x, y) => x - y);
      return `${a}:${b}`;
    }),
  );
  const open: [number, number][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (!seen.has(`${a}:${b}`)) open.push([a, b]);
  for (let i = open.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [open[i], open[j]] = [open[j] as [number, number], open[i] as [number, number]];
  }
  // Either side first at random: the order the labeler sees is decided at serving, but keep stored order unbiased.
  return open.slice(0, wanted).map(([a, b]) => (random() < 0.5 ? ([a, b] as const) : ([b, a] as const)));
}
