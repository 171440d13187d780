import type { LabelerItem, LabelerQualificationTask, LabelerWorkTask } from '@jury/api';

/**
 * The truth a simulated labeler answers "correctly" against. Simulated labelers do not know real truths, so
 * the default oracle is a convention: in a compare task the correct item is A (the datapoint's first item as
 * the requester gave it; the task shape labels it `side: 'A'` whatever the displayed order), and in a
 * classification task the correct option is the first of the definition's answer options (the task shows
 * options shuffled, so the oracle needs them in the original order: it takes them from a NoShuffle task or,
 * when shuffled, from the truth file; without either it falls back to the alphabetically first option).
 *
 * A truth file overrides it, as JSON:
 * - compare: `{ "<item name>": <score> }` — of the two items the one with the higher score is correct
 *   (unlisted items score 0; a tie keeps A). `true` counts as 1. Scores make a latent quality ranking,
 *   e.g. `{ "model-a/cat.png": 3, "model-b/cat.png": 1 }`.
 * - classification: `{ "<item name or text>": "<correct option>" }` (or a list of correct options).
 * An item's name is its text for text items and the requester's name (URL or file name) for media items.
 */
export type TruthFile = Record<string, number | boolean | string | string[]>;

export type AnswerChoice = { choice: 'A' | 'B' } | { category: string };

function nameOf(item: LabelerItem): string {
  return item.type === 'text' ? item.text : item.name;
}

function score(truth: TruthFile | undefined, item: LabelerItem | undefined): number {
  if (!item || !truth) return 0;
  const v = truth[nameOf(item)];
  return typeof v === 'number' ? v : v === true ? 1 : 0;
}

export interface TruthOracle {
  /** The correct answer, and the other answers a labeler could give instead. */
  judge(task: LabelerWorkTask | LabelerQualificationTask): { correct: AnswerChoice; wrong: AnswerChoice[] };
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
      const right =
        fromFile.find((o) => options.includes(o)) ??
        (task.settings.noShuffle ? options[0] : [...options].sort()[0]) ??
        '';
      return {
        correct: { category: right },
        wrong: options.filter((o) => o !== right && !fromFile.includes(o)).map((category) => ({ category })),
      };
    },
  };
}
