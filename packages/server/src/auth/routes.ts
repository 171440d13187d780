import { createApiClientRoute, listApiClientsRoute, revokeApiClientRoute, tokenRoute } from '@jury/api';
import { createRouter } from '../http/router.ts';
import { requireOrganization } from './principal.ts';
import type { AuthDeps } from './service.ts';
import * as service from './service.ts';

export function authRoutes(deps: AuthDeps) {
  const app = createRouter();

  app.openapi(tokenRoute, async (c) => {
    const form = c.req.valid('form');
    const token = await service.issueToken(deps, {
      grantType: form.grant_type,
      clientId: form.client_id,
      clientSecret: form.client_secret,
    });
    c.header('Cache-Control', 'no-store');
    return c.json(token, 200);
  });

  app.openapi(listApiClientsRoute, async (c) => {
    const data = await service.listApiClients(deps, requireOrganization(c).organizationId);
    return c.json({ data, page: 1, amount: data.length, total: data.length }, 200);
  });

  app.openapi(createApiClientRoute, async (c) => {
    const { displayName } = c.req.valid('json');
    const { client, secret } = await service.createApiClient(deps, {
      organizationId: requireOrganization(c).organizationId,
      displayName,
    });
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
