import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, idParamSchema, listEnvelope, pageQuerySchema, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { requesterSecurity } from './security.ts';

export const tokenRequestSchema = z
  .object({
    grant_type: z.string().openapi({ example: 'client_credentials' }),
    client_id: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'With client_secret, when the client does not authenticate by HTTP Basic' }),
    client_secret: z.string().min(1).max(500).optional(),
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

/** The token endpoint's errors, as RFC 6749 §5.2 spells them (OAuth libraries read `error`). */
export const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'server_error',
  // RFC 6749 §4.1.2.1's "temporarily unable to handle the request", with 429 and Retry-After: a rate limit.
  'temporarily_unavailable',
] as const;

export const oauthErrorSchema = z
  .object({
    error: z.enum(OAUTH_ERRORS),
    error_description: z.string(),
    request_id: z.string().openapi({ description: "Jury's request id, for the server's logs" }),
  })
  .openapi('OAuthError');

const oauthError = (description: string) => ({
  description,
  headers: z.object({ 'Cache-Control': z.literal('no-store') }),
  content: { 'application/json': { schema: oauthErrorSchema } },
});

export const TOKEN_PATH = '/connect/token';

export const tokenRoute = createRoute({
  operationId: 'issueToken',
  method: 'post',
  path: TOKEN_PATH,
  tags: ['auth'],
  summary: 'Exchange client credentials for a bearer token (OAuth 2.0 client-credentials grant)',
  description:
    'The client authenticates by HTTP Basic (`client_secret_basic`: the form-urlencoded id and secret) or by `client_id` and `client_secret` in the form (`client_secret_post`), one of the two. Errors follow RFC 6749 §5.2; every answer carries `Cache-Control: no-store`.',
  request: {
    body: {
      content: { 'application/x-www-form-urlencoded': { schema: tokenRequestSchema } },
      required: true,
    },
  },
  responses: {
    200: {
      description: 'A bearer token',
      headers: z.object({ 'Cache-Control': z.literal('no-store') }),
      content: { 'application/json': { schema: tokenResponseSchema } },
    },
    400: oauthError('invalid_request (malformed, or two ways of authenticating) or unsupported_grant_type'),
    401: oauthError('invalid_client: unknown client, wrong secret, revoked client or no credentials'),
    429: oauthError(
      'temporarily_unavailable: too many token requests for this client id or from this address; Retry-After says when to try again',
    ),
  },
});

export const authorizationServerMetadataSchema = z
  .object({
    issuer: z.string(),
    token_endpoint: z.string(),
    grant_types_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    service_documentation: z.string(),
  })
  .openapi('AuthorizationServerMetadata');

export const authorizationServerMetadataRoute = createRoute({
  operationId: 'authorizationServerMetadata',
  method: 'get',
  path: '/.well-known/oauth-authorization-server',
  tags: ['auth'],
  summary: 'OAuth 2.0 authorization server metadata (RFC 8414), for tools configured by issuer',
  responses: {
    200: {
      description: 'The metadata',
      content: { 'application/json': { schema: authorizationServerMetadataSchema } },
    },
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
  operationId: 'listApiClients',
  method: 'get',
  path: '/api/v1/clients',
  tags: ['auth'],
  summary: "List your organization's API clients",
  security: requesterSecurity,
  request: { query: pageQuerySchema },
  responses: {
    200: {
      description: 'Clients',
      content: { 'application/json': { schema: listEnvelope(apiClientSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});

export const createApiClientRoute = createRoute({
  operationId: 'createApiClient',
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
  operationId: 'revokeApiClient',
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
