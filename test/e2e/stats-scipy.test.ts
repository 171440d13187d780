/**
 * Checks @jury/stats' rank correlations against scipy on random data with ties. scipy's answers are a fixture
 * (test/fixtures/rank-correlations/peer-scipy.json, written by `npm run bench:peer-fixtures`), so no Python
 * is needed here; `npm run bench:peer-fixtures -- --check` reruns scipy and compares.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { kendallTauB, spearmanRho } from '@jury/stats';

interface PeerCase {
  x: number[];
  y: number[];
  kendallTauB: number;
  spearmanRho: number;
}

const fixture = new URL('../fixtures/rank-correlations/peer-scipy.json', import.meta.url);
const { cases } = JSON.parse(readFileSync(fixture, 'utf8')) as { cases: PeerCase[] };

test('Kendall tau-b and Spearman rho agree with scipy.stats on 50 random samples with ties', () => {
  assert.equal(cases.length, 50);
  cases.forEach((c, k) => {
    assert.ok(
      Math.abs(kendallTauB(c.x, c.y) - c.kendallTauB) < 1e-12,
      `case ${k}: tau ${kendallTauB(c.x, c.y)} vs ${c.kendallTauB}`,
    );
    assert.ok(
      Math.abs(spearmanRho(c.x, c.y) - c.spearmanRho) < 1e-12,
      `case ${k}: rho ${spearmanRho(c.x, c.y)} vs ${c.spearmanRho}`,
    );
  });
});
