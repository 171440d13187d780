import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelerWorkTask } from '@jury/api';
import { createRng } from '@jury/stats';
import { createStrengths, parseStrengths } from './models.ts';
import { createOracle } from './oracle.ts';

// The matchup truth: strengths per model (given or drawn from the seed) and the Bradley-Terry draw of the oracle.

// Blind: a labeler's medium is a reference only (which model it is comes from the requester, models.ts).
const side = (s: 'A' | 'B', ref: string) =>
  ({ type: 'asset', url: `/api/v1/labeler/media/${ref}`, kind: 'image', side: s }) as const;
const matchup = {
  kind: 'task',
  leaseId: 'lse_1',
  jobId: null,
  expiresAt: '2026-01-01T00:00:00.000Z',
  taskType: 'compare',
  instruction: 'Which image is more realistic?',
  dataType: 'media',
  items: [side('B', 'ast_b'), side('A', 'ast_a')],
  context: null,
  mediaContext: null,
  answerOptions: null,
  settings: { markdown: false, allowNeitherBoth: false, noShuffle: false },
} satisfies LabelerWorkTask;

test('the oracle draws the preferred side by Bradley-Terry from the two strengths', () => {
  const oracle = createOracle();
  const rng = createRng(3);
  const n = 20_000;
  let a = 0;
  for (let i = 0; i < n; i++) {
    const j = oracle.judge(matchup, rng, { A: 1, B: 0 });
    assert.ok(j.correct !== null);
    if ('choice' in j.correct && j.correct.choice === 'A') a++;
  }
  const p = 1 / (1 + Math.exp(-1)); // 0.731
  assert.ok(Math.abs(a / n - p) < 4 * Math.sqrt((p * (1 - p)) / n), `${a / n} vs ${p}`);
  // without strengths: the compare convention (item A)
  const j = oracle.judge(matchup, rng);
  assert.deepEqual(j.correct, { choice: 'A' });
});

test('strengths: given ones as given, the others drawn per model from the seed, the same in every run', () => {
  const s = createStrengths(7, { alpha: 2, zero: 0 });
  assert.equal(s.of('alpha'), 2);
  assert.equal(s.of('zero'), 0);
  const beta = s.of('beta');
  assert.equal(createStrengths(7).of('beta'), beta);
  assert.notEqual(createStrengths(8).of('beta'), beta);
  assert.notEqual(s.of('gamma'), beta);
  assert.deepEqual(Object.keys(s.used).sort(), ['alpha', 'beta', 'gamma', 'zero']);
  const draws = Array.from({ length: 2000 }, (_, i) => createStrengths(1).of(`m${i}`));
  const mean = draws.reduce((x, y) => x + y, 0) / draws.length;
  const sd = Math.sqrt(draws.reduce((x, y) => x + (y - mean) ** 2, 0) / draws.length);
  assert.ok(Math.abs(mean) < 0.1 && Math.abs(sd - 1) < 0.1, `N(0, 1): mean ${mean}, sd ${sd}`);
});

test('a strengths file is an object of finite numbers', () => {
  assert.deepEqual(parseStrengths({ a: 1, b: -0.5 }), { a: 1, b: -0.5 });
  assert.throws(() => parseStrengths([1, 2]), /JSON object/);
  assert.throws(() => parseStrengths({ a: '1' }), /gives "a" "1", not a number/);
});
