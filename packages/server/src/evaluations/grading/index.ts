// Grading an item's response: by the rules (free-form.ts, multiple-choice.ts) or by a judge model (judge.ts).
import type { EvaluationItem } from '@jury/api';
import { gradeFreeForm } from './free-form.ts';
import type { Grade } from './grade.ts';
import { gradeMultipleChoice } from './multiple-choice.ts';

export type { Grade } from './grade.ts';
export { type Complete, judgeItem } from './judge.ts';

/** Grades a response by the deterministic rules; the grade's parser is 'rules'. */
export function gradeItem(item: EvaluationItem, response: string): Grade {
  return item.split === 'free-form'
    ? gradeFreeForm(response, item.answers)
    : gradeMultipleChoice(response, item.options, item.correctOption);
}
