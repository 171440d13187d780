import type { LabelerQualificationTask, LabelerWorkTask } from '@jury/api';
import type { Rng } from '@jury/stats';
import { type Judgement, TASK_TYPE_ORACLES, type TruthFile } from './oracles/index.ts';

/**
 * The truth a simulated labeler answers "correctly" against. Simulated labelers know only what they are told:
 * - compare: by convention the correct item is A (the datapoint's first item as the requester gave it; the task
 *   shape labels it `side: 'A'` whatever the displayed order), so list the expected winner first, as the quick
 *   example does; a truth file overrides it.
 * - classification: there is no such convention (an option's place says nothing about an item), so the correct
 *   option comes only from the truth file; an item it does not list has no known truth and every simulated
 *   labeler answers it uniformly at random (the report counts these answers), never a made-up "right" answer.
 *
 * The truth file (`--truth-file`), JSON:
 * - compare: `{ "<item name>": <score> }` — of the two items the one with the higher score is correct
 *   (unlisted items score 0; a tie keeps A). `true` counts as 1. Scores make a latent quality ranking,
 *   e.g. `{ "model-a/cat.png": 3, "model-b/cat.png": 1 }`.
 * - classification: `{ "<item name or text>": "<correct option>" }` (or a list of correct options).
 * An item's name is its text for text items and the requester's name (URL or file name) for media items; the
 * same file holds the truths of qualification examples, so simulated labelers can pass them.
 *
 * Leaderboard matchups are blind (an item's name is its asset id): there the truth is a true strength per model
 * (`--strengths-file { "<model name>": <strength> }` in natural-log units, or drawn from N(0, 1) by `--seed`), the
 * simulator finds each side's model with requester credentials (models.ts), and the preferred side is drawn by
 * Bradley-Terry, P(A) = 1 / (1 + e^(s_B − s_A)); a labeler then answers it with its accuracy like any truth.
 */
export type { AnswerChoice, Judgement, TruthFile } from './oracles/index.ts';

export interface TruthOracle {
  /**
   * The correct answer and the other answers a labeler could give, or (no known truth) just the answers; with a
   * matchup's true strengths the correct side is drawn from `rng`.
   */
  judge(
    task: LabelerWorkTask | LabelerQualificationTask,
    rng: Rng,
    strengths?: { A: number; B: number },
  ): Judgement;
}

export function createOracle(truth?: TruthFile): TruthOracle {
  return {
    judge: (task, rng, strengths) => TASK_TYPE_ORACLES[task.taskType](task, { truth, strengths, rng }),
  };
}
