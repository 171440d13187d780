// The response cache's key and an in-memory cache: a repeated request (same model, same endpoint configuration,
// same prompt) is answered from it unless the run says `refresh`, as promptfoo does.
import { createHash } from 'node:crypto';
import type { CachedResponse, ResponseCache } from './types.ts';

/** The cache key of one request: any change of model, endpoint configuration or prompt is another key. */
export function cacheKey(modelId: string, endpointHash: string, prompt: string): string {
  return sha256(JSON.stringify([modelId, endpointHash, prompt]));
}

/** A hash of a JSON value that ignores key order: the same endpoint configuration, however written, one hash. */
export function stableHash(value: unknown): string {
  return sha256(canonicalJson(value));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A cache in this process's memory (tests, one-off runs); the server's lives in its database. */
export function createMemoryResponseCache(): ResponseCache & { readonly size: number } {
  const entries = new Map<string, CachedResponse>();
  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      return entries.get(key);
    },
    async set(key, value) {
      entries.set(key, value);
    },
  };
}
