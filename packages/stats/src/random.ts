/**
 * Seeded pseudo-random numbers for simulations, bootstraps and randomized matchmaking.
 * Everything in `@jury/stats` that draws random numbers takes a {@link Rng} so runs are reproducible.
 */

/** A source of uniform numbers in [0, 1) plus the derived draws the package needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Gamma(shape, 1). */
  gamma(shape: number): number;
  /** Poisson(lambda). */
  poisson(lambda: number): number;
  /** Binomial(n, p). */
  binomial(n: number, p: number): number;
}

/**
 * The mulberry32 generator: a 32-bit state, period 2^32, fast and good enough for statistics
 * (not for cryptography). Returns uniforms in [0, 1) with 32 bits of resolution.
 *
 * @example
 * const u = mulberry32(42);
 * u(); // 0.6011037519201636
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Creates a seeded {@link Rng} (mulberry32 underneath; normals by Box-Muller with caching,
 * gammas by Marsaglia-Tsang, Poissons by inversion for small means and a normal approximation
 * with continuity correction above 500).
 *
 * @example
 * const rng = createRng(7);
 * rng.int(6); // a die roll in 0..5
 * rng.normal(); // a standard normal draw
 */
export function createRng(seed: number): Rng {
  const u = mulberry32(seed);
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let a = 0;
    while (a === 0) a = u();
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
  const gamma = (shape: number): number => {
    if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
    if (shape < 1) {
      let v = 0;
      while (v === 0) v = u();
      return gamma(shape + 1) * v ** (1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const w = u();
      if (w < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  const poisson = (lambda: number): number => {
    if (!(lambda >= 0)) throw new RangeError(`poisson mean must be >= 0, got ${lambda}`);
    if (lambda === 0) return 0;
    if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
    // Inversion by sequential search; exact for moderate means.
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    const target = u();
    while (target > cdf && k < 10000) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  };
  const binomial = (n: number, p: number): number => {
    if (n < 64) {
      let k = 0;
      for (let i = 0; i < n; i++) if (u() < p) k++;
      return k;
    }
    const mean = n * p;
    const sd = Math.sqrt(mean * (1 - p));
    return Math.min(n, Math.max(0, Math.round(mean + sd * normal())));
  };
  return {
    next: u,
    int: (n: number) => Math.floor(u() * n),
    normal,
    gamma,
    poisson,
    binomial,
  };
}

/**
 * Shuffles an array in place (Fisher-Yates) and returns it.
 *
 * @example
 * shuffle([1, 2, 3, 4], createRng(1)); // a permutation of 1..4
 */
export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}
