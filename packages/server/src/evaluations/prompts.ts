// The prompt a model is asked for an item, built as MixEval builds it (mix_eval/prompts/evaluation_prompts.py):
// context first when there is one, the lettered options, then MixEval's instruction for the split.
import type { EvaluationItem } from '@jury/api';
import { letteredOptions } from './grading/judge.ts';
import {
  FREE_FORM_INSTRUCTION,
  MULTI_CHOICE_INSTRUCTION,
  STEP_BY_STEP_BENCHMARKS,
  STEP_BY_STEP_INSTRUCTION,
} from './grading/mixeval-prompts.ts';

/** The text sent to the model for an item (zero-shot, as MixEval's chat models are asked). */
export function itemPrompt(item: EvaluationItem): string {
  if (item.split === 'multiple-choice') {
    const body = `${item.question}\n${letteredOptions(item.options)}\n${MULTI_CHOICE_INSTRUCTION}`;
    return item.context ? `${item.context}\n${body}` : body;
  }
  const instruction =
    item.benchmark && STEP_BY_STEP_BENCHMARKS.has(item.benchmark)
      ? STEP_BY_STEP_INSTRUCTION
      : FREE_FORM_INSTRUCTION;
  const body = `${item.question}\n${instruction}`;
  return item.context ? `Question: ${item.context}\n${body}` : `Question: ${body}`;
}
