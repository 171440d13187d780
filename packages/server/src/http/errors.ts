import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@jury/api';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error type services throw; `onError` turns it into the API's error body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

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

export function errorBody(c: Context, code: ErrorCode, message: string, details?: unknown): ErrorBody {
  const requestId = (c.get('requestId' as never) as string | undefined) ?? 'unknown';
  return { error: { code, message, ...(details === undefined ? {} : { details }), requestId } };
}

/** Hono's `onError`: every thrown error leaves as `{ error: { code, message, details?, requestId } }`. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof AppError)
    return c.json(errorBody(c, err.code, err.message, err.details), STATUS_BY_CODE[err.code]);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = CODE_BY_STATUS.get(status) ?? 'BAD_REQUEST';
    const message = MESSAGE_BY_CODE[code] ?? err.message ?? 'Request failed.';
    return c.json(errorBody(c, code, message), STATUS_BY_CODE[code]);
  }
  const requestId = (c.get('requestId' as never) as string | undefined) ?? 'unknown';
  console.error(`[jury] request ${requestId} failed:`, err);
  return c.json(
    errorBody(c, 'INTERNAL', 'Unexpected server error. Report the requestId to your administrator.'),
    500,
  );
}
