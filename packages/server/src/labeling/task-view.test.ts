/**
 * How a task is presented to one labeler (and to a definition preview, which uses the same two functions):
 *
 * | Source                                         | Presentation                                  |
 * |------------------------------------------------|-----------------------------------------------|
 * | compare                                        | A/B order at random (both orders occur)       |
 * | compare, NoShuffle                             | always A then B                               |
 * | classification                                 | options shuffled (several orders occur)       |
 * | classification, NoShuffle                      | the definition's order                        |
 * | classification, numbered options ("1: …")      | the definition's order: key n picks "n: …"    |
 * | the view                                       | options in display order, noShuffle = fixed   |
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '@jury/stats';
import { isNumberedScale } from '../task-types/classification.ts';
import {
  choosePresentation,
  keepsOrder,
  presentTaskView,
  type SealItem,
  type TaskSource,
} from './task-view.ts';

const LIKERT = ['1: Not at all', '2: Slightly', '3: Moderately', '4: Very', '5: Extremely'];

function source(overrides: Partial<TaskSource>): TaskSource {
  return {
    taskType: 'classification',
    instruction: 'How well does the caption fit?',
    dataType: 'text',
    items: JSON.stringify([{ type: 'text', text: 'a cat on a mat' }]),
    context: null,
    mediaContext: null,
    answerOptions: JSON.stringify(['Cat', 'Dog', 'Bird', 'Fish']),
    settings: '[]',
    ...overrides,
  };
}

const compare = (settings = '[]') =>
  source({
    taskType: 'compare',
    items: JSON.stringify([
      { type: 'text', text: 'first' },
      { type: 'text', text: 'second' },
    ]),
    answerOptions: null,
    settings,
  });

/** These sources are text only: nothing to seal. */
const textOnly = (item: Parameters<SealItem>[0]) => {
  if (item.type !== 'text') throw new Error('a text source');
  return item;
};

/** The distinct presentations `n` labelers get. */
function orders(src: TaskSource, n = 40): Set<string> {
  const random = mulberry32(7);
  return new Set(Array.from({ length: n }, () => JSON.stringify(choosePresentation(src, random))));
}

describe('task presentation', () => {
  it('compare: sides at random, fixed with NoShuffle', () => {
    assert.deepEqual(orders(compare()), new Set(['{"order":["A","B"]}', '{"order":["B","A"]}']));
    assert.deepEqual(orders(compare('["NoShuffle"]')), new Set(['{"order":["A","B"]}']));
    const view = presentTaskView(compare(), { order: ['B', 'A'] }, textOnly);
    assert.deepEqual(
      view.items.map((i) => [i.side, i.type === 'text' && i.text]),
      [
        ['B', 'second'],
        ['A', 'first'],
      ],
    );
    assert.equal(view.settings.noShuffle, false);
  });

  it('classification: options shuffled per labeler, kept with NoShuffle', () => {
    const shuffled = orders(source({}));
    assert.ok(shuffled.size > 5, `only ${shuffled.size} orders`);
    for (const o of shuffled)
      assert.deepEqual([...(JSON.parse(o) as { options: string[] }).options].sort(), [
        'Bird',
        'Cat',
        'Dog',
        'Fish',
      ]);
    assert.deepEqual(
      orders(source({ settings: '["NoShuffle"]' })),
      new Set([JSON.stringify({ options: ['Cat', 'Dog', 'Bird', 'Fish'] })]),
    );
  });

  it('a numbered scale keeps its order, so the n-th option shown (key n) is "n: …"', () => {
    const likert = source({ answerOptions: JSON.stringify(LIKERT) });
    assert.equal(keepsOrder(likert), true);
    assert.deepEqual(orders(likert), new Set([JSON.stringify({ options: LIKERT })]));
    const view = presentTaskView(likert, choosePresentation(likert, mulberry32(1)), textOnly);
    assert.deepEqual(view.answerOptions, LIKERT);
    for (const [i, option] of (view.answerOptions ?? []).entries())
      assert.ok(option.startsWith(`${i + 1}:`), option);
    assert.equal(view.settings.noShuffle, true, 'the view says every labeler sees this order');
    const plain = presentTaskView(source({}), { options: ['Dog', 'Fish', 'Cat', 'Bird'] }, textOnly);
    assert.deepEqual(plain.answerOptions, ['Dog', 'Fish', 'Cat', 'Bird']);
    assert.equal(plain.settings.noShuffle, false);
  });

  it('isNumberedScale: every option starts with its own number', () => {
    assert.equal(isNumberedScale(['1', '2', '3', '4', '5']), true);
    assert.equal(isNumberedScale(['1 - bad', '2 - ok', '10 - great']), true);
    assert.equal(isNumberedScale(['0 cats', '1 cat', '2 cats']), true);
    assert.equal(isNumberedScale(['Cat', 'Dog']), false);
    assert.equal(isNumberedScale(['1 cat', 'a dog']), false);
    assert.equal(isNumberedScale(['1 cat', '1 dog']), false, 'the same number twice is not a scale');
    assert.equal(isNumberedScale(['5']), false);
  });
});
