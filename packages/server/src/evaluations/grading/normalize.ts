// Text and number normalisation shared by the grading rules (see README "Grading rules"). Pure.

/** Unicode NFKC, accents dropped, lower case, curly quotes and dashes made plain. */
function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[‘’‚‛′`]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-');
}

const ARTICLES = new Set(['a', 'an', 'the']);

/**
 * A text for comparison: folded (Unicode, accents, case), apostrophes inside words dropped ("Orwell's" →
 * "orwells"), other punctuation as spaces (a digit group's `,` and a
 * decimal `.` kept, so "1,000" and "3.14" survive), the articles a/an/the dropped, whitespace collapsed.
 * `normalizeText("The  Beatles!")` is `"beatles"`; `normalizeText("Café-au-lait")` is `"cafe au lait"`.
 */
export function normalizeText(text: string, options: { keepArticles?: boolean } = {}): string {
  const words = foldText(text)
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
    .replace(/(\d)\.(?=\d)/g, '$1\uE000')
    .replace(/(\p{L})'(?=\p{L})/gu, '$1')
    .replace(/[^\p{L}\p{N}\uE000]+/gu, ' ')
    .replace(/\uE000/g, '.')
    .trim()
    .split(' ')
    .filter((w) => w !== '' && (options.keepArticles || !ARTICLES.has(w)));
  return words.join(' ');
}

const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
};
const SCALES: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

/** A number as written: its value, whether it was written as a whole number, and whether it had a % sign. */
export interface WrittenNumber {
  value: number;
  /** Written without a fractional part (1,000 · 1e3 · 12), so it is compared exactly. */
  integer: boolean;
  percent: boolean;
  /** Where it starts in the text it was found in. */
  index: number;
}

// Sign, optional currency, digits with thousands separators or plain, decimals, exponent; or a fraction a/b;
// then an optional % or scale word. The look-behind keeps "x2" and "3.4.5" from yielding numbers.
const NUMBER =
  /(?<![\p{L}\p{N}.])([-+]?)[$€£¥]?\s?(\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))(?:\.(\d+))?(?:[eE]([-+]?\d+))?(?:\s?\/\s?(\d+))?(?![\p{L}\p{N}]|\.\d)(\s?%|\s?percent\b|\s+(?:thousand|million|billion|trillion)\b)?/giu;
const WORD_NUMBER = new RegExp(`\\b(${Object.keys(NUMBER_WORDS).join('|')})\\b`, 'gi');

/** Every number in a text, in order: digits (1,000 · 3.14 · 1e3 · 3/8 · 50% · 1.5 million) and the words zero to twenty and the tens. */
export function findNumbers(text: string): WrittenNumber[] {
  const folded = foldText(text);
  const out: WrittenNumber[] = [];
  for (const m of folded.matchAll(NUMBER)) {
    const [, sign, whole, fraction, exponent, denominator, suffix] = m;
    let value = Number(`${sign}${(whole || '0').replace(/,/g, '')}${fraction ? `.${fraction}` : ''}`);
    if (exponent) value *= 10 ** Number(exponent);
    let integer = !fraction || /^0*$/.test(fraction);
    if (exponent) integer = Number.isInteger(value);
    if (denominator) {
      if (Number(denominator) === 0) continue;
      value /= Number(denominator);
      integer = Number.isInteger(value);
    }
    const s = suffix?.trim().toLowerCase();
    const percent = s === '%' || s === 'percent';
    if (s && !percent) {
      value *= SCALES[s]!;
      integer = Number.isInteger(value);
    }
    out.push({ value, integer, percent, index: m.index });
  }
  for (const m of folded.matchAll(WORD_NUMBER))
    out.push({ value: NUMBER_WORDS[m[1]!.toLowerCase()]!, integer: true, percent: false, index: m.index });
  return out.sort((a, b) => a.index - b.index);
}

/** The text as one number, if it is nothing else (allowing a currency sign, %, a trailing unit-free dot). */
export function asNumber(text: string): WrittenNumber | undefined {
  const trimmed = text.trim().replace(/\.$/, '');
  const found = findNumbers(trimmed);
  if (found.length !== 1) return undefined;
  const rest = foldText(trimmed)
    .replace(NUMBER, ' ')
    .replace(/[$€£¥\s]/g, '');
  if (rest !== '' && !/^[\p{L}]+$/u.test(rest)) return undefined;
  // A word number alone ("five") or digits alone; "5 apples" is not a number answer.
  if (rest !== '' && !(rest in NUMBER_WORDS)) return undefined;
  return found[0];
}

/** Relative tolerance for numbers with a fractional part: 0.1% of the accepted value. */
export const RELATIVE_TOLERANCE = 1e-3;

/**
 * Whether a number given matches an accepted one. Whole numbers on both sides compare exactly (1,000 = 1000 =
 * 1e3, but 1001 ≠ 1000); otherwise within 0.1% of the accepted value (3.14 matches 3.1416, 3.1 does not). A
 * percentage also matches its fraction (50% = 0.5) and its bare number (50% = 50).
 */
export function numbersMatch(given: WrittenNumber, accepted: WrittenNumber): boolean {
  const values = (n: WrittenNumber) => (n.percent ? [n.value, n.value / 100] : [n.value]);
  for (const a of values(accepted))
    for (const g of values(given)) {
      const whole = given.integer && accepted.integer && Number.isInteger(a) && Number.isInteger(g);
      if (whole ? a === g : Math.abs(a - g) <= Math.max(RELATIVE_TOLERANCE * Math.abs(a), 1e-9)) return true;
    }
  return false;
}
