/**
 * Active matchmaking for pairwise ranking: which pairs to ask next.
 *
 * Each proposed pair is one of three kinds:
 * - `newcomer`: an item with fewer than `newItemComparisons` comparisons meets an established item (the
 *   most informative one for it), so new models are placed against the known field first;
 * - `exploration` (a `randomComparisonsRatio` share): the least-compared item meets a uniformly random
 *   partner, which keeps the comparison graph connected and the estimates free of selection bias;
 * - `information`: the allowed pair whose vote is expected to remove the most misordered pairs under the
 *   current Laplace posterior of the strengths (see `acquisition`). It prefers pairs whose order is
 *   uncertain but resolvable, and counts the indirect effect on other pairs through the posterior
 *   covariance; unlike "closest rating" pairing it neither re-asks settled neighbours nor hammers near-ties,
 *   which is why that scheme stalls. Within a batch the covariance is updated after each pick as if its vote
 *   had arrived, so a batch spreads over different pairs.
 *
 * Only items that share a prompt meet (when `prompts` is given), and the pair's prompt is chosen among the
 * shared ones, least used first.
 */
import type { PairCounts } from '../bt/pair-counts.ts';
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
   * Gain of the `information` pairs. `'ranking'` (default): the expected drop in the number of pairs
   * ranked in the wrong order (Kendall tau's own loss), through the whole posterior covariance, so a vote
   * also counts for the pairs it informs indirectly. `'d-optimal'`: the expected information gain about the
   * strengths, `log(1 + p(1 − p)·Var(θi − θj))`. Default `'ranking'` up to 300 items, `'d-optimal'` above
   * (the ranking gain costs two m×m matrix products per call). Up to 300 items (or with `'ranking'`, or a
   * `posterior` passed in) the posterior is the dense Laplace one, O(m³) per call; above 300 items the
   * d-optimal gain uses {@link diagonalStrengthPosterior} (Var(θi − θj) ≈ Var θi + Var θj), O(pairs) per
   * solver step and O(m²) to score the pairs once (timings in bench/results/matchmaking.json).
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
  const acquisition = options.acquisition ?? (m <= 300 ? 'ranking' : 'd-optimal');
  // Above 300 items the d-optimal gain needs only Var(θi − θj): a diagonal posterior (O(pairs) per solver
  // step) stands in for the dense one (O(m³)), unless the caller passed a dense posterior.
  const diagonal = acquisition === 'd-optimal' && m > 300 && !(options.posterior?.size === m);
  const priorOptions = options.priorSd !== undefined ? { priorSd: options.priorSd } : {};
  const post: { mean: Float64Array; itemVotes: Float64Array; cov?: Float64Array; variance?: Float64Array } =
    options.posterior && options.posterior.size === m
      ? options.posterior
      : diagonal
        ? diagonalStrengthPosterior(counts, priorOptions)
        : strengthPosterior(counts, priorOptions);
  const mean = post.mean;
  const cov = diagonal ? new Float64Array(0) : Float64Array.from(post.cov!);
  const variance = diagonal ? Float64Array.from(post.variance!) : new Float64Array(0);
  const itemVotes = Float64Array.from(post.itemVotes);
  const pairVariance = diagonal
    ? (i: number, j: number): number => variance[i]! + variance[j]!
    : (i: number, j: number): number => cov[i * m + i]! + cov[j * m + j]! - 2 * cov[i * m + j]!;

  const active: number[] = [];
  if (options.items) {
    for (const id of options.items) {
      const i = counts.index.get(id);
      if (i === undefined) throw new RangeError(`unknown item ${id}`);
      active.push(i);
    }
  } else {
    for (let i = 0; i < m; i++) active.push(i);
  }

  // Which pairs may meet, and on which prompts.
  const prompts = options.prompts;
  const promptSets = prompts ? counts.items.map((id) => new Set(prompts[id] ?? [])) : undefined;
  const shared = (i: number, j: number): string[] => {
    if (!promptSets || !prompts) return [];
    const out: string[] = [];
    for (const p of prompts[counts.items[i]!] ?? []) if (promptSets[j]!.has(p)) out.push(p);
    return out;
  };
  const allowed = new Uint8Array(m * m);
  let anyPair = false;
  for (const i of active) {
    for (const j of active) {
      if (i >= j) continue;
      const ok = !promptSets || shared(i, j).length > 0;
      if (ok) {
        allowed[i * m + j] = 1;
        allowed[j * m + i] = 1;
        anyPair = true;
      }
    }
  }
  if (!anyPair) return [];
  const promptUse = new Map<string, number>();

  // 'ranking' gain of comparing i and j: one vote shrinks the covariance by c·u·uᵀ with
  // u = Σ(e_i − e_j) and c = w/(1 + w·v); the variance of every difference θk − θl drops by c·(u_k − u_l)²,
  // and the expected number of misordered pairs Σ Φ(−|Δkl|/s_kl) drops to first order by
  // Σ A_kl·c·(u_k − u_l)² with A_kl = φ(z)·|Δ|/(2s³), z = Δ/s: that is c·(B_ii + B_jj − 2B_ij) with
  // B = Σ·L_A·Σ and L_A the Laplacian of A. Pairs whose order is already clear (large z) or hopeless for
  // now (Δ ≈ 0 with a small s: a near-tie) weigh little, so it does not stall on near-ties.
  const bmat = new Float64Array(acquisition === 'ranking' ? m * m : 0);
  // A (hence L_A) is computed once per call from the posterior; within a batch Σ changes by rank-one
  // steps and B is updated exactly for those (O(m²) per pick) while L_A is kept (an approximation).
  let ready = false;
  const la = new Float64Array(acquisition === 'ranking' ? m * m : 0);
  const refreshB = (): void => {
    if (acquisition !== 'ranking' || ready) return;
    ready = true;
    for (const k of active) {
      for (const l of active) {
        if (l <= k) continue;
        const s2 = cov[k * m + k]! + cov[l * m + l]! - 2 * cov[k * m + l]!;
        if (!(s2 > 0)) continue;
        const sd = Math.sqrt(s2);
        const dd = Math.abs(mean[k]! - mean[l]!);
        const z = dd / sd;
        const a = (Math.exp(-0.5 * z * z) * 0.3989422804014327 * dd) / (2 * s2 * sd);
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
    const p = sigma((mean[i]! - mean[j]!) / Math.sqrt(1 + (Math.PI * v) / 8));
    const w = p * (1 - p);
    if (acquisition === 'd-optimal') return Math.log1p(w * v);
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
      cached?.refresh(i, j);
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
  // With the diagonal posterior a vote changes only the gains of pairs that involve its two items: the
  // gains of all allowed pairs are computed once (at the first information slot), with every row's best
  // entry, and kept up to date, so a pick costs O(m) instead of a scan of all pairs.
  let cached: { best: () => [number, number]; refresh: (i: number, j: number) => void } | undefined;
  const cachedGains = (): { best: () => [number, number]; refresh: (i: number, j: number) => void } => {
    if (cached) return cached;
    const gains = new Float64Array(m * m).fill(Number.NEGATIVE_INFINITY);
    const rowBest = new Int32Array(m).fill(-1);
    const rowMax = (k: number): void => {
      let best = -1;
      let value = Number.NEGATIVE_INFINITY;
      for (let l = 0; l < m; l++) {
        if (gains[k * m + l]! > value) {
          value = gains[k * m + l]!;
          best = l;
        }
      }
      rowBest[k] = best;
    };
    const set = (k: number, l: number): void => {
      const g = gain(k, l) + rng.next() * 1e-12;
      gains[k * m + l] = g;
      gains[l * m + k] = g;
    };
    for (const k of active) {
      for (const l of active) if (l > k && allowed[k * m + l] === 1) set(k, l);
    }
    for (const k of active) rowMax(k);
    const refresh = (i: number, j: number): void => {
      for (const k of active) {
        if (k !== i && allowed[k * m + i] === 1) set(k, i);
        if (k !== j && allowed[k * m + j] === 1) set(k, j);
      }
      for (const k of active) {
        const b = rowBest[k]!;
        if (k === i || k === j || b === i || b === j) rowMax(k);
        else {
          if (b < 0 || gains[k * m + i]! > gains[k * m + b]!) rowBest[k] = i;
          if (gains[k * m + j]! > gains[k * m + rowBest[k]!]!) rowBest[k] = j;
        }
      }
    };
    const best = (): [number, number] => {
      let bi = -1;
      let value = Number.NEGATIVE_INFINITY;
      for (const k of active) {
        const b = rowBest[k]!;
        if (b >= 0 && gains[k * m + b]! > value) {
          value = gains[k * m + b]!;
          bi = k;
        }
      }
      return bi < 0 ? [-1, -1] : [bi, rowBest[bi]!];
    };
    cached = { best, refresh };
    return cached;
  };
  const partners = (i: number): number[] => active.filter((j) => j !== i && allowed[i * m + j] === 1);
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
  for (let slot = 0; slot < batch; slot++) {
    // Established status comes from answered votes; a newcomer keeps getting newcomer slots in this
    // batch until its answered plus proposed comparisons reach the threshold.
    const isNew = (i: number) => post.itemVotes[i]! < newThreshold;
    const established = active.filter((i) => !isNew(i));
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
      const pool = active.filter((i) => partners(i).length > 0);
      const i = leastCompared(pool)!;
      const ps = partners(i);
      const j = ps[rng.int(ps.length)]!;
      push(i, j, 'exploration');
      continue;
    }
    // 3. Information: the allowed pair with the largest expected information gain.
    let bi = -1;
    let bj = -1;
    let bestGain = -Infinity;
    if (diagonal) [bi, bj] = cachedGains().best();
    for (let x = 0; x < active.length && !diagonal; x++) {
      const i = active[x]!;
      for (let y = x + 1; y < active.length; y++) {
        const j = active[y]!;
        if (allowed[i * m + j] !== 1) continue;
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
