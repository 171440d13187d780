import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner, not I/O in the package
import { test } from 'node:test';
import { kendallTauB } from '../agreement/agreement.ts';
import { fitBradleyTerry, WEAK_PRIOR_PENALTY } from '../bt/fit.ts';
import { addVote, createPairCounts } from '../bt/pair-counts.ts';
import { createRng } from '../random.ts';
import { simulateCrowd, simulateGoldAnswers, simulateStrengths, simulateVote } from '../simulation/crowd.ts';
import { type CrowdVote, fitCrowdBT } from './crowd-bt.ts';

function scenario(seed: number, votes: number) {
  const rng = createRng(seed);
  const n = 20;
  const theta = simulateStrengths(n, rng);
  const crowd = simulateCrowd({ labelers: 40, randomShare: 0.2, adversarialShare: 0.1 }, rng);
  const list: CrowdVote[] = [];
  const counts = createPairCounts(theta.map((_, i) => `i${i}`));
  for (let v = 0; v < votes; v++) {
    const a = rng.int(n);
    let b = rng.int(n - 1);
    if (b >= a) b++;
    const l = crowd[rng.int(crowd.length)]!;
    const outcome = simulateVote(theta, a, b, l.eta, rng) ? 'a' : 'b';
    list.push({ labeler: l.id, a: `i${a}`, b: `i${b}`, outcome });
    addVote(counts, `i${a}`, `i${b}`, outcome);
  }
  const gold: Record<string, { correct: number; total: number }> = {};
  for (const l of crowd) {
    const g = simulateGoldAnswers(l, 10, rng);
    gold[l.id] = { correct: g.filter((x) => x.correct).length, total: 10 };
  }
  return { theta, crowd, list, counts, gold };
}

test('with perfect labelers and no gold, Crowd-BT agrees with plain Bradley-Terry in ranking', () => {
  const rng = createRng(4);
  const theta = simulateStrengths(8, rng);
  const votes: CrowdVote[] = [];
  for (let v = 0; v < 600; v++) {
    const a = rng.int(8);
    let b = rng.int(7);
    if (b >= a) b++;
    votes.push({
      labeler: `l${v % 5}`,
      a: `i${a}`,
      b: `i${b}`,
      outcome: simulateVote(theta, a, b, 1, rng) ? 'a' : 'b',
    });
  }
  const fit = fitCrowdBT(votes, { priorEta: 0.95, priorStrength: 20 });
  assert.ok(fit.converged);
  for (const eta of Object.values(fit.reliability)) assert.ok(eta > 0.85, `eta ${eta}`);
});

test('identifies random and adversarial labelers and beats plain BT (10% adversarial, 20% random)', () => {
  let crowdTau = 0;
  let plainTau = 0;
  for (let seed = 1; seed <= 8; seed++) {
    const { theta, crowd, list, counts, gold } = scenario(seed, 1500);
    const fit = fitCrowdBT(list, { gold });
    const plain = fitBradleyTerry(counts, { penalty: WEAK_PRIOR_PENALTY });
    const est = theta.map((_, i) => fit.strengths[fit.items.indexOf(`i${i}`)]!);
    const estPlain = theta.map((_, i) => plain.strengths[plain.items.indexOf(`i${i}`)]!);
    crowdTau += kendallTauB(theta, est);
    plainTau += kendallTauB(theta, estPlain);
    // Adversaries end with η < 0.5, honest labelers with η > 0.5.
    for (const l of crowd) {
      const eta = fit.reliability[l.id]!;
      if (l.kind === 'adversarial') assert.ok(eta < 0.5, `adversary ${l.id} eta ${eta}`);
      if (l.kind === 'honest') assert.ok(eta > 0.5, `honest ${l.id} eta ${eta}`);
    }
  }
  // Mean tau over 8 crowds: Crowd-BT 0.795, plain 0.734 (plain BT stays consistent, as reversals are
  // symmetric, but random and reversed votes dilute it).
  assert.ok(crowdTau > plainTau, `Crowd-BT tau ${crowdTau / 8} vs plain ${plainTau / 8}`);
});

test('gold answers set the prior mean of η', () => {
  const fit = fitCrowdBT([{ labeler: 'a', a: 'x', b: 'y', outcome: 'a' }], {
    gold: { a: { correct: 9, total: 10 }, b: { correct: 1, total: 10 } },
    priorEta: 0.8,
    priorStrength: 4,
  });
  assert.ok(Math.abs(fit.priorReliability.a! - (3.2 + 9) / 14) < 1e-12);
  assert.ok(Math.abs(fit.priorReliability.b! - (3.2 + 1) / 14) < 1e-12);
  assert.throws(() => fitCrowdBT([], { gold: { a: { correct: 3, total: 2 } } }), RangeError);
  // A trust score s sets the prior mean (1 + s)/2 before the gold answers are added.
  const t = fitCrowdBT([{ labeler: 'c', a: 'x', b: 'y', outcome: 'a' }], {
    userScores: { c: 0.6 },
    gold: { c: { correct: 2, total: 2 } },
    priorStrength: 4,
  });
  assert.ok(Math.abs(t.priorReliability.c! - (0.8 * 4 + 2) / 6) < 1e-12);
});
