import {
  createModelRoute,
  deleteModelRoute,
  findModelsRoute,
  getModelRoute,
  testModelEndpointRoute,
  testNewEndpointRoute,
  updateModelRoute,
} from '@jury/api';
import { requireOrganization } from '../auth/principal.ts';
import { createRouter } from '../http/router.ts';
import type { ModelDeps } from './service.ts';
import * as service from './service.ts';

export function modelRoutes(deps: ModelDeps) {
  const app = createRouter();
  const org = (c: Parameters<typeof requireOrganization>[0]) => requireOrganization(c).organizationId;

  app.openapi(createModelRoute, async (c) =>
    c.json({ data: await service.createModel(deps, org(c), c.req.valid('json')) }, 201),
  );
  app.openapi(testNewEndpointRoute, async (c) =>
    c.json({ data: await service.testNewEndpoint(deps, c.req.valid('json')) }, 200),
  );
  app.openapi(findModelsRoute, async (c) =>
    c.json(await service.findModels(deps, org(c), c.req.valid('query')), 200),
  );
  app.openapi(getModelRoute, async (c) =>
    c.json({ data: await service.getModel(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(updateModelRoute, async (c) =>
    c.json(
      { data: await service.updateModel(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      200,
    ),
  );
  app.openapi(deleteModelRoute, async (c) => {
    await service.deleteModel(deps, org(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(testModelEndpointRoute, async (c) =>
    c.json(
      { data: await service.testModelEndpoint(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      200,
    ),
  );
  return app;
}
