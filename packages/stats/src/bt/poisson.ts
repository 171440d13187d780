/**
 * Exact Poisson draws for the bootstrap over count cells (internal).
 *
 * Every vote is counted Poisson(1) times, so a cell holding summed weight w and summed squared weight
 * w2 is redrawn as (w2/w)·Poisson(w²/w2): exact for equal weights within a cell (then w²/w2 is the
 * number of votes), otherwise matching the mean and variance of the per-vote resampling.
 */

const LOG_FACT = new Float64Array(256);
for (let k = 2; k < 256; k++) LOG_FACT[k] = LOG_FACT[k - 1]! + Math.log(k);

/** ln k! (table below 256, Stirling's series above: relative error below 1e-15). */
export function logFactorial(k: number): number {
  if (k < 256) return LOG_FACT[k]!;
  const x = k + 1;
  const x2 = x * x;
  return (
    (x - 0.5) * Math.log(x) -
    x +
    0.5 * Math.log(2 * Math.PI) +
    (1 / 12 - (1 / 360 - 1 / (1260 * x2)) / x2) / x
  );
}

/** A source of uniforms in [0, 1): all {@link CellSampler} needs of a generator. */
export interface UniformSource {
  next(): number;
}

/**
 * Poisson cell sampler, one draw at a time: inversion below mean 10, PTRS transformed rejection above
 * (Hörmann 1993, "The transformed rejection method for generating Poisson random variables"), with the
 * per-cell constants computed once for all rounds. The fallback of {@link CellResampler}.
 */
export class CellSampler {
  readonly scale: Float64Array;
  readonly mean: Float64Array;
  readonly c: Float64Array;
  constructor(weights: Float64Array, squares: Float64Array) {
    const n = weights.length;
    this.scale = new Float64Array(n);
    this.mean = new Float64Array(n);
    // per cell: exp(−mean) (inversion) or the PTRS constants b, a, log(invAlpha), vr, log(mean)
    this.c = new Float64Array(n * 5);
    for (let k = 0; k < n; k++) {
      const w = weights[k]!;
      if (!(w > 0)) continue;
      const scale = squares[k]! / w;
      const mean = w / scale;
      this.scale[k] = scale;
      this.mean[k] = mean;
      if (mean < 10) {
        this.c[k * 5] = Math.exp(-mean);
      } else {
        const b = 0.931 + 2.53 * Math.sqrt(mean);
        this.c[k * 5] = b;
        this.c[k * 5 + 1] = -0.059 + 0.02483 * b;
        this.c[k * 5 + 2] = Math.log(1.1239 + 1.1328 / (b - 3.4));
        this.c[k * 5 + 3] = 0.9277 - 3.6224 / (b - 2);
        this.c[k * 5 + 4] = Math.log(mean);
      }
    }
  }

  /** Poisson(mean[k]) itself, without the scale. */
  count(rng: UniformSource, k: number): number {
    const mean = this.mean[k]!;
    if (mean === 0) return 0;
    const base = k * 5;
    if (mean < 10) {
      let n = 0;
      let p = this.c[base]!;
      let cdf = p;
      const u = rng.next();
      while (u > cdf && n < 1000) {
        n++;
        p *= mean / n;
        cdf += p;
      }
      return n;
    }
    const b = this.c[base]!;
    const a = this.c[base + 1]!;
    const logInvAlpha = this.c[base + 2]!;
    const vr = this.c[base + 3]!;
    const logMean = this.c[base + 4]!;
    for (;;) {
      const u = rng.next() - 0.5;
      const v = rng.next();
      const us = 0.5 - Math.abs(u);
      const n = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return n;
      if (n < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -mean + n * logMean - logFactorial(n)) {
        return n;
      }
    }
  }

  /** The cell's resampled weight: scale[k] · Poisson(mean[k]). */
  draw(rng: UniformSource, k: number): number {
    return this.scale[k]! * this.count(rng, k);
  }
}

/** Upper bound on the table entries (thresholds + guide slots) one {@link CellResampler} may hold. */
const TABLE_BUDGET = 1 << 22;
/** Probabilities below this are left out of a table: far below the 2⁻³² resolution of one uniform. */
const TAIL = 2 ** -64;

/**
 * All cells of a component redrawn at once, every round. Cells are grouped by their Poisson mean (with
 * unit weights the mean is the cell's vote count, so a few hundred distinct means cover thousands of
 * cells); each group whose table pays for itself (no more table entries than draws over all rounds) is
 * drawn by exact inversion of a 32-bit uniform through a guide table (Chen & Asau 1974): the thresholds
 * are round(F(k)·2³²), so P(draw = k) equals the Poisson probability to within 2⁻³², the resolution of
 * the uniform itself; the tail beyond the table carries less than 2⁻⁶⁴. Other cells fall back to
 * {@link CellSampler} on the same stream. The generator is mulberry32 inlined in the loop (its state is
 * {@link CellResampler.state}), so a seed fixes every draw.
 *
 * Draws come out in the resampler's own order ({@link CellResampler.order}: cells sharing a table are
 * contiguous), written sequentially; callers fold them in that order.
 */
export class CellResampler implements UniformSource {
  /** mulberry32 state: set it to seed, read it back to continue the stream elsewhere. */
  state = 0;
  /** Cell index of every drawn position (empty cells are never drawn: they stay empty). */
  readonly order: Int32Array;
  /** Scale of every cell: a draw of cell k weighs scale[k] · count (1 for unit-weight votes). */
  readonly scale: Float64Array;
  private readonly tables: number;
  /** Positions of table t: cellStart[t] .. cellStart[t + 1]; the fallback cells follow the last table. */
  private readonly cellStart: Int32Array;
  /** (round(F(k)·2³²) − 1) XOR 2³¹ as int32, so that signed comparison orders like unsigned. */
  private readonly thresholds: Int32Array;
  private readonly guides: Int32Array;
  private readonly guideStart: Int32Array;
  private readonly shift: Int32Array;
  /** Value of threshold slot s of table t: base[t] + s. */
  private readonly base: Int32Array;
  private readonly fallback: CellSampler;

  /**
   * @param weights summed weight of every cell
   * @param squares summed squared weight of every cell
   * @param rounds how many times every cell will be drawn (decides which tables are worth building)
   */
  constructor(weights: Float64Array, squares: Float64Array, rounds: number) {
    const n = weights.length;
    const scale = new Float64Array(n);
    // group the cells by mean (small integer means, the unit-weight case, without hashing)
    const groupOf = new Int32Array(n).fill(-1);
    const small = new Int32Array(1024).fill(-1);
    const ids = new Map<number, number>();
    const groupMean: number[] = [];
    const groupCount: number[] = [];
    for (let k = 0; k < n; k++) {
      const w = weights[k]!;
      if (!(w > 0)) continue;
      const sc = squares[k]! / w;
      const mean = w / sc;
      scale[k] = sc;
      const integer = mean < 1024 && mean === Math.floor(mean);
      let g = integer ? small[mean]! : (ids.get(mean) ?? -1);
      if (g < 0) {
        g = groupMean.length;
        if (integer) small[mean] = g;
        else ids.set(mean, g);
        groupMean.push(mean);
        groupCount.push(0);
      }
      groupOf[k] = g;
      groupCount[g]!++;
    }
    this.scale = scale;
    // the most drawn groups get tables first (a deterministic order: by count, then by mean)
    const order = groupMean.map((_, g) => g);
    order.sort((x, y) => groupCount[y]! - groupCount[x]! || groupMean[x]! - groupMean[y]!);
    const tableOf = new Int32Array(groupMean.length).fill(-1);
    const cdfs: Float64Array[] = [];
    const los: number[] = [];
    const bits: number[] = [];
    let budget = TABLE_BUDGET;
    let slotTotal = 0;
    let guideTotal = 0;
    for (const g of order) {
      const mean = groupMean[g]!;
      const estimate = Math.ceil(20 * Math.sqrt(mean)) + 8;
      if (estimate > rounds * groupCount[g]! || estimate * 5 > budget) continue;
      const { lo, cdf } = poissonCdf(mean);
      let b = 1;
      while (1 << b < 4 * cdf.length) b++;
      budget -= cdf.length + (1 << b);
      tableOf[g] = cdfs.length;
      cdfs.push(cdf);
      los.push(lo);
      bits.push(b);
      slotTotal += cdf.length;
      guideTotal += 1 << b;
    }
    const tables = cdfs.length;
    this.tables = tables;
    this.cellStart = new Int32Array(tables + 1);
    this.guideStart = new Int32Array(tables + 1);
    this.shift = new Int32Array(tables);
    this.base = new Int32Array(tables);
    this.thresholds = new Int32Array(slotTotal);
    this.guides = new Int32Array(guideTotal);
    let slotAt = 0;
    let guideAt = 0;
    for (let t = 0; t < tables; t++) {
      const cdf = cdfs[t]!;
      const size = cdf.length;
      for (let s = 0; s < size; s++) {
        // T(s) = round(F(s)·2³²), the last one 2³² (every uniform falls below it)
        const threshold =
          s === size - 1 ? 4294967296 : Math.min(4294967296, Math.round(cdf[s]! * 4294967296));
        this.thresholds[slotAt + s] = ((threshold - 1) ^ 0x80000000) | 0;
      }
      this.base[t] = los[t]! - slotAt;
      this.guideStart[t] = guideAt;
      this.shift[t] = 32 - bits[t]!;
      fillGuides(this.thresholds, slotAt, this.guides, guideAt, bits[t]!);
      slotAt += size;
      guideAt += 1 << bits[t]!;
      this.guideStart[t + 1] = guideAt;
    }
    // positions: cells in table order (counting sort), then the fallback cells
    const perTable = new Int32Array(tables);
    let drawn = 0;
    let fallbackCount = 0;
    for (let k = 0; k < n; k++) {
      const g = groupOf[k]!;
      if (g < 0) continue;
      drawn++;
      const t = tableOf[g]!;
      if (t >= 0) perTable[t]!++;
      else fallbackCount++;
    }
    for (let t = 0; t < tables; t++) this.cellStart[t + 1] = this.cellStart[t]! + perTable[t]!;
    this.order = new Int32Array(drawn);
    const fallbackWeights = new Float64Array(fallbackCount);
    const fallbackSquares = new Float64Array(fallbackCount);
    const at = this.cellStart.slice(0, tables);
    let f = 0;
    const tabled = this.cellStart[tables]!;
    for (let k = 0; k < n; k++) {
      const g = groupOf[k]!;
      if (g < 0) continue;
      const t = tableOf[g]!;
      if (t >= 0) {
        this.order[at[t]!++] = k;
      } else {
        this.order[tabled + f] = k;
        fallbackWeights[f] = weights[k]!;
        fallbackSquares[f] = squares[k]!;
        f++;
      }
    }
    this.fallback = new CellSampler(fallbackWeights, fallbackSquares);
  }

  /** Number of cells drawn from tables and by the one-at-a-time fallback (for tests and tuning). */
  get coverage(): { tabled: number; fallback: number } {
    const tabled = this.cellStart[this.tables]!;
    return { tabled, fallback: this.order.length - tabled };
  }

  /** One uniform in [0, 1) from the stream (mulberry32, as {@link createRng}). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * One round: counts[q] = Poisson(mean of cell order[q]) for every position q (unscaled: the draw of
   * cell order[q] weighs scale[order[q]] · counts[q]).
   */
  drawCounts(counts: Float64Array): void {
    const { cellStart, thresholds, guides, guideStart, shift, base } = this;
    let st = this.state;
    for (let t = 0; t < this.tables; t++) {
      const gs = guideStart[t]!;
      const sh = shift[t]!;
      const b = base[t]!;
      const end = cellStart[t + 1]!;
      for (let q = cellStart[t]!; q < end; q++) {
        // mulberry32, inlined
        st = (st + 0x6d2b79f5) | 0;
        let x = Math.imul(st ^ (st >>> 15), st | 1);
        x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
        x ^= x >>> 14;
        // inversion: the first slot whose threshold is above x, searched from the guide
        let s = guides[gs + (x >>> sh)]!;
        const key = x ^ 0x80000000;
        while (key > thresholds[s]!) s++;
        counts[q] = b + s;
      }
    }
    this.state = st;
    const fallback = this.fallback;
    const tabled = cellStart[this.tables]!;
    for (let q = tabled; q < this.order.length; q++) counts[q] = fallback.count(this, q - tabled);
  }

  /** One round, by cell: out[k] = scale[k] · Poisson(mean[k]) (empty cells are left as they are). */
  drawAll(out: Float64Array): void {
    const counts = new Float64Array(this.order.length);
    this.drawCounts(counts);
    for (let q = 0; q < counts.length; q++) {
      const k = this.order[q]!;
      out[k] = this.scale[k]! * counts[q]!;
    }
  }
}

/** Guide table of one inversion table: for each of the 2^bits buckets of the uniform, the first slot to try. */
function fillGuides(
  thresholds: Int32Array,
  first: number,
  guides: Int32Array,
  at: number,
  bits: number,
): void {
  const width = 2 ** (32 - bits);
  const count = 1 << bits;
  let s = first;
  for (let g = 0; g < count; g++) {
    // the first slot whose threshold reaches the bucket's lowest uniform
    const low = ((g * width) ^ 0x80000000) | 0;
    while (low > thresholds[s]!) s++;
    guides[at + g] = s;
  }
}

/**
 * The Poisson(mean) CDF over the values that carry probability ≥ 2⁻⁶⁴: F(lo), F(lo + 1), …, normalised
 * so that the last is 1. Built outward from the mode (no underflow of e^−mean for large means).
 */
function poissonCdf(mean: number): { lo: number; cdf: Float64Array } {
  const mode = Math.floor(mean);
  const pMode = Math.exp(-mean + mode * Math.log(mean) - logFactorial(mode));
  const below: number[] = [];
  let p = pMode;
  for (let k = mode; k > 0; k--) {
    p *= k / mean;
    if (p < TAIL) break;
    below.push(p);
  }
  const above: number[] = [];
  p = pMode;
  for (let k = mode + 1; ; k++) {
    p *= mean / k;
    if (p < TAIL) break;
    above.push(p);
  }
  const size = below.length + 1 + above.length;
  const cdf = new Float64Array(size);
  let sum = 0;
  let s = 0;
  for (let i = below.length - 1; i >= 0; i--) {
    sum += below[i]!;
    cdf[s++] = sum;
  }
  sum += pMode;
  cdf[s++] = sum;
  for (const q of above) {
    sum += q;
    cdf[s++] = sum;
  }
  for (let i = 0; i < size; i++) cdf[i]! /= sum;
  cdf[size - 1] = 1;
  // values no 32-bit uniform can reach (F(k)·2³² rounds to 0) are dropped from the front
  let skip = 0;
  while (skip < size - 1 && Math.round(cdf[skip]! * 4294967296) === 0) skip++;
  return { lo: mode - below.length + skip, cdf: cdf.subarray(skip) };
}
