// Grading by a judge model with MixEval's judge prompts: a free-form answer gets the judge's correctness score in
// [0, 1] ("[[0.7]]"), a multiple-choice answer the option letter the judge extracts ("[[B]]"). The caller passes
// `complete(prompt)`, e.g. a registered model's endpoint; nothing here does I/O.
import type { EvaluationItem } from '@jury/api';
import type { Grade } from './grade.ts';
import {
  FREE_FORM_JUDGE_INSTRUCTIONS,
  FREE_FORM_JUDGE_SYSTEM,
  MULTI_CHOICE_JUDGE_INSTRUCTIONS,
  MULTI_CHOICE_JUDGE_SYSTEM,
} from './mixeval-prompts.ts';
import { optionLetter } from './multiple-choice.ts';

/** Sends one prompt to the judge model and resolves to its reply text. */
export type Complete = (prompt: string) => Promise<string>;

/** "A. first\nB. second", as MixEval lists options. */
export function letteredOptions(options: readonly string[]): string {
  return options.map((o, i) => `${optionLetter(i)}. ${o}`).join('\n');
}

// MixEval sends a system and a user message; `complete` takes one prompt, so the system line leads it.

/** MixEval's free-form judge prompt: the question (without its context, as MixEval does), the accepted answers, the response. */
export function freeFormJudgePrompt(question: string, answers: readonly string[], response: string): string {
  const gold = answers.map((a, i) => `<answer ${i + 1}> ${a}`).join('; ');
  return `${FREE_FORM_JUDGE_SYSTEM}\n\n${FREE_FORM_JUDGE_INSTRUCTIONS}\n\nQuestion: ${question}\nGolden Answer(s): ${gold}\nModel's Answer: ${response}\nYour Judgment: \n`;
}

/** MixEval's multiple-choice judge prompt: the question, the lettered options, the response. */
export function multipleChoiceJudgePrompt(
  question: string,
  options: readonly string[],
  response: string,
): string {
  return `${MULTI_CHOICE_JUDGE_SYSTEM}\n\n${MULTI_CHOICE_JUDGE_INSTRUCTIONS}\n\nQuestion: ${question}\nOptions: \n${letteredOptions(options)}\nModel's Answer: ${response}\nYour Judgment: \n`;
}

/** The judge's score: the first "[[x]]" (else "[x]") with 0 ≤ x ≤ 1, as MixEval reads it; else undefined. */
export function parseJudgeScore(reply: string): number | undefined {
  const m = /\[\[(\d+\.?\d*)\]\]/.exec(reply) ?? /\[(\d+\.?\d*)\]/.exec(reply);
  if (!m) return undefined;
  const score = Number(m[1]);
  return score >= 0 && score <= 1 ? score : undefined;
}

/** The judge's option: the first "[[X]]" (else "[X]") naming one of the options; else undefined. */
export function parseJudgeOption(reply: string, optionCount: number): number | undefined {
  const m = /\[\[([A-Z])\]\]/.exec(reply) ?? /\[([A-Z])\]/.exec(reply);
  if (!m) return undefined;
  const index = m[1]!.charCodeAt(0) - 65;
  return index < optionCount ? index : undefined;
}

export interface JudgeOptions {
  complete: Complete;
  /** The judge model's id, recorded as the grade's parser. */
  judge: string;
  /** Replies asked for before giving up on one that has no valid score or letter (default 3; MixEval asks up to 10). */
  attempts?: number;
}

/**
 * Grades a response with the judge. An unreadable reply is asked again up to `attempts` times; then the grade is
 * 0 with method 'unparseable' (MixEval draws a random score there instead, which would make grades differ
 * between runs). A failing `complete` rejects: the caller's retry policy decides.
 */
export async function judgeItem(
  item: EvaluationItem,
  response: string,
  options: JudgeOptions,
): Promise<Grade> {
  const attempts = options.attempts ?? 3;
  const prompt =
    item.split === 'free-form'
      ? freeFormJudgePrompt(item.question, item.answers, response)
      : multipleChoiceJudgePrompt(item.question, item.options, response);
  let reply = '';
  for (let i = 0; i < attempts; i++) {
    reply = await options.complete(prompt);
    if (item.split === 'free-form') {
      const score = parseJudgeScore(reply);
      if (score !== undefined)
        return {
          score,
          parser: options.judge,
          method: 'judge',
          extracted: null,
          chosenOption: null,
          judgement: reply,
        };
    } else {
      const chosen = parseJudgeOption(reply, item.options.length);
      if (chosen !== undefined)
        return {
          score: chosen === item.correctOption ? 1 : 0,
          parser: options.judge,
          method: 'judge',
          extracted: optionLetter(chosen),
          chosenOption: chosen,
          judgement: reply,
        };
    }
  }
  return {
    score: 0,
    parser: options.judge,
    method: 'unparseable',
    extracted: null,
    chosenOption: null,
    judgement: reply,
  };
}
