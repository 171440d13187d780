import { JuryError, JuryNetworkError, JuryRateLimitError } from './errors.ts';

/**
 * Runs `fn` over `items` with at most `workers` calls in flight; results keep the input order and
 * failures do not stop the other items.
 *
 * @example
 * ```ts
 * const settled = await mapPool(paths, 8, (p) => client.assets.upload(p));
 * const failed = settled.filter((r) => r.status === 'rejected').length;
 * ```
 */
export async function mapPool<T, R>(
  items: readonly T[],
  workers: number,
  fn: (item: T, index: number) => Promise<R>,
  onSettled?: (result: PromiseSettledResult<R>, index: number) => void,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      let result: PromiseSettledResult<R>;
      try {
        result = { status: 'fulfilled', value: await fn(items[index] as T, index) };
      } catch (reason) {
        result = { status: 'rejected', reason };
      }
      results[index] = result;
      onSettled?.(result, index);
    }
  };
  const count = Math.max(1, Math.min(Math.floor(workers), items.length));
  await Promise.all(Array.from({ length: count }, worker));
  return results;
}

/**
 * Whether a failed request is worth retrying: network failures, 429 and 5xx; never other 4xx.
 *
 * @example
 * ```ts
 * isRetryable(new JuryNotFoundError({ code: 'NOT_FOUND', status: 404, message: '' })); // false
 * ```
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof JuryNetworkError) return true;
  if (err instanceof JuryError) return err.status === 429 || err.status >= 500;
  return false;
}

/**
 * Options of {@link withRetries}.
 *
 * @example
 * ```ts
 * await withRetries(fn, { maxRetries: 3, baseDelayMs: 250 });
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubles each retry (with up to 25% jitter). */
  baseDelayMs: number;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Calls `fn`, retrying retryable failures ({@link isRetryable}) with exponential backoff.
 *
 * @example
 * ```ts
 * const asset = await withRetries(() => client.assets.upload('a.png'), { maxRetries: 3, baseDelayMs: 250 });
 * ```
 */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= options.maxRetries || !isRetryable(err)) throw err;
      let delay = options.baseDelayMs * 2 ** attempt;
      delay += Math.random() * delay * 0.25;
      if (err instanceof JuryRateLimitError && err.retryAfterSeconds !== undefined)
        delay = Math.max(delay, err.retryAfterSeconds * 1000);
      options.onRetry?.(err, attempt + 1, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
