/**
 * `npm run bench:matchmaking`: votes needed until the fitted ranking reaches Kendall tau ≥ 0.85 against the
 * truth, for uniformly random pairs, the reference platform's documented scheme (50% random, 50% closest
 * rating) and Jury's active matchmaking (`proposePairs` with its defaults), at 20 and 100 items.
 * Writes bench/results/matchmaking.json.
 *
 * Setup, identical for the three schemes in a run: true strengths θ ~ N(0, 1) natural-log units (sd ≈ 174
 * Elo; the two groups of the real GenAI-Arena leaderboard in ../shared/data have sd ≈ 100 and ≈ 200 Elo),
 * perfect Bradley-Terry voters, the same seed per run for the strengths. Every `check` votes the ranking is
 * refitted (Bradley-Terry, weak prior, the same estimator for every scheme) and compared with the truth;
 * the first checkpoint with tau ≥ 0.85 counts. The adaptive schemes refit their posterior every batch of
 * `batch` pairs. Reported: the median over the runs (runs that never reach the target count as infinite).
 *
 * Usage: node bench/matchmaking.ts [runs (100 items, default 40)] [runs at 20 items (default 200)]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  activeScheme,
  closestRatingScheme,
  createRng,
  type PairScheme,
  randomPairScheme,
  simulateStrengths,
  votesToReachTau,
} from '@jury/stats';
import { describeMachine } from './machine.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Runs per size: the median of first-crossing times is heavy-tailed, so the cheap 20-item case gets
// more runs; the top-level `runs` is the smallest of them.
const runs = Number(process.argv[2] ?? 40);
const runs20 = Number(process.argv[3] ?? 200);
const TARGET_TAU = 0.85;

const SIZES = [
  { key: 'items20', items: 20, check: 10, batch: 5, runs: runs20 },
  { key: 'items100', items: 100, check: 50, batch: 10, runs },
] as const;

const SCHEMES: { name: 'random' | 'closest' | 'ours'; make: () => PairScheme }[] = [
  { name: 'random', make: () => randomPairScheme() },
  { name: 'closest', make: () => closestRatingScheme(0.5) },
  { name: 'ours', make: () => activeScheme() },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

const result: Record<string, unknown> = {
  machine: describeMachine(),
  runs: Math.min(runs, runs20),
  targetTau: TARGET_TAU,
  strengthSd: 1,
};
const details: Record<string, unknown> = {};
for (const size of SIZES) {
  const perScheme: Record<string, number[]> = { random: [], closest: [], ours: [] };
  const seconds: Record<string, number> = { random: 0, closest: 0, ours: 0 };
  for (let r = 0; r < size.runs; r++) {
    const strengths = simulateStrengths(size.items, createRng(10_000 + r));
    for (const scheme of SCHEMES) {
      const t0 = performance.now();
      const votes = votesToReachTau({
        strengths,
        scheme: scheme.make(),
        rng: createRng(20_000 + r),
        targetTau: TARGET_TAU,
        checkEvery: size.check,
        maxVotes: size.items * 500,
        batchSize: size.batch,
      });
      seconds[scheme.name]! += (performance.now() - t0) / 1000;
      perScheme[scheme.name]!.push(votes ?? Number.POSITIVE_INFINITY);
    }
    process.stdout.write(`\r${size.key}: run ${r + 1}/${size.runs}`);
  }
  process.stdout.write('\n');
  const med = {
    random: median(perScheme.random!),
    closest: median(perScheme.closest!),
    ours: median(perScheme.ours!),
  };
  result[size.key] = med;
  details[size.key] = {
    runs: size.runs,
    items: size.items,
    checkEvery: size.check,
    batchSize: size.batch,
    oursOverRandom: med.ours / med.random,
    closestOverRandom: med.closest / med.random,
    perRun: Object.fromEntries(
      Object.entries(perScheme).map(([k, v]) => [k, v.map((x) => (Number.isFinite(x) ? x : null))]),
    ),
    seconds,
  };
  console.log(
    `${size.key}: median votes to tau ${TARGET_TAU}: random ${med.random}, closest ${med.closest}, ours ${med.ours}` +
      ` (ours/random ${(med.ours / med.random).toFixed(3)}; target ≤ 0.6)`,
  );
}
// Context (not part of the targets): the same experiment at 20 items with a wider field (θ sd 2, ≈ 350 Elo),
// and an oracle that knows the true strengths and pairs the least-compared item with a random item within
// 1 natural-log unit of it (always informative, near-even pairs): it shows how much room pairing has at all.
function contextRun(label: string, sd: number, schemes: { name: string; make: () => PairScheme }[]) {
  const per: Record<string, number[]> = {};
  for (const s of schemes) per[s.name] = [];
  for (let r = 0; r < runs20; r++) {
    const strengths = simulateStrengths(20, createRng(10_000 + r), sd);
    for (const s of schemes) {
      const votes = votesToReachTau({
        strengths,
        scheme: s.make(),
        rng: createRng(20_000 + r),
        targetTau: TARGET_TAU,
        checkEvery: 10,
        maxVotes: 20 * 500,
        batchSize: 5,
      });
      per[s.name]!.push(votes ?? Number.POSITIVE_INFINITY);
    }
  }
  const med = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, median(v)]));
  console.log(`${label}: ${JSON.stringify(med)}`);
  return med;
}
function oracleNeighbour(strengths: readonly number[], width: number): PairScheme {
  const n = strengths.length;
  const seen = new Float64Array(n);
  return (_counts, batchSize, rng) =>
    Array.from({ length: batchSize }, (): [number, number] => {
      let i = 0;
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < n; k++) {
        const v = seen[k]! + rng.next() * 0.5;
        if (v < best) {
          best = v;
          i = k;
        }
      }
      const near = [...Array(n).keys()].filter(
        (j) => j !== i && Math.abs(strengths[i]! - strengths[j]!) < width,
      );
      const pool = near.length > 0 ? near : [...Array(n).keys()].filter((j) => j !== i);
      const j = pool[rng.int(pool.length)]!;
      seen[i]! += 1;
      seen[j]! += 1;
      return [i, j];
    });
}
details.items20WideField = contextRun('items20, θ sd 2', 2, SCHEMES);
{
  const per: number[] = [];
  for (let r = 0; r < runs20; r++) {
    const strengths = simulateStrengths(20, createRng(10_000 + r));
    const votes = votesToReachTau({
      strengths,
      scheme: oracleNeighbour(strengths, 1),
      rng: createRng(20_000 + r),
      targetTau: TARGET_TAU,
      checkEvery: 10,
      maxVotes: 20 * 500,
      batchSize: 5,
    });
    per.push(votes ?? Number.POSITIVE_INFINITY);
  }
  details.items20OracleNeighbour = median(per);
  console.log(`items20, oracle neighbour pairing (knows θ): ${median(per)}`);
}
// Fisher information of one vote about θi − θj is p(1 − p): 0.25 for an even pair, and on average over
// uniformly random pairs (Δ ~ N(0, 2) for θ ~ N(0, 1)) the value below. Even if every vote were an even
// match and every unit of information were worth the same, pairing could save at most 1 − ratio.
{
  let info = 0;
  const steps = 200_000;
  for (let k = 0; k < steps; k++) {
    const d = -20 + (40 * (k + 0.5)) / steps;
    const p = 1 / (1 + Math.exp(-d));
    const density = Math.exp((-d * d) / 4) / Math.sqrt(4 * Math.PI);
    info += p * (1 - p) * density * (40 / steps);
  }
  details.informationPerVote = { randomPairMean: info, evenPair: 0.25, ratio: info / 0.25 };
  console.log(
    `information per vote: random pair ${info.toFixed(4)} vs even pair 0.25 (ratio ${(info / 0.25).toFixed(3)})`,
  );
}
result.details = details;
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'matchmaking.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('wrote bench/results/matchmaking.json');
