import {
  addAudienceExampleRoute,
  createAudienceRoute,
  createFilteredAudienceRoute,
  deleteAudienceRoute,
  findAudiencesRoute,
  getAudienceRoute,
  getAudienceStatsRoute,
  listAudienceExamplesRoute,
  listAudienceMembersRoute,
} from '@jury/api';
import { requireOrganization } from '../auth/principal.ts';
import { createRouter } from '../http/router.ts';
import { listAudienceMembers } from './members.ts';
import type { AudienceDeps } from './service.ts';
import * as service from './service.ts';

export function audienceRoutes(deps: AudienceDeps) {
  const app = createRouter();

  app.openapi(createAudienceRoute, async (c) => {
    const audience = await service.createAudience(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('json'),
    );
    return c.json({ data: audience }, 201);
  });

  app.openapi(findAudiencesRoute, async (c) => {
    const page = await service.findAudiences(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('query'),
    );
    return c.json(page, 200);
  });

  app.openapi(getAudienceRoute, async (c) => {
    const audience = await service.getAudience(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('param').id,
    );
    return c.json({ data: audience }, 200);
  });

  app.openapi(deleteAudienceRoute, async (c) => {
    await service.deleteAudience(deps, requireOrganization(c).organizationId, c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(createFilteredAudienceRoute, async (c) => {
    const audience = await service.createFilteredAudience(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json({ data: audience }, 201);
  });

  app.openapi(addAudienceExampleRoute, async (c) => {
    const example = await service.addExample(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json({ data: example }, 201);
  });

  app.openapi(listAudienceExamplesRoute, async (c) => {
    const page = await service.listExamples(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('param').id,
      c.req.valid('query'),
    );
    return c.json(page, 200);
  });

  app.openapi(getAudienceStatsRoute, async (c) => {
    const stats = await service.getAudienceStats(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('param').id,
    );
    return c.json({ data: stats }, 200);
  });

  app.openapi(listAudienceMembersRoute, async (c) => {
    const page = await listAudienceMembers(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('param').id,
      c.req.valid('query'),
    );
    return c.json(page, 200);
  });

  return app;
}
