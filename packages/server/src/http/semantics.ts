// HTTP semantics every route shares: OPTIONS answered before any guard, a wrong method on a known path is
// 405 with Allow, the public documents are open to other origins (nothing else is: secrets must not live in
// a browser), and what clients poll revalidates with ETag / 304.
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from './errors.ts';

/** Readable from any origin: no credentials involved. */
const OPEN_PATHS = new Set(['/api/openapi.json', '/healthz', '/.well-known/oauth-authorization-server']);

type RouteList = readonly { method: string; path: string }[];

type Compiled = { length: number; patterns: { method: string; pattern: RegExp }[] };
/** Each route list's path patterns, compiled once (again only when routes were added): every POST asks. */
const compiled = new WeakMap<RouteList, Compiled>();

function patternsOf(routes: RouteList): Compiled['patterns'] {
  const hit = compiled.get(routes);
  if (hit && hit.length === routes.length) return hit.patterns;
  const patterns = routes
    .filter((route) => route.method !== 'ALL' && !route.path.includes('*'))
    .map((route) => ({
      method: route.method,
      pattern: new RegExp(
        `^${route.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{[^/]+?\\\}|:[^/]+/g, '[^/]+')}$`,
      ),
    }));
  compiled.set(routes, { length: routes.length, patterns });
  return patterns;
}

/** The methods the app's routes answer on `path` (wildcards, which pages and middleware use, left out). */
export function allowedMethods(routes: RouteList, path: string): string[] {
  const methods = new Set<string>();
  for (const { method, pattern } of patternsOf(routes)) if (pattern.test(path)) methods.add(method);
  if (methods.has('GET')) methods.add('HEAD');
  if (methods.size > 0) methods.add('OPTIONS');
  return [...methods].sort();
}

/** The allow-listed origins of the `corsOrigins` setting (comma-separated; empty: none). */
export function parseCorsOrigins(setting: string): Set<string> {
  return new Set(
    setting
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  );
}

/**
 * Answers OPTIONS (and CORS preflights) before authentication: 204 with Allow. CORS headers: `*` on the open
 * paths; on /api/v1 (bearer tokens, never cookies: no credentials mode) only for the allow-listed origins; the
 * token route, labeler and dashboard routes never.
 */
export function answerOptions(
  routes: () => RouteList,
  corsOrigins: ReadonlySet<string> = new Set(),
): MiddlewareHandler {
  return async (c, next) => {
    const open = OPEN_PATHS.has(c.req.path);
    const origin = c.req.header('origin');
    // The answer depends on Origin wherever an allow-list applies, so shared caches keep one per origin.
    const varies =
      corsOrigins.size > 0 && c.req.path.startsWith('/api/v1/') && !c.req.path.startsWith('/api/v1/labeler');
    const listed = varies && origin !== undefined && corsOrigins.has(origin);
    if (c.req.method === 'OPTIONS') {
      const allow = allowedMethods(routes(), c.req.path);
      if (allow.length === 0) return next(); // unknown path: the not-found answer
      const headers: Record<string, string> = {
        Allow: allow.join(', '),
        ...(varies ? { Vary: 'Origin' } : {}),
      };
      if (open)
        Object.assign(headers, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'GET, HEAD',
        });
      if (listed)
        Object.assign(headers, {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': allow.join(', '),
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-None-Match',
          'Access-Control-Max-Age': '600',
        });
      return c.body(null, 204, headers);
    }
    await next();
    if (open) c.res.headers.set('Access-Control-Allow-Origin', '*');
    if (varies) c.res.headers.append('Vary', 'Origin');
    if (listed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin as string);
      c.res.headers.set('Access-Control-Expose-Headers', 'ETag, Location, Retry-After, WWW-Authenticate');
    }
  };
}

/** The not-found handler's first question: is it a known path asked with another method? */
export function methodNotAllowed(c: Context, routes: RouteList): Response | undefined {
  const allow = allowedMethods(routes, c.req.path);
  if (allow.length === 0) return undefined;
  return c.json(
    errorBody(
      c,
      'METHOD_NOT_ALLOWED',
      `${c.req.method} is not allowed on ${c.req.path}; use ${allow.join(', ')}.`,
    ),
    405,
    { Allow: allow.join(', ') },
  );
}

/** ETag on the JSON reads clients poll (a job, its results, the OpenAPI document): If-None-Match gets a 304. */
export function revalidatedReads(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (c.req.method !== 'GET' || res.status !== 200 || res.headers.has('etag')) return;
    // What must not be stored (a labeler's task, a new secret) is never revalidated: no tag to compute.
    if ((res.headers.get('cache-control') ?? '').includes('no-store')) return;
    // JSON only: streamed media and downloads are not read into memory here.
    if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) return;
    const body = await res.clone().arrayBuffer();
    const tag = `W/"${createHash('sha1').update(new Uint8Array(body)).digest('base64url')}"`;
    const ifNoneMatch = c.req.header('if-none-match');
    if (ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === tag.slice(2))) {
      c.res = new Response(null, {
        status: 304,
        headers: { ETag: tag, 'Cache-Control': res.headers.get('cache-control') ?? 'no-cache' },
      });
      return;
    }
    c.res.headers.set('ETag', tag);
    if (!res.headers.has('cache-control')) c.res.headers.set('Cache-Control', 'no-cache');
  };
}

/** A 201 names what it created: `Location` is the new resource's path when the app can GET it there. */
export function locationOfCreated(routes: () => RouteList): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.method !== 'POST' || c.res.status !== 201 || c.res.headers.has('location')) return;
    if (!(c.res.headers.get('content-type') ?? '').startsWith('application/json')) return;
    // Only where a created resource can be read (not, e.g., a labeler's answer): the body is parsed then.
    if (!allowedMethods(routes(), `${c.req.path}/_`).includes('GET')) return;
    const id = ((await c.res.clone().json()) as { data?: { id?: unknown } }).data?.id;
    if (typeof id !== 'string') return;
    const path = `${c.req.path}/${encodeURIComponent(id)}`;
    if (allowedMethods(routes(), path).includes('GET')) c.res.headers.set('Location', path);
  };
}
