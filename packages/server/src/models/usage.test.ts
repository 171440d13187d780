import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costOf, estimateTokens } from './usage.ts';

describe('usage', () => {
  it('estimateTokens: 4 characters a token, rounded up, characters as code points', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abc'), 1);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    assert.equal(estimateTokens('x'.repeat(4000)), 1000);
    assert.equal(estimateTokens('😀😀😀😀'), 1, 'four emoji are four characters, not eight UTF-16 units');
  });

  it('costOf sums the fields that apply; empty ones are 0', () => {
    const costs = { perThousandInputTokens: 0.5, perThousandOutputTokens: 1.5, perInstanceHour: 2 };
    assert.equal(costOf({ inputTokens: 2000, outputTokens: 1000, hours: 0.5 }, costs), 1 + 1.5 + 1);
    assert.equal(costOf({ inputTokens: 2000, outputTokens: 1000 }, costs), 2.5);
    assert.equal(costOf({ inputTokens: 2000, outputTokens: 1000, hours: 3 }, {}), 0);
    assert.equal(
      costOf(
        { inputTokens: 1234, outputTokens: 0 },
        { perThousandInputTokens: 0.01, perThousandOutputTokens: null },
      ),
      0.01234,
    );
    assert.equal(costOf({ inputTokens: 0, outputTokens: 0, hours: 1.5 }, { perInstanceHour: 4 }), 6);
  });
});
