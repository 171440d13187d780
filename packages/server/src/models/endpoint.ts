// Calling a model's endpoint: the request from the body template, the answer from the response path, and one
// call with its failure classified (transient: retry later; permanent: record it). The endpoint test and the
// evaluation runner both use these; they never throw for what the endpoint does.
import { createHash } from 'node:crypto';
import { type EndpointFailureKind, PROMPT_PLACEHOLDER } from '@jury/api';

export type ResponsePath = readonly (string | number)[];

/** A model's endpoint with its headers decrypted (services/getRunnableModel gives one). */
export interface Endpoint {
  url: string;
  headers: Record<string, string>;
  /** JSON text with %PROMPT% inside its strings. */
  bodyTemplate: string;
  responsePath: ResponsePath;
}

/**
 * A hash of everything that shapes a request and its answer (url, headers, template, path): with the prompt, the
 * key of a cached answer. Header values go in hashed, so the fingerprint reveals none.
 */
export function endpointFingerprint(endpoint: Endpoint): string {
  const headers = Object.entries(endpoint.headers)
    .map(([n, v]) => [n.toLowerCase(), v])
    .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([endpoint.url, headers, endpoint.bodyTemplate, endpoint.responsePath]))
    .digest('hex');
}

export interface EndpointRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

function substitute(value: unknown, prompt: string): unknown {
  if (typeof value === 'string') return value.replaceAll(PROMPT_PLACEHOLDER, prompt);
  if (Array.isArray(value)) return value.map((v) => substitute(v, prompt));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k.replaceAll(PROMPT_PLACEHOLDER, prompt),
        substitute(v, prompt),
      ]),
    );
  return value;
}

/** The body: the template parsed, %PROMPT% replaced inside its strings, serialized (so the prompt is JSON-escaped). */
export function renderBody(bodyTemplate: string, prompt: string): string {
  return JSON.stringify(substitute(JSON.parse(bodyTemplate), prompt));
}

/** The POST request for `prompt`: JSON content type unless the endpoint's headers say otherwise. */
export function buildRequest(endpoint: Endpoint, prompt: string): EndpointRequest {
  const named = new Set(Object.keys(endpoint.headers).map((h) => h.toLowerCase()));
  return {
    url: endpoint.url,
    method: 'POST',
    headers: {
      ...(named.has('content-type') ? {} : { 'content-type': 'application/json' }),
      ...(named.has('accept') ? {} : { accept: 'application/json, text/plain, */*' }),
      ...endpoint.headers,
    },
    body: renderBody(endpoint.bodyTemplate, prompt),
  };
}

export type Extraction =
  | { ok: true; value: unknown; answer: string }
  | { ok: false; kind: 'status' | 'body' | 'path'; message: string; step?: number };

const preview = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text);
const pathText = (path: ResponsePath) => JSON.stringify(path);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    return keys.length ? `an object with keys ${keys.slice(0, 10).join(', ')}` : 'an empty object';
  }
  return `a ${typeof value} (${preview(JSON.stringify(value), 60)})`;
}

/**
 * The answer in a response: [] and ["text"] take the raw body; ["json", …] parses it and follows each key (objects)
 * or index (arrays). A non-2xx status, a body that is not JSON or a step that does not resolve is a failure naming
 * the step. A string is the answer as is; numbers and booleans become text, objects and arrays JSON text.
 */
export function extractAnswer(path: ResponsePath, status: number, bodyText: string): Extraction {
  if (status < 200 || status > 299)
    return {
      ok: false,
      kind: 'status',
      message: `The endpoint answered ${status}${bodyText ? `: ${preview(bodyText)}` : ' with an empty body'}.`,
    };
  if (path.length === 0 || (path.length === 1 && path[0] === 'text'))
    return { ok: true, value: bodyText, answer: bodyText };
  if (path[0] !== 'json')
    return {
      ok: false,
      kind: 'path',
      step: 0,
      message: `A response path starts with "json" or "text", not ${JSON.stringify(path[0])}.`,
    };
  let value: unknown;
  try {
    value = JSON.parse(bodyText);
  } catch (err) {
    return {
      ok: false,
      kind: 'body',
      step: 0,
      message: `The body is not JSON (${(err as Error).message}), but the response path starts with "json"${bodyText ? `; it begins: ${preview(bodyText, 120)}` : '; it is empty'}.`,
    };
  }
  for (let step = 1; step < path.length; step++) {
    const key = path[step] as string | number;
    const at = pathText(path.slice(0, step));
    let next: unknown;
    if (Array.isArray(value)) {
      if (typeof key !== 'number')
        return {
          ok: false,
          kind: 'path',
          step,
          message: `Step ${step} (${JSON.stringify(key)}): at ${at} there is an array; use an index (0 … ${value.length - 1}).`,
        };
      next = value[key];
      if (next === undefined)
        return {
          ok: false,
          kind: 'path',
          step,
          message: `Step ${step} (${key}): at ${at} there is an array of ${value.length}, no index ${key}.`,
        };
    } else if (value !== null && typeof value === 'object') {
      next = Object.hasOwn(value, String(key)) ? (value as Record<string, unknown>)[String(key)] : undefined;
      if (next === undefined)
        return {
          ok: false,
          kind: 'path',
          step,
          message: `Step ${step} (${JSON.stringify(key)}) not found: at ${at} there is ${describe(value)}.`,
        };
    } else
      return {
        ok: false,
        kind: 'path',
        step,
        message: `Step ${step} (${JSON.stringify(key)}): at ${at} there is ${describe(value)}, nothing to look into.`,
      };
    value = next;
  }
  if (value === null)
    return {
      ok: false,
      kind: 'path',
      step: path.length - 1,
      message: `The value at ${pathText(path)} is null: no answer.`,
    };
  const answer =
    typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return { ok: true, value, answer };
}

/** Whether a status is worth retrying later: request timeout, too early, too many requests, server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Retry-After as milliseconds from `nowMs`: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const t = header.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const date = Date.parse(t);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Whether `url`'s host is allowed by the operator's list (JURY_MODEL_HOSTS): exact host names or `*.example.com`
 * for its subdomains; an empty or absent list allows every host.
 */
export function hostAllowed(url: string, allowedHosts: readonly string[] | undefined): boolean {
  if (!allowedHosts || allowedHosts.length === 0) return true;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return allowedHosts.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e.startsWith('*.') ? host.endsWith(e.slice(1)) : host === e;
  });
}

export interface CallOptions {
  /** Aborts the call (kind 'aborted', not transient): a run stopping. */
  signal?: AbortSignal | undefined;
  /** From the request until the whole body is read; default 60 s. */
  timeoutMs?: number | undefined;
  /** A larger body is a permanent failure; default 4 MiB. */
  maxResponseBytes?: number | undefined;
  allowedHosts?: readonly string[] | undefined;
  fetch?: typeof fetch | undefined;
  now?: (() => number) | undefined;
}

export interface EndpointFailure {
  kind: EndpointFailureKind;
  message: string;
  step?: number;
}

interface CallCommon {
  request: EndpointRequest;
  /** null when no response came. */
  status: number | null;
  bodyText: string;
  contentType: string | null;
  latencyMs: number;
}

export type EndpointCall =
  | (CallCommon & { ok: true; status: number; value: unknown; answer: string })
  | (CallCommon & {
      ok: false;
      error: EndpointFailure;
      /** Retry later (network, timeout, 408/425/429/5xx, a malformed body); else record it as the item's failure. */
      transient: boolean;
      /** From Retry-After, on 429 and 503 mostly. */
      retryAfterMs?: number;
    });

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

class TooLarge extends Error {}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge(`The response is larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function networkMessage(err: unknown, url: string): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  return `Could not reach ${host}: ${cause?.code ?? cause?.message ?? (err as Error).message}.`;
}

/**
 * Sends `prompt` to the endpoint once and reads the answer. Never throws for what the endpoint does: failures come
 * back classified (`transient` for the runner's retries, `retryAfterMs` from the server). Redirects are not followed
 * (a host allow-list could otherwise be left through one).
 */
export async function callEndpoint(
  endpoint: Endpoint,
  prompt: string,
  options: CallOptions = {},
): Promise<EndpointCall> {
  const now = options.now ?? Date.now;
  const request = buildRequest(endpoint, prompt);
  const started = now();
  const common = (status: number | null, bodyText: string, contentType: string | null): CallCommon => ({
    request,
    status,
    bodyText,
    contentType,
    latencyMs: now() - started,
  });
  const fail = (
    c: CallCommon,
    error: EndpointFailure,
    transient: boolean,
    retryAfterMs?: number,
  ): EndpointCall => ({
    ...c,
    ok: false,
    error,
    transient,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });

  if (!hostAllowed(endpoint.url, options.allowedHosts))
    return fail(
      common(null, '', null),
      {
        kind: 'network',
        message: `The server does not call ${new URL(endpoint.url).hostname}: it is not in JURY_MODEL_HOSTS.`,
      },
      false,
    );

  const controller = new AbortController();
  let timedOut = false;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const aborted = (c: CallCommon): EndpointCall =>
    timedOut
      ? fail(c, { kind: 'timeout', message: `No complete answer within ${timeoutMs} ms.` }, true)
      : fail(c, { kind: 'aborted', message: 'The call was cancelled.' }, false);
  try {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (err) {
      if (controller.signal.aborted) return aborted(common(null, '', null));
      return fail(
        common(null, '', null),
        { kind: 'network', message: networkMessage(err, request.url) },
        true,
      );
    }
    const contentType = response.headers.get('content-type');
    let bodyText: string;
    try {
      bodyText = await readBounded(response, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    } catch (err) {
      if (err instanceof TooLarge)
        return fail(common(response.status, '', contentType), { kind: 'body', message: err.message }, false);
      if (controller.signal.aborted) return aborted(common(response.status, '', contentType));
      return fail(
        common(response.status, '', contentType),
        { kind: 'network', message: networkMessage(err, request.url) },
        true,
      );
    }
    const c = common(response.status, bodyText, contentType);
    if (response.status >= 300 && response.status < 400)
      return fail(
        c,
        {
          kind: 'status',
          message: `The endpoint redirects (${response.status}) to ${response.headers.get('location') ?? 'elsewhere'}; give that URL instead (redirects are not followed).`,
        },
        false,
      );
    const extraction = extractAnswer(endpoint.responsePath, response.status, bodyText);
    if (extraction.ok)
      return { ...c, ok: true, status: response.status, value: extraction.value, answer: extraction.answer };
    const { kind, message, step } = extraction;
    const error: EndpointFailure = { kind, message, ...(step !== undefined ? { step } : {}) };
    if (kind === 'status')
      return fail(
        c,
        error,
        isTransientStatus(response.status),
        parseRetryAfter(response.headers.get('retry-after'), now()),
      );
    // A body that does not parse is mostly a cut or garbled answer from a strained server: worth a retry; a path
    // that does not resolve in a well-formed answer is the configuration's fault and stays so.
    return fail(c, error, kind === 'body');
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
