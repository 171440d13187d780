/**
 * Rate limits shared by every server process: a fixed-window counter per limit and subject in `rate_limits`
 * (store.ts), added to by one atomic upsert. The hot path stays in process: a process reserves `batch` units of a
 * window at once and hands them out locally, so a labeler at 10 requests/s costs one database write every few
 * seconds, not one per request. Reservations are carved out of the shared count, so all processes together never
 * admit more than `limit` per window; a process's unused reservation is lost at the window's end (at most
 * `batch` per process and window). Once the shared count is spent, a process answers 429 without asking the
 * database again until the window ends.
 *
 * (rate-limiter-flexible, the well-kept library, was weighed: its stores bring their own tables and drivers
 * (`pg` pools, sqlite3/better-sqlite3), none of them node:sqlite, and it has no batched reservations; this is
 * the part of it we need on our Kysely, in our migrations.)
 */
import type { Db } from '../db/database.ts';
import { createCache } from '../http/cache.ts';
import type { Clock } from '../http/clock.ts';
import { AppError } from '../http/errors.ts';
import { addToWindow } from './store.ts';

export interface RateLimitRule {
  /** Names the limit in keys and in the 429's details, e.g. `labeler-requests`. */
  name: string;
  /** Units per window; 0 switches the limit off. */
  limit: number;
  windowMs: number;
  /** Units a process reserves per database write (1: every unit is counted in the database at once). */
  batch: number;
  /** What the 429 says, e.g. "Too many new labeler sessions from your address". */
  says: string;
}

export interface RateLimiter {
  /** Takes one unit for `subject`; throws RATE_LIMITED (429, Retry-After) when its window is spent. */
  consume(subject: string): Promise<void>;
}

interface Reservation {
  windowStart: number;
  left: number;
  /** The shared count of this window is spent: refuse without asking the database. */
  spent: boolean;
}

export function createRateLimiter(deps: { db: Db; clock: Clock }, rule: RateLimitRule): RateLimiter {
  if (rule.limit <= 0) return { consume: async () => undefined };
  const reservations = createCache<string, Reservation>({ max: 50_000 });
  const batch = Math.max(1, Math.min(rule.batch, rule.limit));
  const refuse = (windowEnd: number, now: number) => {
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - now) / 1000));
    return new AppError(
      'RATE_LIMITED',
      `${rule.says} (at most ${rule.limit} per ${Math.round(rule.windowMs / 1000)} s); retry in ${retryAfterSeconds} s.`,
      { limit: rule.name, max: rule.limit, windowSeconds: rule.windowMs / 1000, retryAfterSeconds },
    );
  };
  return {
    async consume(subject) {
      const now = deps.clock.now().getTime();
      const windowStart = now - (now % rule.windowMs);
      const windowEnd = windowStart + rule.windowMs;
      let r = reservations.get(subject);
      if (!r || r.windowStart !== windowStart) {
        r = { windowStart, left: 0, spent: false };
        reservations.set(subject, r);
      }
      if (r.left > 0) {
        r.left--;
        return;
      }
      if (r.spent) throw refuse(windowEnd, now);
      const count = await addToWindow(deps.db, `${rule.name}:${subject}`, windowStart, batch, windowEnd);
      // What was left of the window before this reservation, up to `batch`.
      const granted = Math.max(0, Math.min(batch, rule.limit - (count - batch)));
      if (granted < batch) r.spent = true;
      if (granted === 0) throw refuse(windowEnd, now);
      r.left += granted - 1;
    },
  };
}
