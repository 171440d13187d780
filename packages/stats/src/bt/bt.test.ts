import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner, not I/O in the package
import { describe, test } from 'node:test';
import { createRng } from '../random.ts';
import { fitBradleyTerry, penaltyFromPriorSd, SKLEARN_DEFAULT_PENALTY } from './fit.ts';
import {
  addPairCounts,
  addVote,
  addVoteByIndex,
  addVotesByIndex,
  createPairCounts,
  itemRecord,
  type PairCounts,
  type PairOutcome,
} from './pair-counts.ts';
import { CellResampler, CellSampler } from './poisson.ts';
import { bradleyTerryIntervals, probabilityBetter, rankByIntervals, winProbability } from './uncertainty.ts';

const LN10 = Math.log(10);

function repeat(counts: PairCounts, a: string, b: string, outcome: PairOutcome, n: number): void {
  for (let k = 0; k < n; k++) addVote(counts, a, b, outcome);
}

/**
 * Votes simulated from known strengths (natural log), uniform pairs, a `ties` share of ties. The
 * decisive votes are drawn so that the expected score (ties half) is exactly 1 / (1 + e^(θj − θi)): then
 * the strengths are the Bradley-Terry parameters the fit estimates (needs |θi − θj| ≤ 2.1 at 20% ties).
 */
function simulate(theta: number[], votes: number, seed: number, ties = 0.2): PairCounts {
  const rng = createRng(seed);
  const m = theta.length;
  const counts = createPairCounts(theta.map((_, i) => `item-${i}`));
  for (let v = 0; v < votes; v++) {
    const i = rng.int(m);
    let j = rng.int(m - 1);
    if (j >= i) j++;
    const expected = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
    const outcome: PairOutcome =
      rng.next() < ties ? 'tie' : rng.next() < (expected - 0.5 * ties) / (1 - ties) ? 'a' : 'b';
    addVoteByIndex(counts, i, j, outcome);
  }
  return counts;
}

const rating = (fit: { items: string[]; ratings: number[] }, id: string): number =>
  fit.ratings[fit.items.indexOf(id)]!;

describe('pair counts', () => {
  test('fold votes in O(1) cells, growing past the initial capacity without losing counts', () => {
    const counts = createPairCounts();
    for (let i = 0; i < 40; i++) addVote(counts, `m${i}`, `m${(i + 1) % 40}`, i % 3 === 0 ? 'tie' : 'a', 0.5);
    addVote(counts, 'm0', 'm1', 'b', 2);
    assert.equal(counts.items.length, 40);
    assert.ok(counts.capacity >= 40);
    assert.equal(counts.votes, 41);
    assert.equal(counts.totalWeight, 22);
    assert.deepEqual(itemRecord(counts, 'm0'), { wins: 0, losses: 2, ties: 1, opponents: 2 });
    assert.deepEqual(itemRecord(counts, 'm1'), { wins: 2.5, losses: 0, ties: 0.5, opponents: 2 });
  });

  test('bulk folding of integer-coded votes equals one-by-one folding', () => {
    const rng = createRng(77);
    const n = 5000;
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    const o = new Uint8Array(n);
    const w = new Float64Array(n);
    const one = createPairCounts(['p', 'q', 'r', 's']);
    for (let v = 0; v < n; v++) {
      a[v] = rng.int(4);
      b[v] = (a[v]! + 1 + rng.int(3)) % 4;
      o[v] = rng.int(3);
      w[v] = rng.next();
      addVoteByIndex(one, a[v]!, b[v]!, (['a', 'b', 'tie'] as const)[o[v]!]!, w[v]!);
    }
    const bulk = createPairCounts(['p', 'q', 'r', 's']);
    addVotesByIndex(bulk, a, b, o, w);
    assert.deepEqual(bulk.wins, one.wins);
    assert.deepEqual(bulk.ties, one.ties);
    assert.deepEqual(bulk.tiesSq, one.tiesSq);
    assert.equal(bulk.votes, one.votes);
    assert.throws(() => addVotesByIndex(bulk, [0], [0], [0]), RangeError);
    assert.throws(() => addVotesByIndex(bulk, [0], [1], [3]), RangeError);
  });

  test('bulk folding of many unit-weight votes (integer scratch path) equals one-by-one folding', () => {
    const rng = createRng(78);
    const names = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const n = 20000; // ≥ capacity² / 2: the scratch path
    const a = new Int32Array(n);
    const b = new Uint16Array(n);
    const o = new Uint8Array(n);
    const one = createPairCounts(names);
    for (let v = 0; v < n; v++) {
      a[v] = rng.int(12);
      b[v] = (a[v]! + 1 + rng.int(11)) % 12;
      o[v] = rng.int(3);
      addVoteByIndex(one, a[v]!, b[v]!, (['a', 'b', 'tie'] as const)[o[v]!]!);
    }
    const bulk = createPairCounts(names);
    addVotesByIndex(bulk, a, b, o);
    assert.deepEqual(bulk.wins, one.wins);
    assert.deepEqual(bulk.winsSq, one.winsSq);
    assert.deepEqual(bulk.ties, one.ties);
    assert.deepEqual(bulk.tiesSq, one.tiesSq);
    assert.equal(bulk.votes, one.votes);
    assert.equal(bulk.totalWeight, one.totalWeight);
    // an invalid vote anywhere is reported and leaves the counts as they were
    for (const [i, j, k] of [
      [3, 3, 0],
      [3, 12, 0],
      [-1, 2, 1],
      [3, 4, 3],
    ] as const) {
      const bad = Int32Array.from(a);
      const badB = Int32Array.from(b);
      const badO = Int32Array.from(o);
      bad[n - 7] = i;
      badB[n - 7] = j;
      badO[n - 7] = k;
      const before = createPairCounts(names);
      addVotesByIndex(before, a, b, o);
      assert.throws(() => addVotesByIndex(before, bad, badB, badO), /invalid vote 19993/);
      assert.deepEqual(before.wins, one.wins);
      assert.deepEqual(before.ties, one.ties);
      assert.equal(before.votes, n);
    }
  });

  test('reject invalid votes', () => {
    const counts = createPairCounts(['a', 'b']);
    assert.throws(() => addVote(counts, 'a', 'a', 'a'), RangeError);
    assert.throws(() => addVote(counts, 'a', 'b', 'a', -1), RangeError);
    assert.throws(() => addVote(counts, 'a', 'b', 'x' as PairOutcome), RangeError);
  });
});

describe('Bradley-Terry fit', () => {
  test('two items: the closed form 400·log10(score / (n − score)), ties half a win each way', () => {
    const counts = createPairCounts();
    repeat(counts, 'x', 'y', 'a', 30);
    repeat(counts, 'x', 'y', 'b', 10);
    repeat(counts, 'y', 'x', 'tie', 20);
    const expected = 400 * Math.log10(40 / 20);
    for (const method of ['newton', 'lbfgs'] as const) {
      const fit = fitBradleyTerry(counts, { method });
      assert.ok(fit.converged);
      assert.ok(Math.abs(rating(fit, 'x') - rating(fit, 'y') - expected) < 1e-8, method);
      assert.ok(Math.abs(rating(fit, 'x') + rating(fit, 'y') - 2000) < 1e-8, 'centred on 1000');
      assert.deepEqual(fit.warnings, []);
    }
  });

  test('a vote of weight 2 is two votes; weights may be fractional', () => {
    const theta = [0.3, -0.2, 0.9, 0, -1];
    const base = simulate(theta, 500, 11);
    const doubled = createPairCounts(base.items);
    const weighted = createPairCounts(base.items);
    const rng = createRng(5);
    for (let v = 0; v < 300; v++) {
      const i = rng.int(5);
      const j = (i + 1 + rng.int(4)) % 5;
      const o: PairOutcome = rng.next() < 0.5 ? 'a' : 'tie';
      addVoteByIndex(doubled, i, j, o);
      addVoteByIndex(doubled, i, j, o);
      addVoteByIndex(weighted, i, j, o, 2);
      const w = rng.next();
      addVoteByIndex(doubled, j, i, 'a', w);
      addVoteByIndex(weighted, j, i, 'a', w);
    }
    const a = fitBradleyTerry(doubled);
    const b = fitBradleyTerry(weighted);
    a.ratings.forEach((r, i) => {
      assert.ok(Math.abs(r - b.ratings[i]!) < 1e-8);
    });
  });

  test('Newton and L-BFGS reach the same optimum (1e-6 Elo), with and without a penalty', () => {
    const rng = createRng(3);
    const theta = Array.from({ length: 60 }, () => rng.normal());
    const counts = simulate(theta, 20000, 8);
    for (const penalty of ['none', 0.5] as const) {
      const newton = fitBradleyTerry(counts, { method: 'newton', penalty });
      const lbfgs = fitBradleyTerry(counts, { method: 'lbfgs', penalty });
      assert.ok(newton.converged && lbfgs.converged);
      newton.ratings.forEach((r, i) => {
        assert.ok(Math.abs(r - lbfgs.ratings[i]!) < 1e-6, `${i}`);
      });
    }
  });

  test('recovers the simulated strengths (200,000 votes, 20 items: within 4 standard errors)', () => {
    const rng = createRng(21);
    const theta = Array.from({ length: 20 }, () => Math.max(-1, Math.min(1, 0.6 * rng.normal())));
    const counts = simulate(theta, 200000, 22);
    const fit = fitBradleyTerry(counts);
    const ci = bradleyTerryIntervals(counts, fit);
    const mean = theta.reduce((s, t) => s + t, 0) / theta.length;
    theta.forEach((t, i) => {
      const truth = 1000 + (400 / LN10) * (t - mean);
      assert.ok(Math.abs(fit.ratings[i]! - truth) < 4 * ci.standardErrors[i]!, `item ${i}`);
    });
  });

  test('an anchor pins one rating and keeps the differences', () => {
    const counts = simulate([0, 1, -0.5, 0.2], 2000, 4);
    const free = fitBradleyTerry(counts);
    const pinned = fitBradleyTerry(counts, { anchor: { item: 'item-2', rating: 800 } });
    assert.ok(Math.abs(rating(pinned, 'item-2') - 800) < 1e-9);
    free.ratings.forEach((r, i) => {
      assert.ok(Math.abs(r - rating(free, 'item-2') - (pinned.ratings[i]! - 800)) < 1e-8);
    });
  });

  test('a disconnected graph is reported and each component is rated on its own', () => {
    const counts = createPairCounts();
    repeat(counts, 'a1', 'a2', 'a', 6);
    repeat(counts, 'a2', 'a1', 'a', 3);
    repeat(counts, 'b1', 'b2', 'a', 2);
    repeat(counts, 'b2', 'b3', 'tie', 4);
    repeat(counts, 'b3', 'b1', 'b', 1);
    repeat(counts, 'b1', 'b3', 'b', 1);
    repeat(counts, 'b2', 'b1', 'a', 1);
    addVote(counts, 'a1', 'a2', 'a', 0); // zero weight: no information
    const fit = fitBradleyTerry(counts);
    const disconnected = fit.warnings.find((w) => w.kind === 'disconnected');
    assert.ok(disconnected && disconnected.kind === 'disconnected');
    assert.deepEqual(
      disconnected.components.map((c) => [...c].sort()),
      [
        ['b1', 'b2', 'b3'],
        ['a1', 'a2'],
      ],
    );
    assert.ok(Math.abs(rating(fit, 'a1') + rating(fit, 'a2') - 2000) < 1e-8);
    assert.ok(Math.abs(rating(fit, 'b1') + rating(fit, 'b2') + rating(fit, 'b3') - 3000) < 1e-8);
    assert.ok(Number.isNaN(winProbability(fit, 'a1', 'b1')));
    const ci = bradleyTerryIntervals(counts, fit);
    assert.ok(Number.isNaN(probabilityBetter(ci, 'a1', 'b1')));
    assert.equal(ci.rankUpperBound[fit.items.indexOf('a1')], 1, 'ranks are counted within a component');
  });

  test('separation: the MLE does not exist; the weak prior decides and says so', () => {
    const counts = createPairCounts();
    repeat(counts, 'champ', 'x', 'a', 5);
    repeat(counts, 'champ', 'y', 'a', 3);
    repeat(counts, 'x', 'y', 'a', 4);
    repeat(counts, 'y', 'x', 'a', 3);
    repeat(counts, 'x', 'y', 'tie', 2);
    const auto = fitBradleyTerry(counts);
    const kinds = auto.warnings.map((w) => w.kind);
    assert.deepEqual(kinds, ['separation', 'prior-decided']);
    const decided = auto.warnings[1]!;
    assert.ok(decided.kind === 'prior-decided');
    assert.deepEqual(decided.items, ['champ']);
    assert.ok(auto.converged && Number.isFinite(rating(auto, 'champ')));
    assert.ok(auto.penalties[0]! > 0);
    assert.ok(rating(auto, 'champ') > rating(auto, 'x') + 100);
    const none = fitBradleyTerry(counts, { penalty: 'none' });
    assert.ok(none.warnings.some((w) => w.kind === 'separation'));
    assert.ok(!none.warnings.some((w) => w.kind === 'prior-decided'));
    assert.ok(
      !none.converged || rating(none, 'champ') - rating(none, 'x') > 2000,
      'runs off without a prior',
    );
  });

  test('penaltyFromPriorSd: scikit-learn C = 1 on duplicated votes is a prior sd of 566 Elo', () => {
    assert.ok(
      Math.abs(
        penaltyFromPriorSd(400 / Math.sqrt(SKLEARN_DEFAULT_PENALTY) / LN10) - SKLEARN_DEFAULT_PENALTY,
      ) < 1e-15,
    );
    assert.ok(Math.abs(400 / LN10 / Math.sqrt(SKLEARN_DEFAULT_PENALTY) - 565.7) < 0.1);
  });

  test('folding order does not matter and a warm start reaches the cold-start optimum', () => {
    const theta = [0.5, -0.4, 0.1, 1.2, -1];
    const a = simulate(theta, 3000, 9);
    const fitA = fitBradleyTerry(a);
    const b = createPairCounts([...a.items].reverse());
    const rng = createRng(9);
    const votes: [string, string, PairOutcome][] = [];
    for (let v = 0; v < 3000; v++) {
      const i = rng.int(5);
      let j = rng.int(4);
      if (j >= i) j++;
      const expected = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
      const o: PairOutcome = rng.next() < 0.2 ? 'tie' : rng.next() < (expected - 0.1) / 0.8 ? 'a' : 'b';
      votes.push([`item-${i}`, `item-${j}`, o]);
    }
    for (const [x, y, o] of votes.reverse()) addVote(b, x, y, o);
    const fitB = fitBradleyTerry(b, { initialStrengths: [1, 2, 3, 4, 5] });
    for (const id of a.items) assert.ok(Math.abs(rating(fitA, id) - rating(fitB, id)) < 1e-8);
  });
});

describe('uncertainty', () => {
  test('sandwich equals the analytic variance for two items without ties: 1 / (n p (1 − p))', () => {
    const counts = createPairCounts();
    repeat(counts, 'x', 'y', 'a', 70);
    repeat(counts, 'x', 'y', 'b', 30);
    const fit = fitBradleyTerry(counts);
    const ci = bradleyTerryIntervals(counts, fit);
    const sdDiff = (400 / LN10) * Math.sqrt(1 / (100 * 0.7 * 0.3));
    // ratings are ±diff/2 around 1000, so each rating's SE is half the difference's
    assert.ok(Math.abs(ci.standardErrors[0]! - sdDiff / 2) < 1e-9);
    assert.ok(Math.abs(ci.upper[0]! - ci.lower[0]! - 2 * 1.959964 * (sdDiff / 2)) < 1e-4);
    assert.ok(Math.abs(probabilityBetter(ci, 'x', 'y') + probabilityBetter(ci, 'y', 'x') - 1) < 1e-12);
    assert.ok(Math.abs(winProbability(fit, 'x', 'y') - 0.7) < 1e-10);
  });

  test('95% sandwich intervals cover the true ratings about 95% of the time (100 simulated data sets)', () => {
    const theta = [0, 0.4, -0.3, 0.8, -0.9, 0.2, 0.5, -0.1];
    const mean = theta.reduce((s, t) => s + t, 0) / theta.length;
    let covered = 0;
    let total = 0;
    for (let rep = 0; rep < 100; rep++) {
      const counts = simulate(theta, 1500, 1000 + rep);
      const fit = fitBradleyTerry(counts);
      const ci = bradleyTerryIntervals(counts, fit);
      theta.forEach((t, i) => {
        const truth = 1000 + (400 / LN10) * (t - mean);
        if (ci.lower[i]! <= truth && truth <= ci.upper[i]!) covered++;
        total++;
      });
    }
    const rate = covered / total;
    assert.ok(rate > 0.925 && rate < 0.975, `coverage ${rate}`);
  });

  test('bootstrap: seeded and deterministic, close to the sandwich, covering the truth', () => {
    const theta = [0, 0.4, -0.3, 0.8, -0.9, 0.2];
    const mean = theta.reduce((s, t) => s + t, 0) / theta.length;
    let covered = 0;
    let total = 0;
    for (let rep = 0; rep < 40; rep++) {
      const counts = simulate(theta, 2000, 500 + rep);
      const fit = fitBradleyTerry(counts);
      const boot = bradleyTerryIntervals(counts, fit, { method: 'bootstrap', rounds: 200, seed: rep });
      theta.forEach((t, i) => {
        const truth = 1000 + (400 / LN10) * (t - mean);
        if (boot.lower[i]! <= truth && truth <= boot.upper[i]!) covered++;
        total++;
      });
      if (rep === 0) {
        const again = bradleyTerryIntervals(counts, fit, { method: 'bootstrap', rounds: 200, seed: 0 });
        assert.deepEqual(again.lower, boot.lower);
        assert.deepEqual(again.upper, boot.upper);
        const other = bradleyTerryIntervals(counts, fit, { method: 'bootstrap', rounds: 200, seed: 1 });
        assert.notDeepEqual(other.lower, boot.lower);
        const sandwich = bradleyTerryIntervals(counts, fit);
        boot.standardErrors.forEach((s, i) => {
          const ratio = s / sandwich.standardErrors[i]!;
          assert.ok(ratio > 0.75 && ratio < 1.3, `bootstrap/sandwich SE ratio ${ratio}`);
        });
        assert.equal(boot.nonConvergedRounds, 0);
      }
    }
    const rate = covered / total;
    assert.ok(rate > 0.88 && rate < 0.99, `coverage ${rate}`);
  });

  test('Poisson cell draws follow Poisson(mean) (inversion and PTRS paths)', () => {
    const poissonCdf = (mean: number, k: number): number => {
      let p = Math.exp(-mean);
      let c = p;
      for (let x = 1; x <= k; x++) {
        p *= mean / x;
        c += p;
      }
      return c;
    };
    for (const mean of [4, 67, 700]) {
      const sampler = new CellSampler(Float64Array.of(mean), Float64Array.of(mean));
      const rng = createRng(mean);
      const n = 100000;
      let sum = 0;
      let sq = 0;
      let below = 0;
      const cut = Math.floor(mean);
      for (let d = 0; d < n; d++) {
        const x = sampler.draw(rng, 0);
        assert.ok(Number.isInteger(x) && x >= 0);
        sum += x;
        sq += x * x;
        if (x <= cut) below++;
      }
      const m = sum / n;
      const variance = sq / n - m * m;
      assert.ok(Math.abs(m - mean) < 5 * Math.sqrt(mean / n), `mean ${m} vs ${mean}`);
      assert.ok(Math.abs(variance / mean - 1) < 0.03, `variance ${variance} vs ${mean}`);
      const p = poissonCdf(mean, cut);
      assert.ok(
        Math.abs(below / n - p) < 5 * Math.sqrt((p * (1 - p)) / n),
        `P(X ≤ ${cut}) ${below / n} vs ${p}`,
      );
    }
    // weighted cells: (w2/w)·Poisson(w²/w2) keeps the mean w and the variance w2
    const sampler = new CellSampler(Float64Array.of(30), Float64Array.of(60));
    const rng = createRng(1);
    let sum = 0;
    let sq = 0;
    for (let d = 0; d < 100000; d++) {
      const x = sampler.draw(rng, 0);
      sum += x;
      sq += x * x;
    }
    assert.ok(Math.abs(sum / 100000 - 30) < 0.2);
    assert.ok(Math.abs(sq / 100000 - (sum / 100000) ** 2 - 60) < 2);
  });

  test('one-step bootstrap intervals agree with full refits (same draws) within a few % of their width', () => {
    const rng = createRng(9);
    const theta = Array.from({ length: 20 }, () => 0.8 * rng.normal());
    const counts = simulate(theta, 20000, 4242);
    const fit = fitBradleyTerry(counts);
    for (const seed of [1, 2, 3]) {
      const one = bradleyTerryIntervals(counts, fit, {
        method: 'bootstrap',
        rounds: 200,
        seed,
        refit: 'one-step',
      });
      const full = bradleyTerryIntervals(counts, fit, {
        method: 'bootstrap',
        rounds: 200,
        seed,
        refit: 'full',
      });
      assert.equal(one.refit, 'one-step');
      assert.equal(full.refit, 'full');
      assert.equal(full.nonConvergedRounds, 0);
      let worst = 0;
      let differ = false;
      fit.items.forEach((_, i) => {
        const width = full.upper[i]! - full.lower[i]!;
        worst = Math.max(
          worst,
          Math.abs(one.lower[i]! - full.lower[i]!) / width,
          Math.abs(one.upper[i]! - full.upper[i]!) / width,
        );
        const se = one.standardErrors[i]! / full.standardErrors[i]!;
        assert.ok(Math.abs(se - 1) < 0.03, `standard error ratio ${se}`);
        if (one.lower[i] !== full.lower[i]) differ = true;
      });
      assert.ok(worst < 0.05, `one-step vs full: endpoints differ by ${worst} of the width`);
      assert.ok(differ, 'the one-step replicates are an approximation, not the refits');
    }
    // the default is the one-step bootstrap
    assert.equal(bradleyTerryIntervals(counts, fit, { method: 'bootstrap', rounds: 10 }).refit, 'one-step');
  });

  test('table-driven Poisson cell draws follow Poisson(mean), weighted cells scale, seeds repeat', () => {
    const poissonCdf = (mean: number, k: number): number => {
      let logP = -mean;
      let c = Math.exp(logP);
      for (let x = 1; x <= k; x++) {
        logP += Math.log(mean / x);
        c += Math.exp(logP);
      }
      return c;
    };
    // a cell of each mean plus an empty one; the weighted cell: weight 30, squares 60 → 2·Poisson(15)
    const means = [0.3, 4, 67, 700, 2500];
    const weights = Float64Array.of(...means, 0, 30);
    const squares = Float64Array.of(...means, 0, 60);
    const resampler = new CellResampler(weights, squares, 100000);
    assert.deepEqual(resampler.coverage, { tabled: 6, fallback: 0 });
    resampler.state = 12345;
    const n = 100000;
    const sum = new Float64Array(7);
    const sq = new Float64Array(7);
    const below = new Float64Array(7);
    const out = new Float64Array(7);
    for (let d = 0; d < n; d++) {
      resampler.drawAll(out);
      for (let k = 0; k < 7; k++) {
        const x = out[k]!;
        sum[k]! += x;
        sq[k]! += x * x;
        if (k < 5 && x <= Math.floor(means[k]!)) below[k]!++;
      }
    }
    means.forEach((mean, k) => {
      const m = sum[k]! / n;
      const variance = sq[k]! / n - m * m;
      assert.ok(Math.abs(m - mean) < 5 * Math.sqrt(mean / n), `mean ${m} vs ${mean}`);
      assert.ok(Math.abs(variance / mean - 1) < 0.03, `variance ${variance} vs ${mean}`);
      const p = poissonCdf(mean, Math.floor(mean));
      assert.ok(
        Math.abs(below[k]! / n - p) < 5 * Math.sqrt((p * (1 - p)) / n),
        `P(X ≤ ${Math.floor(mean)}) ${below[k]! / n} vs ${p}`,
      );
    });
    assert.equal(sum[5], 0);
    assert.ok(Math.abs(sum[6]! / n - 30) < 0.2);
    assert.ok(Math.abs(sq[6]! / n - (sum[6]! / n) ** 2 - 60) < 2);
    // few rounds: no table pays for itself, every cell is drawn one at a time, same distribution
    const few = new CellResampler(weights, squares, 1);
    assert.deepEqual(few.coverage, { tabled: 0, fallback: 6 });
    // the state is the seed
    const again = new CellResampler(weights, squares, 100000);
    const x = new Float64Array(7);
    const y = new Float64Array(7);
    resampler.state = 99;
    again.state = 99;
    resampler.drawAll(x);
    again.drawAll(y);
    assert.deepEqual(x, y);
  });

  test('rank UB: 1 + number of items whose lower bound is above this upper bound', () => {
    assert.deepEqual(rankByIntervals([990, 1010, 900, 700], [1030, 1050, 950, 800]), [1, 1, 3, 4]);
    assert.deepEqual(rankByIntervals([990, 1100], [1030, 1200], [0, 1]), [1, 1]);
  });
});

describe('frequency weights (counts) and importance weights', () => {
  // 5 items, cells of several hundred identical votes: aggregated arena data
  const theta = [0.4, -0.3, 0.8, 0, -0.9];
  const cells: [number, number, PairOutcome, number][] = [];
  const rng = createRng(77);
  for (let i = 0; i < 5; i++) {
    for (let j = i + 1; j < 5; j++) {
      const p = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
      const n = 100 + rng.int(400);
      const ties = Math.round(0.15 * n);
      const wins = Math.round((n - ties) * p);
      cells.push([i, j, 'a', wins], [i, j, 'b', n - ties - wins], [i, j, 'tie', ties]);
    }
  }
  const names = theta.map((_, i) => `m${i}`);
  const separate = createPairCounts(names);
  for (const [i, j, o, n] of cells) for (let k = 0; k < n; k++) addVoteByIndex(separate, i, j, o);
  const counted = createPairCounts(names);
  for (let i = 0; i < 5; i++) {
    for (let j = i + 1; j < 5; j++) {
      const get = (o: PairOutcome) => cells.find((c) => c[0] === i && c[1] === j && c[2] === o)![3];
      addPairCounts(counted, names[i]!, names[j]!, { wins: get('a'), losses: get('b'), ties: get('tie') });
    }
  }
  const asWeights = createPairCounts(names);
  for (const [i, j, o, n] of cells) addVoteByIndex(asWeights, i, j, o, n);

  test('a count of n is n votes: the same cells, ratings, sandwich and bootstrap intervals', () => {
    assert.deepEqual(counted.wins, separate.wins);
    assert.deepEqual(counted.winsSq, separate.winsSq);
    assert.deepEqual(counted.ties, separate.ties);
    assert.deepEqual(counted.tiesSq, separate.tiesSq);
    assert.equal(counted.votes, separate.votes);
    assert.equal(counted.countLikeWeights, 0);
    const a = fitBradleyTerry(separate);
    const b = fitBradleyTerry(counted);
    assert.deepEqual(b.ratings, a.ratings);
    assert.deepEqual(b.warnings, []);
    for (const options of [
      {},
      { method: 'bootstrap', rounds: 50, seed: 3 },
      { method: 'bootstrap', rounds: 50, seed: 3, refit: 'full' },
    ] as const) {
      const ca = bradleyTerryIntervals(separate, a, options);
      const cb = bradleyTerryIntervals(counted, b, options);
      assert.deepEqual(cb.lower, ca.lower, JSON.stringify(options));
      assert.deepEqual(cb.upper, ca.upper, JSON.stringify(options));
    }
  });

  test('a count passed as a weight: the same ratings, intervals √n too wide, and a warning', () => {
    const a = fitBradleyTerry(separate);
    const w = fitBradleyTerry(asWeights);
    w.ratings.forEach((r, k) => {
      assert.ok(Math.abs(r - a.ratings[k]!) < 1e-8);
    });
    const warning = w.warnings.find((x) => x.kind === 'weights-look-like-counts');
    assert.ok(warning?.kind === 'weights-look-like-counts');
    assert.equal(warning.votes, cells.length); // one heavy vote per cell
    const width = (ci: { lower: number[]; upper: number[] }) => ci.upper[0]! - ci.lower[0]!;
    const ratio = width(bradleyTerryIntervals(asWeights, w)) / width(bradleyTerryIntervals(separate, a));
    // about √(mean cell size) ≈ 13 here: each cell is one vote of weight n instead of n votes
    assert.ok(ratio > 8 && ratio < 20, `width ratio ${ratio}`);
  });

  test('bulk voteCounts equal addVoteByIndex counts; fractional weights never warn', () => {
    const bulk = createPairCounts(names);
    addVotesByIndex(
      bulk,
      cells.map((c) => c[0]),
      cells.map((c) => c[1]),
      cells.map((c) => ['a', 'b', 'tie'].indexOf(c[2])),
      undefined,
      cells.map((c) => c[3]),
    );
    assert.deepEqual(bulk.wins, separate.wins);
    assert.deepEqual(bulk.winsSq, separate.winsSq);
    assert.equal(bulk.votes, separate.votes);
    const trust = createPairCounts(names);
    addVoteByIndex(trust, 0, 1, 'a', 0.7, 30);
    addVoteByIndex(trust, 1, 0, 'a', 1.5);
    assert.equal(trust.countLikeWeights, 0);
    assert.equal(trust.votes, 31);
    assert.ok(Math.abs(trust.winsSq[0 * trust.capacity + 1]! - 30 * 0.49) < 1e-12);
  });

  test('counts must be non-negative integers; a bad record folds nothing', () => {
    const c = createPairCounts(['x', 'y']);
    assert.throws(() => addPairCounts(c, 'x', 'y', { wins: 3, losses: -1 }), RangeError);
    assert.throws(() => addPairCounts(c, 'x', 'y', { wins: 2.5 }), RangeError);
    assert.throws(() => addVoteByIndex(c, 0, 1, 'a', 1, Number.NaN), RangeError);
    assert.equal(c.votes, 0);
    addPairCounts(c, 'x', 'y', { ties: 4 });
    assert.equal(c.votes, 4);
    assert.deepEqual(itemRecord(c, 'x'), { wins: 0, losses: 0, ties: 4, opponents: 1 });
  });
});
