/**
 * Checks @jury/stats' rank correlations against scipy (Debian's python3-scipy) on random data with ties.
 * Skipped when python3 or scipy is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { createRng, kendallTauB, spearmanRho } from '@jury/stats';

const hasScipy = spawnSync('python3', ['-c', 'import scipy'], { encoding: 'utf8' }).status === 0;

test('Kendall tau-b and Spearman rho agree with scipy.stats on 50 random samples with ties', {
  skip: !hasScipy,
}, () => {
  const rng = createRng(2026);
  const cases = Array.from({ length: 50 }, () => {
    const n = 5 + rng.int(60);
    const levels = 2 + rng.int(12);
    const x = Array.from({ length: n }, () => rng.int(levels));
    const y = x.map((v) => (rng.next() < 0.6 ? v + rng.int(3) : rng.int(levels)));
    return { x, y };
  });
  const script = [
    'import json, sys',
    'from scipy import stats',
    'cases = json.load(sys.stdin)',
    'out = [[stats.kendalltau(c["x"], c["y"]).statistic, stats.spearmanr(c["x"], c["y"]).statistic] for c in cases]',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const expected = JSON.parse(run.stdout) as [number, number][];
  cases.forEach((c, k) => {
    const [tau, rho] = expected[k]!;
    assert.ok(
      Math.abs(kendallTauB(c.x, c.y) - tau) < 1e-12,
      `case ${k}: tau ${kendallTauB(c.x, c.y)} vs ${tau}`,
    );
    assert.ok(
      Math.abs(spearmanRho(c.x, c.y) - rho) < 1e-12,
      `case ${k}: rho ${spearmanRho(c.x, c.y)} vs ${rho}`,
    );
  });
});
