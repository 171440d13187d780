/**
 * Simulated crowds for benchmarks, tests and the budget planner: items with true Bradley-Terry
 * strengths, labelers with a reliability η (the Crowd-BT model: with probability η a vote follows the
 * strengths, otherwise it is reversed), and honest / random / adversarial shares.
 */
import type { Rng } from '../random.ts';

/** How a simulated labeler behaves. */
export type LabelerKind = 'honest' | 'random' | 'adversarial';

/** A simulated labeler. */
export interface SimulatedLabeler {
  id: string;
  kind: LabelerKind;
  /** Probability that a vote follows the strengths (else it is reversed): Crowd-BT's η. */
  eta: number;
}

/** Options of {@link simulateCrowd}. */
export interface CrowdOptions {
  /** Number of labelers. */
  labelers: number;
  /** Share of random labelers (η = 0.5, votes carry no information). Default 0. */
  randomShare?: number;
  /** Share of adversarial labelers (η drawn from `adversarialEta`, votes mostly reversed). Default 0. */
  adversarialShare?: number;
  /** Range of η for honest labelers. Default [0.8, 1]. */
  honestEta?: [number, number];
  /** Range of η for adversarial labelers. Default [0, 0.2]. */
  adversarialEta?: [number, number];
}

/**
 * Draws true strengths (natural-log Bradley-Terry scale) for `n` items: normal with standard deviation
 * `sd` (default 1, about 174 Elo), centred to mean 0.
 *
 * @example
 * const theta = simulateStrengths(20, createRng(1)); // 20 strengths, mean 0
 */
export function simulateStrengths(n: number, rng: Rng, sd = 1): number[] {
  const theta = Array.from({ length: n }, () => sd * rng.normal());
  const mean = theta.reduce((a, b) => a + b, 0) / Math.max(1, n);
  return theta.map((t) => t - mean);
}

/**
 * Creates labelers with the requested shares of random and adversarial behaviour (counts are rounded;
 * the rest are honest). Kinds are assigned in a shuffled order so ids carry no information.
 *
 * @example
 * const crowd = simulateCrowd({ labelers: 50, randomShare: 0.2, adversarialShare: 0.1 }, createRng(3));
 * crowd.filter((l) => l.kind === 'random').length; // 10
 */
export function simulateCrowd(options: CrowdOptions, rng: Rng): SimulatedLabeler[] {
  const n = options.labelers;
  const nRandom = Math.round(n * (options.randomShare ?? 0));
  const nAdv = Math.round(n * (options.adversarialShare ?? 0));
  if (nRandom + nAdv > n) throw new RangeError('random and adversarial shares exceed the crowd');
  const [hLo, hHi] = options.honestEta ?? [0.8, 1];
  const [aLo, aHi] = options.adversarialEta ?? [0, 0.2];
  const kinds: LabelerKind[] = [
    ...Array<LabelerKind>(nAdv).fill('adversarial'),
    ...Array<LabelerKind>(nRandom).fill('random'),
    ...Array<LabelerKind>(n - nRandom - nAdv).fill('honest'),
  ];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = kinds[i]!;
    kinds[i] = kinds[j]!;
    kinds[j] = t;
  }
  return kinds.map((kind, i) => {
    const eta =
      kind === 'random'
        ? 0.5
        : kind === 'honest'
          ? hLo + (hHi - hLo) * rng.next()
          : aLo + (aHi - aLo) * rng.next();
    return { id: `labeler-${i}`, kind, eta };
  });
}

/**
 * Probability that item `a` wins against `b` in a vote by a labeler with reliability `eta`:
 * `η·σ(θa − θb) + (1 − η)·σ(θb − θa)`.
 *
 * @example
 * voteProbability(1, 0, 1); // σ(1) ≈ 0.731
 * voteProbability(1, 0, 0.5); // 0.5
 */
export function voteProbability(thetaA: number, thetaB: number, eta = 1): number {
  const p = 1 / (1 + Math.exp(thetaB - thetaA));
  return eta * p + (1 - eta) * (1 - p);
}

/**
 * Simulates one vote between items `a` and `b` (indices into `strengths`): true when `a` wins.
 *
 * @example
 * const rng = createRng(5);
 * simulateVote([2, -2], 0, 1, 1, rng); // true with probability σ(4) ≈ 0.98
 */
export function simulateVote(
  strengths: readonly number[],
  a: number,
  b: number,
  eta: number,
  rng: Rng,
): boolean {
  return rng.next() < voteProbability(strengths[a]!, strengths[b]!, eta);
}

/**
 * Simulates `count` gold answers of a labeler (comparisons with a known winner) as correct/incorrect:
 * a labeler is right with probability η on each (the gold pairs are taken as clear-cut).
 *
 * @example
 * simulateGoldAnswers({ id: 'l', kind: 'honest', eta: 0.9 }, 10, createRng(1)); // ≈ 9 of 10 correct
 */
export function simulateGoldAnswers(
  labeler: SimulatedLabeler,
  count: number,
  rng: Rng,
): { correct: boolean }[] {
  return Array.from({ length: count }, () => ({ correct: rng.next() < labeler.eta }));
}
