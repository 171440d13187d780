/**
 * `npm run bench:bt`: our Bradley-Terry engine against the Python reference (`bt_reference.py` dense and
 * cells) on the same synthetic votes, in one run. Writes bench/results/bt.json.
 *
 * Synthetic votes: strengths θ ~ N(0, 0.8²) (natural log), pairs drawn uniformly, 20% ties, otherwise
 * the first item wins with probability 1 / (1 + e^(θb − θa)). Seeded: every run sees the same votes.
 *
 * Our timed figure (oursSeconds) is fold + plain maximum-likelihood fit + 100 bootstrap rounds with the
 * engine's default replicates: exact Poisson draws per count cell, then one Newton step from the fit with
 * its cached Cholesky factor (the one-step, linearised bootstrap: first-order equivalent to refitting
 * every round, not identical). The same rounds refitted to convergence are timed and compared alongside.
 * Ours is the median of several from-scratch repetitions (all listed), the peers' the median of theirs.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addVote,
  addVotesByIndex,
  bradleyTerryIntervals,
  createPairCounts,
  createRng,
  fitBradleyTerry,
  type PairOutcome,
} from '@jury/stats';
import { describeMachine } from './machine.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const peer = path.resolve(here, '../../shared/peers/bt_reference.py');
const OUTCOMES: PairOutcome[] = ['a', 'b', 'tie'];
const WINNER = ['model_a', 'model_b', 'tie'];

interface Votes {
  names: string[];
  a: Int32Array;
  b: Int32Array;
  outcome: Uint8Array;
}

function syntheticVotes(models: number, votes: number, seed: number): Votes {
  const rng = createRng(seed);
  const theta = Array.from({ length: models }, () => 0.8 * rng.normal());
  const names = Array.from({ length: models }, (_, i) => `model-${String(i).padStart(4, '0')}`);
  const a = new Int32Array(votes);
  const b = new Int32Array(votes);
  const outcome = new Uint8Array(votes);
  for (let v = 0; v < votes; v++) {
    const i = rng.int(models);
    let j = rng.int(models - 1);
    if (j >= i) j++;
    a[v] = i;
    b[v] = j;
    if (rng.next() < 0.2) outcome[v] = 2;
    else outcome[v] = rng.next() < 1 / (1 + Math.exp(theta[j]! - theta[i]!)) ? 0 : 1;
  }
  return { names, a, b, outcome };
}

async function writeJsonLines(votes: Votes, file: string): Promise<void> {
  const out = createWriteStream(file);
  const chunk: string[] = [];
  for (let v = 0; v < votes.a.length; v++) {
    chunk.push(
      `{"model_a":"${votes.names[votes.a[v]!]}","model_b":"${votes.names[votes.b[v]!]}","winner":"${WINNER[votes.outcome[v]!]}"}\n`,
    );
    if (chunk.length === 100000) {
      if (!out.write(chunk.join(''))) await new Promise((r) => out.once('drain', r));
      chunk.length = 0;
    }
  }
  out.write(chunk.join(''));
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

function findPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import sklearn, scipy'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

interface PeerResult {
  seconds: number;
  wallSeconds: number;
  ratings: Record<string, number>;
}

function runPeer(python: string, method: string, file: string): PeerResult {
  const start = performance.now();
  const run = spawnSync(python, [peer, method, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallSeconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`bt_reference.py ${method} failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout) as { seconds: number; ratings: Record<string, number> };
  return { seconds: out.seconds, wallSeconds, ratings: out.ratings };
}

interface OursResult {
  foldSeconds: number;
  foldByNameSeconds: number;
  autoFitSeconds: number;
  autoWarnings: string[];
  maxAbsDiffAutoVsPlain: number;
  nonConvergedRounds: number;
  fitSeconds: number;
  sandwichSeconds: number;
  bootstrapSeconds: number;
  bootstrapFullSeconds: number;
  bootstrapFullNonConvergedRounds: number;
  maxEndpointDiffOneStepVsFull: number;
  maxEndpointDiffOneStepVsFullShareOfWidth: number;
  bootstrapRounds: number;
  oursSeconds: number;
  oursRuns: number[];
  iterations: number;
  method: string;
  converged: boolean;
  ratings: Record<string, number>;
  maxSandwichHalfWidth: number;
  maxBootstrapHalfWidth: number;
}

interface Headline {
  fold: number;
  fit: number;
  bootstrap: number;
  total: number;
  counts: ReturnType<typeof createPairCounts>;
  fitted: ReturnType<typeof fitBradleyTerry>;
  boot: ReturnType<typeof bradleyTerryIntervals>;
}

/**
 * The timed figure: fold the integer-coded votes, the plain maximum-likelihood fit, and `rounds`
 * bootstrap rounds with the default replicates (one-step, see BootstrapRefit), from scratch every time.
 */
function headline(votes: Votes, rounds: number): Headline {
  const { names, a, b, outcome } = votes;
  // Fold from integer-coded votes: the peer's timer also starts after its votes are coded as integer
  // arrays (its cells method then collapses them with np.unique inside the timer, as we fold here).
  const t0 = performance.now();
  const counts = createPairCounts(names);
  addVotesByIndex(counts, a, b, outcome);
  const t1 = performance.now();
  // the same estimator as the peers: plain maximum likelihood (the default 'auto' adds a sensitivity refit)
  const fit = fitBradleyTerry(counts, { penalty: 'none' });
  const t2 = performance.now();
  const boot = bradleyTerryIntervals(counts, fit, { method: 'bootstrap', rounds, seed: 1 });
  const t3 = performance.now();
  return {
    fold: (t1 - t0) / 1000,
    fit: (t2 - t1) / 1000,
    bootstrap: (t3 - t2) / 1000,
    total: (t3 - t0) / 1000,
    counts,
    fitted: fit,
    boot,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function runOurs(votes: Votes, rounds: number, reps: number): OursResult {
  const { names, a, b, outcome } = votes;
  const runs: Headline[] = [];
  for (let r = 0; r < reps; r++) runs.push(headline(votes, rounds));
  const { counts, fitted: fit, boot } = runs[runs.length - 1]!;
  // for the record: the same rounds refitted in full (same seed, so the same draws)
  const tf = performance.now();
  const full = bradleyTerryIntervals(counts, fit, { method: 'bootstrap', rounds, seed: 1, refit: 'full' });
  const fullSeconds = (performance.now() - tf) / 1000;
  const t3 = performance.now();
  const sandwich = bradleyTerryIntervals(counts, fit);
  const t4 = performance.now();
  const auto = fitBradleyTerry(counts);
  const t5 = performance.now();
  // folding by model name, as a server receiving votes would (informational)
  const byName = createPairCounts();
  for (let v = 0; v < a.length; v++) addVote(byName, names[a[v]!]!, names[b[v]!]!, OUTCOMES[outcome[v]!]!);
  const t6 = performance.now();
  const ratings: Record<string, number> = {};
  fit.items.forEach((item, i) => {
    ratings[item] = fit.ratings[i]!;
  });
  let maxSandwich = 0;
  let maxBoot = 0;
  let maxAutoDiff = 0;
  let maxEndpoint = 0;
  let maxEndpointShare = 0;
  for (let i = 0; i < fit.items.length; i++) {
    maxSandwich = Math.max(maxSandwich, (sandwich.upper[i]! - sandwich.lower[i]!) / 2);
    maxBoot = Math.max(maxBoot, (boot.upper[i]! - boot.lower[i]!) / 2);
    maxAutoDiff = Math.max(maxAutoDiff, Math.abs(auto.ratings[i]! - fit.ratings[i]!));
    const d = Math.max(Math.abs(boot.lower[i]! - full.lower[i]!), Math.abs(boot.upper[i]! - full.upper[i]!));
    maxEndpoint = Math.max(maxEndpoint, d);
    maxEndpointShare = Math.max(maxEndpointShare, d / (full.upper[i]! - full.lower[i]!));
  }
  return {
    foldSeconds: median(runs.map((r) => r.fold)),
    foldByNameSeconds: (t6 - t5) / 1000,
    fitSeconds: median(runs.map((r) => r.fit)),
    autoFitSeconds: (t5 - t4) / 1000,
    autoWarnings: auto.warnings.map((w) => w.kind),
    maxAbsDiffAutoVsPlain: maxAutoDiff,
    sandwichSeconds: (t4 - t3) / 1000,
    bootstrapSeconds: median(runs.map((r) => r.bootstrap)),
    bootstrapFullSeconds: fullSeconds,
    bootstrapFullNonConvergedRounds: full.nonConvergedRounds ?? 0,
    maxEndpointDiffOneStepVsFull: maxEndpoint,
    maxEndpointDiffOneStepVsFullShareOfWidth: maxEndpointShare,
    bootstrapRounds: rounds,
    nonConvergedRounds: boot.nonConvergedRounds ?? 0,
    // the headline figure: fold + fit + bootstrap (the sandwich is reported separately), median of reps
    oursSeconds: median(runs.map((r) => r.total)),
    oursRuns: runs.map((r) => r.total),
    iterations: fit.iterations,
    method: fit.method,
    converged: fit.converged,
    ratings,
    maxSandwichHalfWidth: maxSandwich,
    maxBootstrapHalfWidth: maxBoot,
  };
}

function maxAbsDiffCentred(x: Record<string, number>, y: Record<string, number>): number {
  const keys = Object.keys(x);
  const mx = keys.reduce((s, k) => s + x[k]!, 0) / keys.length;
  const my = keys.reduce((s, k) => s + y[k]!, 0) / keys.length;
  let max = 0;
  for (const k of keys) max = Math.max(max, Math.abs(x[k]! - mx - (y[k]! - my)));
  return max;
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

function summariseOurs(o: OursResult): Record<string, unknown> {
  return {
    oursSeconds: round(o.oursSeconds),
    oursRunsSeconds: o.oursRuns.map((x) => round(x)),
    oursFoldSeconds: round(o.foldSeconds),
    oursFitSeconds: round(o.fitSeconds),
    oursBootstrapSeconds: round(o.bootstrapSeconds),
    oursBootstrapRefit: 'one-step',
    oursBootstrapNonConvergedRounds: o.nonConvergedRounds,
    oursBootstrapFullRefitSeconds: round(o.bootstrapFullSeconds),
    oursBootstrapFullRefitNonConvergedRounds: o.bootstrapFullNonConvergedRounds,
    maxBootstrapEndpointDiffEloOneStepVsFull: round(o.maxEndpointDiffOneStepVsFull, 4),
    maxBootstrapEndpointDiffShareOfWidthOneStepVsFull: round(o.maxEndpointDiffOneStepVsFullShareOfWidth, 4),
    oursFoldByNameSeconds: round(o.foldByNameSeconds),
    oursDefaultAutoFitSeconds: round(o.autoFitSeconds),
    oursDefaultAutoWarnings: o.autoWarnings,
    maxAbsDiffEloDefaultAutoVsPlain: round(o.maxAbsDiffAutoVsPlain, 9),
    oursSandwichSeconds: round(o.sandwichSeconds),
    bootstrapRounds: o.bootstrapRounds,
    oursMethod: o.method,
    oursIterations: o.iterations,
    oursConverged: o.converged,
    maxSandwichHalfWidthElo: round(o.maxSandwichHalfWidth, 2),
    maxBootstrapHalfWidthElo: round(o.maxBootstrapHalfWidth, 2),
  };
}

async function scenario(
  label: string,
  models: number,
  voteCount: number,
  peers: ('dense' | 'cells')[],
  skipped: Record<string, string>,
  python: string | undefined,
  workDir: string,
  reps: { ours: number; peers: number },
): Promise<Record<string, unknown>> {
  console.log(`[${label}] generating ${voteCount} votes over ${models} models`);
  const votes = syntheticVotes(models, voteCount, 20240220 + models + voteCount);
  const ours = runOurs(votes, 100, reps.ours);
  console.log(
    `[${label}] ours (median of ${reps.ours}): ${ours.oursSeconds.toFixed(4)} s = fold ${ours.foldSeconds.toFixed(4)} s, ` +
      `fit ${ours.fitSeconds.toFixed(4)} s, bootstrap×100 (one-step) ${ours.bootstrapSeconds.toFixed(4)} s; ` +
      `runs ${ours.oursRuns.map((x) => x.toFixed(4)).join(' ')}; full-refit bootstrap ${ours.bootstrapFullSeconds.toFixed(4)} s, ` +
      `sandwich ${ours.sandwichSeconds.toFixed(3)} s`,
  );
  const result: Record<string, unknown> = {
    label,
    votes: voteCount,
    models,
    ties: 0.2,
    ...summariseOurs(ours),
  };
  if (!python) {
    result.peerSkipped = 'python3 with scikit-learn and scipy not found (apt-get install -y python3-sklearn)';
    return result;
  }
  if (peers.length > 0) {
    const file = path.join(workDir, `votes-${models}-${voteCount}.jsonl`);
    const t = performance.now();
    await writeJsonLines(votes, file);
    console.log(`[${label}] wrote ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (const method of peers) {
      const runs: PeerResult[] = [];
      for (let r = 0; r < reps.peers; r++) {
        console.log(`[${label}] running bt_reference.py ${method} (${r + 1}/${reps.peers})`);
        runs.push(runPeer(python, method, file));
      }
      const seconds = median(runs.map((p) => p.seconds));
      const wallSeconds = median(runs.map((p) => p.wallSeconds));
      const diff = maxAbsDiffCentred(ours.ratings, runs[0]!.ratings);
      console.log(
        `[${label}] ${method}: fit ${seconds.toFixed(2)} s (median of ${reps.peers}: ${runs.map((p) => p.seconds.toFixed(2)).join(' ')}; ` +
          `wall ${wallSeconds.toFixed(1)} s), ratio ${(seconds / ours.oursSeconds).toFixed(1)}×, max |Δ| ${diff.toExponential(2)} Elo`,
      );
      result[`${method}Seconds`] = round(seconds);
      result[`${method}RunsSeconds`] = runs.map((p) => round(p.seconds));
      result[`${method}WallSeconds`] = round(wallSeconds, 2);
      result[`${method}SpeedupVsOurs`] = round(seconds / ours.oursSeconds, 1);
      // the same with every bootstrap round refitted in full, and without the bootstrap, for the record
      result[`${method}SpeedupVsOursWithFullRefitBootstrap`] = round(
        seconds / (ours.foldSeconds + ours.fitSeconds + ours.bootstrapFullSeconds),
        1,
      );
      result[`${method}SpeedupVsOursWithoutBootstrap`] = round(
        seconds / (ours.foldSeconds + ours.fitSeconds),
        1,
      );
      result[`maxAbsDiffEloVs${method === 'dense' ? 'Dense' : 'Cells'}`] = round(diff, 9);
    }
    rmSync(file, { force: true });
  }
  if (Object.keys(skipped).length > 0) result.peerSkipped = skipped;
  return result;
}

async function main(): Promise<void> {
  const started = performance.now();
  // --ours-only: time our engine alone, for development; prints but does not write the result file
  const oursOnly = process.argv.includes('--ours-only');
  const python = oursOnly ? undefined : findPython();
  // warm the JIT on a different data set of the same shape (another seed), as a long-running server would be
  runOurs(syntheticVotes(100, 1_000_000, 1), 100, 3);
  if (!python && !oursOnly) console.log('python3 with scikit-learn/scipy not found: peers skipped');
  if (python && !existsSync(peer)) throw new Error(`peer not found at ${peer}`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'jury-bench-bt-'));
  try {
    const main1m = await scenario(
      '1M votes, 100 models',
      100,
      1_000_000,
      ['dense', 'cells'],
      {},
      python,
      workDir,
      { ours: 7, peers: 3 },
    );
    const big = await scenario(
      '10M votes, 100 models',
      100,
      10_000_000,
      ['cells'],
      { dense: 'the dense design would be 20M rows × 100 float64 = 16 GB and take many minutes' },
      python,
      workDir,
      { ours: 3, peers: 1 },
    );
    const wide = await scenario(
      '1M votes, 1,000 models',
      1000,
      1_000_000,
      ['cells'],
      { dense: 'the dense design would be 2M rows × 1,000 float64 = 16 GB' },
      python,
      workDir,
      { ours: 3, peers: 1 },
    );
    const result = {
      benchmark: 'bt',
      date: new Date().toISOString(),
      machine: describeMachine(),
      python: python ?? null,
      votes: main1m.votes,
      models: main1m.models,
      oursSeconds: main1m.oursSeconds,
      oursBootstrapSeconds: main1m.oursBootstrapSeconds,
      denseSeconds: main1m.denseSeconds ?? null,
      cellsSeconds: main1m.cellsSeconds ?? null,
      maxAbsDiffEloVsCells: main1m.maxAbsDiffEloVsCells ?? null,
      maxAbsDiffEloVsDense: main1m.maxAbsDiffEloVsDense ?? null,
      speedupVsDense: main1m.denseSpeedupVsOurs ?? null,
      speedupVsCells: main1m.cellsSpeedupVsOurs ?? null,
      targets: {
        speedupVsDense: 100,
        speedupVsCells: 20,
        maxAbsDiffEloVsCells: 0.05,
        metSpeedupVsDense:
          typeof main1m.denseSpeedupVsOurs === 'number' ? main1m.denseSpeedupVsOurs >= 100 : null,
        metSpeedupVsCells:
          typeof main1m.cellsSpeedupVsOurs === 'number' ? main1m.cellsSpeedupVsOurs >= 20 : null,
        metEqualRatings:
          typeof main1m.maxAbsDiffEloVsCells === 'number' ? main1m.maxAbsDiffEloVsCells <= 0.05 : null,
      },
      notes:
        'oursSeconds = folding the integer-coded votes into pair counts + the plain maximum-likelihood fit + ' +
        '100 Poisson-bootstrap rounds (exact Poisson draws per count cell) with the default one-step ' +
        "replicates (refit: 'one-step': one Newton step from the fit with its cached Cholesky factor, the " +
        'linearised bootstrap, first-order equivalent to refitting each round, not identical); median of ' +
        'the repetitions listed in oursRunsSeconds, each from scratch (fold, fit, bootstrap). The same ' +
        "rounds refitted to convergence (refit: 'full', same draws) are timed once as " +
        'oursBootstrapFullRefitSeconds, with the largest interval-endpoint difference between the two ' +
        '(maxBootstrapEndpointDiff*) and the speedups they would give (*SpeedupVsOursWithFullRefitBootstrap). ' +
        'The peer seconds are what bt_reference.py reports (median of its repetitions): its fit from ' +
        'integer-coded votes (cells includes collapsing them with np.unique), excluding reading and coding ' +
        'the JSON; *WallSeconds are the whole peer process. Folding by model name, the sandwich intervals ' +
        'and the default fit (penalty auto, which adds a weak-prior sensitivity refit) are timed separately, ' +
        'once. Our code is JIT-warmed first on an unrelated data set of the same shape (1,000,000 votes over ' +
        '100 models, another seed; three passes). ' +
        'Ratings are compared after centring. The machine is shared: other processes may have been running.',
      scenarios: [main1m, big, wide],
      totalBenchSeconds: round((performance.now() - started) / 1000, 1),
    };
    if (!oursOnly) {
      mkdirSync(path.join(here, 'results'), { recursive: true });
      writeFileSync(path.join(here, 'results', 'bt.json'), `${JSON.stringify(result, null, 2)}\n`);
    }
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
