// Which failures are worth asking again, how long to wait before the next attempt, and what a status means.
import type { CallFailureKind } from './types.ts';

const TRANSIENT: ReadonlySet<CallFailureKind> = new Set([
  'rate-limited',
  'server-error',
  'network',
  'timeout',
  'malformed',
]);

export function isTransient(kind: CallFailureKind): boolean {
  return TRANSIENT.has(kind);
}

/** The failure an HTTP status means, for a `ModelCall` to report (2xx is not a failure: undefined). */
export function failureKindOfStatus(status: number): CallFailureKind | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 429) return 'rate-limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server-error';
  return 'refused';
}

export interface BackoffOptions {
  /** The first retry's ceiling (default 1 s), doubled each attempt. */
  baseMs?: number;
  /** The longest wait (default 30 s). */
  maxMs?: number;
}

/**
 * The wait before attempt `attempt + 1`: exponential with jitter (half of base·2^(attempt-1), capped, plus a random
 * share of the other half), so many items failing together do not come back together.
 */
export function backoffMs(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs ?? 30_000, (options.baseMs ?? 1000) * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
