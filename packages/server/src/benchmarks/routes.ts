import {
  addPromptsRoute,
  createBenchmarkRoute,
  createLeaderboardRoute,
  createParticipantRoute,
  deleteParticipantRoute,
  deletePromptRoute,
  findBenchmarksRoute,
  getBenchmarkRoute,
  getBenchmarkStandingsRoute,
  getBenchmarkWinLossMatrixRoute,
  getLeaderboardActivityRoute,
  getLeaderboardRoute,
  getParticipantRoute,
  getStandingsRoute,
  getWinLossMatrixRoute,
  importVotesRoute,
  listLeaderboardRunsRoute,
  listLeaderboardsRoute,
  listMatchupsRoute,
  listParticipantMediaRoute,
  listParticipantsRoute,
  listPromptsRoute,
  runBenchmarkRoute,
  runParticipantRoute,
  updateLeaderboardRoute,
  updateParticipantRoute,
  updatePromptRoute,
  uploadParticipantMediaRoute,
} from '@jury/api';
import { requireOrganization } from '../auth/principal.ts';
import { createRouter } from '../http/router.ts';
import type { BenchmarkDeps } from './service.ts';
import * as service from './service.ts';
import { benchmarkStandingsOf, standingsOf, winLossMatrixOf } from './standings.ts';
import { leaderboardActivity, listMatchups } from './views.ts';

/** `tags=a,b` → ['a', 'b']; absent → null (every vote); the same for a list of ids. */
function parseTags(tags: string | undefined): string[] | null {
  if (tags === undefined) return null;
  return tags
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

export function benchmarkRoutes(deps: BenchmarkDeps) {
  const app = createRouter();
  const org = (c: Parameters<typeof requireOrganization>[0]) => requireOrganization(c).organizationId;
  /** The benchmark's leaderboards a query names (`leaderboardIds`), all when it names none. */
  const asked = (organizationId: string, id: string, ids: string | undefined) =>
    service.benchmarkLeaderboards(deps, organizationId, id, parseTags(ids));

  app.openapi(createBenchmarkRoute, async (c) =>
    c.json({ data: await service.createBenchmark(deps, org(c), c.req.valid('json')) }, 201),
  );
  app.openapi(findBenchmarksRoute, async (c) =>
    c.json(await service.findBenchmarks(deps, org(c), c.req.valid('query')), 200),
  );
  app.openapi(getBenchmarkRoute, async (c) =>
    c.json({ data: await service.getBenchmark(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(addPromptsRoute, async (c) =>
    c.json(
      { data: await service.addPrompts(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      201,
    ),
  );
  app.openapi(listPromptsRoute, async (c) =>
    c.json(await service.listPrompts(deps, org(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(updatePromptRoute, async (c) =>
    c.json(
      { data: await service.updatePrompt(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      200,
    ),
  );
  app.openapi(deletePromptRoute, async (c) => {
    await service.deletePrompt(deps, org(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(createLeaderboardRoute, async (c) =>
    c.json(
      { data: await service.createLeaderboard(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      201,
    ),
  );
  app.openapi(listLeaderboardsRoute, async (c) =>
    c.json(await service.listLeaderboards(deps, org(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(getLeaderboardRoute, async (c) =>
    c.json({ data: await service.getLeaderboard(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(updateLeaderboardRoute, async (c) =>
    c.json(
      { data: await service.updateLeaderboard(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      200,
    ),
  );
  app.openapi(listLeaderboardRunsRoute, async (c) =>
    c.json(
      await service.listLeaderboardRuns(deps, org(c), c.req.valid('param').id, c.req.valid('query')),
      200,
    ),
  );
  app.openapi(getStandingsRoute, async (c) => {
    const leaderboard = await service.requireLeaderboard(deps, org(c), c.req.valid('param').id);
    const query = c.req.valid('query');
    const data = await standingsOf(deps.db, leaderboard, {
      tags: parseTags(query.tags),
      intervals: query.intervals,
      sklearnC: query.sklearnC,
    });
    return c.json({ data }, 200);
  });
  app.openapi(getBenchmarkStandingsRoute, async (c) => {
    const query = c.req.valid('query');
    const id = c.req.valid('param').id;
    const leaderboards = await asked(org(c), id, query.leaderboardIds);
    const data = await benchmarkStandingsOf(deps.db, id, leaderboards, {
      tags: parseTags(query.tags),
      intervals: query.intervals,
      sklearnC: query.sklearnC,
    });
    return c.json({ data }, 200);
  });
  app.openapi(getWinLossMatrixRoute, async (c) => {
    const leaderboard = await service.requireLeaderboard(deps, org(c), c.req.valid('param').id);
    const query = c.req.valid('query');
    const data = await winLossMatrixOf(deps.db, leaderboard.benchmark_id, [leaderboard], {
      tags: parseTags(query.tags),
      weighted: query.useWeightedScoring === 'true',
    });
    return c.json({ data }, 200);
  });
  app.openapi(getBenchmarkWinLossMatrixRoute, async (c) => {
    const query = c.req.valid('query');
    const id = c.req.valid('param').id;
    const leaderboards = await asked(org(c), id, query.leaderboardIds);
    const participantIds = parseTags(query.participantIds);
    if (participantIds) await service.checkParticipantsOf(deps, id, participantIds);
    const data = await winLossMatrixOf(deps.db, id, leaderboards, {
      tags: parseTags(query.tags),
      weighted: query.useWeightedScoring === 'true',
      participantIds: participantIds && new Set(participantIds),
    });
    return c.json({ data }, 200);
  });
  app.openapi(listMatchupsRoute, async (c) => {
    const leaderboard = await service.requireLeaderboard(deps, org(c), c.req.valid('param').id);
    return c.json(await listMatchups(deps.db, leaderboard, c.req.valid('query')), 200);
  });
  app.openapi(getLeaderboardActivityRoute, async (c) => {
    const leaderboard = await service.requireLeaderboard(deps, org(c), c.req.valid('param').id);
    return c.json({ data: await leaderboardActivity(deps.db, leaderboard) }, 200);
  });
  app.openapi(importVotesRoute, async (c) =>
    c.json(
      { data: await service.importVotes(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      201,
    ),
  );
  app.openapi(createParticipantRoute, async (c) =>
    c.json(
      { data: await service.createParticipant(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      201,
    ),
  );
  app.openapi(listParticipantsRoute, async (c) =>
    c.json(await service.listParticipants(deps, org(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(runBenchmarkRoute, async (c) =>
    c.json({ data: await service.runBenchmark(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(getParticipantRoute, async (c) =>
    c.json({ data: await service.getParticipant(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(listParticipantMediaRoute, async (c) =>
    c.json(
      await service.listParticipantMedia(deps, org(c), c.req.valid('param').id, c.req.valid('query')),
      200,
    ),
  );
  app.openapi(uploadParticipantMediaRoute, async (c) =>
    c.json(
      { data: await service.uploadMedia(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      201,
    ),
  );
  app.openapi(runParticipantRoute, async (c) =>
    c.json({ data: await service.runParticipant(deps, org(c), c.req.valid('param').id) }, 200),
  );
  app.openapi(updateParticipantRoute, async (c) =>
    c.json(
      { data: await service.updateParticipant(deps, org(c), c.req.valid('param').id, c.req.valid('json')) },
      200,
    ),
  );
  app.openapi(deleteParticipantRoute, async (c) => {
    await service.deleteParticipant(deps, org(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
