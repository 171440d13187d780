import { answerCategory, type LabelerAnswer, TASK_TYPE_CONTRACTS, type TaskType } from '@jury/api';
import { AppError } from '../http/errors.ts';
import { taskTypeModule } from '../task-types/index.ts';
import { parseOptions, parseSettings, type TaskSource } from './task-view.ts';

// Answers: which ones a task accepts, how they are stored, and how qualification answers are graded. Pure; each
// task type's rules are in its module (task-types/).

/** The stored answer: the accepted answer in its type's shape (compare `{ choice }`, classification `{ category }`). */
export type StoredAnswer = LabelerAnswer;

/** The categories a task's answers fall into (what stopping rules and confidence count). */
export function answerCategories(
  source: Pick<TaskSource, 'taskType' | 'answerOptions' | 'settings'>,
): string[] {
  return TASK_TYPE_CONTRACTS[source.taskType].categories({
    answerOptions: parseOptions(source.answerOptions),
    settings: parseSettings(source.settings),
  });
}

/** The category an accepted answer names. */
export { answerCategory };

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
  return taskTypeModule(source.taskType).acceptAnswer(answer, allowed, fail);
}

/** The truth of a qualification example as the labeler's answers name it (e.g. compare: side labels). */
export function truthLabels(taskType: TaskType, itemsJson: string, truthJson: string): string[] {
  return taskTypeModule(taskType).truthLabels(JSON.parse(itemsJson), JSON.parse(truthJson) as string[]);
}

/** Grading: correct iff the answer's category is one of the truth's labels. */
export function isCorrect(answer: StoredAnswer, truth: readonly string[]): boolean {
  return truth.includes(answerCategory(answer));
}
