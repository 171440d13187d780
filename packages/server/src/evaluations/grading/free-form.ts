// Free-form grading by rules: the response against the accepted answers, normalised, numbers with tolerance.
// The rules, in order (README "Grading rules"):
//  1. The answer span: the text after the last "final answer" / "the answer is" / "answer:" marker, else a
//     \boxed{…}, else the last **bold** part, else the whole response.
//  2. An accepted answer that is a number (1,000 · 3.14 · 50% · 3/8 · "five") matches the first number of the
//     span when there is a marker, else the response's last number (chain-of-thought ends on its result);
//     whole numbers compare exactly, others within 0.1% (normalize.ts numbersMatch).
//     A lettered answer ("(A)", BBH) matches the letter the multiple-choice rules read from the response.
//  3. A text answer matches when the normalised span equals it, or the normalised response contains it as
//     whole words and the word before is not a negation (not, no, never, isn't…). One-character answers only
//     match exactly.
import type { Grade } from './grade.ts';
import { chooseOption } from './multiple-choice.ts';
import { asNumber, findNumbers, normalizeText, numbersMatch } from './normalize.ts';

const MARKER =
  /(?:####|final answer|the answer is|answer is|answer\s*:|answer\s*-|correct answer is|so the answer is|therefore,? the answer is)\s*(?:is\s*)?:?\s*/gi;
const NEGATIONS = new Set([
  'not',
  'no',
  'never',
  'isnt',
  'wasnt',
  'arent',
  'doesnt',
  'dont',
  'neither',
  'nor',
]);

// Every letter is a valid choice for a lettered free-form answer; the options' texts are unknown.
const LETTER_OPTIONS: readonly string[] = Array.from({ length: 26 }, () => '');

/** The part of a response that holds its answer (rule 1), and whether a marker said so. */
export function answerSpan(response: string): { span: string; marked: boolean } {
  const text = response.trim();
  const markers = [...text.matchAll(MARKER)];
  const last = markers.at(-1);
  if (last) {
    const after = text.slice(last.index + last[0].length);
    // Up to the end of its line or sentence (a full stop not inside a number).
    const span = after.split(/\n|(?<!\d)\.(?!\d)|\.(?=\s|$)/)[0]!.trim();
    if (span !== '') return { span: span.replace(/^\*\*|\*\*$/g, '').trim(), marked: true };
  }
  const boxed = [...text.matchAll(/\\boxed\{([^{}]*)\}/g)].at(-1);
  if (boxed) return { span: boxed[1]!.trim(), marked: true };
  const bold = [...text.matchAll(/\*\*([^*]+)\*\*/g)].at(-1);
  if (bold) return { span: bold[1]!.trim(), marked: true };
  return { span: text, marked: false };
}

function containsUnnegated(haystack: string, needle: string): boolean {
  const words = haystack.split(' ');
  const target = needle.split(' ');
  for (let i = 0; i + target.length <= words.length; i++) {
    if (!target.every((w, j) => words[i + j] === w)) continue;
    const before = words.slice(Math.max(0, i - 2), i);
    if (!before.some((w) => NEGATIONS.has(w))) return true;
  }
  return false;
}

/** Grades a free-form response by the rules above: 1 when it matches an accepted answer, else 0. */
export function gradeFreeForm(response: string, answers: readonly string[]): Grade {
  const text = response.trim();
  if (text === '') return { score: 0, parser: 'rules', method: 'empty', extracted: null, chosenOption: null };
  const { span, marked } = answerSpan(text);
  const normalizedSpan = normalizeText(span);
  const normalizedResponse = normalizeText(text);
  const numbersInSpan = findNumbers(span);
  const givenNumber = marked ? numbersInSpan[0] : findNumbers(text).at(-1);
  for (const answer of answers) {
    const accepted = asNumber(answer);
    if (accepted) {
      if (givenNumber && numbersMatch(givenNumber, accepted))
        return { score: 1, parser: 'rules', method: 'number', extracted: span, chosenOption: null };
      continue;
    }
    // BBH-style lettered answers ("(A)"): the letter the response chose, read by the multiple-choice rules.
    const letter = /^\(?([A-Z])\)?$/.exec(answer.trim())?.[1];
    if (letter) {
      if (chooseOption(text, LETTER_OPTIONS).letters.join() === letter)
        return { score: 1, parser: 'rules', method: 'letter', extracted: letter, chosenOption: null };
      continue;
    }
    const normalized = normalizeText(answer);
    // Nothing left after normalising (symbols, emoji): compared as written.
    if (normalized === '') {
      if (text.includes(answer.trim()))
        return { score: 1, parser: 'rules', method: 'contains', extracted: span, chosenOption: null };
      continue;
    }
    if (normalizedSpan === normalized)
      return { score: 1, parser: 'rules', method: 'exact', extracted: span, chosenOption: null };
    if (normalized.length > 1 && containsUnnegated(normalizedResponse, normalized))
      return { score: 1, parser: 'rules', method: 'contains', extracted: span, chosenOption: null };
  }
  return { score: 0, parser: 'rules', method: 'no-match', extracted: span, chosenOption: null };
}
