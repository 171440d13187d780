// Text every route can trust before its schema runs: valid UTF-8, no NUL (Postgres cannot store it, SQLite
// would), no lone surrogates (they would be stored as U+FFFD), and JSON no deeper than MAX_JSON_DEPTH (so a
// recursive schema never overflows the stack). Both databases then answer the same 400.
import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors.ts';

/** Deep enough for every schema (an audience filter is at most 8 levels, about 20 in JSON). */
export const MAX_JSON_DEPTH = 64;

interface Flaw {
  path: string;
  message: string;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

function textFlaw(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000); remove it';
  if (!text.isWellFormed()) return 'contains a lone UTF-16 surrogate; send valid Unicode text';
  return undefined;
}

/** The first bad string or too-deep spot of a parsed JSON value, walked without recursion. */
export function jsonFlaw(value: unknown): Flaw | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: 'body', depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const message = textFlaw(v);
      if (message) return { path, message };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      return { path, message: `is nested deeper than ${MAX_JSON_DEPTH} levels; flatten the input` };
    if (Array.isArray(v)) {
      // Pushed last-first, so the first flaw in document order is the one reported.
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(v);
    for (const [key] of entries) {
      const message = textFlaw(key);
      if (message) return { path: `${path} (a key)`, message };
    }
    for (let i = entries.length - 1; i >= 0; i--)
      stack.push({ value: entries[i]![1], path: `${path}.${entries[i]![0]}`, depth: depth + 1 });
  }
  return undefined;
}

/** The first bad percent-decoded component of a path or query string. */
function urlFlaw(raw: string, where: 'path' | 'query'): Flaw | undefined {
  for (const part of raw.split(where === 'path' ? '/' : /[&=]/)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part.replaceAll('+', ' '));
    } catch {
      return {
        path: where,
        message: `has a percent-encoding that is not valid UTF-8 (${part.slice(0, 40)})`,
      };
    }
    const message = textFlaw(decoded);
    if (message) return { path: where, message };
  }
  return undefined;
}

function invalid(flaw: Flaw): AppError {
  return new AppError('VALIDATION_FAILED', `The ${flaw.path} ${flaw.message}.`, {
    target: 'request',
    issues: [{ path: flaw.path, message: flaw.message, code: 'custom' }],
  });
}

/** Refuses malformed text in the URL and in JSON or form bodies before any route reads them. */
export function wellFormedInput(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    const queryStart = url.indexOf('?');
    const pathname = new URL(url).pathname;
    const flaw =
      urlFlaw(pathname, 'path') ??
      (queryStart >= 0 ? urlFlaw(url.slice(queryStart + 1), 'query') : undefined);
    if (flaw) throw invalid(flaw);

    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const json = type === 'application/json' || type.endsWith('+json');
    const form = type === 'application/x-www-form-urlencoded';
    if (!json && !form) return next();

    const bytes = await c.req.arrayBuffer();
    let text: string;
    try {
      text = fatalUtf8.decode(bytes);
    } catch {
      throw new AppError(
        'BAD_REQUEST',
        'The request body is not valid UTF-8: send the text encoded as UTF-8.',
      );
    }
    // The route's validator reads the body again from this cache.
    (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
    if (form) {
      const formFlaw = urlFlaw(text, 'query');
      if (formFlaw) throw invalid({ ...formFlaw, path: 'body' });
      return next();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return next(); // the validator answers BAD_REQUEST as for any unparseable body
    }
    const bodyFlaw = jsonFlaw(parsed);
    if (bodyFlaw) throw invalid(bodyFlaw);
    return next();
  };
}
