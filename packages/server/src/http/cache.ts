import type { Db } from '../db/database.ts';

/** A bounded in-process cache: `get` misses once an entry is older than `ttlMs`; past `max` the oldest write goes. */
export interface Cache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
  clear(): void;
  readonly size: number;
}

export interface CacheOptions {
  /** Entries kept; setting one more drops the least recently written. */
  max: number;
  /** Entries older than this are misses; without it they live until evicted or deleted. */
  ttlMs?: number;
  /** Milliseconds from a monotonic source (default `performance.now`); tests pass their own. */
  clock?: () => number;
}

export function createCache<K, V>(options: CacheOptions): Cache<K, V> {
  const { max, ttlMs } = options;
  if (!(max >= 1)) throw new RangeError(`cache max must be at least 1, got ${max}`);
  const clock = options.clock ?? (() => performance.now());
  // Map order is write order: the first key is the oldest write.
  const entries = new Map<K, { value: V; at: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (ttlMs !== undefined && clock() - entry.at >= ttlMs) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      if (entries.size >= max) entries.delete(entries.keys().next().value as K);
      entries.set(key, { value, at: ttlMs === undefined ? 0 : clock() });
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * One cache per database, made on first use and dropped with the database (one process, e.g. tests or the CLI,
 * may open several). A database, its transactions and its connections share one Kysely adapter object, so a
 * transaction's `trx` finds the same cache as `db`.
 */
export function cachePerDatabase<K, V>(options: CacheOptions): (db: Db) => Cache<K, V> {
  const caches = new WeakMap<object, Cache<K, V>>();
  return (db) => {
    const key = db.getExecutor().adapter;
    let cache = caches.get(key);
    if (!cache) {
      cache = createCache<K, V>(options);
      caches.set(key, cache);
    }
    return cache;
  };
}
