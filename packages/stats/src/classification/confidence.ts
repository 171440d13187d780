/**
 * Per-category confidence from trust-weighted votes, and the two early-stopping rules the reference product
 * documents (its "Early Stopping" guide): confidence stopping and quorum stopping.
 *
 * Model (one-coin Dawid-Skene): a labeler with trust score `s` (the `userScore`, skill above chance) picks
 * the true category with probability `p = 1/K + s·(1 − 1/K)` and each of the `K − 1` wrong categories with
 * probability `(1 − p)/(K − 1)`. With two categories `p = (1 + s)/2`. With a uniform prior the posterior is
 *
 *     P(c | votes) ∝ Π_{i: vote_i = c} p_i · Π_{i: vote_i ≠ c} (1 − p_i)/(K − 1),
 *
 * equivalently every vote adds the log-odds weight `log((1 + (K − 1)·s)/(1 − s))` to the category it names
 * and the scores go through a softmax. This reproduces the documented example exactly: four "Dog" votes with
 * trust 0.3, 0.8486, 0.4469, 0.4911 give Dog 0.9943, Cat 0.0057.
 */

/** One vote: the category a labeler chose and that labeler's trust score. */
export interface TrustVote {
  category: string;
  /** The labeler's `userScore` in [0, 1). Values are clamped to [0, 1 − 1e-6]. */
  userScore: number;
}

/** Options of {@link categoryConfidence}. */
export interface CategoryConfidenceOptions {
  /** Prior probability per category (normalised internally). Default uniform. */
  prior?: Readonly<Record<string, number>>;
}

const MAX_SCORE = 1 - 1e-6;

function clampScore(s: number): number {
  if (Number.isNaN(s)) throw new RangeError('userScore is NaN');
  return Math.min(MAX_SCORE, Math.max(0, s));
}

/**
 * The log-odds weight one vote from a labeler with trust `userScore` adds to the category it names,
 * among `k` categories: `log((1 + (k − 1)·s)/(1 − s))` (0 for a random guesser, s = 0).
 *
 * @example
 * voteWeight(0.5, 2); // log(3) ≈ 1.0986
 * voteWeight(0, 4); // 0
 */
export function voteWeight(userScore: number, k: number): number {
  if (!(k >= 2)) throw new RangeError(`need at least 2 categories, got ${k}`);
  const s = clampScore(userScore);
  return Math.log1p((k - 1) * s) - Math.log1p(-s);
}

function checkCategories(categories: readonly string[]): void {
  if (categories.length < 2) throw new RangeError(`need at least 2 categories, got ${categories.length}`);
  if (new Set(categories).size !== categories.length) throw new RangeError('categories must be unique');
}

function logScores(
  votes: readonly TrustVote[],
  categories: readonly string[],
  prior: Readonly<Record<string, number>> | undefined,
): Map<string, number> {
  checkCategories(categories);
  const k = categories.length;
  const scores = new Map<string, number>();
  for (const c of categories) {
    const p = prior ? (prior[c] ?? 0) : 1;
    if (!(p >= 0)) throw new RangeError(`prior for ${c} must be >= 0`);
    scores.set(c, Math.log(p));
  }
  for (const v of votes) {
    const cur = scores.get(v.category);
    if (cur === undefined) throw new RangeError(`vote for unknown category ${JSON.stringify(v.category)}`);
    scores.set(v.category, cur + voteWeight(v.userScore, k));
  }
  return scores;
}

function softmax(scores: Map<string, number>): Record<string, number> {
  let max = -Infinity;
  for (const v of scores.values()) if (v > max) max = v;
  let z = 0;
  for (const v of scores.values()) z += Math.exp(v - max);
  const out: Record<string, number> = {};
  for (const [c, v] of scores) out[c] = Math.exp(v - max) / z;
  return out;
}

/**
 * Posterior probability of each category given trust-weighted votes (one-coin Dawid-Skene, uniform prior
 * unless one is given; see the module comment for the model and its K-category generalisation). As the
 * seed says: "The number of categories is the number of options in the Classification task. For the
 * Comparison task, the number of categories is always 2." Pass every option, also those nobody chose.
 *
 * @example
 * const p = categoryConfidence(
 *   [0.3, 0.8486, 0.4469, 0.4911].map((userScore) => ({ category: 'Dog', userScore })),
 *   ['Cat', 'Dog'],
 * );
 * p.Dog.toFixed(4); // '0.9943'
 * p.Cat.toFixed(4); // '0.0057'
 */
export function categoryConfidence(
  votes: readonly TrustVote[],
  categories: readonly string[],
  options: CategoryConfidenceOptions = {},
): Record<string, number> {
  return softmax(logScores(votes, categories, options.prior));
}

/** Why a stopping rule stopped (or `continue` when it did not). */
export type StopReason = 'threshold' | 'decided' | 'quorum' | 'impossible' | 'cap' | 'continue';

/** Input of {@link confidenceStop}. */
export interface ConfidenceStopInput {
  votes: readonly TrustVote[];
  categories: readonly string[];
  /** Confidence threshold in (0, 1), e.g. 0.99; the reference product's `confidence_threshold`. */
  threshold: number;
  /** The cap on responses (the reference product's `responses_per_datapoint`). */
  maxVotes: number;
  /**
   * Optional curtailment: the highest trust score any future labeler can have (e.g. the audience's
   * maximum). When given, the rule also stops (`decided`) as soon as the remaining `maxVotes − n` votes,
   * even all from labelers this trusted and all for the runner-up, could no longer change the leader:
   * the decision is then the one the capped rule would reach, with fewer responses.
   */
  maxUserScore?: number;
  prior?: Readonly<Record<string, number>>;
}

/** Result of {@link confidenceStop}. */
export interface ConfidenceStopResult {
  stop: boolean;
  reason: Extract<StopReason, 'threshold' | 'decided' | 'cap' | 'continue'>;
  /** Posterior per category after these votes. */
  confidence: Record<string, number>;
  /** The category with the highest posterior, or null when several tie. */
  leader: string | null;
}

function leaderOf(scores: Map<string, number>): { leader: string | null; best: number; second: number } {
  let leader: string | null = null;
  let best = -Infinity;
  let second = -Infinity;
  for (const [c, v] of scores) {
    if (v > best) {
      second = best;
      best = v;
      leader = c;
    } else if (v === best) {
      second = v;
      leader = null;
    } else if (v > second) {
      second = v;
    }
  }
  return { leader, best, second };
}

/**
 * Confidence (early) stopping, as the reference product documents it: "If the calculated confidence exceeds your
 * specified threshold, the system stops collecting further responses for that datapoint", with
 * `responses_per_datapoint` as the maximum. Stops with `threshold` when the leading category's posterior
 * reaches `threshold` (≥), with `cap` when `votes.length ≥ maxVotes` (responses may overshoot the cap
 * when labelers answer concurrently; that still stops), and, only if `maxUserScore` is given, with
 * `decided` when the remaining votes can no longer change the leader.
 *
 * @example
 * const votes = [0.3, 0.8486, 0.4469, 0.4911].map((userScore) => ({ category: 'Dog', userScore }));
 * confidenceStop({ votes, categories: ['Cat', 'Dog'], threshold: 0.99, maxVotes: 10 });
 * // { stop: true, reason: 'threshold', leader: 'Dog', confidence: { Cat: 0.0057…, Dog: 0.9943… } }
 */
export function confidenceStop(input: ConfidenceStopInput): ConfidenceStopResult {
  const { votes, categories, threshold, maxVotes } = input;
  if (!(threshold > 0 && threshold < 1))
    throw new RangeError(`threshold must be in (0, 1), got ${threshold}`);
  if (!(Number.isInteger(maxVotes) && maxVotes >= 1)) {
    throw new RangeError(`maxVotes must be a positive integer, got ${maxVotes}`);
  }
  const scores = logScores(votes, categories, input.prior);
  const confidence = softmax(scores);
  const { leader, best, second } = leaderOf(scores);
  const top = leader === null ? 0 : (confidence[leader] ?? 0);
  if (leader !== null && top >= threshold) return { stop: true, reason: 'threshold', confidence, leader };
  if (votes.length >= maxVotes) return { stop: true, reason: 'cap', confidence, leader };
  if (input.maxUserScore !== undefined && leader !== null) {
    const remaining = maxVotes - votes.length;
    if (best - second > remaining * voteWeight(input.maxUserScore, categories.length)) {
      return { stop: true, reason: 'decided', confidence, leader };
    }
  }
  return { stop: false, reason: 'continue', confidence, leader };
}

/** Input of {@link quorumStop}. */
export interface QuorumStopInput {
  /** Responses so far per option (options without responses may be omitted). */
  counts: Readonly<Record<string, number>>;
  /** How many responses must agree (the reference product's `quorum_threshold`), an integer ≥ 1 and ≤ `maxVotes`. */
  threshold: number;
  /** The cap on responses (the reference product's `responses_per_datapoint`). */
  maxVotes: number;
}

/** Result of {@link quorumStop}. */
export interface QuorumStopResult {
  stop: boolean;
  reason: Extract<StopReason, 'quorum' | 'impossible' | 'cap' | 'continue'>;
  /** The option with the most responses, or null when several tie (or there are none). */
  leader: string | null;
}

/**
 * Quorum stopping, exactly as the reference product documents it: "A task is completed when: 1. A minimum number of
 * responses (`quorum_threshold`) agree on the same answer, OR 2. Quorum becomes mathematically impossible
 * to reach, OR 3. The maximum number of votes (`responses_per_datapoint`) is reached." Impossible means
 * `maxCount + (maxVotes − total) < threshold` (with threshold 7 of 10, 4 + 4 leaves 2 votes, at best 6).
 * Checked in the order quorum, cap, impossible, so a task that used its whole budget reports `cap`.
 *
 * @example
 * quorumStop({ counts: { Cat: 4, Dog: 4 }, threshold: 7, maxVotes: 10 }); // { stop: true, reason: 'impossible', leader: null }
 * quorumStop({ counts: { Cat: 1, Dog: 7 }, threshold: 7, maxVotes: 10 }); // { stop: true, reason: 'quorum', leader: 'Dog' }
 * quorumStop({ counts: { Cat: 2, Dog: 3 }, threshold: 7, maxVotes: 10 }); // { stop: false, reason: 'continue', leader: 'Dog' }
 */
export function quorumStop(input: QuorumStopInput): QuorumStopResult {
  const { counts, threshold, maxVotes } = input;
  if (!(Number.isInteger(maxVotes) && maxVotes >= 1)) {
    throw new RangeError(`maxVotes must be a positive integer, got ${maxVotes}`);
  }
  if (!(Number.isInteger(threshold) && threshold >= 1 && threshold <= maxVotes)) {
    throw new RangeError(`threshold must be an integer in [1, maxVotes], got ${threshold}`);
  }
  let total = 0;
  let maxCount = 0;
  let leader: string | null = null;
  for (const [option, n] of Object.entries(counts)) {
    if (!(Number.isInteger(n) && n >= 0))
      throw new RangeError(`count for ${option} must be a non-negative integer`);
    total += n;
    if (n > maxCount) {
      maxCount = n;
      leader = option;
    } else if (n === maxCount) {
      leader = null;
    }
  }
  if (maxCount >= threshold) return { stop: true, reason: 'quorum', leader };
  if (total >= maxVotes) return { stop: true, reason: 'cap', leader };
  if (maxCount + (maxVotes - total) < threshold) return { stop: true, reason: 'impossible', leader };
  return { stop: false, reason: 'continue', leader };
}
