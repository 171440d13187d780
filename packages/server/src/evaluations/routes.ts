import {
  createEvaluationRoute,
  deleteEvaluationRoute,
  deleteEvaluationVersionRoute,
  findEvaluationsRoute,
  getEvaluationRoute,
  importEvaluationVersionRoute,
  listEvaluationItemsRoute,
} from '@jury/api';
import { requireOrganization } from '../auth/principal.ts';
import { createRouter } from '../http/router.ts';
import type { EvaluationDeps } from './service.ts';
import * as service from './service.ts';

/** Routes whose body is a whole item set (MixEval's files are megabytes): they get the upload body limit. */
export function isEvaluationImport(method: string, path: string): boolean {
  return method === 'POST' && /^\/api\/v1\/evaluations(\/[^/]+\/versions)?$/.test(path);
}

export function evaluationRoutes(deps: EvaluationDeps) {
  const app = createRouter();
  const org = (c: Parameters<typeof requireOrganization>[0]) => requireOrganization(c).organizationId;

  app.openapi(createEvaluationRoute, async (c) =>
    c.json({ data: await service.createEvaluation(deps, org(c), c.req.valid('json')) }, 201),
  );
  app.openapi(findEvaluationsRoute, async (c) =>
    c.json(await service.findEvaluations(deps, org(c), c.req.valid('query')), 200),
  );
  app.openapi(getEvaluationRoute, async (c) =>
    c.json({ data: await service.getEvaluation(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(importEvaluationVersionRoute, async (c) =>
    c.json(
      { data: await service.importVersion(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      201,
    ),
  );
  app.openapi(listEvaluationItemsRoute, async (c) => {
    const { id, version } = c.req.valid('param');
    return c.json(await service.listItems(deps, org(c), id, version, c.req.valid('query')), 200);
  });
  app.openapi(deleteEvaluationRoute, async (c) => {
    await service.deleteEvaluation(deps, org(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(deleteEvaluationVersionRoute, async (c) => {
    const { id, version } = c.req.valid('param');
    await service.deleteVersion(deps, org(c), id, version);
    return c.body(null, 204);
  });
  return app;
}
