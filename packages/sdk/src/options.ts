import { JuryValidationError } from './errors.ts';

// Users run TypeScript without type checking (`node file.ts`), so a misspelt option would otherwise be ignored
// silently; every SDK method that takes an options object checks its keys here.

/**
 * The valid keys of an options type, listed once and checked by the compiler: the record must name every key
 * of `T` and nothing else, so adding an option to the interface fails type-checking until it is listed here.
 *
 * @example
 * ```ts
 * const KEYS = optionKeys<{ name?: string; amount?: number }>({ name: true, amount: true }); // ['name', 'amount']
 * ```
 */
export function optionKeys<T>(keys: { [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(keys);
}

/**
 * Optimal string alignment distance: Levenshtein plus swaps of two neighbours.
 *
 * @example
 * ```ts
 * editDistance('confidenceTreshold', 'confidenceThreshold'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let best = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

// Case, `_` and `-` do not count: `responses_per_datapoint` is `responsesPerDatapoint`.
const fold = (key: string) => key.toLowerCase().replace(/[_\-\s]/g, '');

/**
 * The valid key closest to `key`, or undefined when none is close enough to be a likely typo.
 *
 * @example
 * ```ts
 * closestKey('confidenceTreshold', ['confidenceThreshold', 'quorumThreshold']); // 'confidenceThreshold'
 * ```
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const folded = fold(key);
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = editDistance(folded, fold(candidate));
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  if (!best) return undefined;
  // A third of the name may be wrong, at least 2 edits: close enough to be a typo, far enough not to guess.
  const limit = Math.max(2, Math.floor(Math.max(folded.length, fold(best.key).length) / 3));
  return best.distance <= limit ? best.key : undefined;
}

const quoted = (keys: readonly string[]) => keys.map((k) => `'${k}'`).join(', ');

/**
 * Throws a {@link JuryValidationError} when `given` has a key that is not one of `allowed`, naming the closest
 * valid one. `given` may be undefined (no options); anything else must be a plain object. Keys whose value is
 * undefined count too: a misspelt key is a mistake whatever its value.
 *
 * @example
 * ```ts
 * checkOptions('createCompareJobDefinition', { confidenceTreshold: 0.99 }, ['confidenceThreshold']);
 * // JuryValidationError: Unknown option 'confidenceTreshold' for createCompareJobDefinition; did you mean 'confidenceThreshold'?
 * ```
 */
export function checkOptions(name: string, given: unknown, allowed: readonly string[]): void {
  if (given === undefined) return;
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new JuryValidationError({
      code: 'VALIDATION_FAILED',
      message: `${name} takes an options object ({ ${allowed.join(', ')} }); got ${describe(given)}.`,
      details: { issues: [{ path: '(options)', message: 'not an options object' }] },
    });
  const unknown = Object.keys(given).filter((k) => !allowed.includes(k));
  if (unknown.length === 0) return;
  const issues = unknown.map((key) => {
    const suggestion = closestKey(key, allowed);
    return {
      path: key,
      message: `Unknown option '${key}' for ${name}; ${
        suggestion ? `did you mean '${suggestion}'?` : `valid options are ${quoted(allowed)}.`
      }`,
      ...(suggestion ? { suggestion } : {}),
    };
  });
  throw new JuryValidationError({
    code: 'VALIDATION_FAILED',
    message: issues.map((i) => i.message).join('\n'),
    details: { issues },
  });
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
