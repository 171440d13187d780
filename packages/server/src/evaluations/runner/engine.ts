// The run engine: asks a model every item of a run through the endpoint's limiter, with retries, a response
// cache, and a store that makes the run resumable (an item with a record is never asked again) and shareable
// (an item is asked only by the holder of its claim). Each worker holds one claimed item at a time, so at most
// `concurrency` leases are out; a lease is renewed while its item waits or retries.
import { randomUUID } from 'node:crypto';
import { type Clock, systemClock, type TimerHandle } from '../../http/clock.ts';
import { createLimiter, type EndpointLimits, type Limiter, parseRetryAfter } from '../../models/limiter.ts';
import { cacheKey } from './cache.ts';
import { type BackoffOptions, backoffMs, isTransient } from './retry.ts';
import type {
  CallResult,
  ItemRecord,
  ModelCall,
  ResponseCache,
  RunItem,
  RunProgress,
  RunStore,
  RunSummary,
} from './types.ts';

export interface RunLimits extends EndpointLimits {
  /** Prompts estimated above this many tokens are skipped (recorded with the reason, no request). */
  contextWindowTokens?: number | undefined;
}

export interface RunCacheOptions {
  cache: ResponseCache;
  modelId: string;
  /** A hash of the endpoint configuration (`stableHash(endpoint)`): a changed endpoint is a cache miss. */
  endpointHash: string;
  /** Ask the model even when the cache has the answer (the new answer replaces it). */
  refresh?: boolean | undefined;
}

export interface RunOptions<TItem extends RunItem, TGrade> {
  items: readonly TItem[];
  call: ModelCall;
  store: RunStore<TGrade>;
  /** Tokens of a text (the registry's estimate, 4 characters a token). */
  estimateTokens: (text: string) => number;
  limits?: RunLimits | undefined;
  /** The endpoint's limiter when several runs share an endpoint in this process; else one is made from `limits`. */
  limiter?: Limiter | undefined;
  cache?: RunCacheOptions | undefined;
  grade?: ((item: TItem, answer: string) => TGrade | Promise<TGrade>) | undefined;
  /** The cost of one answered request from its tokens. */
  cost?: ((tokens: { inputTokens: number; outputTokens: number }) => number) | undefined;
  /** Items worked on at once (default: limits.maxConcurrency, else 4). */
  concurrency?: number | undefined;
  /** Requests per item at most, the first included (default 4). */
  maxAttempts?: number | undefined;
  /** Per request (default 60 s). */
  timeoutMs?: number | undefined;
  backoff?: BackoffOptions | undefined;
  /** Tokens reserved for an answer before any has been seen (default 256); then the mean of the answers so far. */
  expectedOutputTokens?: number | undefined;
  /** How long a claim holds without renewal (default 60 s); renewed every third of it. */
  leaseMs?: number | undefined;
  /** How soon to look again at an item another holder has (default 1 s). */
  heldRetryMs?: number | undefined;
  /** Who claims (default a random id): two engines must differ. */
  holder?: string | undefined;
  /** Ask again the items an earlier run recorded as failed. */
  retakeFailed?: boolean | undefined;
  onProgress?: ((progress: RunProgress) => void) | undefined;
  /** Stops the run: no new claims, requests in flight aborted, their claims released; resolves as `aborted`. */
  signal?: AbortSignal | undefined;
  /**
   * Winds the run down: no new claims, but the items in flight finish and are saved (a request already sent is
   * never thrown away for another holder to send again); resolves as `aborted`.
   */
  drain?: AbortSignal | undefined;
  clock?: Clock | undefined;
  random?: (() => number) | undefined;
}

const DEFAULTS = {
  concurrency: 4,
  maxAttempts: 4,
  timeoutMs: 60_000,
  expectedOutputTokens: 256,
  leaseMs: 60_000,
  heldRetryMs: 1000,
};

class AttemptTimeout extends Error {}

export async function runItems<TItem extends RunItem, TGrade = unknown>(
  options: RunOptions<TItem, TGrade>,
): Promise<RunSummary> {
  const { items, call, store, estimateTokens } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const limits = options.limits ?? {};
  const concurrency = options.concurrency ?? limits.maxConcurrency ?? DEFAULTS.concurrency;
  const limiter =
    options.limiter ??
    createLimiter({ ...limits, maxConcurrency: limits.maxConcurrency ?? concurrency }, { clock });
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
  const heldRetryMs = options.heldRetryMs ?? DEFAULTS.heldRetryMs;
  const holder = options.holder ?? randomUUID();
  const ids = new Set(items.map((i) => i.id));
  if (ids.size !== items.length) throw new RangeError('item ids must be unique in a run');
  if (!(maxAttempts >= 1) || !(concurrency >= 1))
    throw new RangeError('maxAttempts and concurrency must be ≥ 1');

  // One controller for the run: the caller's abort, or a worker's error, stops every worker.
  const stop = new AbortController();
  const onCallerAbort = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) onCallerAbort();
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const signal = stop.signal;

  const progress: RunProgress = {
    total: items.length,
    finished: 0,
    answered: 0,
    failed: 0,
    skipped: 0,
    cached: 0,
    alreadyStored: 0,
    requests: 0,
    retries: 0,
    inFlight: 0,
  };
  const totals = { inputTokens: 0, outputTokens: 0, cost: 0, duplicates: 0 };
  const report = () => options.onProgress?.({ ...progress });
  const outputSeen = { tokens: 0, answers: 0 };
  const expectedOutput = () =>
    outputSeen.answers > 0
      ? outputSeen.tokens / outputSeen.answers
      : (options.expectedOutputTokens ?? DEFAULTS.expectedOutputTokens);

  let nextIndex = 0; // an index, not shift(): a run of 100,000 items must not move its array each time
  const deferred: { item: TItem; at: number }[] = [];
  const now = () => clock.now().getTime();

  /** The next item to claim, waiting for a deferred one if that is all there is; undefined: nothing left. */
  const nextItem = async (): Promise<TItem | undefined> => {
    for (;;) {
      if (signal.aborted || options.drain?.aborted) return undefined;
      if (nextIndex < items.length) return items[nextIndex++];
      if (deferred.length === 0) return undefined;
      deferred.sort((a, b) => a.at - b.at);
      const first = deferred[0]!;
      if (first.at <= now()) return deferred.shift()!.item;
      await sleep(clock, first.at - now(), signal).catch(() => undefined);
    }
  };

  const tally = (record: ItemRecord<TGrade>, stored: boolean) => {
    if (!stored) totals.duplicates++;
    progress.finished++;
    if (record.status === 'answered') progress.answered++;
    else if (record.status === 'failed') progress.failed++;
    else progress.skipped++;
    if (record.cached) progress.cached++;
    // The run's spend: answers it paid for (a failed request's tokens are unknown; a cached one cost nothing).
    if (record.status === 'answered' && !record.cached) {
      totals.inputTokens += record.inputTokens;
      totals.outputTokens += record.outputTokens;
      totals.cost += record.cost ?? 0;
    }
    report();
  };

  /** Renews the item's lease every third of it while the item is worked on. */
  const keepLease = (itemId: string) => {
    let handle: TimerHandle | undefined;
    const arm = () => {
      handle = clock.setTimeout(async () => {
        // A lost lease is not fatal: the save still refuses to replace another holder's answer.
        await store.renew(itemId, { holder, leaseMs }).catch(() => false);
        if (handle) arm();
      }, leaseMs / 3);
    };
    arm();
    return () => {
      if (handle) clock.clearTimeout(handle);
      handle = undefined;
    };
  };

  const attempt = async (prompt: string): Promise<{ result: CallResult; latencyMs: number }> => {
    const controller = new AbortController();
    const abortAttempt = () => controller.abort(signal.reason);
    signal.addEventListener('abort', abortAttempt, { once: true });
    const timer = clock.setTimeout(() => controller.abort(new AttemptTimeout()), timeoutMs);
    const started = now();
    progress.requests++;
    progress.inFlight++;
    try {
      const result = await call(prompt, { signal: controller.signal, timeoutMs });
      return { result, latencyMs: now() - started };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const timedOut = controller.signal.reason instanceof AttemptTimeout;
      return {
        result: {
          ok: false,
          kind: timedOut ? 'timeout' : 'network',
          message: timedOut ? `no answer in ${timeoutMs} ms` : messageOf(error),
        },
        latencyMs: now() - started,
      };
    } finally {
      progress.inFlight--;
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', abortAttempt);
    }
  };

  const finishedAt = () => clock.now().toISOString();

  /** Everything about one claimed item up to its record; throws only when the run stops. */
  const work = async (item: TItem): Promise<ItemRecord<TGrade>> => {
    const inputEstimate = estimateTokens(item.prompt);
    const base = { itemId: item.id, prompt: item.prompt, cached: false, finishedAt: '' };
    const window = limits.contextWindowTokens;
    if (window !== undefined && inputEstimate > window)
      return {
        ...base,
        status: 'skipped',
        skipReason: `the prompt is about ${inputEstimate} tokens, the context window ${window}`,
        attempts: 0,
        inputTokens: inputEstimate,
        outputTokens: 0,
        tokensEstimated: true,
        finishedAt: finishedAt(),
      };

    const key = options.cache && cacheKey(options.cache.modelId, options.cache.endpointHash, item.prompt);
    if (options.cache && key && !options.cache.refresh) {
      const hit = await options.cache.cache.get(key);
      if (hit)
        return {
          ...base,
          ...(await graded(item, hit.answer)),
          status: 'answered',
          raw: hit.raw,
          answer: hit.answer,
          attempts: 0,
          cached: true,
          latencyMs: hit.latencyMs,
          inputTokens: hit.inputTokens,
          outputTokens: hit.outputTokens,
          tokensEstimated: hit.tokensEstimated,
          cost: 0,
          finishedAt: finishedAt(),
        };
    }

    for (let n = 1; ; n++) {
      const permit = await limiter.acquire(inputEstimate + expectedOutput(), signal);
      let outcome: Awaited<ReturnType<typeof attempt>>;
      try {
        outcome = await attempt(item.prompt);
      } catch (error) {
        permit.released();
        throw error;
      }
      const { result, latencyMs } = outcome;
      // A request the stop cut short is no failure of the item: it stays unrecorded, to be asked again.
      if (!result.ok && signal.aborted) {
        permit.released();
        throw signal.reason;
      }
      if (result.ok) {
        const inputTokens = result.usage?.inputTokens ?? inputEstimate;
        const outputTokens = result.usage?.outputTokens ?? estimateTokens(result.raw);
        const tokensEstimated =
          result.usage?.inputTokens === undefined || result.usage?.outputTokens === undefined;
        permit.succeeded(inputTokens + outputTokens);
        outputSeen.tokens += outputTokens;
        outputSeen.answers++;
        if (options.cache && key)
          await options.cache.cache.set(key, {
            raw: result.raw,
            answer: result.answer,
            inputTokens,
            outputTokens,
            tokensEstimated,
            latencyMs,
          });
        return {
          ...base,
          ...(await graded(item, result.answer)),
          status: 'answered',
          raw: result.raw,
          answer: result.answer,
          attempts: n,
          latencyMs,
          inputTokens,
          outputTokens,
          tokensEstimated,
          cost: options.cost?.({ inputTokens, outputTokens }),
          finishedAt: finishedAt(),
        };
      }
      const retryAfterMs = parseRetryAfter(result.retryAfter, clock.now());
      if (result.kind === 'rate-limited' || result.kind === 'server-error') permit.throttled(retryAfterMs);
      else permit.released();
      if (!isTransient(result.kind) || n >= maxAttempts)
        return {
          ...base,
          status: 'failed',
          raw: result.raw,
          error: { kind: result.kind, message: result.message, status: result.status },
          attempts: n,
          inputTokens: inputEstimate,
          outputTokens: 0,
          tokensEstimated: true,
          finishedAt: finishedAt(),
        };
      progress.retries++;
      // The limiter already pauses every request until Retry-After; this item waits at least as long.
      await sleep(clock, Math.max(retryAfterMs ?? 0, backoffMs(n, options.backoff, random)), signal);
    }
  };

  const graded = async (
    item: TItem,
    answer: string,
  ): Promise<Pick<ItemRecord<TGrade>, 'grade' | 'gradeError'>> => {
    if (!options.grade) return {};
    try {
      return { grade: await options.grade(item, answer) };
    } catch (error) {
      return { gradeError: messageOf(error) };
    }
  };

  const worker = async () => {
    for (let item = await nextItem(); item; item = await nextItem()) {
      const claim = await store.claim(item.id, { holder, leaseMs, retakeFailed: options.retakeFailed });
      if (claim.status === 'done') {
        progress.alreadyStored++;
        progress.finished++;
        report();
        continue;
      }
      if (claim.status === 'held') {
        deferred.push({ item, at: Math.min(claim.until.getTime(), now() + heldRetryMs) });
        continue;
      }
      const dropLease = keepLease(item.id);
      try {
        const record = await work(item);
        tally(record, await store.save(record, holder));
      } catch (error) {
        if (!signal.aborted) throw error;
        await store.release(item.id, holder).catch(() => undefined);
      } finally {
        dropLease();
      }
    }
  };

  // The clock's timers are unref'd: a run waiting only on the limiter must still keep its process alive.
  const alive = setInterval(() => {}, 1 << 30);
  const startedAt = clock.now();
  try {
    report();
    const workers = Array.from({ length: Math.min(concurrency, Math.max(1, items.length)) }, () =>
      worker().catch((error: unknown) => {
        stop.abort(error);
        throw error;
      }),
    );
    const settled = await Promise.allSettled(workers);
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure) throw failure.reason;
    const aborted = options.signal?.aborted === true || options.drain?.aborted === true;
    const end = clock.now();
    return {
      ...progress,
      ...totals,
      status: aborted ? 'aborted' : 'completed',
      startedAt: startedAt.toISOString(),
      finishedAt: end.toISOString(),
      durationMs: end.getTime() - startedAt.getTime(),
    };
  } finally {
    clearInterval(alive);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** Waits `ms` on the clock; rejects with the signal's reason when it aborts. */
function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
