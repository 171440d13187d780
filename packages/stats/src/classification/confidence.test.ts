import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner, not I/O in the package
import { test } from 'node:test';
import { createRng } from '../random.ts';
import { categoryConfidence, confidenceStop, quorumStop, voteWeight } from './confidence.ts';

const seedVotes = [0.3, 0.8486, 0.4469, 0.4911].map((userScore) => ({ category: 'Dog', userScore }));

test('reproduces the documented example: four Dog votes give Dog 0.9943, Cat 0.0057', () => {
  const p = categoryConfidence(seedVotes, ['Dog', 'Cat']);
  assert.equal(p.Dog?.toFixed(4), '0.9943');
  assert.equal(p.Cat?.toFixed(4), '0.0057');
  assert.ok(Math.abs((p.Dog ?? 0) + (p.Cat ?? 0) - 1) < 1e-12);
});

test('two categories: a trust-s vote is right with probability (1 + s)/2', () => {
  const p = categoryConfidence([{ category: 'A', userScore: 0.6 }], ['A', 'B']);
  assert.ok(Math.abs((p.A ?? 0) - 0.8) < 1e-12);
  const q = categoryConfidence(
    [
      { category: 'A', userScore: 0.6 },
      { category: 'B', userScore: 0.6 },
    ],
    ['A', 'B'],
  );
  assert.ok(Math.abs((q.A ?? 0) - 0.5) < 1e-12);
});

test('K categories: right w.p. 1/K + s(1 - 1/K), wrong spread evenly', () => {
  const p = categoryConfidence([{ category: 'A', userScore: 0.5 }], ['A', 'B', 'C']);
  assert.ok(Math.abs((p.A ?? 0) - 2 / 3) < 1e-12);
  assert.ok(Math.abs((p.B ?? 0) - 1 / 6) < 1e-12);
  // A vote for A and one for B with equal trust: C is least likely, A and B equal.
  // P(A) ∝ p·(1−p)/2, P(C) ∝ ((1−p)/2)², p = 2/3 → A : C = (2/3·1/6) : (1/36) = 4 : 1.
  const q = categoryConfidence(
    [
      { category: 'A', userScore: 0.5 },
      { category: 'B', userScore: 0.5 },
    ],
    ['A', 'B', 'C'],
  );
  assert.ok(Math.abs((q.A ?? 0) - 4 / 9) < 1e-12);
  assert.ok(Math.abs((q.C ?? 0) - 1 / 9) < 1e-12);
  assert.ok(Math.abs(voteWeight(0.5, 3) - Math.log(4)) < 1e-12);
});

test('a random guesser (trust 0) carries no information; a prior shifts the posterior', () => {
  const p = categoryConfidence([{ category: 'A', userScore: 0 }], ['A', 'B']);
  assert.equal(p.A, 0.5);
  const q = categoryConfidence([], ['A', 'B'], { prior: { A: 3, B: 1 } });
  assert.ok(Math.abs((q.A ?? 0) - 0.75) < 1e-12);
});

test('unknown categories and bad inputs throw', () => {
  assert.throws(() => categoryConfidence([{ category: 'X', userScore: 0.5 }], ['A', 'B']), RangeError);
  assert.throws(() => categoryConfidence([], ['A']), RangeError);
  assert.throws(
    () => confidenceStop({ votes: [], categories: ['A', 'B'], threshold: 1, maxVotes: 3 }),
    RangeError,
  );
  assert.throws(() => quorumStop({ counts: {}, threshold: 11, maxVotes: 10 }), RangeError);
});

test('confidence stopping: threshold reached, cap, or continue', () => {
  const s = confidenceStop({ votes: seedVotes, categories: ['Cat', 'Dog'], threshold: 0.99, maxVotes: 10 });
  assert.equal(s.stop, true);
  assert.equal(s.reason, 'threshold');
  assert.equal(s.leader, 'Dog');
  const notYet = confidenceStop({
    votes: seedVotes,
    categories: ['Cat', 'Dog'],
    threshold: 0.999,
    maxVotes: 10,
  });
  assert.deepEqual([notYet.stop, notYet.reason], [false, 'continue']);
  const cap = confidenceStop({ votes: seedVotes, categories: ['Cat', 'Dog'], threshold: 0.999, maxVotes: 4 });
  assert.deepEqual([cap.stop, cap.reason, cap.leader], [true, 'cap', 'Dog']);
});

test('confidence stopping with curtailment stops once the leader cannot change', () => {
  const votes = Array.from({ length: 6 }, () => ({ category: 'A', userScore: 0.4 }));
  const plain = confidenceStop({ votes, categories: ['A', 'B'], threshold: 0.9999, maxVotes: 10 });
  assert.equal(plain.stop, false);
  // Lead 6·log(1.4/0.6) ≈ 5.08; 4 remaining votes of trust ≤ 0.5 move at most 4·log 3 ≈ 4.39.
  const cut = confidenceStop({
    votes,
    categories: ['A', 'B'],
    threshold: 0.9999,
    maxVotes: 10,
    maxUserScore: 0.5,
  });
  assert.deepEqual([cut.stop, cut.reason, cut.leader], [true, 'decided', 'A']);
});

test('quorum stopping follows the documented rule (threshold 7 of 10)', () => {
  assert.deepEqual(quorumStop({ counts: { Cat: 0, Dog: 7 }, threshold: 7, maxVotes: 10 }), {
    stop: true,
    reason: 'quorum',
    leader: 'Dog',
  });
  // "The task completes when both options have 4+ responses (quorum is impossible …)".
  assert.deepEqual(quorumStop({ counts: { Cat: 4, Dog: 4 }, threshold: 7, maxVotes: 10 }), {
    stop: true,
    reason: 'impossible',
    leader: null,
  });
  assert.deepEqual(quorumStop({ counts: { Cat: 3, Dog: 4 }, threshold: 7, maxVotes: 10 }), {
    stop: false,
    reason: 'continue',
    leader: 'Dog',
  });
  // 6 + 4 = 10 votes: budget used, no quorum.
  assert.equal(quorumStop({ counts: { Cat: 6, Dog: 4 }, threshold: 7, maxVotes: 10 }).reason, 'cap');
  // Three options: 3 + 2 + 2 leaves 3 votes, best reachable 6 < 7.
  assert.equal(quorumStop({ counts: { A: 3, B: 2, C: 2 }, threshold: 7, maxVotes: 10 }).reason, 'impossible');
  assert.equal(quorumStop({ counts: {}, threshold: 3, maxVotes: 5 }).stop, false);
});

test('calibration: under the model, items given confidence p are right a share p of the time', () => {
  // 3 categories, 1–4 votes per item, trust uniform in [0, 0.8]; bucket the leader's confidence.
  const rng = createRng(11);
  const cats = ['a', 'b', 'c'];
  const buckets = Array.from({ length: 5 }, () => ({ predicted: 0, correct: 0, n: 0 }));
  for (let item = 0; item < 40000; item++) {
    const truth = rng.int(3);
    const votes = Array.from({ length: 1 + rng.int(4) }, () => {
      const s = 0.8 * rng.next();
      const right = rng.next() < 1 / 3 + s * (2 / 3);
      const other = (truth + 1 + rng.int(2)) % 3;
      return { category: cats[right ? truth : other]!, userScore: s };
    });
    const p = categoryConfidence(votes, cats);
    let leader = 0;
    for (let k = 1; k < 3; k++) if ((p[cats[k]!] ?? 0) > (p[cats[leader]!] ?? 0)) leader = k;
    const conf = p[cats[leader]!]!;
    const b = buckets[Math.min(4, Math.floor(((conf - 1 / 3) / (2 / 3)) * 5))]!;
    b.predicted += conf;
    b.correct += leader === truth ? 1 : 0;
    b.n++;
  }
  for (const b of buckets) {
    if (b.n < 1000) continue;
    assert.ok(
      Math.abs(b.predicted / b.n - b.correct / b.n) < 0.015,
      `${b.predicted / b.n} vs ${b.correct / b.n}`,
    );
  }
});
