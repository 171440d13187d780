import type { LabelerItem } from '@jury/api';
import { nameOf, type TaskTypeOracle, type TruthFile } from './task-type-oracle.ts';

// Compare: with a matchup's true strengths, the preferred side is drawn by Bradley-Terry; else A is correct unless
// the truth file scores B higher (unlisted items score 0; a tie keeps A).

function score(truth: TruthFile | undefined, item: LabelerItem | undefined): number {
  if (!item || !truth) return 0;
  const v = truth[nameOf(item)];
  return typeof v === 'number' ? v : v === true ? 1 : 0;
}

export const compareOracle: TaskTypeOracle = (task, { truth, strengths, rng }) => {
  const a = task.items.find((i) => i.side === 'A');
  const b = task.items.find((i) => i.side === 'B');
  const correct: 'A' | 'B' = strengths
    ? rng.next() < 1 / (1 + Math.exp(strengths.B - strengths.A))
      ? 'A'
      : 'B'
    : score(truth, b) > score(truth, a)
      ? 'B'
      : 'A';
  return { correct: { choice: correct }, wrong: [{ choice: correct === 'A' ? 'B' : 'A' }] };
};
