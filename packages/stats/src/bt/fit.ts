/**
 * Bradley-Terry maximum likelihood on per-pair sufficient statistics.
 *
 * Model: P(i beats j) = 1 / (1 + exp(θj − θi)); a tie counts as half a win each way. With an L2
 * penalty λ (a Gaussian prior θ ~ N(0, 1/λ) on the natural-log strengths) the objective per unit of
 * vote weight is  ℓ(θ) − λ/2 ‖θ‖².  Ratings are reported on the Elo scale:
 * rating = offset + scale · θ / ln 10 (400 Elo per factor 10 in odds), centred on the offset within each
 * connected component, or pinned so that an anchor item has a given rating.
 */
import { cholesky, choleskySolve } from './linalg.ts';
import type { PairCounts } from './pair-counts.ts';

const LN10 = Math.log(10);

/**
 * The L2 penalty λ equivalent to scikit-learn's default `LogisticRegression` (C = 1) on the duplicated
 * votes design used by arena leaderboards (each vote appears twice, features ±ln 10, ratings = 400·coef):
 * sklearn minimises ½‖w‖² + C·2·NLL with θ = w·ln 10, i.e. NLL + θ²/(4 C ln²10), so λ = 1/(2 ln²10) ≈ 0.0943.
 * As a prior: θ ~ N(0, 1/λ), a standard deviation of about 566 Elo.
 *
 * @example
 * fitBradleyTerry(counts, { penalty: SKLEARN_DEFAULT_PENALTY }); // as published GenAI-Arena numbers
 */
export const SKLEARN_DEFAULT_PENALTY: number = 1 / (2 * LN10 * LN10);

/**
 * The weak prior used by `penalty: 'auto'` when the maximum-likelihood estimate does not exist or is
 * checked for sensitivity: θ ~ N(0, (566 Elo)²) per item, the same strength as {@link SKLEARN_DEFAULT_PENALTY}.
 *
 * @alias (its own name for what the prior is for, though the value is SKLEARN_DEFAULT_PENALTY's)
 * @example
 * fitBradleyTerry(counts, { penalty: 'auto', weakPriorPenalty: WEAK_PRIOR_PENALTY });
 */
export const WEAK_PRIOR_PENALTY: number = SKLEARN_DEFAULT_PENALTY;

/**
 * Converts a prior standard deviation in Elo points into the L2 penalty λ on natural-log strengths.
 *
 * @example
 * penaltyFromPriorSd(566); // ≈ 0.0943, scikit-learn's default
 */
export function penaltyFromPriorSd(sdElo: number, scale = 400): number {
  const sdNat = (sdElo * LN10) / scale;
  return 1 / (sdNat * sdNat);
}

/**
 * Options of {@link fitBradleyTerry}.
 *
 * @example
 * const options: BradleyTerryOptions = { penalty: 'auto', anchor: { item: 'baseline', rating: 1000 } };
 */
export interface BradleyTerryOptions {
  /**
   * `'newton'`: dense Newton-Raphson with Cholesky (quadratic convergence, O(M³) per step);
   * `'lbfgs'`: limited-memory BFGS on the pair list (O(pairs) per step, for large M);
   * `'auto'` (default): Newton up to 400 items in a component, L-BFGS above.
   */
  method?: 'auto' | 'newton' | 'lbfgs';
  /**
   * `'auto'` (default): plain maximum likelihood where it exists; where it does not (separation: some
   * items never lose, or never win, against the rest of their component) the weak prior
   * {@link WEAK_PRIOR_PENALTY} is applied to that component and a `prior-decided` warning says so.
   * `'none'`: plain maximum likelihood always (diverges under separation; reported as not converged).
   * A number: that L2 penalty λ everywhere (e.g. {@link SKLEARN_DEFAULT_PENALTY}).
   */
  penalty?: 'auto' | 'none' | number;
  /** λ used by `penalty: 'auto'` (default {@link WEAK_PRIOR_PENALTY}). */
  weakPriorPenalty?: number;
  /**
   * With `penalty: 'auto'`, every component is also fitted with the weak prior; items whose rating
   * moves by more than this many Elo points (after centring) are reported as `poorly-determined`
   * (near-separation: the data barely pin them down). Default 25. `Infinity` skips the check.
   */
  poorlyDeterminedElo?: number;
  /** Pin this item to this rating (its component only; other components stay centred on `offset`). */
  anchor?: { item: string; rating: number };
  /** Elo points per factor of 10 in odds (default 400). */
  scale?: number;
  /** Mean rating of each component when no anchor applies (default 1000). */
  offset?: number;
  /** Convergence: max |∂ℓ/∂θi| / (weight of item i's votes) below this (default 1e-10). */
  tolerance?: number;
  /** Iteration cap (default 100 for Newton, 5000 for L-BFGS). */
  maxIterations?: number;
  /** Warm start: natural-log strengths by item index (e.g. a previous fit's `strengths`). */
  initialStrengths?: ArrayLike<number>;
}

/**
 * Something that makes a fit ill-posed or worth a second look.
 *
 * @example
 * for (const w of fitBradleyTerry(counts).warnings) if (w.kind === 'poorly-determined') console.warn(w.message);
 */
export type BradleyTerryWarning =
  | { kind: 'disconnected'; components: string[][]; message: string }
  | { kind: 'unrated'; items: string[]; message: string }
  | { kind: 'separation'; component: number; items: string[]; message: string }
  | { kind: 'prior-decided'; component: number; items: string[]; penalty: number; message: string }
  | {
      kind: 'poorly-determined';
      component: number;
      items: { item: string; rating: number; ratingWithPrior: number }[];
      message: string;
    }
  | { kind: 'not-converged'; component: number; iterations: number; message: string }
  | { kind: 'weights-look-like-counts'; votes: number; message: string };

/**
 * Result of {@link fitBradleyTerry}; arrays are aligned with `items`.
 *
 * @example
 * const fit: BradleyTerryFit = fitBradleyTerry(counts);
 * const table = fit.items.map((item, i) => ({ item, rating: fit.ratings[i] }));
 */
export interface BradleyTerryFit {
  items: string[];
  /** Ratings on the Elo scale. */
  ratings: number[];
  /** Natural-log strengths θ (the ratings before scaling and offset). */
  strengths: number[];
  /** Component index of every item (items in different components were never compared, even indirectly). */
  componentOf: number[];
  /** Item ids of every component, largest first. */
  components: string[][];
  /** L2 penalty λ applied in each component (0 = plain maximum likelihood). */
  penalties: number[];
  warnings: BradleyTerryWarning[];
  /** Iterations summed over components. */
  iterations: number;
  converged: boolean;
  method: 'newton' | 'lbfgs';
  scale: number;
  offset: number;
  anchor?: { item: string; rating: number };
}

/** One connected component as a list of compared pairs (internal). */
export interface ComponentData {
  /** Global item indices of the members, local index = position. */
  members: Int32Array;
  pi: Int32Array;
  pj: Int32Array;
  /** Weight credited to pi: its wins plus half the ties. */
  score: Float64Array;
  /** Total weight of votes between pi and pj. */
  total: Float64Array;
  /** Global pair cell offsets, to read the cells back (bootstrap, sandwich). */
  cellIJ: Int32Array;
  cellJI: Int32Array;
  cellTie: Int32Array;
}

/** Splits the counts into connected components with their pair lists (internal). */
export function buildComponents(counts: PairCounts): ComponentData[] {
  const m = counts.items.length;
  const cap = counts.capacity;
  const parent = new Int32Array(m);
  for (let i = 0; i < m; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x]! !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const pairI: number[] = [];
  const pairJ: number[] = [];
  // which pairs met, found row by row (sequential reads of the cells: reading wins[j·cap + i] for every
  // i < j walks the matrix by columns, a cache miss per pair at a thousand items)
  const met = new Uint8Array(m * m);
  for (let i = 0; i < m; i++) {
    const row = i * cap;
    for (let j = 0; j < m; j++) {
      if (counts.wins[row + j]! > 0) met[i < j ? i * m + j : j * m + i] = 1;
      else if (j > i && counts.ties[row + j]! > 0) met[i * m + j] = 1;
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      if (met[i * m + j] === 1) {
        pairI.push(i);
        pairJ.push(j);
        const ri = find(i);
        const rj = find(j);
        if (ri !== rj) parent[ri] = rj;
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < m; i++) {
    const r = find(i);
    let g = groups.get(r);
    if (!g) {
      g = [];
      groups.set(r, g);
    }
    g.push(i);
  }
  const ordered = [...groups.values()].sort((x, y) => y.length - x.length || x[0]! - y[0]!);
  const local = new Int32Array(m);
  const compOf = new Int32Array(m);
  ordered.forEach((g, c) => {
    g.forEach((item, k) => {
      local[item] = k;
      compOf[item] = c;
    });
  });
  const pairsByComp: number[][] = ordered.map(() => []);
  for (let p = 0; p < pairI.length; p++) pairsByComp[compOf[pairI[p]!]!]!.push(p);
  return ordered.map((g, c) => {
    const list = pairsByComp[c]!;
    const n = list.length;
    const data: ComponentData = {
      members: Int32Array.from(g),
      pi: new Int32Array(n),
      pj: new Int32Array(n),
      score: new Float64Array(n),
      total: new Float64Array(n),
      cellIJ: new Int32Array(n),
      cellJI: new Int32Array(n),
      cellTie: new Int32Array(n),
    };
    list.forEach((p, k) => {
      const i = pairI[p]!;
      const j = pairJ[p]!;
      const wij = counts.wins[i * cap + j]!;
      const wji = counts.wins[j * cap + i]!;
      const t = counts.ties[i * cap + j]!;
      data.pi[k] = local[i]!;
      data.pj[k] = local[j]!;
      data.score[k] = wij + 0.5 * t;
      data.total[k] = wij + wji + t;
      data.cellIJ[k] = i * cap + j;
      data.cellJI[k] = j * cap + i;
      data.cellTie[k] = i * cap + j;
    });
    return data;
  });
}

/**
 * ℓ(θ + tδ) − ℓ(θ) computed term by term so that tiny changes are not lost to cancellation (the
 * line searches need it near the optimum, where ℓ itself is large); fills `grad` with ∇ℓ(θ + tδ) and
 * `trial` with θ + tδ (internal).
 */
function objectiveChange(
  theta: Float64Array,
  dir: Float64Array,
  t: number,
  pi: Int32Array,
  pj: Int32Array,
  score: Float64Array,
  total: Float64Array,
  lambda: number,
  trial: Float64Array,
  grad: Float64Array,
): number {
  const m = theta.length;
  for (let i = 0; i < m; i++) trial[i] = theta[i]! + t * dir[i]!;
  grad.fill(0);
  let change = 0;
  for (let p = 0; p < pi.length; p++) {
    const i = pi[p]!;
    const j = pj[p]!;
    const d = theta[i]! - theta[j]!;
    const delta = t * (dir[i]! - dir[j]!);
    const dNew = d + delta;
    // softplus(d + Δ) − softplus(d) = log1p(σ(d) · expm1(Δ)), accurate for small Δ
    const sigOld = d > 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d));
    const em = Math.expm1(delta);
    const n = total[p]!;
    const s = score[p]!;
    change += s * delta - n * (em > -1 ? Math.log1p(sigOld * em) : Math.log(1 - sigOld));
    const prob = dNew > 0 ? 1 / (1 + Math.exp(-dNew)) : Math.exp(dNew) / (1 + Math.exp(dNew));
    const g = s - n * prob;
    grad[i]! += g;
    grad[j]! -= g;
  }
  if (lambda > 0) {
    for (let i = 0; i < m; i++) {
      const step = t * dir[i]!;
      change -= 0.5 * lambda * step * (2 * theta[i]! + step);
      grad[i]! -= lambda * trial[i]!;
    }
  }
  return change;
}

/** Gradient of the penalised log-likelihood into `grad`; returns the objective (internal). */
function objectiveAndGradient(
  theta: Float64Array,
  pi: Int32Array,
  pj: Int32Array,
  score: Float64Array,
  total: Float64Array,
  lambda: number,
  grad: Float64Array,
): number {
  grad.fill(0);
  let f = 0;
  for (let p = 0; p < pi.length; p++) {
    const i = pi[p]!;
    const j = pj[p]!;
    const d = theta[i]! - theta[j]!;
    let prob: number;
    let softplus: number;
    if (d > 0) {
      const e = Math.exp(-d);
      prob = 1 / (1 + e);
      softplus = d + Math.log1p(e);
    } else {
      const e = Math.exp(d);
      prob = e / (1 + e);
      softplus = Math.log1p(e);
    }
    const n = total[p]!;
    const s = score[p]!;
    f += s * d - n * softplus;
    const g = s - n * prob;
    grad[i]! += g;
    grad[j]! -= g;
  }
  if (lambda > 0) {
    let s = 0;
    for (let i = 0; i < theta.length; i++) {
      s += theta[i]! * theta[i]!;
      grad[i]! -= lambda * theta[i]!;
    }
    f -= 0.5 * lambda * s;
  }
  return f;
}

/** Result of fitting one component (internal). */
export interface ComponentSolution {
  theta: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Total vote weight of every item of a component (internal). */
export function itemWeights(data: ComponentData): Float64Array {
  const w = new Float64Array(data.members.length);
  for (let p = 0; p < data.pi.length; p++) {
    w[data.pi[p]!]! += data.total[p]!;
    w[data.pj[p]!]! += data.total[p]!;
  }
  return w;
}

function gradientConverged(grad: Float64Array, weights: Float64Array, tol: number): boolean {
  for (let i = 0; i < grad.length; i++) {
    if (Math.abs(grad[i]!) > tol * Math.max(1, weights[i]!)) return false;
  }
  return true;
}

/**
 * Builds the negative Hessian (information) of a component at θ: the Laplacian of the weighted
 * comparison graph with weights n·p(1−p), plus λI (internal; also used by the sandwich estimator).
 */
export function informationMatrix(
  theta: Float64Array,
  pi: Int32Array,
  pj: Int32Array,
  total: Float64Array,
  lambda: number,
): Float64Array {
  const m = theta.length;
  const h = new Float64Array(m * m);
  for (let p = 0; p < pi.length; p++) {
    const i = pi[p]!;
    const j = pj[p]!;
    const prob = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
    const w = total[p]! * prob * (1 - prob);
    h[i * m + i]! += w;
    h[j * m + j]! += w;
    h[i * m + j]! -= w;
    h[j * m + i]! -= w;
  }
  for (let i = 0; i < m; i++) h[i * m + i]! += lambda;
  return h;
}

/**
 * Makes a singular information matrix (λ = 0, connected component) invertible on the sum-zero subspace by
 * adding c·11ᵀ: for any g ⟂ 1 the solution is unchanged (it equals the pseudo-inverse solution).
 */
export function fixGauge(h: Float64Array, m: number): void {
  let trace = 0;
  for (let i = 0; i < m; i++) trace += h[i * m + i]!;
  const c = Math.max(trace / (m * m), 1e-12);
  for (let k = 0; k < m * m; k++) h[k]! += c;
}

function solveNewton(
  data: ComponentData,
  lambda: number,
  theta: Float64Array,
  tol: number,
  maxIterations: number,
): ComponentSolution {
  const m = theta.length;
  const { pi, pj, score, total } = data;
  const weights = itemWeights(data);
  const grad = new Float64Array(m);
  const gradTrial = new Float64Array(m);
  const trial = new Float64Array(m);
  objectiveAndGradient(theta, pi, pj, score, total, lambda, grad);
  for (let iter = 0; iter < maxIterations; iter++) {
    if (gradientConverged(grad, weights, tol)) return { theta, iterations: iter, converged: true };
    const h = informationMatrix(theta, pi, pj, total, lambda);
    if (lambda === 0) fixGauge(h, m);
    if (!cholesky(h, m)) return { theta, iterations: iter, converged: false };
    const step = Float64Array.from(grad);
    choleskySolve(h, m, step);
    let slope = 0;
    for (let i = 0; i < m; i++) slope += grad[i]! * step[i]!;
    // backtracking on the exact change of ℓ (concave: the full step is almost always accepted)
    let t = 1;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      const change = objectiveChange(theta, step, t, pi, pj, score, total, lambda, trial, gradTrial);
      if (change >= 1e-4 * t * slope || (change >= 0 && k > 0)) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      return { theta, iterations: iter + 1, converged: gradientConverged(grad, weights, tol * 1e3) };
    }
    let maxStep = 0;
    for (let i = 0; i < m; i++) maxStep = Math.max(maxStep, Math.abs(t * step[i]!));
    theta.set(trial);
    grad.set(gradTrial);
    if (maxStep < 1e-14) {
      return { theta, iterations: iter + 1, converged: gradientConverged(grad, weights, tol * 1e3) };
    }
  }
  return { theta, iterations: maxIterations, converged: gradientConverged(grad, weights, tol) };
}

function solveLbfgs(
  data: ComponentData,
  lambda: number,
  theta: Float64Array,
  tol: number,
  maxIterations: number,
): ComponentSolution {
  const m = theta.length;
  const { pi, pj, score, total } = data;
  const weights = itemWeights(data);
  const memory = 12;
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  // Works on ℓ (maximisation) with g = ∇ℓ; the search direction is +H·g. Diagonal preconditioner:
  // the inverse of the information diagonal at θ = 0 (a quarter of each item's vote weight).
  const precond = new Float64Array(m);
  for (let i = 0; i < m; i++) precond[i] = 1 / (0.25 * weights[i]! + lambda + 1e-12);
  const g = new Float64Array(m);
  const gNew = new Float64Array(m);
  const dir = new Float64Array(m);
  const trial = new Float64Array(m);
  objectiveAndGradient(theta, pi, pj, score, total, lambda, g);
  for (let iter = 0; iter < maxIterations; iter++) {
    if (gradientConverged(g, weights, tol)) return { theta, iterations: iter, converged: true };
    // two-loop recursion on the minimisation of −ℓ: dir = −H·(−g) = H·g
    for (let i = 0; i < m; i++) dir[i] = g[i]!;
    const k = sList.length;
    for (let h = k - 1; h >= 0; h--) {
      const s = sList[h]!;
      const y = yList[h]!;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += s[i]! * dir[i]!;
      const a = rho[h]! * dot;
      alpha[h] = a;
      for (let i = 0; i < m; i++) dir[i]! -= a * y[i]!;
    }
    let gamma = 1;
    if (k > 0) {
      const s = sList[k - 1]!;
      const y = yList[k - 1]!;
      let sy = 0;
      let yDy = 0;
      for (let i = 0; i < m; i++) {
        sy += s[i]! * y[i]!;
        yDy += y[i]! * y[i]! * precond[i]!;
      }
      gamma = sy / yDy;
    }
    for (let i = 0; i < m; i++) dir[i]! *= gamma * precond[i]!;
    for (let h = 0; h < k; h++) {
      const s = sList[h]!;
      const y = yList[h]!;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += y[i]! * dir[i]!;
      const b = rho[h]! * dot;
      const a = alpha[h]!;
      for (let i = 0; i < m; i++) dir[i]! += (a - b) * s[i]!;
    }
    let slope = 0;
    for (let i = 0; i < m; i++) slope += g[i]! * dir[i]!;
    if (!(slope > 0)) {
      // not an ascent direction: restart from the preconditioned gradient
      sList.length = 0;
      yList.length = 0;
      rho.length = 0;
      slope = 0;
      for (let i = 0; i < m; i++) {
        dir[i] = g[i]! * precond[i]!;
        slope += g[i]! * dir[i]!;
      }
    }
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 40; ls++) {
      const change = objectiveChange(theta, dir, t, pi, pj, score, total, lambda, trial, gNew);
      if (change >= 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      // no increase measurable even term by term: at the optimum to machine precision
      return { theta, iterations: iter + 1, converged: gradientConverged(g, weights, tol * 1e3) };
    }
    // minimisation pair for −ℓ: s = Δθ, y = Δ(−g)
    const s = new Float64Array(m);
    const y = new Float64Array(m);
    let sy = 0;
    for (let i = 0; i < m; i++) {
      s[i] = trial[i]! - theta[i]!;
      y[i] = g[i]! - gNew[i]!;
      sy += s[i]! * y[i]!;
    }
    theta.set(trial);
    g.set(gNew);
    if (sy > 1e-300) {
      if (sList.length === memory) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
      sList.push(s);
      yList.push(y);
      rho.push(1 / sy);
    }
  }
  return { theta, iterations: maxIterations, converged: gradientConverged(g, weights, tol) };
}

/**
 * ∇ℓ of a component into `grad` (internal; the bootstrap's inner loop, so no objective value). With
 * e_i = exp(θi − max θ) the win probability is e_i / (e_i + e_j): M exponentials instead of one per pair
 * (exact in floating point while the strengths span less than 600 nats, per pair beyond that).
 */
function gradientOnly(
  theta: Float64Array,
  pi: Int32Array,
  pj: Int32Array,
  score: Float64Array,
  total: Float64Array,
  lambda: number,
  grad: Float64Array,
  work: Float64Array,
): void {
  const m = theta.length;
  grad.fill(0);
  let hi = Number.NEGATIVE_INFINITY;
  let lo = Number.POSITIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    const t = theta[i]!;
    if (t > hi) hi = t;
    if (t < lo) lo = t;
  }
  if (hi - lo < 600) {
    for (let i = 0; i < m; i++) work[i] = Math.exp(theta[i]! - hi);
    for (let p = 0; p < pi.length; p++) {
      const i = pi[p]!;
      const j = pj[p]!;
      const ei = work[i]!;
      const g = score[p]! - (total[p]! * ei) / (ei + work[j]!);
      grad[i]! += g;
      grad[j]! -= g;
    }
  } else {
    for (let p = 0; p < pi.length; p++) {
      const i = pi[p]!;
      const j = pj[p]!;
      const g = score[p]! - total[p]! / (1 + Math.exp(theta[j]! - theta[i]!));
      grad[i]! += g;
      grad[j]! -= g;
    }
  }
  if (lambda > 0) for (let i = 0; i < m; i++) grad[i]! -= lambda * theta[i]!;
}

/**
 * Simplified (chord) Newton: iterates θ ← θ + H0⁻¹ ∇ℓ(θ) with one fixed, already factorised information
 * matrix H0 (from a nearby fit). Converges linearly, fast when the data are close to those H0 came from
 * (bootstrap replicates), at O(pairs + M²) per iteration instead of O(M³). Returns converged: false when
 * it does not settle, so the caller can fall back to full Newton (internal).
 */
export function solveChord(
  data: ComponentData,
  lambda: number,
  init: Float64Array,
  factor: Float64Array,
  tol: number,
  weights: Float64Array = itemWeights(data),
  maxIterations = 40,
): ComponentSolution {
  const m = init.length;
  const theta = Float64Array.from(init);
  const grad = new Float64Array(m);
  const work = new Float64Array(m);
  let previous = Number.POSITIVE_INFINITY;
  let growing = 0;
  for (let iter = 0; iter < maxIterations; iter++) {
    gradientOnly(theta, data.pi, data.pj, data.score, data.total, lambda, grad, work);
    if (gradientConverged(grad, weights, tol)) {
      if (lambda === 0) centre(theta);
      return { theta, iterations: iter, converged: true };
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm = Math.max(norm, Math.abs(grad[i]!) / Math.max(1, weights[i]!));
    if (norm > previous) {
      growing++;
      if (growing >= 2) return { theta, iterations: iter, converged: false };
    }
    previous = norm;
    choleskySolve(factor, m, grad);
    for (let i = 0; i < m; i++) theta[i]! += grad[i]!;
  }
  return { theta, iterations: maxIterations, converged: false };
}

/** Fits one component's strengths (internal; also used by the bootstrap). */
export function solveComponent(
  data: ComponentData,
  lambda: number,
  method: 'newton' | 'lbfgs',
  init: Float64Array,
  tol: number,
  maxIterations: number | undefined,
): ComponentSolution {
  const m = data.members.length;
  if (m === 1) {
    return { theta: new Float64Array(1), iterations: 0, converged: true };
  }
  const theta = Float64Array.from(init);
  if (lambda === 0) centre(theta);
  const result =
    method === 'newton'
      ? solveNewton(data, lambda, theta, tol, maxIterations ?? 100)
      : solveLbfgs(data, lambda, theta, tol, maxIterations ?? 5000);
  if (lambda === 0) centre(result.theta);
  return result;
}

function centre(theta: Float64Array): void {
  let mean = 0;
  for (let i = 0; i < theta.length; i++) mean += theta[i]!;
  mean /= theta.length;
  for (let i = 0; i < theta.length; i++) theta[i]! -= mean;
}

/**
 * Strongly connected components of the "got credit against" graph (i → j when i beat or tied j).
 * The maximum-likelihood estimate exists iff there is exactly one (Zermelo 1929; Ford 1957).
 * Returns the component label of every local item (internal).
 */
export function creditComponents(data: ComponentData): { count: number; label: Int32Array } {
  const m = data.members.length;
  const out: number[][] = Array.from({ length: m }, () => []);
  for (let p = 0; p < data.pi.length; p++) {
    const i = data.pi[p]!;
    const j = data.pj[p]!;
    if (data.score[p]! > 0) out[i]!.push(j);
    if (data.total[p]! - data.score[p]! > 0) out[j]!.push(i);
  }
  // iterative Tarjan
  const index = new Int32Array(m).fill(-1);
  const low = new Int32Array(m);
  const onStack = new Uint8Array(m);
  const label = new Int32Array(m).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let count = 0;
  for (let root = 0; root < m; root++) {
    if (index[root]! !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const v = top[0];
      const edges = out[v]!;
      if (top[1] < edges.length) {
        const w = edges[top[1]++]!;
        if (index[w]! === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
      } else {
        work.pop();
        const parent = work[work.length - 1];
        if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[v]!);
        if (low[v]! === index[v]!) {
          for (;;) {
            const w = stack.pop()!;
            onStack[w] = 0;
            label[w] = count;
            if (w === v) break;
          }
          count++;
        }
      }
    }
  }
  return { count, label };
}

/** The solver for a component of m items: Newton up to 400 items, L-BFGS above (internal). */
export function pickMethod(method: 'newton' | 'lbfgs' | 'auto', m: number): 'newton' | 'lbfgs' {
  if (method !== 'auto') return method;
  return m <= 400 ? 'newton' : 'lbfgs';
}

/**
 * Converts component strengths to ratings: centred on `offset` per component, or pinned to the anchor
 * in the anchor's component (internal; also used by the bootstrap).
 */
export function toRatings(
  strengths: Float64Array,
  components: ComponentData[],
  scale: number,
  offset: number,
  anchorIndex: number,
  anchorRating: number,
): Float64Array {
  const ratings = new Float64Array(strengths.length);
  const factor = scale / LN10;
  for (const comp of components) {
    let shift: number;
    let hasAnchor = false;
    for (let k = 0; k < comp.members.length; k++) if (comp.members[k] === anchorIndex) hasAnchor = true;
    if (hasAnchor) {
      shift = anchorRating - factor * strengths[anchorIndex]!;
    } else {
      let mean = 0;
      for (let k = 0; k < comp.members.length; k++) mean += strengths[comp.members[k]!]!;
      mean /= comp.members.length;
      shift = offset - factor * mean;
    }
    for (let k = 0; k < comp.members.length; k++) {
      const i = comp.members[k]!;
      ratings[i] = shift + factor * strengths[i]!;
    }
  }
  return ratings;
}

/**
 * Fits Bradley-Terry strengths by (penalised) maximum likelihood on the folded counts and reports them
 * on the Elo scale, with diagnostics for disconnected graphs, separation and near-separation.
 *
 * @example
 * const counts = createPairCounts();
 * addVote(counts, 'a', 'b', 'a');
 * addVote(counts, 'b', 'c', 'a');
 * addVote(counts, 'c', 'a', 'tie');
 * addVote(counts, 'b', 'a', 'a');
 * const fit = fitBradleyTerry(counts);            // ratings centred on 1000
 * fit.ratings[fit.items.indexOf('a')];
 * fitBradleyTerry(counts, { anchor: { item: 'c', rating: 800 } });
 */
export function fitBradleyTerry(counts: PairCounts, options: BradleyTerryOptions = {}): BradleyTerryFit {
  const scale = options.scale ?? 400;
  const offset = options.offset ?? 1000;
  const tol = options.tolerance ?? 1e-10;
  const penaltyOption = options.penalty ?? 'auto';
  const weakPrior = options.weakPriorPenalty ?? WEAK_PRIOR_PENALTY;
  const sensitivity = options.poorlyDeterminedElo ?? 25;
  if (typeof penaltyOption === 'number' && !(penaltyOption >= 0)) {
    throw new RangeError(`penalty must be ≥ 0, got ${penaltyOption}`);
  }
  const items = [...counts.items];
  const m = items.length;
  const components = buildComponents(counts);
  const strengths = new Float64Array(m);
  const init = options.initialStrengths;
  const warnings: BradleyTerryWarning[] = [];
  const penalties: number[] = [];
  let iterations = 0;
  let converged = true;
  let usedMethod: 'newton' | 'lbfgs' = 'newton';
  const factor = scale / LN10;

  const multi = components.filter((c) => c.members.length > 1);
  const singles = components.filter((c) => c.members.length === 1);
  if (multi.length > 1 || (multi.length === 1 && singles.length > 0)) {
    warnings.push({
      kind: 'disconnected',
      components: components.map((c) => [...c.members].map((i) => items[i]!)),
      message:
        `The comparison graph has ${components.length} components that never meet, even indirectly; ` +
        'each is rated separately and ratings from different components are not comparable.',
    });
  }
  if (counts.countLikeWeights > 0) {
    warnings.push({
      kind: 'weights-look-like-counts',
      votes: counts.countLikeWeights,
      message:
        `${counts.countLikeWeights} vote(s) were folded with an integer weight of 2 or more. A weight is an ` +
        'importance weight of ONE vote: if these numbers count identical votes, fold them with addPairCounts ' +
        '(or the count of addVoteByIndex). The ratings are the same either way, but intervals computed ' +
        'from weights are far too wide.',
    });
  }
  if (singles.length > 0 && m > 1) {
    warnings.push({
      kind: 'unrated',
      items: singles.map((c) => items[c.members[0]!]!),
      message: 'These items have no votes; they are shown at the offset with no information.',
    });
  }

  components.forEach((comp, c) => {
    const size = comp.members.length;
    const method = pickMethod(options.method ?? 'auto', size);
    if (size > 1) usedMethod = method;
    const start = new Float64Array(size);
    if (init) for (let k = 0; k < size; k++) start[k] = init[comp.members[k]!] ?? 0;
    const names = (list: Iterable<number>): string[] => [...list].map((k) => items[comp.members[k]!]!);
    let lambda = typeof penaltyOption === 'number' ? penaltyOption : 0;
    if (size > 1) {
      const credit = creditComponents(comp);
      if (credit.count > 1) {
        // report the items outside the largest strongly connected block: they never lose (or never win)
        const sizes = new Int32Array(credit.count);
        for (let k = 0; k < size; k++) sizes[credit.label[k]!]!++;
        let largest = 0;
        for (let s = 1; s < credit.count; s++) if (sizes[s]! > sizes[largest]!) largest = s;
        const separated: number[] = [];
        for (let k = 0; k < size; k++) if (credit.label[k] !== largest) separated.push(k);
        warnings.push({
          kind: 'separation',
          component: c,
          items: names(separated),
          message:
            'Some items never lose (or never win) against the rest of their component: the maximum-likelihood ' +
            'ratings do not exist (they run off to ±infinity).',
        });
        if (penaltyOption === 'auto') {
          lambda = weakPrior;
          warnings.push({
            kind: 'prior-decided',
            component: c,
            items: names(separated),
            penalty: lambda,
            message:
              `The weak prior (L2 penalty λ = ${lambda.toPrecision(3)}, sd ≈ ${(factor / Math.sqrt(lambda)).toFixed(0)} Elo) ` +
              "decided these items' ratings: the votes alone cannot.",
          });
        }
      }
    }
    penalties.push(lambda);
    const solution = solveComponent(comp, lambda, method, start, tol, options.maxIterations);
    iterations += solution.iterations;
    if (!solution.converged) {
      converged = false;
      warnings.push({
        kind: 'not-converged',
        component: c,
        iterations: solution.iterations,
        message: 'The fit did not converge; ratings in this component are unreliable.',
      });
    }
    for (let k = 0; k < size; k++) strengths[comp.members[k]!] = solution.theta[k]!;
    if (penaltyOption === 'auto' && lambda === 0 && size > 1 && Number.isFinite(sensitivity)) {
      const withPrior = solveComponent(comp, weakPrior, method, solution.theta, tol, options.maxIterations);
      let meanA = 0;
      let meanB = 0;
      for (let k = 0; k < size; k++) {
        meanA += solution.theta[k]!;
        meanB += withPrior.theta[k]!;
      }
      meanA /= size;
      meanB /= size;
      const moved: { item: string; rating: number; ratingWithPrior: number }[] = [];
      for (let k = 0; k < size; k++) {
        const a = factor * (solution.theta[k]! - meanA);
        const b = factor * (withPrior.theta[k]! - meanB);
        if (Math.abs(a - b) > sensitivity) {
          moved.push({ item: items[comp.members[k]!]!, rating: offset + a, ratingWithPrior: offset + b });
        }
      }
      if (moved.length > 0) {
        warnings.push({
          kind: 'poorly-determined',
          component: c,
          items: moved,
          message:
            `Near-separation: these ratings move by more than ${sensitivity} Elo under a weak prior ` +
            `(λ = ${weakPrior.toPrecision(3)}); the votes barely determine them. Collect more votes, or fit ` +
            'with an explicit penalty.',
        });
      }
    }
  });

  let anchorIndex = -1;
  let anchorRating = offset;
  if (options.anchor) {
    const a = counts.index.get(options.anchor.item);
    if (a === undefined) throw new RangeError(`unknown anchor item ${options.anchor.item}`);
    anchorIndex = a;
    anchorRating = options.anchor.rating;
  }
  const ratings = toRatings(strengths, components, scale, offset, anchorIndex, anchorRating);
  const componentOf = new Array<number>(m).fill(0);
  components.forEach((comp, c) => {
    for (const i of comp.members) componentOf[i] = c;
  });
  const fit: BradleyTerryFit = {
    items,
    ratings: [...ratings],
    strengths: [...strengths],
    componentOf,
    components: components.map((comp) => [...comp.members].map((i) => items[i]!)),
    penalties,
    warnings,
    iterations,
    converged,
    method: usedMethod,
    scale,
    offset,
  };
  if (options.anchor) fit.anchor = { ...options.anchor };
  return fit;
}
