import { DEFAULT_PASS_RULE, type PassRule } from '@jury/api';

export type MemberState = 'qualifying' | 'qualified' | 'dropped';

/**
 * The documented pass rule of a custom audience. A labeler answers every qualification example the audience has
 * (which must be at least `minExamples`: with fewer, nobody can finish and the audience admits nobody yet); then
 * they are `qualified` when correct / answered ≥ `targetAccuracy`, else `dropped`. Until then: `qualifying`.
 * Afterwards gold checks keep grading qualified members: after `goldDropAfter` gold answers (AppConfig, default 10)
 * a member whose accuracy over qualification + gold answers is below `targetAccuracy` is `dropped` (labeling
 * service, `answerGold`).
 *
 * @example
 * qualificationState({ targetAccuracy: 0.75, minExamples: 3 }, { answered: 4, correct: 3, examples: 4 }); // 'qualified'
 */
/** A custom audience's stored pass rule; what it leaves out takes the documented defaults. */
export function parsePassRule(text: string | null): PassRule {
  const stored = (text ? JSON.parse(text) : null) as Partial<PassRule> | null;
  return { ...DEFAULT_PASS_RULE, ...stored };
}

/** Whether labelers can qualify: the audience has the examples its pass rule needs (with fewer nobody finishes). */
export function qualificationOpen(rule: PassRule, examples: number): boolean {
  return examples >= rule.minExamples;
}

export function qualificationState(
  rule: PassRule,
  progress: { answered: number; correct: number; examples: number },
): MemberState {
  const { answered, correct, examples } = progress;
  if (!qualificationOpen(rule, examples) || answered < examples || answered === 0) return 'qualifying';
  return correct / answered >= rule.targetAccuracy ? 'qualified' : 'dropped';
}
