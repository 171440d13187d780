import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner, not I/O in the package
import { test } from 'node:test';
import { createRng } from '../random.ts';
import { exampleDifficulty, userScore, userScoreDetails } from './user-score.ts';

// Reference values: posterior means E[s] under a Beta(2, 2) prior and the likelihood
// Π((1+s)/2)^correct ((1−s)/2)^wrong, integrated with scipy.integrate.quad:
//   2 right, 1 wrong → 0.4571428571; 20 right → 0.8421049707.
test('userScore matches the closed-form posterior mean (scipy quad)', () => {
  const a = userScore([{ correct: true }, { correct: true }, { correct: false }]);
  assert.ok(Math.abs(a - 0.4571428571) < 1e-6);
  const b = userScore(Array.from({ length: 20 }, () => ({ correct: true })));
  assert.ok(Math.abs(b - 0.8421049707) < 1e-6);
});

test('no answers gives the prior; scores stay in [0, 1)', () => {
  assert.ok(Math.abs(userScore([]) - 0.5) < 1e-7);
  assert.ok(Math.abs(userScore([], { priorScore: 0.3 }) - 0.3) < 1e-6);
  assert.ok(Math.abs(userScore([], { priorScore: 0.1, priorStrength: 2 }) - 0.1) < 1e-4);
  const perfect = userScore(Array.from({ length: 5000 }, () => ({ correct: true })));
  assert.ok(perfect < 1 && perfect > 0.99);
  const awful = userScore(Array.from({ length: 500 }, () => ({ correct: false })));
  assert.ok(awful >= 0 && awful < 0.01);
});

test('few answers are pulled toward the prior, many answers are not', () => {
  // 80% right on comparisons means skill 0.6 (0.8 = (1 + s)/2).
  const few = userScore([true, true, true, true, false].map((correct) => ({ correct })));
  const many = userScore(
    Array.from({ length: 1000 }, (_, i) => ({ correct: i % 5 !== 0 })),
    { priorScore: 0.2 },
  );
  assert.ok(Math.abs(many - 0.6) < 0.01);
  assert.ok(Math.abs(few - 0.5) < Math.abs(0.6 - 0.5) + 0.05);
  assert.ok(userScore([{ correct: true }], { priorStrength: 50 }) < userScore([{ correct: true }]));
});

test('difficulty: hard right answers and easy wrong answers count more', () => {
  const hardRight = userScore([{ correct: true, difficulty: 0.9 }]);
  const easyRight = userScore([{ correct: true, difficulty: 0.1 }]);
  assert.ok(hardRight > easyRight);
  const easyWrong = userScore([{ correct: false, difficulty: 0.1 }]);
  const hardWrong = userScore([{ correct: false, difficulty: 0.9 }]);
  assert.ok(easyWrong < hardWrong);
  assert.equal(
    userScore([{ correct: true, difficulty: 0.9 }], { difficultyWeight: 0 }),
    userScore([{ correct: true }]),
  );
});

test('chance level: right answers on 4-option questions say more than on comparisons', () => {
  const four = userScore(Array.from({ length: 5 }, () => ({ correct: true, chance: 0.25 })));
  const two = userScore(Array.from({ length: 5 }, () => ({ correct: true, chance: 0.5 })));
  assert.ok(four > two);
  // A labeler right exactly at the guessing rate has skill ≈ 0.
  const guesser = userScore(Array.from({ length: 2000 }, (_, i) => ({ correct: i % 4 === 0, chance: 0.25 })));
  assert.ok(guesser < 0.02);
});

test('details: credible interval brackets the mean and narrows with data', () => {
  const d1 = userScoreDetails(Array.from({ length: 10 }, (_, i) => ({ correct: i % 4 !== 0 })));
  const d2 = userScoreDetails(Array.from({ length: 400 }, (_, i) => ({ correct: i % 4 !== 0 })));
  assert.ok(d1.lower < d1.score && d1.score < d1.upper);
  assert.ok(d2.upper - d2.lower < d1.upper - d1.lower);
  assert.equal(d2.effectiveAnswers, 400);
});

test('exampleDifficulty is the smoothed chance-corrected error rate', () => {
  assert.ok(Math.abs(exampleDifficulty(95, 100) - 12 / 102) < 1e-12);
  assert.equal(exampleDifficulty(50, 100), 1);
  assert.ok(Math.abs(exampleDifficulty(90, 100, 0.25) - 11 / 102 / 0.75) < 1e-12);
  assert.throws(() => exampleDifficulty(5, 3), RangeError);
});

test('recovers the skill of simulated labelers (the model classification confidence assumes)', () => {
  const rng = createRng(21);
  for (const skill of [0.1, 0.4, 0.7, 0.9]) {
    for (const chance of [0.5, 0.25]) {
      const answers = Array.from({ length: 400 }, () => ({
        correct: rng.next() < chance + (1 - chance) * skill,
        chance,
      }));
      const d = userScoreDetails(answers);
      assert.ok(Math.abs(d.score - skill) < 0.08, `skill ${skill}, chance ${chance}: ${d.score}`);
      assert.ok(d.lower <= skill + 0.02 && skill - 0.02 <= d.upper);
    }
  }
});
