import { ERROR_CODES, type ErrorCode, errorBodySchema, type JobStall, oauthErrorSchema } from '@jury/api';

/**
 * Codes raised by the SDK itself, besides the API's {@link ErrorCode}s.
 *
 * @example
 * ```ts
 * if (err instanceof JuryError && err.code === 'NETWORK_ERROR') retryLater();
 * ```
 */
export type SdkErrorCode =
  | 'NETWORK_ERROR'
  | 'NO_CREDENTIALS'
  | 'INVALID_ITEM'
  | 'UPLOAD_FAILED'
  | 'TIMEOUT'
  | 'JOB_STALLED';
/**
 * Every `code` a {@link JuryError} can carry.
 *
 * @example
 * ```ts
 * const code: JuryErrorCode = 'NOT_FOUND';
 * ```
 */
export type JuryErrorCode = ErrorCode | SdkErrorCode;

/**
 * Constructor input of {@link JuryError}.
 *
 * @example
 * ```ts
 * new JuryError({ code: 'INVALID_ITEM', message: 'bad item' });
 * ```
 */
export interface JuryErrorInit {
  code: JuryErrorCode;
  message: string;
  /** HTTP status; 0 when no response was received. */
  status?: number;
  details?: unknown;
  requestId?: string | undefined;
  cause?: unknown;
}

/**
 * Every error the SDK throws. `code` is stable (match on it, never on the message); `status`,
 * `details` and `requestId` come from the API's error body.
 *
 * @example
 * ```ts
 * import { JuryError } from '@jury/sdk';
 * try {
 *   await client.assets.get('ast_missing');
 * } catch (err) {
 *   if (err instanceof JuryError && err.code === 'NOT_FOUND') console.log('no such asset', err.requestId);
 *   else throw err;
 * }
 * ```
 */
export class JuryError extends Error {
  readonly code: JuryErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly requestId: string | undefined;
  constructor(init: JuryErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.status = init.status ?? 0;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}

/**
 * The request was rejected as invalid (400, 413, 415, 416, 422); `details` lists schema issues or the URL.
 *
 * @example
 * ```ts
 * try { await client.assets.registerUrl('ftp://x'); }
 * catch (err) { if (err instanceof JuryValidationError) console.log(err.details); }
 * ```
 */
export class JuryValidationError extends JuryError {}

/**
 * Missing, expired, revoked or wrong credentials or token (401).
 *
 * @example
 * ```ts
 * try { await new JuryClient({ clientId: 'x', clientSecret: 'y' }).getToken(); }
 * catch (err) { if (err instanceof JuryAuthError) console.log(err.code); } // INVALID_CLIENT
 * ```
 */
export class JuryAuthError extends JuryError {}

/**
 * Authenticated but not allowed (403).
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof JuryForbiddenError) console.log('not allowed'); }
 * ```
 */
export class JuryForbiddenError extends JuryError {}

/**
 * No such resource in your organization (404). Other organizations' ids also give this.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof JuryNotFoundError) console.log('gone'); }
 * ```
 */
export class JuryNotFoundError extends JuryError {}

/**
 * The resource's state does not allow the operation (409).
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof JuryConflictError) console.log(err.message); }
 * ```
 */
export class JuryConflictError extends JuryError {}

/**
 * Too many requests (429); uploads retry these automatically.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof JuryRateLimitError) await sleep((err.retryAfterSeconds ?? 1) * 1000); }
 * ```
 */
export class JuryRateLimitError extends JuryError {
  /** From the Retry-After header, when the server sent one. */
  retryAfterSeconds: number | undefined;
}

/**
 * The server failed (5xx); report the `requestId` to the administrator.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof JuryServerError) console.log('server failed, request', err.requestId); }
 * ```
 */
export class JuryServerError extends JuryError {}

/**
 * No response: the server is down, unreachable, or the connection broke.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof JuryNetworkError) console.log('is `jury serve` running?'); }
 * ```
 */
export class JuryNetworkError extends JuryError {}

/**
 * The SDK could not find client credentials (arguments, JURY_* variables or the credentials file).
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof JuryCredentialsError) console.log(err.message); }
 * ```
 */
export class JuryCredentialsError extends JuryError {}

/**
 * A datapoint item is neither a URL, an existing file, nor text where text is allowed.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof JuryItemError) console.log(err.details); } // { item, dataType }
 * ```
 */
export class JuryItemError extends JuryError {}

/**
 * A job cannot progress and waiting for it gave up (code `JOB_STALLED`): `stall` says why, as the server reports
 * it in the job's progress (e.g. every labeler its audience admits has answered every open datapoint).
 *
 * @example
 * ```ts
 * try { await job.getResults({ stallTimeoutMs: 60_000 }); }
 * catch (err) {
 *   if (err instanceof JuryJobStalledError) console.log(err.stall.reason, await job.getResults({ wait: false }));
 *   else throw err;
 * }
 * ```
 */
export class JuryJobStalledError extends JuryError {
  readonly stall: JobStall;
  constructor(init: Omit<JuryErrorInit, 'code'> & { stall: JobStall }) {
    super({ ...init, code: 'JOB_STALLED' });
    this.stall = init.stall;
  }
}

/**
 * One failed item of a batch upload.
 *
 * @example
 * ```ts
 * for (const f of uploadError.failures) console.log(f.index, f.item, f.error.message);
 * ```
 */
export interface FailedUpload<T = string> {
  item: T;
  index: number;
  error: Error;
}

/**
 * Some items of `uploadMany` failed (after retries). `results` keeps the successes in input order
 * (undefined where the item failed), `failures` says what went wrong for each failed item.
 *
 * @example
 * ```ts
 * try { await client.assets.uploadMany(paths); }
 * catch (err) {
 *   if (!(err instanceof JuryUploadError)) throw err;
 *   for (const f of err.failures) console.log(f.item, f.error.message);
 *   const uploaded = err.results.filter(Boolean);
 * }
 * ```
 */
export class JuryUploadError<R = unknown, T = string> extends JuryError {
  readonly results: (R | undefined)[];
  readonly failures: FailedUpload<T>[];
  constructor(results: (R | undefined)[], failures: FailedUpload<T>[]) {
    const first = failures[0];
    super({
      code: 'UPLOAD_FAILED',
      message: `${failures.length} of ${results.length} uploads failed${first ? `; first: ${String(first.item)}: ${first.error.message}` : ''}`,
      details: failures.map((f) => ({ item: f.item, index: f.index, message: f.error.message })),
    });
    this.results = results;
    this.failures = failures;
  }
}

type ApiErrorClass = new (init: JuryErrorInit) => JuryError;

// Exhaustive over the API's codes: adding a code to @jury/api fails type-checking here until mapped.
const CLASS_BY_CODE: Record<ErrorCode, ApiErrorClass> = {
  BAD_REQUEST: JuryValidationError,
  VALIDATION_FAILED: JuryValidationError,
  UNSUPPORTED_GRANT_TYPE: JuryValidationError,
  PAYLOAD_TOO_LARGE: JuryValidationError,
  HEADERS_TOO_LARGE: JuryValidationError,
  REQUEST_TIMEOUT: JuryServerError,
  UNSUPPORTED_MEDIA_TYPE: JuryValidationError,
  RANGE_NOT_SATISFIABLE: JuryValidationError,
  URL_UNREACHABLE: JuryValidationError,
  UNAUTHENTICATED: JuryAuthError,
  INVALID_CLIENT: JuryAuthError,
  INVALID_CREDENTIALS: JuryAuthError,
  FORBIDDEN: JuryForbiddenError,
  CSRF_REJECTED: JuryForbiddenError,
  NOT_FOUND: JuryNotFoundError,
  METHOD_NOT_ALLOWED: JuryValidationError,
  INVALID_LINK: JuryNotFoundError,
  CONFLICT: JuryConflictError,
  RATE_LIMITED: JuryRateLimitError,
  INTERNAL: JuryServerError,
};

const CODE_BY_OAUTH_ERROR: Partial<Record<string, ErrorCode>> = {
  invalid_client: 'INVALID_CLIENT',
  unsupported_grant_type: 'UNSUPPORTED_GRANT_TYPE',
  invalid_request: 'VALIDATION_FAILED',
  server_error: 'INTERNAL',
  temporarily_unavailable: 'RATE_LIMITED',
};

function codeForStatus(status: number): ErrorCode {
  const match = (Object.keys(ERROR_CODES) as ErrorCode[]).find((c) => ERROR_CODES[c].status === status);
  if (match) return match;
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

/**
 * The one place API errors are built: from a non-2xx response's status, headers and body text.
 * A well-formed `{ error: { code, message, details, requestId } }` body gives the typed error; anything
 * else (a proxy's HTML page, a truncated body) still gives a typed error chosen by the status.
 *
 * @example
 * ```ts
 * const res = await fetch(`${url}/api/v1/assets/ast_x`, { headers: { authorization: `Bearer ${t}` } });
 * if (!res.ok) throw errorFromResponse(res.status, await res.text(), res.headers);
 * ```
 */
export function errorFromResponse(status: number, bodyText: string, headers?: Headers): JuryError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    json = undefined;
  }
  const parsed = errorBodySchema.safeParse(json);
  const oauth = oauthErrorSchema.safeParse(json);
  const requestIdHeader = headers?.get('x-request-id') ?? undefined;
  let error: JuryError;
  if (parsed.success) {
    const { code, message, details, requestId } = parsed.data.error;
    error = new CLASS_BY_CODE[code]({ code, message, status, details, requestId });
  } else if (oauth.success) {
    // The token route answers as RFC 6749 §5.2 says; its errors keep the API's codes here.
    const code = CODE_BY_OAUTH_ERROR[oauth.data.error] ?? codeForStatus(status);
    const { error_description: message, request_id: requestId } = oauth.data;
    error = new CLASS_BY_CODE[code]({ code, message, status, requestId });
  } else {
    const code = codeForStatus(status);
    const snippet = bodyText.trim().slice(0, 200);
    error = new CLASS_BY_CODE[code]({
      code,
      status,
      requestId: requestIdHeader,
      message: `HTTP ${status} without a Jury error body${snippet ? `: ${snippet}` : ''}`,
    });
  }
  if (error instanceof JuryRateLimitError) {
    const retryAfter = Number(headers?.get('retry-after'));
    error.retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
  }
  return error;
}

/**
 * Wraps a fetch failure (no response) into a {@link JuryNetworkError} that says where and what to do.
 *
 * @example
 * ```ts
 * try { await fetch(url); } catch (err) { throw networkError(err, url); }
 * ```
 */
export function networkError(err: unknown, url: string): JuryNetworkError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
  const origin = (() => {
    try {
      return new URL(url).origin;
    } catch {
      return url;
    }
  })();
  const hint =
    cause?.code === 'ECONNREFUSED'
      ? ' Is the server running? Start it with `jury serve` (or `npm start`), or set JURY_URL.'
      : '';
  return new JuryNetworkError({
    code: 'NETWORK_ERROR',
    message: `Could not reach Jury at ${origin} (${reason}).${hint}`,
    cause: err,
  });
}
