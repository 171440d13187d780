/**
 * Gaussian (Laplace) approximation of the Bradley-Terry posterior used by active matchmaking: the MAP
 * strengths under an independent N(0, priorSd²) prior and the inverse of the penalised information matrix
 * as their covariance.
 */
import type { PairCounts } from '../bt/pair-counts.ts';

/** Laplace posterior of Bradley-Terry strengths; arrays are indexed like `counts.items`. */
export interface StrengthPosterior {
  /** MAP natural-log strengths. */
  mean: Float64Array;
  /** Covariance, row-major `m × m`. */
  cov: Float64Array;
  /** Number of items `m`. */
  size: number;
  /** Comparisons (unweighted count of votes, ties included) per pair, row-major `m × m`. */
  pairVotes: Float64Array;
  /** Comparisons per item. */
  itemVotes: Float64Array;
}

/** Options of {@link strengthPosterior}. */
export interface StrengthPosteriorOptions {
  /** Prior standard deviation of each strength in natural-log units. Default 1.5 (≈ 260 Elo). */
  priorSd?: number;
  /** Warm start (e.g. the previous posterior's mean). */
  initial?: ArrayLike<number>;
  /** Newton iteration cap. Default 50. */
  maxIterations?: number;
}

function choleskyInPlace(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0)) throw new RangeError('matrix is not positive definite');
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  }
}

function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/**
 * The Laplace posterior of Bradley-Terry strengths from pair counts (weighted wins, ties as half a win
 * each way): Newton's method on the log posterior `ℓ(θ) − ‖θ‖²/(2·priorSd²)`, then
 * `cov = (L(θ̂) + I/priorSd²)⁻¹` with `L` the Fisher information (a weighted graph Laplacian with weights
 * `nᵢⱼ·pᵢⱼ(1 − pᵢⱼ)`). The prior keeps it defined for unseen items and disconnected graphs. O(m³).
 *
 * @example
 * const counts = createPairCounts(['a', 'b', 'c']);
 * addVote(counts, 'a', 'b', 'a');
 * const post = strengthPosterior(counts);
 * post.mean[0] > post.mean[1]; // true
 * post.cov[2 * 3 + 2]; // ≈ 2.25, the prior variance: c was never compared
 */
export function strengthPosterior(
  counts: PairCounts,
  options: StrengthPosteriorOptions = {},
): StrengthPosterior {
  const sd = options.priorSd ?? 1.5;
  if (!(sd > 0)) throw new RangeError(`priorSd must be > 0, got ${sd}`);
  const tau = 1 / (sd * sd);
  const m = counts.items.length;
  const cap = counts.capacity;
  const total = new Float64Array(m * m);
  const score = new Float64Array(m * m);
  const pairVotes = new Float64Array(m * m);
  const itemVotes = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i === j) continue;
      const wij = counts.wins[i * cap + j]!;
      const wji = counts.wins[j * cap + i]!;
      const t = counts.ties[i < j ? i * cap + j : j * cap + i]!;
      total[i * m + j] = wij + wji + t;
      score[i * m + j] = wij + t / 2;
    }
  }
  // Unweighted vote counts per pair are not stored by PairCounts; the weights stand in for them
  // (equal when votes are unweighted).
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      pairVotes[i * m + j] = total[i * m + j]!;
      itemVotes[i]! += total[i * m + j]!;
    }
  }
  const theta = new Float64Array(m);
  if (options.initial) for (let i = 0; i < m; i++) theta[i] = options.initial[i] ?? 0;
  const h = new Float64Array(m * m);
  const g = new Float64Array(m);
  const build = (): number => {
    h.fill(0);
    let gmax = 0;
    for (let i = 0; i < m; i++) {
      let gi = -tau * theta[i]!;
      h[i * m + i] = tau;
      for (let j = 0; j < m; j++) {
        const n = total[i * m + j]!;
        if (j === i || n === 0) continue;
        const p = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
        gi += score[i * m + j]! - n * p;
        const w = n * p * (1 - p);
        h[i * m + i]! += w;
        h[i * m + j]! -= w;
      }
      g[i] = gi;
      gmax = Math.max(gmax, Math.abs(gi));
    }
    return gmax;
  };
  const maxIter = options.maxIterations ?? 50;
  for (let it = 0; it < maxIter; it++) {
    const gmax = build();
    if (gmax < 1e-9) break;
    choleskyInPlace(h, m);
    const step = Float64Array.from(g);
    choleskySolveInPlace(h, m, step);
    // Damped Newton: the log posterior is concave, cap the step for robustness far from the optimum.
    let big = 0;
    for (let i = 0; i < m; i++) big = Math.max(big, Math.abs(step[i]!));
    const f = big > 2 ? 2 / big : 1;
    for (let i = 0; i < m; i++) theta[i]! += f * step[i]!;
  }
  build();
  choleskyInPlace(h, m);
  const cov = new Float64Array(m * m);
  const col = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    col.fill(0);
    col[j] = 1;
    choleskySolveInPlace(h, m, col);
    for (let i = 0; i < m; i++) cov[i * m + j] = col[i]!;
  }
  return { mean: theta, cov, size: m, pairVotes, itemVotes };
}

/**
 * A Laplace posterior with a diagonal covariance, for large fields: arrays are indexed like `counts.items`.
 *
 * @example
 * const post: DiagonalStrengthPosterior = diagonalStrengthPosterior(counts);
 * post.variance[0]; // ≈ 1 / (prior precision + information of item 0's votes)
 */
export interface DiagonalStrengthPosterior {
  /** MAP natural-log strengths (the same as {@link strengthPosterior}'s, to the solver's tolerance). */
  mean: Float64Array;
  /**
   * Approximate variance of every strength: the inverse of its own information, 1 / (1/priorSd² +
   * Σⱼ nᵢⱼ·pᵢⱼ(1 − pᵢⱼ)). Ignores the covariances through the comparison graph, so Var(θi − θj) ≈
   * variance[i] + variance[j] overstates the variance of items compared directly (their errors correlate).
   */
  variance: Float64Array;
  /** Number of items `m`. */
  size: number;
  /** Comparisons per item (vote weights, as in {@link StrengthPosterior}). */
  itemVotes: Float64Array;
}

/**
 * The MAP strengths of {@link strengthPosterior} with a diagonal approximation of their covariance, in
 * O(compared pairs) per solver iteration and one O(m²) read of the cells, never O(m³): for matchmaking
 * over hundreds or thousands of models. The MAP is found by Newton's method with each step solved by
 * conjugate gradients on the sparse penalised information matrix (λ = 1/priorSd²), to a gradient below
 * 1e-7 per unit of an item's vote weight, far below what changes a pairing decision.
 *
 * @example
 * const counts = createPairCounts(['a', 'b', 'c']);
 * addVote(counts, 'a', 'b', 'a');
 * const post = diagonalStrengthPosterior(counts);
 * post.mean[0] > post.mean[1]; // true
 * post.variance[2]; // 2.25, the prior variance: c was never compared
 */
export function diagonalStrengthPosterior(
  counts: PairCounts,
  options: Pick<StrengthPosteriorOptions, 'priorSd' | 'initial'> = {},
): DiagonalStrengthPosterior {
  const sd = options.priorSd ?? 1.5;
  if (!(sd > 0)) throw new RangeError(`priorSd must be > 0, got ${sd}`);
  const tau = 1 / (sd * sd);
  const m = counts.items.length;
  const cap = counts.capacity;
  // The cells as factors: a won cell (i beat j, weight n) scores n for i; a tie cell scores n/2 each way.
  // fitBradleyTerry is not used: its diagnostics (components, separation) cost more than a whole
  // proposal at 1,000 items, and the prior makes this MAP unique without them.
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const score: number[] = [];
  const itemVotes = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (j === i) continue;
      const won = counts.wins[i * cap + j]!;
      const tied = j > i ? counts.ties[i * cap + j]! : 0;
      if (won > 0) {
        from.push(i);
        to.push(j);
        weight.push(won);
        score.push(won);
        itemVotes[i]! += won;
        itemVotes[j]! += won;
      }
      if (tied > 0) {
        from.push(i);
        to.push(j);
        weight.push(tied);
        score.push(tied / 2);
        itemVotes[i]! += tied;
        itemVotes[j]! += tied;
      }
    }
  }
  const cells = from.length;
  const mean = new Float64Array(m);
  if (options.initial) for (let i = 0; i < m; i++) mean[i] = options.initial[i] ?? 0;
  const grad = new Float64Array(m);
  const diag = new Float64Array(m);
  const curvature = new Float64Array(cells);
  const evaluate = (): number => {
    for (let i = 0; i < m; i++) {
      grad[i] = -tau * mean[i]!;
      diag[i] = tau;
    }
    for (let c = 0; c < cells; c++) {
      const i = from[c]!;
      const j = to[c]!;
      const p = 1 / (1 + Math.exp(mean[j]! - mean[i]!));
      const r = score[c]! - weight[c]! * p;
      grad[i]! += r;
      grad[j]! -= r;
      const h = weight[c]! * p * (1 - p);
      curvature[c] = h;
      diag[i]! += h;
      diag[j]! += h;
    }
    let worst = 0;
    for (let i = 0; i < m; i++) worst = Math.max(worst, Math.abs(grad[i]!) / Math.max(1, itemVotes[i]!));
    return worst;
  };
  // H·x with H = τI + Σ_cells h_c (e_i − e_j)(e_i − e_j)ᵀ, the negative Hessian of the log posterior.
  const times = (x: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < m; i++) out[i] = tau * x[i]!;
    for (let c = 0; c < cells; c++) {
      const i = from[c]!;
      const j = to[c]!;
      const t = curvature[c]! * (x[i]! - x[j]!);
      out[i]! += t;
      out[j]! -= t;
    }
  };
  const step = new Float64Array(m);
  const residual = new Float64Array(m);
  const z = new Float64Array(m);
  const direction = new Float64Array(m);
  const hd = new Float64Array(m);
  for (let iteration = 0; iteration < 50; iteration++) {
    if (evaluate() < 1e-7) break;
    // Newton step H·δ = g by conjugate gradients, preconditioned by the diagonal of H.
    step.fill(0);
    residual.set(grad);
    let rz = 0;
    for (let i = 0; i < m; i++) {
      z[i] = residual[i]! / diag[i]!;
      rz += residual[i]! * z[i]!;
    }
    direction.set(z);
    const target = rz * 1e-16;
    for (let k = 0; k < 4 * m + 20 && rz > target; k++) {
      times(direction, hd);
      let dhd = 0;
      for (let i = 0; i < m; i++) dhd += direction[i]! * hd[i]!;
      const alpha = rz / dhd;
      let next = 0;
      for (let i = 0; i < m; i++) {
        step[i]! += alpha * direction[i]!;
        residual[i]! -= alpha * hd[i]!;
        z[i] = residual[i]! / diag[i]!;
        next += residual[i]! * z[i]!;
      }
      const beta = next / rz;
      rz = next;
      for (let i = 0; i < m; i++) direction[i] = z[i]! + beta * direction[i]!;
    }
    // Damped Newton, as in strengthPosterior: cap the step far from the optimum.
    let big = 0;
    for (let i = 0; i < m; i++) big = Math.max(big, Math.abs(step[i]!));
    const f = big > 2 ? 2 / big : 1;
    for (let i = 0; i < m; i++) mean[i]! += f * step[i]!;
  }
  evaluate();
  const variance = new Float64Array(m);
  for (let i = 0; i < m; i++) variance[i] = 1 / diag[i]!;
  return { mean, variance, size: m, itemVotes };
}
