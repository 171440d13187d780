import { z } from '@hono/zod-openapi';

/** Every error code the API can return, with the HTTP status it maps to and what it means. One table. */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, description: 'The request is malformed (e.g. the body is not valid JSON).' },
  VALIDATION_FAILED: {
    status: 400,
    description: 'The request does not satisfy its schema; `details` lists the issues.',
  },
  UNAUTHENTICATED: {
    status: 401,
    description: 'No credential (bearer token or session cookie), or it is unknown, expired or revoked.',
  },
  INVALID_CLIENT: { status: 401, description: 'The client id or secret is wrong, or the client is revoked.' },
  INVALID_CREDENTIALS: {
    status: 401,
    description: 'Wrong email or password (the same answer for both, so it tells nobody which emails exist).',
  },
  UNSUPPORTED_GRANT_TYPE: { status: 400, description: 'Only grant_type=client_credentials is supported.' },
  FORBIDDEN: { status: 403, description: 'Authenticated, but not allowed to do this.' },
  CSRF_REJECTED: {
    status: 403,
    description:
      'A write authenticated by a session cookie came from another site: it needs a same-origin Origin header (or Sec-Fetch-Site: same-origin).',
  },
  NOT_FOUND: { status: 404, description: 'No such resource in your organization.' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    description: 'The path exists but not with this method; the Allow header lists the methods it takes.',
  },
  CONFLICT: { status: 409, description: 'The resource is in a state that does not allow this.' },
  INVALID_LINK: {
    status: 410,
    description: 'The one-time link (setup, invite, password reset) is unknown, already used or expired.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    description: 'The request (or its headers) was not received within the time limit; send it again whole.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    description: 'The request body or uploaded file is larger than the limit.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    description: 'The content type is not accepted (uploads must be image, video or audio).',
  },
  HEADERS_TOO_LARGE: { status: 431, description: 'The request headers are larger than the server accepts.' },
  RANGE_NOT_SATISFIABLE: { status: 416, description: 'The requested byte range lies outside the content.' },
  URL_UNREACHABLE: {
    status: 422,
    description: 'A URL given as media could not be fetched: no answer in time, or an error status.',
  },
  RATE_LIMITED: {
    status: 429,
    description:
      'Too many requests (a crowd-integrity limit: labeler sessions per address, requests per labeler, token requests); `Retry-After` and `details.retryAfterSeconds` say when to retry, `details.limit` names the limit.',
  },
  INTERNAL: {
    status: 500,
    description: 'An unexpected server error; the requestId identifies it in the logs.',
  },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** One validation issue: where (a dotted path; empty for the whole input), what, zod's code, unknown keys. */
export const validationIssueSchema = z
  .object({
    path: z.string(),
    message: z.string(),
    code: z.string(),
    keys: z.array(z.string()).optional(),
  })
  .openapi('ValidationIssue');

/** VALIDATION_FAILED's details: which part of the request (body, query, param, header) and its issues. */
export const validationDetailsSchema = z
  .object({ target: z.string(), issues: z.array(validationIssueSchema) })
  .openapi('ValidationDetails');

/** `details`: the validation issues, or what another code has to say (e.g. RATE_LIMITED's limit and retry). */
export const errorDetailsSchema = z.union([validationDetailsSchema, z.record(z.string(), z.unknown())]);
export type ErrorDetails = z.infer<typeof errorDetailsSchema>;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: errorDetailsSchema.optional(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** What a route with a request body can get wrong: unparseable, invalid, too large, or of another content type. */
export const BODY_ERRORS = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
] as const satisfies readonly ErrorCode[];

/**
 * A route's error responses in its OpenAPI description: exactly the codes it can return, grouped by HTTP status.
 * Each route lists its own (e.g. `...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND')`);
 * openapi.test.ts checks the lists against the route's shape (auth, input, body, path ids).
 */
export function errorResponses(...codes: readonly ErrorCode[]) {
  const out: Record<
    number,
    { description: string; content: { 'application/json': { schema: typeof errorBodySchema } } }
  > = {};
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b))
    out[status] = {
      description: list.map((code) => `**${code}**: ${ERROR_CODES[code].description}`).join('\n\n'),
      content: { 'application/json': { schema: errorBodySchema } },
    };
  return out;
}
