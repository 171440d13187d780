import { type Item, itemName, type LabelerAnswer } from '@jury/api';
import { AppError } from '../http/errors.ts';
import { parseOptions, parseSettings, type TaskSource } from './task-view.ts';

// Answers: which ones a task accepts, how they are stored, and how qualification answers are graded. Pure.

/** The stored answer: compare `{ choice }` (A = the datapoint's first item), classify `{ category }`. */
export type StoredAnswer = { choice: 'A' | 'B' | 'Both' | 'Neither' } | { category: string };

/** The categories a task's answers fall into (what stopping rules and confidence count). */
export function answerCategories(
  source: Pick<TaskSource, 'taskType' | 'answerOptions' | 'settings'>,
): string[] {
  if (source.taskType === 'classify') return parseOptions(source.answerOptions) ?? [];
  return parseSettings(source.settings).allowNeitherBoth ? ['A', 'B', 'Both', 'Neither'] : ['A', 'B'];
}

/** The category an accepted answer names. */
export function answerCategory(answer: StoredAnswer): string {
  return 'choice' in answer ? answer.choice : answer.category;
}

/**
 * Checks an answer against what the task offers; throws VALIDATION_FAILED saying what is allowed.
 * Returns the answer as stored.
 */
export function acceptAnswer(
  source: Pick<TaskSource, 'taskType' | 'answerOptions' | 'settings'>,
  answer: LabelerAnswer,
): StoredAnswer {
  const allowed = answerCategories(source);
  const fail = (message: string) =>
    new AppError('VALIDATION_FAILED', message, {
      target: 'body',
      issues: [{ path: 'answer', message, code: 'invalid_value' }],
      allowed,
    });
  if (source.taskType === 'compare') {
    if (!('choice' in answer))
      throw fail(
        'This is a compare task: answer with { "choice": "A" | "B" } (the side labels of the items).',
      );
    if (!allowed.includes(answer.choice))
      throw fail(
        `"${answer.choice}" is not allowed here (this task does not allow Both/Neither); answer "A" or "B".`,
      );
    return { choice: answer.choice };
  }
  if (!('category' in answer))
    throw fail('This is a classification task: answer with { "category": "<one of answerOptions>" }.');
  if (!allowed.includes(answer.category))
    throw fail(
      `"${answer.category}" is not one of the answer options: ${allowed.map((o) => `"${o}"`).join(', ')}.`,
    );
  return { category: answer.category };
}

/**
 * The truth of a qualification example as the labeler's answers name it: compare truths are item names, shown as
 * side labels ('A' = items[0]); classification truths are options.
 */
export function truthLabels(
  taskType: 'compare' | 'classify',
  itemsJson: string,
  truthJson: string,
): string[] {
  const truth = JSON.parse(truthJson) as string[];
  if (taskType === 'classify') return truth;
  const items = JSON.parse(itemsJson) as Item[];
  const names = items.map((i) => itemName(i));
  return truth.flatMap((t) => {
    const sides: string[] = [];
    if (names[0] === t) sides.push('A');
    if (names[1] === t) sides.push('B');
    return sides;
  });
}

/** Grading: compare correct iff the chosen side is the truth item; classify correct iff the option is a truth. */
export function isCorrect(answer: StoredAnswer, truth: readonly string[]): boolean {
  return truth.includes(answerCategory(answer));
}
