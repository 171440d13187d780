import { errorFromResponse, JuryError, networkError } from '../errors.ts';
import type { CallArgs, CallOutput, RawBody, Route } from './route.ts';

/**
 * What the client sends requests through: `fetch` itself, or anything shaped like it, e.g. a Hono app's
 * `app.request` (in-process, no socket) or a wrapper that adds a bearer token.
 *
 * @example
 * ```ts
 * const http = createHttpClient({ fetch: (url, init) => app.request(url, init) });
 * ```
 */
export type FetchLike = (url: string, init: RequestInit) => Response | Promise<Response>;

/**
 * Options of {@link createHttpClient}.
 *
 * @example
 * ```ts
 * createHttpClient({ baseUrl: 'http://localhost:8787' });
 * ```
 */
export interface HttpClientOptions {
  /** Prepended to every route path: the server's origin, or '' (the default) for the page's own origin. */
  baseUrl?: string;
  /** The transport (default: the global `fetch`). */
  fetch?: FetchLike;
}

/**
 * A 2xx response whose `json()` is typed from the route.
 *
 * @example
 * ```ts
 * const res: TypedResponse<CallOutput<typeof getJobRoute>> = await http.send(getJobRoute, { params: { id } });
 * const { data } = await res.json();
 * ```
 */
export interface TypedResponse<T> extends Response {
  json(): Promise<T>;
}

/**
 * A client of the Jury API typed from the `@jury/api` route objects. Any non-2xx answer throws the SDK's typed
 * error (`errorFromResponse`); a request that gets no answer throws a `JuryNetworkError`.
 *
 * @example
 * ```ts
 * const { data: job } = await http.call(getJobRoute, { params: { id: 'job_1' } });
 * ```
 */
export interface HttpClient {
  readonly baseUrl: string;
  /** Sends the request and returns the parsed JSON body (undefined when the body is empty). */
  call<R extends Route>(route: R, ...args: CallArgs<R>): Promise<CallOutput<R>>;
  /** Sends the request and returns the 2xx response itself: for bytes, headers or the status. */
  send<R extends Route>(route: R, ...args: CallArgs<R>): Promise<TypedResponse<CallOutput<R>>>;
}

/**
 * A request ready for any transport: the URL with its path parameters and query, method, headers and body.
 *
 * @example
 * ```ts
 * const { url, method } = prepareRequest('', getJobRoute, { params: { id: 'job_1' } });
 * // '/api/v1/jobs/job_1', 'GET'
 * ```
 */
export interface PreparedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | RawBody | undefined;
  signal: AbortSignal | undefined;
}

interface AnyInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  json?: unknown;
  form?: Record<string, unknown>;
  body?: RawBody;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function pathOf(route: Route, params: Record<string, unknown> | undefined): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new TypeError(`${route.path}: no value for the path parameter "${name}"`);
    return encodeURIComponent(String(value));
  });
}

function queryOf(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Turns a route and its input into a request: `{name}` path parameters substituted (URL-encoded), the query
 * (undefined values left out, arrays as repeated keys), `json` / `form` / raw `body` with its content type.
 * The one request builder: `createHttpClient` sends its result through `fetch`; a transport that is not `fetch`
 * (the simulator's keep-alive node:http) sends it itself.
 *
 * @example
 * ```ts
 * const req = prepareRequest('http://localhost:8787', listJobsRoute, { query: { name: 'cats' } });
 * // req.url === 'http://localhost:8787/api/v1/jobs?name=cats'
 * ```
 */
export function prepareRequest<R extends Route>(
  baseUrl: string,
  route: R,
  ...[input]: CallArgs<R>
): PreparedRequest {
  const given = (input ?? {}) as AnyInput;
  const headers: Record<string, string> = { accept: 'application/json', ...given.headers };
  let body: PreparedRequest['body'];
  if (given.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(given.json);
  } else if (given.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = queryOf(given.form).slice(1);
  } else if (given.body !== undefined) {
    const declared = Object.keys(route.request?.body?.content ?? {})[0];
    headers['content-type'] ??= declared ?? 'application/octet-stream';
    body = given.body;
  }
  return {
    url: `${baseUrl}${pathOf(route, given.params)}${queryOf(given.query)}`,
    method: route.method.toUpperCase(),
    headers,
    body,
    signal: given.signal,
  };
}

/**
 * The typed client: `call(route, input)` for JSON, `send(route, input)` for the response itself. Works in
 * browsers and in Node (it only needs `fetch`); pass `fetch` to run it over another transport.
 *
 * @example
 * ```ts
 * import { createHttpClient } from '@jury/sdk/client';
 * import { nextLabelerTaskRoute } from '@jury/api';
 * const http = createHttpClient(); // same origin, the browser's cookies
 * const { data: task } = await http.call(nextLabelerTaskRoute);
 * ```
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const baseUrl = options.baseUrl ?? '';
  const transport: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const send = async <R extends Route>(route: R, ...args: CallArgs<R>) => {
    const request = prepareRequest(baseUrl, route, ...args);
    let res: Response;
    try {
      res = await transport(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body as BodyInit | undefined,
        signal: request.signal ?? null,
      });
    } catch (err) {
      // A transport may throw the SDK's own errors (a token it could not get): those pass as they are.
      throw err instanceof JuryError ? err : networkError(err, request.url);
    }
    if (!res.ok) throw errorFromResponse(res.status, await res.text(), res.headers);
    return res as TypedResponse<CallOutput<R>>;
  };
  return {
    baseUrl,
    send,
    async call(route, ...args) {
      const text = await (await send(route, ...args)).text();
      return text ? JSON.parse(text) : undefined;
    },
  };
}
