import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner, not I/O in the package
import { test } from 'node:test';
import { addItem, addVote, createPairCounts } from '../bt/pair-counts.ts';
import { createRng } from '../random.ts';
import { diagonalStrengthPosterior, strengthPosterior } from './posterior.ts';
import { levelOfDetailBudget, proposePairs } from './propose.ts';

function field(n: number, votesEach: number, seed: number) {
  const counts = createPairCounts(Array.from({ length: n }, (_, i) => `m${i}`));
  const rng = createRng(seed);
  for (let v = 0; v < n * votesEach; v++) {
    const a = rng.int(n);
    let b = rng.int(n - 1);
    if (b >= a) b++;
    addVote(counts, `m${a}`, `m${b}`, rng.next() < 1 / (1 + Math.exp(b - a)) ? 'a' : 'b');
  }
  return counts;
}

test('posterior: the MAP of two items solves the penalised score equation', () => {
  const counts = createPairCounts(['a', 'b']);
  for (let i = 0; i < 7; i++) addVote(counts, 'a', 'b', 'a');
  for (let i = 0; i < 3; i++) addVote(counts, 'a', 'b', 'b');
  const post = strengthPosterior(counts, { priorSd: 1 });
  // By symmetry θb = −θa = −t and 7 − 10·σ(2t) − t = 0.
  let lo = 0;
  let hi = 2;
  for (let k = 0; k < 100; k++) {
    const t = (lo + hi) / 2;
    if (7 - 10 / (1 + Math.exp(-2 * t)) - t > 0) lo = t;
    else hi = t;
  }
  assert.ok(Math.abs(post.mean[0]! - lo) < 1e-8);
  assert.ok(Math.abs(post.mean[1]! + lo) < 1e-8);
  // Covariance = inverse of [[w + 1, −w], [−w, w + 1]], w = 10·p(1 − p).
  const p = 1 / (1 + Math.exp(-2 * lo));
  const w = 10 * p * (1 - p);
  const det = (w + 1) ** 2 - w * w;
  assert.ok(Math.abs(post.cov[0]! - (w + 1) / det) < 1e-9);
  assert.ok(Math.abs(post.cov[1]! - w / det) < 1e-9);
});

test('level of detail presets', () => {
  assert.equal(levelOfDetailBudget('debug'), 20);
  assert.equal(levelOfDetailBudget('very high'), 16000);
  assert.equal(levelOfDetailBudget(123), 123);
  assert.throws(() => levelOfDetailBudget(-1), RangeError);
});

test('the budget caps proposals', () => {
  const counts = field(5, 4, 1);
  assert.equal(counts.votes, 20);
  assert.equal(
    proposePairs(counts, { rng: createRng(1), batchSize: 5, comparisonBudgetPerRanking: 22 }).length,
    2,
  );
  assert.equal(proposePairs(counts, { rng: createRng(1), batchSize: 5, levelOfDetail: 'debug' }).length, 0);
});

test('only items sharing a prompt meet, on a shared prompt', () => {
  const counts = field(4, 6, 2);
  const prompts = { m0: ['p1'], m1: ['p1', 'p2'], m2: ['p2'], m3: ['p3'] };
  const pairs = proposePairs(counts, {
    rng: createRng(3),
    batchSize: 40,
    prompts,
    randomComparisonsRatio: 0.5,
  });
  assert.equal(pairs.length, 40);
  for (const p of pairs) {
    const shared = prompts[p.a as keyof typeof prompts].filter((x) =>
      prompts[p.b as keyof typeof prompts].includes(x),
    );
    assert.ok(shared.length > 0, `${p.a} vs ${p.b}`);
    assert.ok(p.prompt !== undefined && shared.includes(p.prompt));
    assert.ok(p.a !== 'm3' && p.b !== 'm3');
  }
  // Nobody shares a prompt: nothing to propose.
  assert.deepEqual(
    proposePairs(counts, { rng: createRng(3), prompts: { m0: ['x'], m1: ['y'] }, items: ['m0', 'm1'] }),
    [],
  );
});

test('new items meet established items first', () => {
  const counts = createPairCounts(['m0', 'm1', 'm2', 'm3', 'new1', 'new2']);
  const rng = createRng(1);
  for (let v = 0; v < 40; v++) {
    const a = rng.int(4);
    let b = rng.int(3);
    if (b >= a) b++;
    addVote(counts, `m${a}`, `m${b}`, rng.next() < 0.5 ? 'a' : 'b');
  }
  const pairs = proposePairs(counts, { rng: createRng(5), batchSize: 8, randomComparisonsRatio: 0 });
  const isNew = (x: string) => x.startsWith('new');
  // 3 newcomer slots each (the default threshold), then information pairs.
  assert.equal(pairs.filter((p) => p.reason === 'newcomer').length, 6);
  for (const p of pairs.slice(0, 6)) {
    assert.equal(p.reason, 'newcomer');
    assert.ok(isNew(p.a) !== isNew(p.b), `${p.a} vs ${p.b}: a newcomer meets an established item`);
  }
  assert.ok(['new1', 'new2'].every((n) => pairs.some((p) => p.a === n || p.b === n)));
});

test('never pure closest-rating pairing: a settled close pair loses to an uncertain one', () => {
  const counts = createPairCounts(['a', 'b', 'c', 'd']);
  // a and b: 400 votes, split evenly: equal ratings, known precisely.
  for (let i = 0; i < 200; i++) {
    addVote(counts, 'a', 'b', 'a');
    addVote(counts, 'a', 'b', 'b');
  }
  // c and d: a few votes each against a, b and each other, with a slight gap.
  for (const [x, y, o] of [
    ['c', 'a', 'a'],
    ['c', 'b', 'b'],
    ['d', 'a', 'b'],
    ['d', 'b', 'a'],
    ['c', 'd', 'a'],
    ['c', 'd', 'b'],
    ['c', 'a', 'b'],
    ['d', 'b', 'b'],
  ] as const) {
    addVote(counts, x, y, o);
  }
  const [pick] = proposePairs(counts, { rng: createRng(6), randomComparisonsRatio: 0 });
  assert.ok(pick);
  assert.equal(pick.reason, 'information');
  assert.notDeepEqual([pick.a, pick.b].sort(), ['a', 'b']);
});

test('exploration share: ratio 1 gives only exploration pairs, 0 none (once established)', () => {
  const counts = field(8, 10, 7);
  const all = proposePairs(counts, { rng: createRng(8), batchSize: 20, randomComparisonsRatio: 1 });
  assert.ok(all.every((p) => p.reason === 'exploration'));
  const none = proposePairs(counts, { rng: createRng(8), batchSize: 20, randomComparisonsRatio: 0 });
  assert.ok(none.every((p) => p.reason === 'information'));
  // A batch spreads over several pairs.
  assert.ok(new Set(none.map((p) => [p.a, p.b].sort().join('-'))).size > 3);
});

test('diagonal posterior: the dense MAP, and each variance at least the dense one (it ignores the graph)', () => {
  const counts = field(30, 8, 9);
  const dense = strengthPosterior(counts);
  const diag = diagonalStrengthPosterior(counts);
  for (let i = 0; i < 30; i++) {
    assert.ok(Math.abs(diag.mean[i]! - dense.mean[i]!) < 1e-4, `mean ${i}`);
    // 1/H_ii ≤ (H⁻¹)_ii for a positive definite H
    assert.ok(diag.variance[i]! <= dense.cov[i * 30 + i]! + 1e-12, `variance ${i}`);
    assert.equal(diag.itemVotes[i], dense.itemVotes[i]);
  }
});

test('above 300 items: ranking pairs from the diagonal posterior, spread over the field, fast', () => {
  const counts = field(400, 10, 4);
  const t0 = performance.now();
  const out = proposePairs(counts, { rng: createRng(2), batchSize: 20, randomComparisonsRatio: 0 });
  const ms = performance.now() - t0;
  assert.equal(out.length, 20);
  assert.ok(out.every((p) => p.reason === 'information' && p.a !== p.b));
  // each pick lowers the gains of its two items' pairs, so a batch spreads over many items
  const items = new Set(out.flatMap((p) => [p.a, p.b]));
  assert.ok(items.size >= 20, `${items.size} items in 20 pairs`);
  assert.ok(ms < 2000, `${ms} ms`);
});

test('above 300 items: the shortlist picks what a scan of every pair picks, vote after vote', () => {
  const counts = field(350, 6, 11);
  const m = counts.items.length;
  const post = diagonalStrengthPosterior(counts);
  const variance = Float64Array.from(post.variance);
  const sigma = (x: number) => 1 / (1 + Math.exp(-x));
  const phi = (x: number) => {
    // Φ by Simpson's rule on the density (independent of the implementation's erfc fit)
    const lo = -12;
    const n = 2000;
    const h = (x - lo) / n;
    let s = 0;
    for (let k = 0; k <= n; k++) {
      const t = lo + k * h;
      s += (k === 0 || k === n ? 1 : k % 2 ? 4 : 2) * Math.exp((-t * t) / 2);
    }
    return (s * h) / 3 / Math.sqrt(2 * Math.PI);
  };
  const stats = (i: number, j: number) => {
    const v = variance[i]! + variance[j]!;
    const d = post.mean[i]! - post.mean[j]!;
    const p = sigma(d / Math.sqrt(1 + (Math.PI * v) / 8));
    return { v, d, w: p * (1 - p) };
  };
  const expected: string[] = [];
  for (let pick = 0; pick < 6; pick++) {
    let best = -1;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const { v, d, w } = stats(i, j);
        const g = (w * v) / (1 + w * v); // the share of the pair's variance one vote removes
        const z = Math.abs(d) / Math.sqrt(v);
        if (z > 6) continue; // Φ(−6) ≈ 1e-9: never the best here
        const gain = g * phi(-z);
        if (gain > best) {
          best = gain;
          bi = i;
          bj = j;
        }
      }
    }
    expected.push([counts.items[bi]!, counts.items[bj]!].sort().join('-'));
    const { w } = stats(bi, bj);
    variance[bi] = 1 / (1 / variance[bi]! + w);
    variance[bj] = 1 / (1 / variance[bj]! + w);
  }
  const got = proposePairs(counts, { rng: createRng(3), batchSize: 6, randomComparisonsRatio: 0 });
  assert.deepEqual(
    got.map((p) => [p.a, p.b].sort().join('-')),
    expected,
  );
});

test('diagonal posterior: ties, a warm start and a field with unseen items', () => {
  const counts = field(40, 5, 12);
  addVote(counts, 'm1', 'm2', 'tie');
  addVote(counts, 'm3', 'm1', 'tie');
  addItem(counts, 'unseen');
  const dense = strengthPosterior(counts);
  const cold = diagonalStrengthPosterior(counts);
  const warm = diagonalStrengthPosterior(counts, { initial: dense.mean });
  for (let i = 0; i < counts.items.length; i++) {
    assert.ok(Math.abs(cold.mean[i]! - dense.mean[i]!) < 1e-5, `cold mean ${i}`);
    assert.ok(Math.abs(warm.mean[i]! - dense.mean[i]!) < 1e-5, `warm mean ${i}`);
    assert.equal(cold.itemVotes[i], dense.itemVotes[i]);
  }
  const u = counts.index.get('unseen')!;
  assert.equal(cold.mean[u], 0);
  assert.ok(Math.abs(cold.variance[u]! - 2.25) < 1e-12);
});
