/**
 * Active matchmaking for pairwise ranking: which pairs to ask next.
 *
 * Each proposed pair is one of three kinds:
 * - `newcomer`: an item with fewer than `newItemComparisons` comparisons meets an established item (the
 *   most informative one for it), so new models are placed against the known field first;
 * - `exploration` (a `randomComparisonsRatio` share): the least-compared item meets a uniformly random
 *   partner, which keeps the comparison graph connected and the estimates free of selection bias;
 * - `information`: the allowed pair whose vote is expected to resolve the most of the doubt about the
 *   order, under the current Laplace posterior of the strengths (see `acquisition`): each pair of items
 *   counts with its probability of being misordered, times the share of the variance of its difference the
 *   vote removes. It prefers pairs whose order is in doubt and still movable, and (up to 300 items) counts
 *   the indirect effect on other pairs through the posterior covariance; unlike "closest rating" pairing it
 *   neither re-asks settled neighbours nor hammers near-ties, which is why that scheme stalls. Within a
 *   batch the posterior is updated after each pick as if its vote had arrived, so a batch spreads over
 *   different pairs.
 *
 * Only items that share a prompt meet (when `prompts` is given), and the pair's prompt is chosen among the
 * shared ones, least used first.
 */
import type { PairCounts } from '../bt/pair-counts.ts';
import { normalCdf, normalQuantile } from '../bt/uncertainty.ts';
import type { Rng } from '../random.ts';
import { diagonalStrengthPosterior, type StrengthPosterior, strengthPosterior } from './posterior.ts';

/** MRI's `level_of_detail` presets (comparison responses per run), or a custom positive number. */
export type LevelOfDetail = 'debug' | 'low' | 'medium' | 'high' | 'very high' | number;

const LEVELS: Record<string, number> = { debug: 20, low: 2000, medium: 4000, high: 8000, 'very high': 16000 };

/**
 * The comparison budget of a `level_of_detail`: debug 20, low 2,000, medium 4,000, high 8,000,
 * very high 16,000 responses (the reference platform's presets), or the number itself.
 *
 * @example
 * levelOfDetailBudget('medium'); // 4000
 * levelOfDetailBudget(750); // 750
 */
export function levelOfDetailBudget(level: LevelOfDetail): number {
  if (typeof level === 'number') {
    if (!(Number.isInteger(level) && level > 0))
      throw new RangeError(`custom level of detail must be a positive integer`);
    return level;
  }
  const b = LEVELS[level];
  if (b === undefined) throw new RangeError(`unknown level of detail ${JSON.stringify(level)}`);
  return b;
}

/** Options of {@link proposePairs}. */
export interface ProposePairsOptions {
  /** Source of randomness (exploration picks, tie-breaks). */
  rng: Rng;
  /** How many pairs to propose. Default 1. */
  batchSize?: number;
  /**
   * Share of exploration pairs (the reference product's `random_comparisons_ratio`), in [0, 1]. Default 0.1: enough to
   * keep the graph connected and estimates honest; 1 is uniform random pairing.
   */
  randomComparisonsRatio?: number;
  /** Total comparisons allowed (the reference product's `comparison_budget_per_ranking`); proposals stop there. */
  comparisonBudgetPerRanking?: number;
  /** Alternative budget as an MRI `level_of_detail` (ignored when `comparisonBudgetPerRanking` is set). */
  levelOfDetail?: LevelOfDetail;
  /** Prompts each item has an answer for (item id → prompt ids). Items meet only on a shared prompt. */
  prompts?: Readonly<Record<string, readonly string[]>>;
  /** Items with fewer comparisons than this are "new" and meet established items first. Default 3. */
  newItemComparisons?: number;
  /** Prior sd of the strengths (natural log units) for the posterior. Default 1.5. */
  priorSd?: number;
  /** A posterior computed by the caller for these counts (e.g. cached between calls), to skip the refit. */
  posterior?: StrengthPosterior;
  /** Only these items take part (default all items in `counts`). */
  items?: readonly string[];
  /**
   * Gain of the `information` pairs. `'ranking'` (default): Σ over pairs (k, l) of P(k, l misordered) times
   * the share of Var(θk − θl) the vote removes, Kendall tau's own loss. `'d-optimal'`: the expected
   * information gain about the strengths, `log(1 + p(1 − p)·Var(θi − θj))`. Up to 300 items (or with a
   * `posterior` passed in) the posterior is the dense Laplace one, O(m³) per call, and the ranking gain
   * goes through the whole covariance (a vote also counts for the pairs it informs indirectly); above 300
   * items the posterior is {@link diagonalStrengthPosterior} (Var(θi − θj) ≈ Var θi + Var θj, O(compared
   * pairs) per solver step), the ranking gain keeps the pair's own term and a shortlist of the best pairs
   * is scored once per call (timings in bench/results/matchmaking.json).
   */
  acquisition?: 'ranking' | 'd-optimal';
}

/** One proposed comparison. */
export interface ProposedPair {
  a: string;
  b: string;
  /** The shared prompt to show, when `prompts` was given. */
  prompt?: string;
  reason: 'newcomer' | 'exploration' | 'information';
}

const sigma = (x: number): number => 1 / (1 + Math.exp(-x));

/** Up to this many items the posterior is the dense Laplace one; above it the diagonal one. */
const DENSE_MAX = 300;

/**
 * Proposes the next comparisons to ask (see the module comment for the rule). Returns fewer pairs than
 * `batchSize` (possibly none) when the budget is used up or no two items can meet.
 *
 * @example
 * const counts = createPairCounts(['m1', 'm2', 'm3', 'm4']);
 * addVote(counts, 'm1', 'm2', 'a');
 * const next = proposePairs(counts, { rng: createRng(1), batchSize: 2, randomComparisonsRatio: 0.2 });
 * // cold start (nobody has 3 comparisons yet), so exploration:
 * // [{ a: 'm4', b: 'm1', reason: 'exploration' }, { a: 'm3', b: 'm2', reason: 'exploration' }]
 * proposePairs(counts, { rng: createRng(1), comparisonBudgetPerRanking: 1 }); // [] (budget used)
 */
export function proposePairs(counts: PairCounts, options: ProposePairsOptions): ProposedPair[] {
  const rng = options.rng;
  const ratio = options.randomComparisonsRatio ?? 0.1;
  if (!(ratio >= 0 && ratio <= 1))
    throw new RangeError(`randomComparisonsRatio must be in [0, 1], got ${ratio}`);
  let batch = options.batchSize ?? 1;
  if (!(Number.isInteger(batch) && batch >= 0))
    throw new RangeError(`batchSize must be a non-negative integer`);
  const budget =
    options.comparisonBudgetPerRanking ??
    (options.levelOfDetail !== undefined ? levelOfDetailBudget(options.levelOfDetail) : undefined);
  if (budget !== undefined) batch = Math.max(0, Math.min(batch, budget - counts.votes));
  if (batch === 0) return [];
  const newThreshold = options.newItemComparisons ?? 3;

  const m = counts.items.length;
  const acquisition = options.acquisition ?? 'ranking';
  const given = options.posterior && options.posterior.size === m ? options.posterior : undefined;
  // Above DENSE_MAX items a diagonal posterior (O(pairs) per solver step) stands in for the dense one (O(m³)).
  const diagonal = m > DENSE_MAX && !given;
  const priorOptions = options.priorSd !== undefined ? { priorSd: options.priorSd } : {};

  const active: number[] = [];
  const isActive = new Uint8Array(m);
  if (options.items) {
    for (const id of options.items) {
      const i = counts.index.get(id);
      if (i === undefined) throw new RangeError(`unknown item ${id}`);
      if (isActive[i] === 0) active.push(i);
      isActive[i] = 1;
    }
  } else {
    for (let i = 0; i < m; i++) active.push(i);
    isActive.fill(1);
  }

  // Which pairs may meet, and on which prompts: answered lazily (a field of 1,000 has 500,000 pairs).
  const prompts = options.prompts;
  const promptSets = prompts ? counts.items.map((id) => new Set(prompts[id] ?? [])) : undefined;
  const shared = (i: number, j: number): string[] => {
    if (!promptSets || !prompts) return [];
    const out: string[] = [];
    for (const p of prompts[counts.items[i]!] ?? []) if (promptSets[j]!.has(p)) out.push(p);
    return out;
  };
  const promptMembers = new Map<string, number[]>();
  if (prompts) {
    for (const i of active) {
      for (const p of promptSets![i]!) {
        const list = promptMembers.get(p);
        if (list) list.push(i);
        else promptMembers.set(p, [i]);
      }
    }
  }
  const meets = prompts ? new Uint8Array(m * m) : undefined; // 0 unknown, 1 may meet, 2 may not
  const allowed = (i: number, j: number): boolean => {
    if (i === j || isActive[i] === 0 || isActive[j] === 0) return false;
    if (!meets) return true;
    let v = meets[i * m + j]!;
    if (v === 0) {
      v = shared(i, j).length > 0 ? 1 : 2;
      meets[i * m + j] = v;
      meets[j * m + i] = v;
    }
    return v === 1;
  };
  const partnerLists = new Map<number, number[]>();
  const partners = (i: number): number[] => {
    let list = partnerLists.get(i);
    if (list) return list;
    if (!prompts) list = active.filter((j) => j !== i);
    else {
      const seen = new Set<number>();
      for (const p of promptSets![i]!) for (const j of promptMembers.get(p) ?? []) if (j !== i) seen.add(j);
      list = active.filter((j) => seen.has(j));
    }
    partnerLists.set(i, list);
    return list;
  };
  const anyPair = prompts ? [...promptMembers.values()].some((l) => l.length > 1) : active.length > 1;
  if (!anyPair) return [];

  const post: { mean: Float64Array; itemVotes: Float64Array; cov?: Float64Array; variance?: Float64Array } =
    given ??
    (diagonal ? diagonalStrengthPosterior(counts, priorOptions) : strengthPosterior(counts, priorOptions));
  const mean = post.mean;
  const cov = diagonal ? new Float64Array(0) : Float64Array.from(post.cov!);
  const variance = diagonal ? Float64Array.from(post.variance!) : new Float64Array(0);
  const itemVotes = Float64Array.from(post.itemVotes);
  const pairVariance = diagonal
    ? (i: number, j: number): number => variance[i]! + variance[j]!
    : (i: number, j: number): number => cov[i * m + i]! + cov[j * m + j]! - 2 * cov[i * m + j]!;
  const promptUse = new Map<string, number>();

  // The 'ranking' gain of comparing i and j: Σ over pairs (k, l) of P(k and l are misordered) times the
  // share of Var(θk − θl) the vote removes. One vote shrinks the covariance by c·u·uᵀ with u = Σ(e_i − e_j)
  // and c = w/(1 + w·v), so Var(θk − θl) drops by c·(u_k − u_l)², and the gain is c·(B_ii + B_jj − 2B_ij)
  // with B = Σ·L_A·Σ, L_A the Laplacian of A_kl = Φ(−|Δkl|/s_kl)/s_kl². It counts the pairs a vote informs
  // indirectly, favours pairs whose order is in doubt, and weighs a near-tie by how much a vote can still
  // move it. With the diagonal posterior only the pair's own term is kept: Φ(−|Δ|/√v)·w·v/(1 + w·v).
  const bmat = new Float64Array(acquisition === 'ranking' && !diagonal ? m * m : 0);
  // A (hence L_A) is computed once per call from the posterior; within a batch Σ changes by rank-one
  // steps and B is updated exactly for those (O(m²) per pick) while L_A is kept (an approximation).
  let ready = false;
  const la = new Float64Array(acquisition === 'ranking' && !diagonal ? m * m : 0);
  const refreshB = (): void => {
    if (acquisition !== 'ranking' || diagonal || ready) return;
    ready = true;
    for (const k of active) {
      for (const l of active) {
        if (l <= k) continue;
        const s2 = cov[k * m + k]! + cov[l * m + l]! - 2 * cov[k * m + l]!;
        if (!(s2 > 0)) continue;
        const a = normalCdf(-Math.abs(mean[k]! - mean[l]!) / Math.sqrt(s2)) / s2;
        la[k * m + l]! -= a;
        la[l * m + k]! -= a;
        la[k * m + k]! += a;
        la[l * m + l]! += a;
      }
    }
    const tmp = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < m; k++) {
        const lik = la[i * m + k]!;
        if (lik === 0) continue;
        for (let j = 0; j < m; j++) tmp[i * m + j]! += lik * cov[k * m + j]!;
      }
    }
    bmat.fill(0);
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < m; k++) {
        const cik = cov[i * m + k]!;
        if (cik === 0) continue;
        for (let j = 0; j < m; j++) bmat[i * m + j]! += cik * tmp[k * m + j]!;
      }
    }
  };
  const gain = (i: number, j: number): number => {
    refreshB();
    const v = pairVariance(i, j);
    const d = mean[i]! - mean[j]!;
    const p = sigma(d / Math.sqrt(1 + (Math.PI * v) / 8));
    const w = p * (1 - p);
    if (acquisition === 'd-optimal') return Math.log1p(w * v);
    if (diagonal) return (normalCdf(-Math.abs(d) / Math.sqrt(v)) * w * v) / (1 + w * v);
    return (w / (1 + w * v)) * (bmat[i * m + i]! + bmat[j * m + j]! - 2 * bmat[i * m + j]!);
  };
  const pickPrompt = (i: number, j: number): string | undefined => {
    if (!prompts) return undefined;
    const options = shared(i, j);
    let best: string | undefined;
    let bestUse = Infinity;
    for (const p of options) {
      const use = (promptUse.get(p) ?? 0) + rng.next() * 0.5;
      if (use < bestUse) {
        bestUse = use;
        best = p;
      }
    }
    if (best !== undefined) promptUse.set(best, (promptUse.get(best) ?? 0) + 1);
    return best;
  };

  // With the diagonal posterior a vote changes only the gains of the pairs of its two items, and only
  // downwards (both factors of a gain grow with the pair's variance). So the best pairs are collected once
  // (the `keep` largest gains, in `shortlist`), and after a pick only the shortlisted pairs of its two
  // items are re-scored: while the best shortlisted gain is at least the smallest gain collected, no pair
  // outside can beat it, else the shortlist is collected again. For the ranking gain the collection scans
  // every item's pairs outwards in the order of the means and stops at the distance where a bound on the
  // gain, Φ(−|Δ|/√V)·(V/4)/(1 + V/4) with V the largest possible variance of the pair, falls below the
  // smallest gain kept: a few neighbours per item instead of the whole field.
  const keep = 4 * batch + 16;
  const listA: number[] = [];
  const listB: number[] = [];
  const listGain: number[] = [];
  let floor = Number.NEGATIVE_INFINITY;
  const collect = (): void => {
    listA.length = 0;
    listB.length = 0;
    listGain.length = 0;
    let low = 0; // index of the smallest kept gain
    const consider = (k: number, l: number): void => {
      if (!allowed(k, l)) return;
      const g = gain(k, l) + rng.next() * 1e-12;
      if (listGain.length < keep) {
        listA.push(k);
        listB.push(l);
        listGain.push(g);
        if (listGain.length === 1 || g < listGain[low]!) low = listGain.length - 1;
      } else if (g > listGain[low]!) {
        listA[low] = k;
        listB[low] = l;
        listGain[low] = g;
        for (let x = 0; x < listGain.length; x++) if (listGain[x]! < listGain[low]!) low = x;
      } else return;
      floor = listGain.length < keep ? Number.NEGATIVE_INFINITY : listGain[low]!;
    };
    const order = [...active].sort((x, y) => mean[x]! - mean[y]!);
    let largest = 0;
    for (const k of active) largest = Math.max(largest, variance[k]!);
    // neighbours in the order of the means first: they set a high floor early
    for (let q = 0; q + 1 < order.length; q++) consider(order[q]!, order[q + 1]!);
    for (let q = 0; q < order.length; q++) {
      const k = order[q]!;
      let reach = Number.POSITIVE_INFINITY;
      if (acquisition === 'ranking' && floor > 0) {
        const v = variance[k]! + largest;
        const ceiling = v / 4 / (1 + v / 4);
        const share = (floor - 1e-12) / ceiling;
        reach =
          share >= 0.5 ? -1 : share <= 0 ? Number.POSITIVE_INFINITY : -Math.sqrt(v) * normalQuantile(share);
      }
      for (let r = q + 2; r < order.length; r++) {
        const l = order[r]!;
        if (mean[l]! - mean[k]! > reach) break;
        consider(k, l);
      }
    }
    floor = listGain.length < keep ? Number.NEGATIVE_INFINITY : listGain[low]!;
  };
  let collected = false;
  const bestPair = (): [number, number] => {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!collected) {
        collected = true;
        collect();
      }
      let x = -1;
      for (let y = 0; y < listGain.length; y++) if (x < 0 || listGain[y]! > listGain[x]!) x = y;
      if (x < 0) return [-1, -1];
      if (listGain[x]! >= floor) return [listA[x]!, listB[x]!];
      collected = false;
    }
    return [-1, -1];
  };

  // Rank-one update of the covariance as if the pair's vote had arrived (information p(1 − p)).
  const absorb = (i: number, j: number): void => {
    const v = pairVariance(i, j);
    const p = sigma((mean[i]! - mean[j]!) / Math.sqrt(1 + (Math.PI * v) / 8));
    const w = p * (1 - p);
    itemVotes[i]! += 1;
    itemVotes[j]! += 1;
    if (diagonal) {
      // the diagonal posterior gains the vote's information on both items' own precisions
      variance[i] = 1 / (1 / variance[i]! + w);
      variance[j] = 1 / (1 / variance[j]! + w);
      for (let x = 0; x < listGain.length; x++) {
        const k = listA[x]!;
        const l = listB[x]!;
        if (k === i || k === j || l === i || l === j) listGain[x] = gain(k, l) + rng.next() * 1e-12;
      }
      return;
    }
    const u = new Float64Array(m);
    for (let k = 0; k < m; k++) u[k] = cov[k * m + i]! - cov[k * m + j]!;
    const c = w / (1 + w * v);
    for (let a = 0; a < m; a++) {
      const ua = u[a]! * c;
      if (ua === 0) continue;
      for (let b = 0; b < m; b++) cov[a * m + b]! -= ua * u[b]!;
    }
    if (ready) {
      // B' = Σ'·L·Σ' with Σ' = Σ − c·u·uᵀ: B − c(u·gᵀ + g·uᵀ) + c²(uᵀLu)·u·uᵀ, g = Σ·L·u (old Σ).
      const lu = new Float64Array(m);
      for (let a = 0; a < m; a++) {
        let t = 0;
        for (let b = 0; b < m; b++) t += la[a * m + b]! * u[b]!;
        lu[a] = t;
      }
      let ulu = 0;
      for (let a = 0; a < m; a++) ulu += u[a]! * lu[a]!;
      const g = new Float64Array(m);
      for (let a = 0; a < m; a++) {
        // Σ_old = Σ_new + c·u·uᵀ.
        let t = 0;
        for (let b = 0; b < m; b++) t += (cov[a * m + b]! + c * u[a]! * u[b]!) * lu[b]!;
        g[a] = t;
      }
      const c2 = c * c * ulu;
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) {
          bmat[a * m + b]! += -c * (u[a]! * g[b]! + g[a]! * u[b]!) + c2 * u[a]! * u[b]!;
        }
      }
    }
  };
  const bestPartner = (i: number, among: number[]): number | undefined => {
    let best: number | undefined;
    let bestGain = -Infinity;
    for (const j of among) {
      const g = gain(i, j) + rng.next() * 1e-12;
      if (g > bestGain) {
        bestGain = g;
        best = j;
      }
    }
    return best;
  };
  const leastCompared = (pool: number[]): number | undefined => {
    let best: number | undefined;
    let bestVotes = Infinity;
    for (const i of pool) {
      const v = itemVotes[i]! + rng.next() * 0.5;
      if (v < bestVotes) {
        bestVotes = v;
        best = i;
      }
    }
    return best;
  };

  const out: ProposedPair[] = [];
  const push = (i: number, j: number, reason: ProposedPair['reason']): void => {
    const prompt = pickPrompt(i, j);
    out.push(
      prompt === undefined
        ? { a: counts.items[i]!, b: counts.items[j]!, reason }
        : { a: counts.items[i]!, b: counts.items[j]!, prompt, reason },
    );
    absorb(i, j);
  };
  // Established status comes from answered votes; a newcomer keeps getting newcomer slots in this
  // batch until its answered plus proposed comparisons reach the threshold.
  const isNew = (i: number) => post.itemVotes[i]! < newThreshold;
  const established = active.filter((i) => !isNew(i));
  for (let slot = 0; slot < batch; slot++) {
    const newcomers = active.filter(
      (i) => isNew(i) && itemVotes[i]! < newThreshold && partners(i).length > 0,
    );
    // 1. Newcomers meet the established field first (when there is one to meet).
    if (newcomers.length > 0 && established.length > 0) {
      const i = leastCompared(newcomers)!;
      const pool = partners(i).filter((j) => !isNew(j));
      const j = bestPartner(i, pool.length > 0 ? pool : partners(i));
      if (j !== undefined) {
        push(i, j, 'newcomer');
        continue;
      }
    }
    // 2. Exploration: the least-compared item against a uniformly random partner (also at cold start).
    if (rng.next() < ratio || established.length === 0) {
      const pool = prompts ? active.filter((i) => partners(i).length > 0) : active;
      const i = leastCompared(pool)!;
      const ps = partners(i);
      const j = ps[rng.int(ps.length)]!;
      push(i, j, 'exploration');
      continue;
    }
    // 3. Information: the allowed pair with the largest gain.
    let bi = -1;
    let bj = -1;
    let bestGain = -Infinity;
    if (diagonal) [bi, bj] = bestPair();
    for (let x = 0; x < active.length && !diagonal; x++) {
      const i = active[x]!;
      for (let y = x + 1; y < active.length; y++) {
        const j = active[y]!;
        if (!allowed(i, j)) continue;
        const g = gain(i, j) + rng.next() * 1e-12;
        if (g > bestGain) {
          bestGain = g;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    if (rng.next() < 0.5) push(bi, bj, 'information');
    else push(bj, bi, 'information');
  }
  return out;
}
