/**
 * Pairing schemes to simulate, the "votes until Kendall tau reaches X" experiment, and the budget planner
 * ("how many votes do I need for tau ≥ X with probability ≥ Y").
 */
import { kendallTauB } from '../agreement/agreement.ts';
import { fitBradleyTerry, WEAK_PRIOR_PENALTY } from '../bt/fit.ts';
import { addVoteByIndex, createPairCounts, type PairCounts } from '../bt/pair-counts.ts';
import { strengthPosterior } from '../matchmaking/posterior.ts';
import { type ProposePairsOptions, proposePairs } from '../matchmaking/propose.ts';
import type { Rng } from '../random.ts';
import { type SimulatedLabeler, simulateStrengths, simulateVote } from './crowd.ts';

/** Chooses the next `batchSize` pairs (item indices) given the votes so far. */
export type PairScheme = (counts: PairCounts, batchSize: number, rng: Rng) => [number, number][];

function randomPair(m: number, rng: Rng): [number, number] {
  const a = rng.int(m);
  let b = rng.int(m - 1);
  if (b >= a) b++;
  return [a, b];
}

/**
 * Uniformly random pairs: the baseline every scheme must beat.
 *
 * @example
 * const scheme = randomPairScheme();
 * scheme(createPairCounts(['a', 'b', 'c']), 2, createRng(1)); // two random index pairs
 */
export function randomPairScheme(): PairScheme {
  return (counts, batchSize, rng) =>
    Array.from({ length: batchSize }, () => randomPair(counts.items.length, rng));
}

/**
 * The reference platform's online pair maker as documented: a `randomRatio` share of random pairs, the
 * rest "close matchups between similarly rated items" (a random item and the item whose current rating is
 * closest). Here for comparison only: closeness alone ignores how uncertain the ratings are.
 *
 * @example
 * const scheme = closestRatingScheme(0.5);
 * scheme(createPairCounts(['a', 'b', 'c']), 4, createRng(1));
 */
export function closestRatingScheme(randomRatio = 0.5): PairScheme {
  return (counts, batchSize, rng) => {
    const m = counts.items.length;
    const mean = strengthPosterior(counts).mean;
    return Array.from({ length: batchSize }, (): [number, number] => {
      if (rng.next() < randomRatio) return randomPair(m, rng);
      const a = rng.int(m);
      let best = -1;
      let bestGap = Infinity;
      for (let b = 0; b < m; b++) {
        if (b === a) continue;
        const gap = Math.abs(mean[a]! - mean[b]!) + rng.next() * 1e-9;
        if (gap < bestGap) {
          bestGap = gap;
          best = b;
        }
      }
      return [a, best];
    });
  };
}

/**
 * Jury's active matchmaking ({@link proposePairs}) as a scheme.
 *
 * @example
 * const scheme = activeScheme({ randomComparisonsRatio: 0.2 });
 * scheme(createPairCounts(['a', 'b', 'c']), 2, createRng(1));
 */
export function activeScheme(options: Omit<ProposePairsOptions, 'rng' | 'batchSize'> = {}): PairScheme {
  return (counts, batchSize, rng) =>
    proposePairs(counts, { ...options, rng, batchSize }).map((p): [number, number] => [
      counts.index.get(p.a)!,
      counts.index.get(p.b)!,
    ]);
}

/** Options of {@link simulateRanking}. */
export interface SimulateRankingOptions {
  /** True strengths (natural-log scale). */
  strengths: readonly number[];
  scheme: PairScheme;
  rng: Rng;
  /** Vote counts at which to fit and measure tau (ascending). */
  checkpoints: readonly number[];
  /** Pairs asked per scheme call (a refit of the scheme's posterior per batch). Default 10. */
  batchSize?: number;
  /** Labelers voting (one drawn per vote); default a perfect Bradley-Terry voter (η = 1). */
  crowd?: readonly SimulatedLabeler[];
  /** Stop early once tau reaches this at a checkpoint. */
  stopAtTau?: number;
}

/** One checkpoint of a simulated ranking. */
export interface RankingCheckpoint {
  votes: number;
  /** Kendall tau-b between the fitted and the true strengths. */
  tau: number;
}

/**
 * Simulates votes chosen by a scheme, fitting Bradley-Terry (weak prior) at each checkpoint and measuring
 * Kendall tau-b against the truth.
 *
 * @example
 * const rng = createRng(1);
 * const strengths = simulateStrengths(10, rng);
 * simulateRanking({ strengths, scheme: randomPairScheme(), rng, checkpoints: [50, 100, 200] });
 * // [{ votes: 50, tau: … }, { votes: 100, tau: … }, { votes: 200, tau: … }]
 */
export function simulateRanking(options: SimulateRankingOptions): RankingCheckpoint[] {
  const { strengths, scheme, rng, checkpoints } = options;
  const m = strengths.length;
  const batchSize = options.batchSize ?? 10;
  const counts = createPairCounts(strengths.map((_, i) => `item-${i}`));
  const out: RankingCheckpoint[] = [];
  let votes = 0;
  let initial: number[] | undefined;
  for (const target of checkpoints) {
    while (votes < target) {
      const pairs = scheme(counts, Math.min(batchSize, target - votes), rng);
      if (pairs.length === 0) break;
      for (const [a, b] of pairs) {
        const eta = options.crowd ? options.crowd[rng.int(options.crowd.length)]!.eta : 1;
        addVoteByIndex(counts, a, b, simulateVote(strengths, a, b, eta, rng) ? 'a' : 'b');
        votes++;
      }
    }
    const fit = fitBradleyTerry(counts, {
      penalty: WEAK_PRIOR_PENALTY,
      ...(initial ? { initialStrengths: initial } : {}),
    });
    initial = fit.strengths;
    const tau = m > 1 ? kendallTauB(strengths, fit.strengths) : 1;
    out.push({ votes, tau });
    if (options.stopAtTau !== undefined && tau >= options.stopAtTau) break;
  }
  return out;
}

/**
 * Votes needed until the fitted ranking first reaches Kendall tau ≥ `targetTau`, checking every
 * `checkEvery` votes up to `maxVotes`; `null` if it never does.
 *
 * @example
 * const rng = createRng(2);
 * votesToReachTau({ strengths: simulateStrengths(10, rng), scheme: randomPairScheme(), rng,
 *   targetTau: 0.8, checkEvery: 10, maxVotes: 2000 }); // 120
 */
export function votesToReachTau(
  options: Omit<SimulateRankingOptions, 'checkpoints' | 'stopAtTau'> & {
    targetTau: number;
    checkEvery: number;
    maxVotes: number;
  },
): number | null {
  const checkpoints: number[] = [];
  for (let v = options.checkEvery; v <= options.maxVotes; v += options.checkEvery) checkpoints.push(v);
  const trace = simulateRanking({ ...options, checkpoints, stopAtTau: options.targetTau });
  const last = trace[trace.length - 1];
  return last && last.tau >= options.targetTau ? last.votes : null;
}

/** Options of {@link planBudget}. */
export interface PlanBudgetOptions {
  /** Number of items to rank. */
  items: number;
  /** Required Kendall tau-b against the truth. */
  targetTau: number;
  /** Required probability of reaching it. */
  probability: number;
  rng: Rng;
  /** Spread of the true strengths (sd, natural-log units). Default 1 (≈ 174 Elo). */
  strengthSd?: number;
  /** Pairing scheme. Default uniformly random pairs (a conservative plan). */
  scheme?: PairScheme;
  /** Simulated rankings. Default 40. */
  runs?: number;
  /** Labelers (η per labeler); default perfect Bradley-Terry voters. */
  crowd?: readonly SimulatedLabeler[];
  /** Largest budget considered. Default 200 votes per item. */
  maxVotes?: number;
}

/** Result of {@link planBudget}. */
export interface BudgetPlan {
  /** Smallest checked budget where P(tau ≥ targetTau) ≥ probability, or null if none up to maxVotes. */
  votes: number | null;
  /** Estimated P(tau ≥ targetTau) at each checked budget. */
  curve: { votes: number; probability: number }[];
  runs: number;
}

/**
 * Budget planner: simulates `runs` rankings of `items` items with strengths drawn with sd `strengthSd`
 * and returns the smallest budget (on a grid growing by 10%) at which the share of runs with Kendall
 * tau ≥ `targetTau` reaches `probability`. The answer is as good as the assumed spread and crowd: a field of
 * near-equal models needs far more votes than a spread-out one.
 *
 * @example
 * const plan = planBudget({ items: 10, targetTau: 0.8, probability: 0.9, rng: createRng(1), runs: 20 });
 * plan.votes; // 966
 */
export function planBudget(options: PlanBudgetOptions): BudgetPlan {
  const { items, targetTau, probability, rng } = options;
  if (!(items >= 2)) throw new RangeError('need at least 2 items');
  if (!(probability > 0 && probability <= 1)) throw new RangeError('probability must be in (0, 1]');
  const runs = options.runs ?? 40;
  const maxVotes = options.maxVotes ?? 200 * items;
  const grid: number[] = [];
  for (let v = Math.max(items, 10); v < maxVotes; v = Math.ceil(v * 1.1)) grid.push(v);
  grid.push(maxVotes);
  const reached = new Float64Array(grid.length);
  for (let r = 0; r < runs; r++) {
    const strengths = simulateStrengths(items, rng, options.strengthSd ?? 1);
    const trace = simulateRanking({
      strengths,
      scheme: options.scheme ?? randomPairScheme(),
      rng,
      checkpoints: grid,
      ...(options.crowd ? { crowd: options.crowd } : {}),
    });
    trace.forEach((c, k) => {
      if (c.tau >= targetTau) reached[k]! += 1;
    });
  }
  const curve = grid.map((votes, k) => ({ votes, probability: reached[k]! / runs }));
  const hit = curve.find((c) => c.probability >= probability);
  return { votes: hit ? hit.votes : null, curve, runs };
}
