import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, idParamSchema, listEnvelope, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { requesterSecurity } from './security.ts';

export const tokenRequestSchema = z
  .object({
    grant_type: z.string().openapi({ example: 'client_credentials' }),
    client_id: z.string().min(1).max(200),
    client_secret: z.string().min(1).max(500),
    scope: z.string().max(500).optional(),
  })
  .openapi('TokenRequest');

export const tokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().openapi({ description: 'Seconds until the token expires' }),
    scope: z.string().optional(),
  })
  .openapi('TokenResponse');

export const tokenRoute = createRoute({
  method: 'post',
  path: '/connect/token',
  tags: ['auth'],
  summary: 'Exchange client credentials for a bearer token (OAuth 2.0 client-credentials grant)',
  request: {
    body: {
      content: { 'application/x-www-form-urlencoded': { schema: tokenRequestSchema } },
      required: true,
    },
  },
  responses: {
    200: { description: 'A bearer token', content: { 'application/json': { schema: tokenResponseSchema } } },
    ...errorResponses(...BODY_ERRORS, 'UNSUPPORTED_GRANT_TYPE', 'INVALID_CLIENT'),
  },
});

export const apiClientSchema = z
  .object({
    id: z.string().openapi({ example: 'cli_4kq9x2m7p1' }),
    displayName: z.string(),
    organizationId: z.string(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .openapi('ApiClient');

export const createdApiClientSchema = apiClientSchema
  .extend({ secret: z.string().openapi({ description: 'Shown once; only its hash is stored' }) })
  .openapi('CreatedApiClient');

export const createApiClientSchema = z
  .object({ displayName: z.string().trim().min(1).max(200) })
  .strict()
  .openapi('CreateApiClient');

export const listApiClientsRoute = createRoute({
  method: 'get',
  path: '/api/v1/clients',
  tags: ['auth'],
  summary: "List your organization's API clients",
  security: requesterSecurity,
  responses: {
    200: {
      description: 'Clients',
      content: { 'application/json': { schema: listEnvelope(apiClientSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED'),
  },
});

export const createApiClientRoute = createRoute({
  method: 'post',
  path: '/api/v1/clients',
  tags: ['auth'],
  summary: 'Create an API client (id and secret) in your organization',
  security: requesterSecurity,
  request: { body: { content: { 'application/json': { schema: createApiClientSchema } }, required: true } },
  responses: {
    201: {
      description: 'The new client, with its secret',
      content: { 'application/json': { schema: dataEnvelope(createdApiClientSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS),
  },
});

export const revokeApiClientRoute = createRoute({
  method: 'delete',
  path: '/api/v1/clients/{id}',
  tags: ['auth'],
  summary: 'Revoke an API client; its tokens stop working at once',
  security: requesterSecurity,
  request: { params: idParamSchema('ApiClientId', 'cli_4kq9x2m7p1') },
  responses: {
    200: {
      description: 'The revoked client',
      content: { 'application/json': { schema: dataEnvelope(apiClientSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export type TokenResponse = z.infer<typeof tokenResponseSchema>;
export type ApiClient = z.infer<typeof apiClientSchema>;
export type CreatedApiClient = z.infer<typeof createdApiClientSchema>;
