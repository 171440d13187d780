/**
 * Agreement between raters (Cohen's kappa, Fleiss' kappa, Krippendorff's alpha) and between rankings
 * (Kendall's tau-b, Spearman's rho, pairwise accuracy). Used to compare human and AI judges, two
 * audiences, or a fitted leaderboard with a known truth.
 */

/** A nominal label; `null` or `undefined` marks a missing rating where missing values are allowed. */
export type Label = string | number;

/**
 * Cohen's kappa for two raters labelling the same items: `κ = (pₒ − pₑ)/(1 − pₑ)` with `pₒ` the observed
 * agreement and `pₑ` the agreement expected from each rater's own label frequencies. Returns NaN when
 * `pₑ = 1` (both raters always use the same single label), where kappa is undefined.
 *
 * @example
 * // Wikipedia's example: 50 proposals, both "yes" 20, both "no" 15, A yes/B no 5, A no/B yes 10.
 * const a = [...Array(25).fill('yes'), ...Array(25).fill('no')];
 * const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')];
 * cohenKappa(a, b); // ≈ 0.4
 */
export function cohenKappa(a: readonly Label[], b: readonly Label[]): number {
  if (a.length !== b.length) throw new RangeError('both raters must label the same items');
  const n = a.length;
  if (n === 0) return Number.NaN;
  const ca = new Map<Label, number>();
  const cb = new Map<Label, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) agree++;
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
  }
  const po = agree / n;
  let pe = 0;
  for (const [label, count] of ca) pe += (count / n) * ((cb.get(label) ?? 0) / n);
  if (pe === 1) return Number.NaN;
  return (po - pe) / (1 - pe);
}

/**
 * Fleiss' kappa for many raters: `table[i][j]` is how many raters put item `i` in category `j`; every
 * item must have the same number of ratings `n ≥ 2`. `κ = (P̄ − P̄ₑ)/(1 − P̄ₑ)` with
 * `P̄ = mean over items of (Σⱼ nᵢⱼ² − n)/(n(n − 1))` and `P̄ₑ = Σⱼ pⱼ²`, `pⱼ` the share of all ratings in j
 * (Fleiss 1971).
 *
 * @example
 * fleissKappa([
 *   [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
 *   [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
 * ]); // ≈ 0.2099 (Wikipedia's worked example)
 */
export function fleissKappa(table: readonly (readonly number[])[]): number {
  const N = table.length;
  if (N === 0) return Number.NaN;
  const k = table[0]!.length;
  let n = -1;
  const colSums = new Float64Array(k);
  let pBar = 0;
  for (const row of table) {
    if (row.length !== k) throw new RangeError('every row needs one count per category');
    let rowSum = 0;
    let sq = 0;
    for (let j = 0; j < k; j++) {
      const c = row[j]!;
      if (!(c >= 0)) throw new RangeError('counts must be non-negative');
      rowSum += c;
      sq += c * c;
      colSums[j]! += c;
    }
    if (n === -1) n = rowSum;
    else if (rowSum !== n) throw new RangeError('every item must have the same number of ratings');
    pBar += (sq - n) / (n * (n - 1));
  }
  if (n < 2) throw new RangeError('need at least 2 ratings per item');
  pBar /= N;
  let pe = 0;
  for (let j = 0; j < k; j++) {
    const p = colSums[j]! / (N * n);
    pe += p * p;
  }
  if (pe === 1) return Number.NaN;
  return (pBar - pe) / (1 - pe);
}

/**
 * Krippendorff's alpha for nominal data, with missing ratings allowed: `ratings[r][u]` is rater `r`'s
 * label for unit `u`, or `null`/`undefined` when missing. Units with fewer than two ratings are not
 * pairable and are dropped. `α = 1 − Dₒ/Dₑ` from the coincidence matrix (Krippendorff 2011).
 *
 * @example
 * // Krippendorff's textbook example: 4 coders, 12 units, missing values.
 * const _ = null;
 * krippendorffAlpha([
 *   [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
 *   [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
 *   [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
 *   [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
 * ]); // ≈ 0.743
 */
export function krippendorffAlpha(ratings: readonly (readonly (Label | null | undefined)[])[]): number {
  if (ratings.length === 0) return Number.NaN;
  const units = Math.max(...ratings.map((r) => r.length));
  // Coincidence matrix o[c][k] (as a map) and marginals n_c.
  const coincidence = new Map<Label, Map<Label, number>>();
  const marginal = new Map<Label, number>();
  let total = 0;
  for (let u = 0; u < units; u++) {
    const values: Label[] = [];
    for (const r of ratings) {
      const v = r[u];
      if (v !== null && v !== undefined) values.push(v);
    }
    const m = values.length;
    if (m < 2) continue;
    const counts = new Map<Label, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    for (const [c, nc] of counts) {
      let row = coincidence.get(c);
      if (!row) {
        row = new Map();
        coincidence.set(c, row);
      }
      for (const [k, nk] of counts) {
        const pairs = c === k ? nc * (nc - 1) : nc * nk;
        row.set(k, (row.get(k) ?? 0) + pairs / (m - 1));
      }
      marginal.set(c, (marginal.get(c) ?? 0) + nc);
    }
    total += m;
  }
  if (total === 0) return Number.NaN;
  let observedDisagreement = 0;
  for (const [c, row] of coincidence) for (const [k, o] of row) if (c !== k) observedDisagreement += o;
  let expectedDisagreement = 0;
  for (const [c, nc] of marginal)
    for (const [k, nk] of marginal) if (c !== k) expectedDisagreement += nc * nk;
  expectedDisagreement /= total - 1;
  if (expectedDisagreement === 0) return Number.NaN;
  return 1 - observedDisagreement / expectedDisagreement;
}

function checkPaired(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new RangeError('x and y must have the same length');
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) throw new RangeError('NaN in input');
  }
}

/**
 * Kendall's tau-b between two score vectors (ties handled as in scipy.stats.kendalltau):
 * `τ_b = (C − D)/√((n₀ − n₁)(n₀ − n₂))` with C/D concordant/discordant pairs, n₀ all pairs and n₁, n₂ the
 * pairs tied in x and in y. O(n²); NaN when one vector is constant.
 *
 * @example
 * kendallTauB([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]); // 0.8
 * kendallTauB([1, 2, 2, 3], [1, 2, 3, 3]); // 0.8 (scipy: 0.7999999999999999)
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  const n = x.length;
  let s = 0;
  let tiesX = 0;
  let tiesY = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(xi - x[j]!);
      const dy = Math.sign(yi - y[j]!);
      pairs++;
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
      s += dx * dy;
    }
  }
  const denom = Math.sqrt((pairs - tiesX) * (pairs - tiesY));
  return denom === 0 ? Number.NaN : s / denom;
}

/**
 * Ranks with ties given their average rank (1-based), as scipy.stats.rankdata's default.
 *
 * @example
 * averageRanks([10, 20, 20, 5]); // [2, 3.5, 3.5, 1]
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = r;
    i = j + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const d = Math.sqrt(sxx * syy);
  return d === 0 ? Number.NaN : sxy / d;
}

/**
 * Spearman's rho: the Pearson correlation of the average ranks (ties handled as scipy.stats.spearmanr).
 *
 * @example
 * spearmanRho([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]); // ≈ 0.8208 (scipy: 0.8207826816681233)
 */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Pairwise accuracy of a predicted ranking against a reference: over all pairs the reference orders
 * strictly, the share the prediction orders the same way; a pair the prediction ties counts one half.
 * (Pairs tied in the reference are skipped.) 1 is perfect, 0.5 is chance, 0 is reversed.
 *
 * @example
 * pairwiseAccuracy([1, 2, 3, 4], [1, 2, 4, 3]); // 5/6
 * pairwiseAccuracy([1, 2, 3], [1, 1, 3]); // (0.5 + 1 + 1)/3
 */
export function pairwiseAccuracy(reference: readonly number[], predicted: readonly number[]): number {
  checkPaired(reference, predicted);
  const n = reference.length;
  let score = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dr = Math.sign(reference[i]! - reference[j]!);
      if (dr === 0) continue;
      pairs++;
      const dp = Math.sign(predicted[i]! - predicted[j]!);
      if (dp === dr) score += 1;
      else if (dp === 0) score += 0.5;
    }
  }
  return pairs === 0 ? Number.NaN : score / pairs;
}
