// Multiple-choice grading by rules: which option the response chose, from its letter or its text. The rules,
// tried in order; the first that finds letters decides, and if it finds two different ones the answer is
// ambiguous and scores 0 (README "Grading rules"):
//  1. whole     the response is only a letter, however wrapped: "B", "(B)", "B.", "**B**", "[b]", "Answer: B";
//     text      or exactly an option's text (verbatim first, then normalised).
//  2. explicit  an answer phrase names it: "The answer is B", "Answer: b) …", "correct option is (C)",
//               "I think it's option C because…", "I'd choose D". "The answer is B or C" → ambiguous.
//  3. leading   the response starts with a lettered option: "B. Christianity", "(C) 1958…", "d) Vitamin D".
//  4. mention   "option X" names one letter: "Option C is correct" ("option A … option C" → ambiguous).
//  5. text      the response contains exactly one option's text (normalised; an option inside a longer
//               option counts as that longer one).
//  6. letter    exactly one valid capital letter stands alone in the response ("I'd go with C").
// Letters beyond the options (E with four options) are not choices. "A" and "I" followed by a lower-case word
// are English ("A bit…", "I think…"); a lower-case letter counts only with a delimiter ("b)", "b.") or after an
// answer phrase; a letter after "not" / "isn't" / "rather than" is ruled out, not chosen (rules 4 and 6).
import type { Grade } from './grade.ts';
import { normalizeText } from './normalize.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The letter of option `index` (0 → A). */
export const optionLetter = (index: number) => LETTERS[index]!;

function stripMarkdown(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/[‘’]/g, "'")
    .trim();
}

/** One letter, optionally in () or [], with an optional trailing . ) : — anchored to the whole string. */
const LONE_LETTER = /^[([]?([A-Za-z])[)\].:]?$/;

const ANSWER_PHRASE =
  /(?:(?:correct|right|best|final)\s+)?\b(?:answer|option|choice)\s*(?:(?:is|would be|will be|should be|must be|=)\s*:?|:|-)\s*|\bi(?:\s+would|'d)?\s+(?:choose|pick|select|go with)\s*|\bi\s+(?:think|believe|guess)\s+(?:it'?s|it is|the answer is)\s*/gi;
// One letter after an answer phrase: "C", "option C", "(C)", "c)", "C."; `delimited` when wrapped or followed by
// ) ] . : , or the end.
const PHRASE_LETTER = /^(?:option\s+|choice\s+|letter\s+)?([([])?([A-Za-z])(?![A-Za-z0-9'])([)\].:,]|\s*$)?/i;
const LIST_JOINER = /^\s*(?:,|or|and|\/|&)\s*/i;
const OPTION_MENTION = /\b(?:option|choice)\s+[([]?([A-Za-z])(?![A-Za-z0-9'])[)\]]?/gi;
const LEADING = /^[([]?([A-Za-z])(?:[)\].:]|\s*\n|\s+-\s)/;
const STANDALONE = /(?<![A-Za-z0-9'])([A-Z])(?![A-Za-z0-9'])/g;

// "not B", "isn't option C": a letter ruled out, not chosen.
const NEGATED = /\b(?:not|isn't|never|rather than|instead of)\s+(?:option\s+|choice\s+)?[([]?$/i;

function isEnglishWord(letter: string, after: string): boolean {
  return (letter === 'A' || letter === 'I') && /^\s+(?!(?:or|and)\b)[a-z']/.test(after);
}

type Found = { letters: Set<string> } | undefined;

function found(letters: Iterable<string>, count: number): Found {
  const valid = new Set([...letters].map((l) => l.toUpperCase()).filter((l) => LETTERS.indexOf(l) < count));
  return valid.size > 0 ? { letters: valid } : undefined;
}

function whole(text: string, count: number): Found {
  const m = LONE_LETTER.exec(text);
  return m ? found([m[1]!], count) : undefined;
}

/** Letters named right after an answer phrase (upper case, or lower case delimited), with any "or C" list. */
function lettersAfterPhrase(rest: string): string[] {
  const letters: string[] = [];
  let tail = rest;
  for (;;) {
    const m = PHRASE_LETTER.exec(tail);
    if (!m) break;
    const letter = m[2]!;
    const delimited = m[1] !== undefined || m[3] !== undefined || /^(?:option|choice|letter)\s/i.test(tail);
    if (letter === letter.toLowerCase() && !delimited) break;
    letters.push(letter);
    tail = tail.slice(m[0].length);
    const joiner = LIST_JOINER.exec(tail);
    if (!joiner) break;
    tail = tail.slice(joiner[0].length);
  }
  return letters;
}

function explicit(text: string, count: number): Found {
  const letters: string[] = [];
  for (const m of text.matchAll(ANSWER_PHRASE))
    letters.push(...lettersAfterPhrase(text.slice(m.index + m[0].length)));
  return found(letters, count);
}

function mentioned(text: string, count: number): Found {
  return found(
    [...text.matchAll(OPTION_MENTION)].filter((m) => !NEGATED.test(text.slice(0, m.index))).map((m) => m[1]!),
    count,
  );
}

function leading(text: string, count: number): Found {
  const m = LEADING.exec(text);
  if (!m) return undefined;
  // "(A) or (B) …" leads with a list: every letter in it.
  const listed = lettersAfterPhrase(text);
  return found(listed.length > 0 ? listed : [m[1]!], count);
}

/** The response is an option's text: verbatim (case aside) first, else normalised (two equal ones: both). */
function exactText(text: string, options: readonly string[]): Found {
  const raw = text.toLowerCase();
  const verbatim = options.findIndex((o) => o.trim().toLowerCase() === raw);
  if (verbatim >= 0) return { letters: new Set([optionLetter(verbatim)]) };
  const response = normalizeText(text, { keepArticles: true });
  const same = options.flatMap((o, i) => {
    const n = normalizeText(o, { keepArticles: true });
    return n !== '' && n === response ? [optionLetter(i)] : [];
  });
  return same.length > 0 ? { letters: new Set(same) } : undefined;
}

function byText(text: string, options: readonly string[]): Found {
  // Articles kept: "Vitamin A" must not become "vitamin".
  const response = ` ${normalizeText(text, { keepArticles: true })} `;
  const normalized = options.map((o) => normalizeText(o, { keepArticles: true }));
  let hits = normalized.map((o, i) => ({ o, i })).filter(({ o }) => o !== '' && response.includes(` ${o} `));
  // An option inside a longer option that also matched is that longer option's text, not a second choice.
  hits = hits.filter(({ o, i }) => !hits.some((h) => h.i !== i && h.o.length > o.length && h.o.includes(o)));
  return hits.length > 0 ? { letters: new Set(hits.map((h) => optionLetter(h.i))) } : undefined;
}

function standalone(text: string, count: number): Found {
  const letters: string[] = [];
  for (const m of text.matchAll(STANDALONE)) {
    const after = text.slice(m.index + 1);
    if (!isEnglishWord(m[1]!, after) && !NEGATED.test(text.slice(0, m.index))) letters.push(m[1]!);
  }
  return found(letters, count);
}

/** Which option a response chose, by the rules above: its index, or null with why. */
export function chooseOption(
  response: string,
  options: readonly string[],
): { chosen: number | null; method: string; letters: string[] } {
  const text = stripMarkdown(response);
  if (text === '') return { chosen: null, method: 'empty', letters: [] };
  const count = options.length;
  const rules: [string, () => Found][] = [
    [
      'whole',
      () => whole(text, count) ?? whole(text.replace(/^(?:the\s+)?answer\s*(?:is)?\s*:?\s*/i, ''), count),
    ],
    ['text', () => exactText(text, options)],
    ['explicit', () => explicit(text, count)],
    ['leading', () => leading(text, count)],
    ['mention', () => mentioned(text, count)],
    ['text', () => byText(text, options)],
    ['letter', () => standalone(text, count)],
  ];
  for (const [method, rule] of rules) {
    const hit = rule();
    if (!hit) continue;
    const letters = [...hit.letters].sort();
    if (letters.length > 1) return { chosen: null, method: 'ambiguous', letters };
    return { chosen: LETTERS.indexOf(letters[0]!), method, letters };
  }
  return { chosen: null, method: 'no-choice', letters: [] };
}

/** Grades a multiple-choice response: 1 when the chosen option is the correct one, else 0. */
export function gradeMultipleChoice(
  response: string,
  options: readonly string[],
  correctOption: number,
): Grade {
  const { chosen, method } = chooseOption(response, options);
  return {
    score: chosen === correctOption ? 1 : 0,
    parser: 'rules',
    method,
    extracted: chosen === null ? null : optionLetter(chosen),
    chosenOption: chosen,
  };
}
