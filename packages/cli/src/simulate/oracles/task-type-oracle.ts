import type { LabelerItem, LabelerQualificationTask, LabelerWorkTask } from '@jury/api';

// What every task type's oracle gets and returns: the task a simulated labeler is shown, the truth file.

/** The truth file's JSON (see ../oracle.ts). */
export type TruthFile = Record<string, number | boolean | string | string[]>;

export type AnswerChoice = { choice: 'A' | 'B' } | { category: string };

/** What the oracle knows about a task: the correct answer and the others, or only the possible answers. */
export type Judgement =
  | { correct: AnswerChoice; wrong: AnswerChoice[] }
  | { correct: null; choices: AnswerChoice[]; item: string };

/** One task type's oracle: the answers to a task of that type by what the truth file says. */
export type TaskTypeOracle = (
  task: LabelerWorkTask | LabelerQualificationTask,
  truth: TruthFile | undefined,
) => Judgement;

export function nameOf(item: LabelerItem): string {
  return item.type === 'text' ? item.text : item.name;
}
