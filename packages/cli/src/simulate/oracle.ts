import type { LabelerItem, LabelerQualificationTask, LabelerWorkTask } from '@jury/api';

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
 */
export type TruthFile = Record<string, number | boolean | string | string[]>;

export type AnswerChoice = { choice: 'A' | 'B' } | { category: string };

/** What the oracle knows about a task: the correct answer and the others, or only the possible answers. */
export type Judgement =
  | { correct: AnswerChoice; wrong: AnswerChoice[] }
  | { correct: null; choices: AnswerChoice[]; item: string };

function nameOf(item: LabelerItem): string {
  return item.type === 'text' ? item.text : item.name;
}

function score(truth: TruthFile | undefined, item: LabelerItem | undefined): number {
  if (!item || !truth) return 0;
  const v = truth[nameOf(item)];
  return typeof v === 'number' ? v : v === true ? 1 : 0;
}

export interface TruthOracle {
  /** The correct answer and the other answers a labeler could give, or (no known truth) just the answers. */
  judge(task: LabelerWorkTask | LabelerQualificationTask): Judgement;
}

export function createOracle(truth?: TruthFile): TruthOracle {
  return {
    judge(task) {
      if (task.taskType === 'compare') {
        const a = task.items.find((i) => i.side === 'A');
        const b = task.items.find((i) => i.side === 'B');
        const correct: 'A' | 'B' = score(truth, b) > score(truth, a) ? 'B' : 'A';
        return { correct: { choice: correct }, wrong: [{ choice: correct === 'A' ? 'B' : 'A' }] };
      }
      const options = task.answerOptions ?? [];
      const item = task.items[0];
      const listed = item && truth ? truth[nameOf(item)] : undefined;
      const fromFile = typeof listed === 'string' ? [listed] : Array.isArray(listed) ? listed : [];
      const right = fromFile.find((o) => options.includes(o));
      if (right === undefined)
        return {
          correct: null,
          choices: options.map((category) => ({ category })),
          item: item ? nameOf(item) : '',
        };
      return {
        correct: { category: right },
        wrong: options.filter((o) => !fromFile.includes(o)).map((category) => ({ category })),
      };
    },
  };
}
