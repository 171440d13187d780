import {
  addDatapointsRoute,
  createJobDefinitionRoute,
  createJobRoute,
  createPreviewRoute,
  createRevisionRoute,
  getJobDefinitionRoute,
  getJobResultsCsvRoute,
  getJobResultsJsonlRoute,
  getJobResultsRoute,
  getJobRoute,
  getLabelerPreviewRoute,
  getLabelerStatsRoute,
  listDatapointsRoute,
  listJobDefinitionsRoute,
  listJobResponsesRoute,
  listJobsRoute,
  listRevisionsRoute,
  pauseJobRoute,
  resumeJobRoute,
} from '@jury/api';
import type { Context } from 'hono';
import { requireOrganization } from '../auth/principal.ts';
import { createRouter } from '../http/router.ts';
import { type Download, resultsCsv, resultsJsonl } from './downloads.ts';
import { getLabelerStats } from './labeler-stats.ts';
import { listJobResponses } from './responses.ts';
import type { JobDeps } from './service.ts';
import * as service from './service.ts';

/** Job definitions, jobs, results and preview links. */
/** The results' query (`includeExcluded`), the same for the JSON results and the downloads. */
const resultsOptions = (query: { includeExcluded: 'true' | 'false' }) => ({
  includeExcluded: query.includeExcluded === 'true',
});

export function jobRoutes(deps: JobDeps) {
  const app = createRouter();
  const org = (c: Parameters<typeof requireOrganization>[0]) => requireOrganization(c).organizationId;

  app.openapi(createJobDefinitionRoute, async (c) => {
    const { definition, warnings } = await service.createJobDefinition(deps, org(c), c.req.valid('json'));
    return c.json({ data: definition, warnings }, 201);
  });
  app.openapi(listJobDefinitionsRoute, async (c) =>
    c.json(await service.listJobDefinitions(deps, org(c), c.req.valid('query')), 200),
  );
  app.openapi(getJobDefinitionRoute, async (c) =>
    c.json({ data: await service.getJobDefinition(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(listDatapointsRoute, async (c) =>
    c.json(
      await service.listDefinitionDatapoints(deps, org(c), c.req.valid('param').id, c.req.valid('query')),
      200,
    ),
  );
  app.openapi(listRevisionsRoute, async (c) =>
    c.json({ data: await service.listDefinitionRevisions(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(addDatapointsRoute, async (c) => {
    const data = await service.addDatapoints(deps, org(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ data }, 200);
  });
  app.openapi(createRevisionRoute, async (c) => {
    const { definition, warnings } = await service.createRevision(
      deps,
      org(c),
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json({ data: definition, warnings }, 201);
  });
  app.openapi(createPreviewRoute, async (c) => {
    const data = await service.createPreview(
      deps,
      org(c),
      c.req.valid('param').id,
      new URL(c.req.url).origin,
    );
    return c.json({ data }, 201);
  });
  app.openapi(getLabelerPreviewRoute, async (c) =>
    c.json({ data: await service.getPreview(deps, c.req.valid('param').key) }, 200),
  );

  app.openapi(createJobRoute, async (c) => {
    const { job, warnings } = await service.createJob(deps, org(c), c.req.valid('json'));
    return c.json({ data: job, warnings }, 201);
  });
  app.openapi(listJobsRoute, async (c) =>
    c.json(await service.listJobs(deps, org(c), c.req.valid('query')), 200),
  );
  app.openapi(getJobRoute, async (c) =>
    c.json({ data: await service.getJob(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(pauseJobRoute, async (c) =>
    c.json({ data: await service.pauseJob(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(resumeJobRoute, async (c) =>
    c.json({ data: await service.resumeJob(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(getJobResultsRoute, async (c) =>
    c.json(
      {
        data: await service.getJobResults(
          deps,
          org(c),
          c.req.valid('param').id,
          resultsOptions(c.req.valid('query')),
        ),
      },
      200,
    ),
  );
  app.openapi(listJobResponsesRoute, async (c) =>
    c.json(await listJobResponses(deps, org(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  // A file, not JSON: zod-openapi types every string response as JSON, hence the cast (as for media).
  const download = (c: Context, file: Download) =>
    c.body(file.body, 200, {
      'content-type': file.contentType,
      'content-disposition': file.disposition,
    }) as never;
  app.openapi(getJobResultsCsvRoute, async (c) =>
    download(
      c,
      await resultsCsv(deps, org(c), c.req.valid('param').id, resultsOptions(c.req.valid('query'))),
    ),
  );
  app.openapi(getJobResultsJsonlRoute, async (c) =>
    download(
      c,
      await resultsJsonl(deps, org(c), c.req.valid('param').id, resultsOptions(c.req.valid('query'))),
    ),
  );
  app.openapi(getLabelerStatsRoute, async (c) =>
    c.json({ data: await getLabelerStats(deps, org(c), c.req.valid('query')) }, 200),
  );
  return app;
}
