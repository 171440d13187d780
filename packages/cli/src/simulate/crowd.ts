import { createRng, type Rng, shuffle } from '@jury/stats';

// Who the simulated labelers are: behaviour, accuracy, country and language, drawn reproducibly from a seed.

export type SimulatedBehaviour = 'accurate' | 'random' | 'adversarial';

export interface SimulatedLabelerSpec {
  index: number;
  behaviour: SimulatedBehaviour;
  /** Probability of answering what the truth oracle says (0 for adversarial; null for random labelers). */
  accuracy: number | null;
  country: string | null;
  language: string | null;
}

/** A per-labeler accuracy distribution: a fixed value, uniform on [min, max], or Beta(a, b). */
export type AccuracyDistribution =
  | { type: 'fixed'; value: number }
  | { type: 'uniform'; min: number; max: number }
  | { type: 'beta'; a: number; b: number };

const unit = (v: number, what: string) => {
  if (!(Number.isFinite(v) && v >= 0 && v <= 1)) throw new RangeError(`${what} must be in [0, 1], got ${v}.`);
  return v;
};

/**
 * Parses `0.9`, `fixed:0.9`, `uniform:0.6-0.95` or `beta:8,2`.
 *
 * @example
 * parseAccuracyDistribution('uniform:0.6-0.95'); // { type: 'uniform', min: 0.6, max: 0.95 }
 */
export function parseAccuracyDistribution(text: string): AccuracyDistribution {
  const s = text.trim();
  const bad = () =>
    new RangeError(
      `Unknown accuracy distribution "${text}"; use a number (0.9), uniform:MIN-MAX (uniform:0.6-0.95) or beta:A,B (beta:8,2).`,
    );
  if (/^[\d.]+$/.test(s)) return { type: 'fixed', value: unit(Number(s), 'accuracy') };
  const [kind, args = ''] = s.split(':', 2) as [string, string | undefined];
  if (kind === 'fixed') return { type: 'fixed', value: unit(Number(args), 'accuracy') };
  if (kind === 'uniform') {
    const m = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(args);
    if (!m) throw bad();
    const min = unit(Number(m[1]), 'uniform min');
    const max = unit(Number(m[2]), 'uniform max');
    if (min > max) throw new RangeError(`uniform:${args}: the minimum is above the maximum.`);
    return { type: 'uniform', min, max };
  }
  if (kind === 'beta') {
    const m = /^([\d.]+)\s*,\s*([\d.]+)$/.exec(args);
    const a = Number(m?.[1]);
    const b = Number(m?.[2]);
    if (!m || !(a > 0 && b > 0))
      throw new RangeError(`beta:${args}: give two positive numbers, e.g. beta:8,2.`);
    return { type: 'beta', a, b };
  }
  throw bad();
}

export function drawAccuracy(d: AccuracyDistribution, rng: Rng): number {
  switch (d.type) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * rng.next();
    case 'beta': {
      const x = rng.gamma(d.a);
      const y = rng.gamma(d.b);
      return x / (x + y);
    }
  }
}

export interface CrowdOptions {
  labelers: number;
  accuracy: AccuracyDistribution;
  /** Share of labelers who answer uniformly at random. */
  randomShare: number;
  /** Share of labelers who answer wrong on purpose. */
  adversarialShare: number;
  /** Countries to sample from (uniformly); empty means no country in the profile. */
  countries: readonly string[];
  languages: readonly string[];
  seed: number;
}

/** The crowd: `round(n·share)` random and adversarial labelers (placed at random), the rest accurate. */
export function drawCrowd(options: CrowdOptions): SimulatedLabelerSpec[] {
  const { labelers: n } = options;
  unit(options.randomShare, 'random share');
  unit(options.adversarialShare, 'adversarial share');
  if (options.randomShare + options.adversarialShare > 1)
    throw new RangeError('The random and adversarial shares add up to more than 1.');
  const rng = createRng(options.seed);
  const nRandom = Math.round(n * options.randomShare);
  const nAdversarial = Math.min(n - nRandom, Math.round(n * options.adversarialShare));
  const behaviours: SimulatedBehaviour[] = shuffle(
    Array.from({ length: n }, (_, i) =>
      i < nRandom ? 'random' : i < nRandom + nAdversarial ? 'adversarial' : 'accurate',
    ),
    rng,
  );
  const pick = (list: readonly string[]) => (list.length ? (list[rng.int(list.length)] ?? null) : null);
  return behaviours.map((behaviour, index) => ({
    index,
    behaviour,
    accuracy:
      behaviour === 'accurate' ? drawAccuracy(options.accuracy, rng) : behaviour === 'adversarial' ? 0 : null,
    country: pick(options.countries),
    language: pick(options.languages),
  }));
}
