import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner is not I/O in the package itself
import { test } from 'node:test';
import { createRng, mulberry32, shuffle } from './random.ts';

test('mulberry32 is deterministic and matches the reference sequence', () => {
  // First outputs of the published mulberry32 with seed 42.
  const u = mulberry32(42);
  assert.equal(u(), 0.6011037519201636);
  const v = mulberry32(42);
  v();
  assert.equal(u(), v());
});

test('normal, gamma and poisson draws have the right means and variances', () => {
  const r = createRng(3);
  const n = 100000;
  let s = 0;
  let s2 = 0;
  let g = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
    g += r.gamma(2.5);
    p += r.poisson(3.2);
  }
  assert.ok(Math.abs(s / n) < 0.02);
  assert.ok(Math.abs(s2 / n - 1) < 0.02);
  assert.ok(Math.abs(g / n - 2.5) < 0.03);
  assert.ok(Math.abs(p / n - 3.2) < 0.03);
});

test('shuffle returns a permutation', () => {
  const a = shuffle([1, 2, 3, 4, 5, 6], createRng(9));
  assert.deepEqual([...a].sort(), [1, 2, 3, 4, 5, 6]);
});
