import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner, not I/O in the package
import { test } from 'node:test';
import {
  averageRanks,
  cohenKappa,
  fleissKappa,
  kendallTauB,
  krippendorffAlpha,
  pairwiseAccuracy,
  spearmanRho,
} from './agreement.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

test("Cohen's kappa: Wikipedia's worked examples", () => {
  // 50 grant proposals: yes/yes 20, yes/no 5, no/yes 10, no/no 15 → po 0.7, pe 0.5, κ 0.4.
  const a = [...Array(25).fill('yes'), ...Array(25).fill('no')];
  const b = [
    ...Array(20).fill('yes'),
    ...Array(5).fill('no'),
    ...Array(10).fill('yes'),
    ...Array(15).fill('no'),
  ];
  close(cohenKappa(a, b), 0.4);
  // Second example (same agreement, different marginals): 45/15/25/15 → κ ≈ 0.1304.
  const c = [...Array(60).fill(1), ...Array(40).fill(0)];
  const d = [...Array(45).fill(1), ...Array(15).fill(0), ...Array(25).fill(1), ...Array(15).fill(0)];
  close(cohenKappa(c, d), 0.13043478260869565);
  assert.ok(Number.isNaN(cohenKappa(['x', 'x'], ['x', 'x'])));
});

test("Fleiss' kappa: Wikipedia's worked example (10 items, 14 raters) gives 0.210", () => {
  const table = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  // P̄ = 0.378, P̄e = 0.2128 → κ = 0.2099.
  assert.equal(fleissKappa(table).toFixed(3), '0.210');
  close(fleissKappa(table), (0.37802197802197807 - 0.21275510204081632) / (1 - 0.21275510204081632), 1e-12);
  assert.throws(
    () =>
      fleissKappa([
        [1, 1],
        [2, 1],
      ]),
    RangeError,
  );
});

test("Fleiss' kappa with two raters equals Scott's pi; perfect agreement is 1", () => {
  assert.equal(
    fleissKappa([
      [2, 0],
      [0, 2],
      [2, 0],
    ]),
    1,
  );
});

test("Krippendorff's alpha (nominal): the textbook example gives 0.743", () => {
  const _ = null;
  const data = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
  ];
  assert.equal(krippendorffAlpha(data).toFixed(3), '0.743');
  // Full precision from the published coincidence matrix (n = 40 pairable values): α = 0.7434210526…
  close(krippendorffAlpha(data), 0.7434210526315789, 1e-12);
});

test("Krippendorff's alpha: two raters, no missing data, close to Scott's pi", () => {
  // Krippendorff's binary example: 2 coders, 10 units → α = 0.095.
  const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
  const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
  assert.equal(krippendorffAlpha([a, b]).toFixed(3), '0.095');
});

test('Kendall tau-b and Spearman rho match scipy.stats (with ties)', () => {
  // Values from scipy 1.17.1 (kendalltau, spearmanr).
  close(kendallTauB([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]), 0.7999999999999999, 1e-12);
  close(kendallTauB([1, 2, 2, 3], [1, 2, 3, 3]), 0.7999999999999999, 1e-12);
  const x = [12, 2, 1, 12, 2, 7, 7, 3, 9, 4];
  const y = [1, 4, 7, 1, 0, 3, 3, 9, 2, 5];
  close(kendallTauB(x, y), -0.5176828858685129, 1e-12);
  close(spearmanRho(x, y), -0.523079399198283, 1e-12);
  const u = [0.1, 0.5, 0.3, 0.9, 0.9, 0.2, 0.7, 0.4];
  const v = [1, 3, 2, 4, 5, 1, 2, 3];
  close(kendallTauB(u, v), 0.769800358919501, 1e-12);
  close(spearmanRho(u, v), 0.8781140799175227, 1e-12);
  close(spearmanRho([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 0.8207826816681233, 1e-12);
  assert.ok(Number.isNaN(kendallTauB([1, 1, 1], [1, 2, 3])));
});

test('average ranks and pairwise accuracy', () => {
  assert.deepEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  close(pairwiseAccuracy([1, 2, 3, 4], [1, 2, 4, 3]), 5 / 6);
  close(pairwiseAccuracy([1, 2, 3], [1, 1, 3]), 2.5 / 3);
  close(pairwiseAccuracy([1, 2, 3], [3, 2, 1]), 0);
});
