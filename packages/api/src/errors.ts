import { z } from '@hono/zod-openapi';

/** Every error code the API can return, with the HTTP status it maps to and what it means. One table. */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, description: 'The request is malformed (e.g. the body is not valid JSON).' },
  VALIDATION_FAILED: {
    status: 400,
    description: 'The request does not satisfy its schema; `details` lists the issues.',
  },
  UNAUTHENTICATED: { status: 401, description: 'No bearer token, or it is unknown, expired or revoked.' },
  INVALID_CLIENT: { status: 401, description: 'The client id or secret is wrong, or the client is revoked.' },
  UNSUPPORTED_GRANT_TYPE: { status: 400, description: 'Only grant_type=client_credentials is supported.' },
  FORBIDDEN: { status: 403, description: 'Authenticated, but not allowed to do this.' },
  NOT_FOUND: { status: 404, description: 'No such resource in your organization.' },
  CONFLICT: { status: 409, description: 'The resource is in a state that does not allow this.' },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    description: 'The request body or uploaded file is larger than the limit.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    description: 'The content type is not accepted (uploads must be image, video or audio).',
  },
  RANGE_NOT_SATISFIABLE: { status: 416, description: 'The requested byte range lies outside the content.' },
  RATE_LIMITED: { status: 429, description: 'Too many requests; retry later.' },
  INTERNAL: {
    status: 500,
    description: 'An unexpected server error; the requestId identifies it in the logs.',
  },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Standard error responses added to every route's OpenAPI description. */
export function errorResponses(...statuses: number[]) {
  const out: Record<
    number,
    { description: string; content: { 'application/json': { schema: typeof errorBodySchema } } }
  > = {};
  for (const status of statuses) {
    const codes = Object.entries(ERROR_CODES)
      .filter(([, v]) => v.status === status)
      .map(([k]) => k);
    out[status] = {
      description: codes.join(', '),
      content: { 'application/json': { schema: errorBodySchema } },
    };
  }
  return out;
}
