import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner, not I/O in the package
import { test } from 'node:test';
import { createPairCounts } from '../bt/pair-counts.ts';
import { createRng } from '../random.ts';
import { simulateCrowd, simulateStrengths, simulateVote, voteProbability } from './crowd.ts';
import {
  activeScheme,
  closestRatingScheme,
  planBudget,
  randomPairScheme,
  simulateRanking,
  votesToReachTau,
} from './planner.ts';

test('simulated crowds have the requested shares and η ranges', () => {
  const crowd = simulateCrowd({ labelers: 100, randomShare: 0.2, adversarialShare: 0.1 }, createRng(1));
  assert.equal(crowd.filter((l) => l.kind === 'random').length, 20);
  assert.equal(crowd.filter((l) => l.kind === 'adversarial').length, 10);
  for (const l of crowd) {
    if (l.kind === 'random') assert.equal(l.eta, 0.5);
    if (l.kind === 'honest') assert.ok(l.eta >= 0.8 && l.eta <= 1);
    if (l.kind === 'adversarial') assert.ok(l.eta >= 0 && l.eta <= 0.2);
  }
  assert.throws(() => simulateCrowd({ labelers: 10, randomShare: 0.8, adversarialShare: 0.5 }, createRng(1)));
});

test('votes follow the Crowd-BT model', () => {
  assert.ok(Math.abs(voteProbability(1, 0, 1) - 1 / (1 + Math.exp(-1))) < 1e-12);
  assert.equal(voteProbability(3, 0, 0.5), 0.5);
  assert.ok(Math.abs(voteProbability(1, 0, 0) - 1 / (1 + Math.exp(1))) < 1e-12);
  const rng = createRng(2);
  let wins = 0;
  for (let i = 0; i < 20000; i++) if (simulateVote([1, 0], 0, 1, 0.9, rng)) wins++;
  const expected = voteProbability(1, 0, 0.9);
  assert.ok(Math.abs(wins / 20000 - expected) < 0.015);
  const s = simulateStrengths(50, createRng(3));
  assert.ok(Math.abs(s.reduce((a, b) => a + b, 0)) < 1e-9);
});

test('schemes propose valid pairs', () => {
  const counts = createPairCounts(['a', 'b', 'c', 'd']);
  for (const scheme of [randomPairScheme(), closestRatingScheme(0.5), activeScheme()]) {
    const pairs = scheme(counts, 6, createRng(4));
    assert.equal(pairs.length, 6);
    for (const [i, j] of pairs) assert.ok(i !== j && i >= 0 && j >= 0 && i < 4 && j < 4);
  }
});

test('more votes give a better ranking; tau reaches 1 on a well separated field', () => {
  const rng = createRng(5);
  const strengths = [-3, -1.5, 0, 1.5, 3];
  const trace = simulateRanking({ strengths, scheme: randomPairScheme(), rng, checkpoints: [10, 400] });
  assert.equal(trace.length, 2);
  assert.equal(trace[1]!.tau, 1);
  const v = votesToReachTau({
    strengths,
    scheme: randomPairScheme(),
    rng,
    targetTau: 1,
    checkEvery: 10,
    maxVotes: 1000,
  });
  assert.ok(v !== null && v <= 400);
});

test('budget planner: a monotone requirement in the target probability', () => {
  const low = planBudget({ items: 6, targetTau: 0.7, probability: 0.5, rng: createRng(6), runs: 20 });
  const high = planBudget({ items: 6, targetTau: 0.7, probability: 0.9, rng: createRng(6), runs: 20 });
  assert.ok(low.votes !== null && high.votes !== null);
  assert.ok(low.votes! <= high.votes!);
  assert.equal(high.runs, 20);
  assert.ok(high.curve.length > 5);
});
