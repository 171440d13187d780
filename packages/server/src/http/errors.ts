import {
  ERROR_CODES,
  type ErrorBody,
  type ErrorCode,
  type ErrorDetails,
  type OAUTH_ERRORS,
  TOKEN_PATH,
} from '@jury/api';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error type services throw; `onError` turns it into the API's error body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

type OAuthErrorCode = (typeof OAUTH_ERRORS)[number];

export const STATUS_BY_CODE = Object.fromEntries(
  Object.entries(ERROR_CODES).map(([code, v]) => [code, v.status]),
) as Record<ErrorCode, ContentfulStatusCode>;

// Hono and its validators throw HTTPException for transport-level problems; they get our codes too.
const CODE_BY_STATUS = new Map<number, ErrorCode>([
  [400, 'BAD_REQUEST'],
  [401, 'UNAUTHENTICATED'],
  [404, 'NOT_FOUND'],
  [413, 'PAYLOAD_TOO_LARGE'],
  [415, 'UNSUPPORTED_MEDIA_TYPE'],
]);

const MESSAGE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'The request body could not be parsed: send valid JSON with Content-Type: application/json.',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the limit for this route.',
  UNSUPPORTED_MEDIA_TYPE:
    'Unsupported Content-Type for this route; see /api/reference for the accepted types.',
};

export function notFound(what: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${what} ${id} was not found in your organization.`);
}

export function errorBody(c: Context, code: ErrorCode, message: string, details?: ErrorDetails): ErrorBody {
  const requestId = (c.get('requestId' as never) as string | undefined) ?? 'unknown';
  return { error: { code, message, ...(details === undefined ? {} : { details }), requestId } };
}

/**
 * Hono's `onError`: every thrown error leaves as `{ error: { code, message, details?, requestId } }`, but on
 * the token route, which OAuth libraries read, as RFC 6749 §5.2 says. Every 401 names its challenge.
 */
export function handleError(err: Error, c: Context): Response {
  const { code, message, details } = describe(err, c);
  const retryAfter = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (code === 'RATE_LIMITED' && typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
  if (c.req.path === TOKEN_PATH) return oauthError(c, code, message, retryAfter);
  if (code === 'UNAUTHENTICATED') c.header('WWW-Authenticate', bearerChallenge(c, message));
  const size = (details as { size?: unknown } | undefined)?.size;
  if (code === 'RANGE_NOT_SATISFIABLE' && typeof size === 'number')
    c.header('Content-Range', `bytes */${size}`);
  return c.json(errorBody(c, code, message, details), STATUS_BY_CODE[code]);
}

function describe(err: Error, c: Context): { code: ErrorCode; message: string; details?: ErrorDetails } {
  if (err instanceof AppError) return { code: err.code, message: err.message, details: err.details };
  if (err instanceof HTTPException) {
    const code = CODE_BY_STATUS.get(err.status) ?? 'BAD_REQUEST';
    return { code, message: MESSAGE_BY_CODE[code] ?? err.message ?? 'Request failed.' };
  }
  const requestId = (c.get('requestId' as never) as string | undefined) ?? 'unknown';
  console.error(`[jury] request ${requestId} failed:`, err);
  return {
    code: 'INTERNAL',
    message: 'Unexpected server error. Report the requestId to your administrator.',
  };
}

const quoted = (s: string) => `"${s.replaceAll('\\', '').replaceAll('"', "'")}"`;

/** RFC 6750 §3: the bare challenge when no token came, `invalid_token` with the reason when one did. */
function bearerChallenge(c: Context, message: string): string {
  const sent = /^bearer\s/i.test(c.req.header('authorization') ?? '');
  return sent
    ? `Bearer realm="jury", error="invalid_token", error_description=${quoted(message)}`
    : 'Bearer realm="jury"';
}

const OAUTH_ERROR_BY_CODE: Partial<Record<ErrorCode, OAuthErrorCode>> = {
  INVALID_CLIENT: 'invalid_client',
  UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
  INTERNAL: 'server_error',
  RATE_LIMITED: 'temporarily_unavailable',
};

const OAUTH_STATUS: Partial<Record<OAuthErrorCode, ContentfulStatusCode>> = {
  invalid_client: 401,
  server_error: 500,
  temporarily_unavailable: 429,
};

function oauthError(c: Context, code: ErrorCode, message: string, retryAfter: unknown): Response {
  const error = OAUTH_ERROR_BY_CODE[code] ?? 'invalid_request';
  const status = OAUTH_STATUS[error] ?? 400;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
  // RFC 6749 §5.2: the Basic challenge answers a client that tried HTTP Basic (one that posted its secret gets none).
  if (error === 'invalid_client' && /^basic\s/i.test(c.req.header('authorization') ?? ''))
    headers['WWW-Authenticate'] =
      `Basic realm="jury", error="invalid_client", error_description=${quoted(message)}`;
  const requestId = (c.get('requestId' as never) as string | undefined) ?? 'unknown';
  return c.json({ error, error_description: message, request_id: requestId }, status, headers);
}
