import {
  cancelEvaluationRunRoute,
  createEvaluationRunRoute,
  findEvaluationRunsRoute,
  findModelScoresRoute,
  getEvaluationRunRoute,
  getModelScoresRoute,
  listEvaluationRunItemsRoute,
  scoreEvaluationRunRoute,
} from '@jury/api';
import { requireOrganization } from '../../auth/principal.ts';
import { createRouter } from '../../http/router.ts';
import type { RunDeps } from './deps.ts';
import { findModelScores, modelScores } from './scores.ts';
import * as service from './service.ts';
import { sweepRuns } from './worker.ts';

export function evaluationRunRoutes(deps: RunDeps) {
  const app = createRouter();
  const org = (c: Parameters<typeof requireOrganization>[0]) => requireOrganization(c).organizationId;

  app.openapi(createEvaluationRunRoute, async (c) => {
    const run = await service.createRun(deps, org(c), c.req.valid('json'));
    // Start at once in this process when it has room; else the runtime's next sweep (any process) takes it.
    void sweepRuns(deps).catch(() => undefined);
    return c.json({ data: run }, 201);
  });
  app.openapi(findEvaluationRunsRoute, async (c) =>
    c.json(await service.findRuns(deps, org(c), c.req.valid('query')), 200),
  );
  app.openapi(getEvaluationRunRoute, async (c) =>
    c.json({ data: await service.getRun(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(listEvaluationRunItemsRoute, async (c) =>
    c.json(await service.listRunItems(deps, org(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(scoreEvaluationRunRoute, async (c) =>
    c.json({ data: await service.scoreRun(deps, org(c), c.req.valid('param').id, c.req.valid('json')) }, 200),
  );
  app.openapi(cancelEvaluationRunRoute, async (c) =>
    c.json({ data: await service.cancelRun(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(getModelScoresRoute, async (c) =>
    c.json({ data: await modelScores(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(findModelScoresRoute, async (c) =>
    c.json(await findModelScores(deps, org(c), c.req.valid('query')), 200),
  );
  return app;
}
