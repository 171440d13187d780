import {
  createFlowBatchRoute,
  createRankingFlowRoute,
  createRankingJobDefinitionRoute,
  createRankingJobRoute,
  deleteFlowRoute,
  findFlowsRoute,
  findRankingJobDefinitionsRoute,
  findRankingJobsRoute,
  getFlowItemResponseCountRoute,
  getFlowItemResultsRoute,
  getFlowItemRoute,
  getFlowItemWinLossMatrixRoute,
  getFlowRoute,
  getRankingJobDefinitionRoute,
  getRankingJobResultsRoute,
  getRankingJobRoute,
  listFlowItemsRoute,
  preheatFlowsRoute,
  stopFlowItemRoute,
  updateFlowConfigRoute,
} from '@jury/api';
import { requireOrganization } from '../auth/principal.ts';
import { createRouter } from '../http/router.ts';
import type { FlowDeps } from './service.ts';
import * as service from './service.ts';

export function flowRoutes(deps: FlowDeps) {
  const app = createRouter();
  const org = (c: Parameters<typeof requireOrganization>[0]) => requireOrganization(c).organizationId;

  app.openapi(createRankingFlowRoute, async (c) =>
    c.json({ data: await service.createRankingFlow(deps, org(c), c.req.valid('json')) }, 201),
  );
  app.openapi(findFlowsRoute, async (c) =>
    c.json(await service.findFlows(deps, org(c), c.req.valid('query')), 200),
  );
  app.openapi(preheatFlowsRoute, async (c) => c.json({ data: await service.preheat(deps, org(c)) }, 200));
  app.openapi(getFlowRoute, async (c) =>
    c.json({ data: await service.getFlow(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(deleteFlowRoute, async (c) => {
    await service.deleteFlow(deps, org(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(updateFlowConfigRoute, async (c) =>
    c.json(
      { data: await service.updateFlowConfig(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      200,
    ),
  );
  app.openapi(createFlowBatchRoute, async (c) =>
    c.json(
      { data: await service.createFlowBatch(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      201,
    ),
  );
  app.openapi(listFlowItemsRoute, async (c) =>
    c.json(await service.listFlowItems(deps, org(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(getFlowItemRoute, async (c) =>
    c.json({ data: await service.getFlowItem(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(getFlowItemResultsRoute, async (c) =>
    c.json({ data: await service.getFlowItemResults(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(getFlowItemWinLossMatrixRoute, async (c) =>
    c.json({ data: await service.getFlowItemWinLossMatrix(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(getFlowItemResponseCountRoute, async (c) =>
    c.json({ data: await service.getFlowItemResponseCount(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(stopFlowItemRoute, async (c) =>
    c.json({ data: await service.stopFlowItem(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(createRankingJobDefinitionRoute, async (c) =>
    c.json({ data: await service.createRankingJobDefinition(deps, org(c), c.req.valid('json')) }, 201),
  );
  app.openapi(findRankingJobDefinitionsRoute, async (c) =>
    c.json(await service.findRankingJobDefinitions(deps, org(c), c.req.valid('query')), 200),
  );
  app.openapi(findRankingJobsRoute, async (c) =>
    c.json(await service.findRankingJobs(deps, org(c), c.req.valid('query')), 200),
  );
  app.openapi(getRankingJobDefinitionRoute, async (c) =>
    c.json({ data: await service.getRankingJobDefinition(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(createRankingJobRoute, async (c) =>
    c.json({ data: await service.createRankingJob(deps, org(c), c.req.valid('json')) }, 201),
  );
  app.openapi(getRankingJobRoute, async (c) =>
    c.json({ data: await service.getRankingJob(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(getRankingJobResultsRoute, async (c) =>
    c.json({ data: await service.getRankingJobResults(deps, org(c), c.req.valid('param').id) }, 200),
  );
  return app;
}
