import type { AddExample, Item, ItemInput, LabelerAnswer, ResultsOfType, TaskType } from '@jury/api';
import type { JobDefinitionRevisionsTable } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import type { ResultsInput } from '../jobs/results.ts';

// What a task type does in the server: its answers (acceptance, category, qualification truths), how a task is
// shown to one labeler, its results, its definition's columns and its qualification examples' rules. One module
// per type (task-types/<type>.ts), registered in task-types/index.ts.

/** How one labeler was shown a task (stored with its lease as JSON); each type has its own shape. */
export type Presentation = Readonly<Record<string, unknown>>;

/** A value of a flat results row (a CSV cell). */
export type Cell = string | number | null;

/** One datapoint's results: its entry of the results document, and the same values flat. */
export interface ResultRow {
  entry: Readonly<Record<string, unknown>>;
  cells: Readonly<Record<string, Cell>>;
}

/** The aggregates of one option as cells named `<what>_<key>`, the order every task type's rows use. */
export function aggregateCells(
  entry: {
    aggregatedResults: Record<string, number>;
    aggregatedResultsRatios: Record<string, number>;
    summedUserScores: Record<string, number>;
    summedUserScoresRatios: Record<string, number>;
    confidencePerCategory?: Record<string, number> | undefined;
  },
  option: string,
  key: string,
): Record<string, Cell> {
  return {
    [`votes_${key}`]: entry.aggregatedResults[option] ?? 0,
    [`ratio_${key}`]: entry.aggregatedResultsRatios[option] ?? 0,
    [`summed_trust_${key}`]: entry.summedUserScores[option] ?? 0,
    [`summed_trust_ratio_${key}`]: entry.summedUserScoresRatios[option] ?? 0,
    ...(entry.confidencePerCategory
      ? { [`confidence_${key}`]: entry.confidencePerCategory[option] ?? 0 }
      : {}),
  };
}

/** A qualification example's type-specific parts, checked. */
export interface ExampleParts {
  itemInputs: ItemInput[];
  truth: string[];
  answerOptions: string[] | null;
  /** The chance of a right answer by guessing. */
  randomCorrectProbability: number;
  /** How the example's i-th item is named in errors. */
  itemLabel: (index: number) => string;
}

export interface TaskTypeModule<K extends TaskType = TaskType> {
  /**
   * Checks an answer against the categories the task allows (`allowed`); throws `fail(message)` saying what is
   * allowed. Returns the answer as stored.
   */
  acceptAnswer(
    answer: LabelerAnswer,
    allowed: readonly string[],
    fail: (message: string) => AppError,
  ): LabelerAnswer;
  /** A qualification example's truth as the labeler's answers name it. */
  truthLabels(items: readonly Item[], truth: readonly string[]): string[];
  /** Whether every labeler sees the definition's order even without NoShuffle. */
  keepsOrder(answerOptions: readonly string[]): boolean;
  /** A fresh presentation for one labeler; `fixed`: keep the definition's order. */
  choosePresentation(answerOptions: readonly string[], fixed: boolean, random: () => number): Presentation;
  /** The items and options in display order under a presentation. */
  present(
    items: readonly Item[],
    presentation: Presentation,
  ): { items: ShownItem[]; answerOptions: string[] | null };
  /** The job results in this type's shape. */
  presentResults(input: ResultsInput): ResultsOfType<K>;
  /**
   * The results one datapoint at a time, in datapoint order: its entry of `results` as it is, and the same values
   * as flat cells for a CSV row (column name → value).
   */
  resultRows(results: ResultsOfType<K>, input: ResultsInput): ResultRow[];
  /** An answer as the results name it (compare: the chosen item's name or aBName; classification: the category). */
  votedFor(answer: LabelerAnswer, items: readonly Item[], aBNames: readonly string[] | null): string;
  /** The revision columns of this type's own definition fields. */
  revisionColumns(fields: {
    answerOptions?: readonly string[] | null | undefined;
    aBNames?: readonly string[] | null | undefined;
  }): Pick<JobDefinitionRevisionsTable, 'answer_options' | 'ab_names'>;
  /** Checks a qualification example's type-specific parts; throws VALIDATION_FAILED (`invalidExample`). */
  exampleParts(input: Extract<AddExample, { taskType: K }>): ExampleParts;
}

/** A VALIDATION_FAILED on a body field, for rules zod cannot state. */
export function invalidExample(message: string, path: (string | number)[]): AppError {
  return new AppError('VALIDATION_FAILED', message, {
    target: 'body',
    issues: [{ path: path.join('.'), message, code: 'custom' }],
  });
}

/** An item as the labeler sees it; `side` only where the type labels sides. */
/** A stored item in display order, with its side for compare; labeling/task-view.ts seals its media for labelers. */
export type ShownItem = Item & { side?: 'A' | 'B' };

export function labelerItem(item: Item, side?: 'A' | 'B'): ShownItem {
  return side ? { ...item, side } : { ...item };
}
