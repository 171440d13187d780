// Holds one model endpoint at its limits: requests per minute, tokens per minute (request + response), requests
// in flight. Two layers:
// - hard caps: a sliding log of the last minute's starts (plus a guard, so network jitter never lets a strict
//   sliding-window server count one request too many) at the configured limits; never exceeded;
// - adaptive pacing (AIMD): starts are spaced by the larger of minute/rpm and tokens·minute/tpm, both divided by a
//   factor in [1/64, 1]; a 429 or 5xx halves the factor and the concurrency window (once per congestion event:
//   only a request started after the last decrease decreases again) and a Retry-After pauses every request until
//   then; the factor climbs back by 1/10 a minute (each success adds 1/10 over the requests a minute now paced)
//   and the concurrency window by one per window of successes, never above the limits.
// A request reserves its estimated tokens; the real count replaces the estimate when the response arrives.
import type { Clock, TimerHandle } from '../http/clock.ts';

export interface EndpointLimits {
  /** Requests per minute; absent: no limit. */
  requestsPerMinute?: number | undefined;
  /** Tokens per minute, request and response counted; absent: no limit. */
  tokensPerMinute?: number | undefined;
  /** Requests in flight at once; default 4. */
  maxConcurrency?: number | undefined;
}

export interface LimiterOptions {
  clock: Clock;
  /** Added to the minute the limits count over (default 500 ms): the caps hold against a server's own clock. */
  guardMs?: number;
  /** The longest pause a Retry-After may impose (default 10 min). */
  maxPauseMs?: number;
}

/** One admitted request. Call exactly one of the three when it ends; later calls are ignored. */
export interface LimiterPermit {
  /** An answer came: `tokens` (request + response, when known) replaces the estimate; the rate may rise. */
  succeeded(tokens?: number): void;
  /** A 429 or 5xx: the rate falls; `retryAfterMs` pauses every request of this endpoint until then. */
  throttled(retryAfterMs?: number): void;
  /** Anything else (network error, timeout, a 4xx, aborted): the slot frees, the estimate stays counted. */
  released(): void;
}

export interface LimiterSnapshot {
  /** The share of the configured rates now allowed (1 = the limits). */
  factor: number;
  /** Requests allowed in flight now. */
  concurrency: number;
  inFlight: number;
  queued: number;
  pausedUntil: Date | undefined;
  /** Starts and tokens counted in the current window. */
  requestsInWindow: number;
  tokensInWindow: number;
  started: number;
  throttled: number;
}

export interface Limiter {
  /** Waits until a request estimated at `estimatedTokens` may start (first come, first served). */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<LimiterPermit>;
  snapshot(): LimiterSnapshot;
}

const MINUTE_MS = 60_000;
const MIN_FACTOR = 1 / 64;
/** The factor's climb per minute of successes: from half the limits back to them in five minutes. */
const FACTOR_STEP_PER_MINUTE = 1 / 10;
const DEFAULT_CONCURRENCY = 4;

interface Start {
  at: number;
  tokens: number;
}

interface Waiter {
  tokens: number;
  resolve: (permit: LimiterPermit) => void;
  reject: (reason: unknown) => void;
  detach: () => void;
}

export function createLimiter(limits: EndpointLimits, options: LimiterOptions): Limiter {
  const rpm = positive(limits.requestsPerMinute, 'requestsPerMinute');
  const rpmCap = rpm === undefined ? undefined : Math.max(1, Math.floor(rpm));
  const tpm = positive(limits.tokensPerMinute, 'tokensPerMinute');
  const maxConcurrency = positive(limits.maxConcurrency, 'maxConcurrency') ?? DEFAULT_CONCURRENCY;
  const { clock } = options;
  const windowMs = MINUTE_MS + (options.guardMs ?? 500);
  const maxPauseMs = options.maxPauseMs ?? 10 * MINUTE_MS;
  const now = () => clock.now().getTime();

  const log: Start[] = [];
  const queue: Waiter[] = [];
  let factor = 1;
  let window = maxConcurrency;
  let inFlight = 0;
  let nextAt = Number.NEGATIVE_INFINITY;
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let lastDecreaseAt = Number.NEGATIVE_INFINITY;
  let started = 0;
  let throttledCount = 0;
  let timer: { handle: TimerHandle; at: number } | undefined;

  const prune = (t: number) => {
    while (log.length > 0 && log[0]!.at <= t - windowMs) log.shift();
  };
  const tokensUsed = () => log.reduce((sum, s) => sum + s.tokens, 0);
  const spacing = (tokens: number) =>
    Math.max(rpm ? windowMs / (rpm * factor) : 0, tpm ? (tokens * windowMs) / (tpm * factor) : 0);

  /** 0: may start now; a time: not before then; Infinity: when a request in flight ends. */
  const readyAt = (tokens: number, t: number): number => {
    if (inFlight >= Math.floor(window)) return Number.POSITIVE_INFINITY;
    let at = Math.max(pausedUntil, nextAt);
    prune(t);
    if (rpmCap && log.length >= rpmCap) at = Math.max(at, log[log.length - rpmCap]!.at + windowMs);
    if (tpm && log.length > 0) {
      // A request larger than the whole budget goes alone, once the window is empty, rather than never.
      let excess = tokensUsed() + Math.min(tokens, tpm) - tpm;
      for (let i = 0; excess > 0 && i < log.length; i++) {
        excess -= log[i]!.tokens;
        at = Math.max(at, log[i]!.at + windowMs);
      }
    }
    return at <= t ? 0 : at;
  };

  const arm = (at: number, t: number) => {
    if (timer?.at === at) return;
    if (timer) clock.clearTimeout(timer.handle);
    timer = {
      at,
      handle: clock.setTimeout(() => {
        timer = undefined;
        pump();
      }, at - t),
    };
  };

  const pump = () => {
    while (queue.length > 0) {
      const t = now();
      const head = queue[0]!;
      const at = readyAt(head.tokens, t);
      if (at === Number.POSITIVE_INFINITY) return;
      if (at > 0) return arm(at, t);
      queue.shift();
      head.detach();
      head.resolve(admit(head.tokens, t));
    }
  };

  const admit = (estimate: number, t: number): LimiterPermit => {
    const entry: Start = { at: t, tokens: estimate };
    log.push(entry);
    inFlight++;
    started++;
    nextAt = Math.max(t, nextAt) + spacing(estimate);
    let open = true;
    const end = (update: () => void) => {
      if (!open) return;
      open = false;
      inFlight--;
      update();
      pump();
    };
    return {
      succeeded(tokens) {
        end(() => {
          if (tokens !== undefined && tokens >= 0) {
            // The real count replaces the estimate in the log and in the pacing.
            if (tpm) nextAt += ((tokens - entry.tokens) * windowMs) / (tpm * factor);
            entry.tokens = tokens;
          }
          // Requests a minute at the present rate: the paced rate, or the last minute's starts if more.
          prune(now());
          const perMinute = Math.max(
            1,
            log.length,
            rpm ? rpm * factor : 0,
            tpm ? (tpm * factor) / Math.max(1, entry.tokens) : 0,
          );
          factor = Math.min(1, factor + FACTOR_STEP_PER_MINUTE / perMinute);
          window = Math.min(maxConcurrency, window + 1 / window);
        });
      },
      throttled(retryAfterMs) {
        end(() => {
          throttledCount++;
          const t2 = now();
          if (retryAfterMs !== undefined && retryAfterMs > 0)
            pausedUntil = Math.max(pausedUntil, t2 + Math.min(retryAfterMs, maxPauseMs));
          // Requests sent before the last decrease met the same congestion: one decrease for all of them.
          if (entry.at < lastDecreaseAt) return;
          lastDecreaseAt = t2;
          factor = Math.max(MIN_FACTOR, factor / 2);
          window = Math.max(1, window / 2);
        });
      },
      released() {
        end(() => {});
      },
    };
  };

  return {
    acquire(estimatedTokens, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const tokens = Math.max(0, Math.ceil(estimatedTokens));
      return new Promise<LimiterPermit>((resolve, reject) => {
        const onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal?.reason);
          pump();
        };
        const waiter: Waiter = {
          tokens,
          resolve,
          reject,
          detach: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        pump();
      });
    },
    snapshot() {
      const t = now();
      prune(t);
      return {
        factor,
        concurrency: Math.floor(window),
        inFlight,
        queued: queue.length,
        pausedUntil: pausedUntil > t ? new Date(pausedUntil) : undefined,
        requestsInWindow: log.length,
        tokensInWindow: tokensUsed(),
        started,
        throttled: throttledCount,
      };
    },
  };
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110 §10.2.3); else undefined. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined; // a negative or odd number is not a date
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number`);
  return value;
}
