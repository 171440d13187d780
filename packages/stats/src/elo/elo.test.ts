import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner, not I/O in the package
import { test } from 'node:test';
import { createOnlineElo, eloExpectedScore, onlineEloStandings, updateOnlineElo } from './elo.ts';

test('expected score is the logistic curve with 400 points per factor 10 in odds', () => {
  assert.equal(eloExpectedScore(1000, 1000), 0.5);
  assert.ok(Math.abs(eloExpectedScore(1400, 1000) - 10 / 11) < 1e-15);
  assert.ok(Math.abs(eloExpectedScore(1100, 1000) - 0.6400649998028851) < 1e-15);
});

test('one update moves both ratings by K·(score − expected), conserving the sum', () => {
  const elo = createOnlineElo({ k: 32 });
  assert.deepEqual(updateOnlineElo(elo, 'x', 'y', 'a'), { a: 1016, b: 984 });
  const r = updateOnlineElo(elo, 'x', 'y', 'tie');
  const expected = eloExpectedScore(1016, 984);
  assert.ok(Math.abs(r.a - (1016 + 32 * (0.5 - expected))) < 1e-12);
  assert.ok(Math.abs(r.a + r.b - 2000) < 1e-12);
  updateOnlineElo(elo, 'z', 'x', 'b', 8);
  assert.deepEqual(
    onlineEloStandings(elo).map((s) => [s.item, s.games]),
    [
      ['x', 3],
      ['z', 1],
      ['y', 2],
    ],
  );
});

test('defaults: K = 4 and initial 1000, as the Chatbot Arena online Elo', () => {
  const elo = createOnlineElo();
  assert.deepEqual(updateOnlineElo(elo, 'p', 'q', 'b'), { a: 998, b: 1002 });
  assert.throws(() => createOnlineElo({ k: 0 }), RangeError);
  assert.throws(() => updateOnlineElo(elo, 'p', 'p', 'a'), RangeError);
});
