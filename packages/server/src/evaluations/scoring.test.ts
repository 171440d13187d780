// Scores against examples worked by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateScores, median, runScore } from './scoring.ts';

const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} ≠ ${expected}`,
  );

describe('runScore (MixEval: micro-average × 100, per split, per benchmark)', () => {
  it('a worked example: 7 items, one ungraded', () => {
    // free-form 1 + 0.5 + 0 = 1.5 of 3 → 50; multiple-choice 1 + 1 + 1 + 0 (ungraded) = 3 of 4 → 75;
    // overall 4.5 of 7 → 64.2857… (the mean of the split means would be 62.5: MixEval weights by items).
    const score = runScore([
      { split: 'free-form', benchmark: 'TriviaQA', score: 1 },
      { split: 'free-form', benchmark: 'TriviaQA', score: 0.5 },
      { split: 'free-form', benchmark: 'DROP', score: 0 },
      { split: 'multiple-choice', benchmark: 'MMLU', score: 1 },
      { split: 'multiple-choice', benchmark: 'MMLU', score: 1 },
      { split: 'multiple-choice', benchmark: 'BoolQ', score: 1 },
      { split: 'multiple-choice', benchmark: 'MMLU', score: null },
    ]);
    close(score.score, (100 * 4.5) / 7, 'overall');
    assert.equal(score.items, 7);
    assert.equal(score.ungraded, 1);
    close(score.splits['free-form']?.score, 50, 'free-form');
    close(score.splits['multiple-choice']?.score, 75, 'multiple-choice');
    close(score.benchmarks.TriviaQA?.score, 75, 'TriviaQA');
    close(score.benchmarks.DROP?.score, 0, 'DROP');
    close(score.benchmarks.MMLU?.score, 200 / 3, 'MMLU');
    close(score.benchmarks.BoolQ?.score, 100, 'BoolQ');
    assert.deepEqual(score.benchmarks.MMLU?.items, 3);
  });

  it('no items is 0 with no splits', () => {
    assert.deepEqual(runScore([]), { score: 0, items: 0, ungraded: 0, splits: {}, benchmarks: {} });
  });
});

describe('aggregateScores (Equistamp)', () => {
  it('a worked example: latest scores, medians for missing ones, rescaled to the best, trusted only', () => {
    const result = aggregateScores({
      models: ['m1', 'm2', 'm3', 'm4-private', 'm5'],
      evaluations: [
        { id: 'E1', trusted: true },
        { id: 'E2', trusted: true },
        { id: 'E3', trusted: false },
        { id: 'E4', trusted: true },
      ],
      runs: [
        // E1: m1's latest is 90 (its older 95 does not count), m2 60, m3 45 → median 60, best 90.
        { modelId: 'm1', evaluationId: 'E1', score: 95, at: '2026-01-01T00:00:00Z' },
        { modelId: 'm1', evaluationId: 'E1', score: 90, at: '2026-02-01T00:00:00Z' },
        { modelId: 'm2', evaluationId: 'E1', score: 60, at: '2026-01-05T00:00:00Z' },
        { modelId: 'm3', evaluationId: 'E1', score: 45, at: '2026-01-06T00:00:00Z' },
        // E2: m2 40, m4 20 → median 30, best 40.
        { modelId: 'm2', evaluationId: 'E2', score: 40, at: '2026-01-07T00:00:00Z' },
        { modelId: 'm4-private', evaluationId: 'E2', score: 20, at: '2026-01-08T00:00:00Z' },
        // Untrusted, and a model not asked about: neither counts.
        { modelId: 'm5', evaluationId: 'E3', score: 100, at: '2026-01-09T00:00:00Z' },
        { modelId: 'other', evaluationId: 'E1', score: 100, at: '2026-01-09T00:00:00Z' },
      ],
    });
    const by = new Map(result.map((r) => [r.modelId, r]));
    // m1: E1 90/90 → 100, E2 median 30/40 → 75: 87.5.
    close(by.get('m1')?.score, 87.5, 'm1');
    // m2: E1 60/90 → 66.67, E2 40/40 → 100: 83.33.
    close(by.get('m2')?.score, (200 / 3 + 100) / 2, 'm2');
    // m3: E1 45/90 → 50, E2 median → 75: 62.5.
    close(by.get('m3')?.score, 62.5, 'm3');
    // m4 (private, counted like any other): E1 median 60/90 → 66.67, E2 20/40 → 50: 58.33.
    close(by.get('m4-private')?.score, (200 / 3 + 50) / 2, 'm4');
    // m5 took no trusted evaluation: no score, though its parts show the medians.
    assert.equal(by.get('m5')?.score, null);
    assert.equal(by.get('m5')?.taken, 0);
    assert.deepEqual(
      by.get('m3')?.parts.map((p) => [p.evaluationId, p.score, p.imputed]),
      [
        ['E1', 45, false],
        ['E2', 30, true],
      ],
    );
    // E3 is untrusted and E4 was taken by nobody: neither is a part.
    assert.deepEqual(
      by.get('m1')?.parts.map((p) => p.evaluationId),
      ['E1', 'E2'],
    );
  });

  it('an evaluation every model scored 0 on is left out', () => {
    const [a] = aggregateScores({
      models: ['a'],
      evaluations: [
        { id: 'zero', trusted: true },
        { id: 'half', trusted: true },
      ],
      runs: [
        { modelId: 'a', evaluationId: 'zero', score: 0, at: new Date('2026-01-01') },
        { modelId: 'a', evaluationId: 'half', score: 50, at: new Date('2026-01-01') },
      ],
    });
    close(a?.score, 100, 'a alone is the best on the one evaluation that says something');
  });

  it('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});
