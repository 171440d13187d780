import type { z } from '@jury/api';

type MediaTypes = Partial<Record<string, { schema?: unknown }>>;

/**
 * What the typed client reads of a `createRoute` definition from `@jury/api`: its method, its OpenAPI path
 * (`/api/v1/jobs/{id}`), its request schemas and its responses. Everything else (`security`, tags, docs) passes
 * through unread. A bare `{ method, path }` is a route too, untyped, for paths the contract does not name.
 *
 * @example
 * ```ts
 * import { getJobRoute } from '@jury/api';
 * const route: Route = getJobRoute; // or { method: 'get', path: '/healthz' }
 * ```
 */
export interface Route {
  method: string;
  path: string;
  request?: {
    params?: unknown;
    query?: unknown;
    body?: { content: MediaTypes; required?: boolean };
  };
  responses?: { [status: string]: unknown };
}

/**
 * A request body sent as it is (uploads): bytes, a blob or text.
 *
 * @example
 * ```ts
 * const body: RawBody = await readFile('cat.png');
 * ```
 */
export type RawBody = Blob | Uint8Array | ArrayBuffer | string;

/** Either required or optional, as the route's body says. */
type BodyRule<B, T> = B extends { required: true } ? T : Partial<T>;
type Schema<C, M extends string> = C extends { [K in M]: { schema: infer S extends z.ZodType } } ? S : never;

type BodyInput<B> = B extends { content: infer C }
  ? [Schema<C, 'application/json'>] extends [never]
    ? [Schema<C, 'application/x-www-form-urlencoded'>] extends [never]
      ? BodyRule<B, { body: RawBody }>
      : BodyRule<B, { form: z.input<Schema<C, 'application/x-www-form-urlencoded'>> }>
    : BodyRule<B, { json: z.input<Schema<C, 'application/json'>> }>
  : unknown;

type RequestOf<R extends Route> = R extends { request: infer Q extends object } ? Q : object;

type TypedInput<R extends Route> = (RequestOf<R> extends { params: infer P extends z.ZodType }
  ? { params: z.input<P> }
  : unknown) &
  (RequestOf<R> extends { query: infer Q extends z.ZodType }
    ? object extends z.input<Q>
      ? { query?: z.input<Q> }
      : { query: z.input<Q> }
    : unknown) &
  (RequestOf<R> extends { body: infer B } ? BodyInput<B> : unknown);

/** A route the contract does not name: anything goes, the server decides. */
interface UntypedInput {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  json?: unknown;
  form?: Record<string, string>;
  body?: RawBody;
}

/**
 * The input of `call(route, input)`: `params` for the path, `query`, and `json` (or `form`, or a raw `body`)
 * typed from the route's request schemas; `headers` and `signal` for any request.
 *
 * @example
 * ```ts
 * const input: CallInput<typeof listJobsRoute> = { query: { name: 'cats', amount: 50 } };
 * ```
 */
export type CallInput<R extends Route> = (string extends R['path'] ? UntypedInput : TypedInput<R>) & {
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206;
// A route's responses spread `errorResponses(…)`, a Record<number, …>: only the literal status keys count.
type LiteralKeys<T> = keyof { [K in keyof T as number extends K ? never : string extends K ? never : K]: 0 };
type JsonOf<D> = D extends { content: { 'application/json': { schema: infer S extends z.ZodType } } }
  ? z.output<S>
  : never;
type SuccessKeys<Rs> = Extract<LiteralKeys<Rs>, SuccessStatus | `${SuccessStatus}`>;

/**
 * The parsed JSON body of a route's 2xx answers (the union when it has several, e.g. 200 and 201);
 * `unknown` for an untyped route.
 *
 * @example
 * ```ts
 * type Got = CallOutput<typeof getJobRoute>; // { data: Job }
 * ```
 */
export type CallOutput<R extends Route> = string extends R['path']
  ? unknown
  : { [K in SuccessKeys<R['responses']>]: JsonOf<NonNullable<R['responses']>[K]> }[SuccessKeys<
      R['responses']
    >];

/**
 * Whether `input` may be left out: when the route asks for nothing required.
 *
 * @internal
 */
export type CallArgs<R extends Route> =
  object extends CallInput<R> ? [input?: CallInput<R>] : [input: CallInput<R>];
