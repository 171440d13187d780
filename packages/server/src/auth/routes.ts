import {
  authorizationServerMetadataRoute,
  createApiClientRoute,
  listApiClientsRoute,
  revokeApiClientRoute,
  TOKEN_PATH,
  tokenRoute,
} from '@jury/api';
import { clientInfo } from '../http/client-info.ts';
import { AppError } from '../http/errors.ts';
import { createRouter } from '../http/router.ts';
import type { Limits } from '../limits/limits.ts';
import { requireOrganization } from './principal.ts';
import type { AuthDeps } from './service.ts';
import * as service from './service.ts';

export function authRoutes(deps: AuthDeps, limits: Limits) {
  const app = createRouter();

  app.openapi(tokenRoute, async (c) => {
    const form = c.req.valid('form');
    const address = await limits.addressOf(c);
    // Per address first (guessing many clients' secrets), then per client id (guessing one client's, from many).
    if (address) await limits.tokenByAddress.consume(address);
    const { clientId, clientSecret } = clientCredentials(c.req.header('authorization'), form);
    if (address) await limits.tokenByClient.consume(clientId);
    const token = await service.issueToken(deps, { grantType: form.grant_type, clientId, clientSecret });
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    return c.json(token, 200);
  });

  app.openapi(authorizationServerMetadataRoute, (c) => {
    const origin = clientInfo(c).origin;
    return c.json(
      {
        issuer: origin,
        token_endpoint: `${origin}${TOKEN_PATH}`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        response_types_supported: [],
        service_documentation: `${origin}/api/reference`,
      },
      200,
    );
  });

  app.openapi(listApiClientsRoute, async (c) => {
    const page = await service.pageApiClients(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('query'),
    );
    return c.json(page, 200);
  });

  app.openapi(createApiClientRoute, async (c) => {
    const { displayName } = c.req.valid('json');
    const { client, secret } = await service.createApiClient(deps, {
      organizationId: requireOrganization(c).organizationId,
      displayName,
    });
    c.header('Cache-Control', 'no-store'); // it carries the secret, shown once
    return c.json({ data: { ...client, secret } }, 201);
  });

  app.openapi(revokeApiClientRoute, async (c) => {
    const data = await service.revokeApiClient(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('param').id,
    );
    return c.json({ data }, 200);
  });

  return app;
}

/**
 * The client's id and secret from HTTP Basic (RFC 6749 §2.3.1: each form-urlencoded, then base64) or from the
 * form (`client_secret_post`); exactly one of the two.
 */
function clientCredentials(
  authorization: string | undefined,
  form: { client_id?: string | undefined; client_secret?: string | undefined },
): { clientId: string; clientSecret: string } {
  const inForm = form.client_id !== undefined || form.client_secret !== undefined;
  if (authorization !== undefined) {
    if (inForm)
      throw new AppError(
        'BAD_REQUEST',
        'The client authenticated twice (HTTP Basic and client_id/client_secret in the form); use one.',
      );
    const [scheme, encoded] = authorization.split(' ');
    const decoded =
      scheme?.toLowerCase() === 'basic' && encoded ? Buffer.from(encoded, 'base64').toString() : '';
    const colon = decoded.indexOf(':');
    if (colon < 1)
      throw new AppError(
        'INVALID_CLIENT',
        'Malformed Authorization header; expected "Basic base64(id:secret)".',
      );
    const unform = (v: string) => decodeURIComponent(v.replaceAll('+', ' '));
    try {
      return { clientId: unform(decoded.slice(0, colon)), clientSecret: unform(decoded.slice(colon + 1)) };
    } catch {
      throw new AppError('INVALID_CLIENT', 'The Basic credentials are not form-urlencoded UTF-8.');
    }
  }
  if (!form.client_id || !form.client_secret)
    throw new AppError(
      'INVALID_CLIENT',
      'No client credentials: send HTTP Basic (client_secret_basic) or client_id and client_secret in the form.',
    );
  return { clientId: form.client_id, clientSecret: form.client_secret };
}
