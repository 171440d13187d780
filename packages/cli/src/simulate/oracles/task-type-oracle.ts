import type { LabelerItem, LabelerQualificationTask, LabelerWorkTask } from '@jury/api';
import type { Rng } from '@jury/stats';

// What every task type's oracle gets and returns: the task a simulated labeler is shown, the truth file.

/** The truth file's JSON (see ../oracle.ts). */
export type TruthFile = Record<string, number | boolean | string | string[]>;

export type AnswerChoice = { choice: 'A' | 'B' } | { category: string };

/** What the oracle knows about a task: the correct answer and the others, or only the possible answers. */
export type Judgement =
  | { correct: AnswerChoice; wrong: AnswerChoice[] }
  | { correct: null; choices: AnswerChoice[]; item: string };

/** What an oracle may know besides the task: the truth file, and the true strengths of a matchup's two sides. */
export interface OracleContext {
  truth: TruthFile | undefined;
  /** A leaderboard matchup's sides' true strengths (natural-log units), when the simulator knows its models. */
  strengths?: { A: number; B: number } | undefined;
  rng: Rng;
}

/** One task type's oracle: the answers to a task of that type by what the context says. */
export type TaskTypeOracle = (
  task: LabelerWorkTask | LabelerQualificationTask,
  context: OracleContext,
) => Judgement;

/** A labeler's item with what the requester knows of a medium (the simulator resolves media references). */
export type KnownItem = LabelerItem & { name?: string; assetId?: string };

/** An item's name as the truth file gives it: its text, or a medium's requester name (its reference if unknown). */
export function nameOf(item: KnownItem): string {
  return item.type === 'text' ? item.text : (item.name ?? item.url);
}
