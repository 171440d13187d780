import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, idParamSchema, listEnvelope, listQuerySchema, timestamp, z } from './common.ts';
import { errorResponses } from './errors.ts';
import { itemSchema } from './items.ts';
import { requesterSecurity } from './security.ts';

// The requester's views of a leaderboard beyond its standings (the dashboard's leaderboard page): the matchups
// that were compared, each with both models' media and its votes, and the votes per day.

const leaderboardId = idParamSchema('LeaderboardId', 'lbd_3k9d2m1x0q7w5e8r');

const matchupSideSchema = z.object({
  participantId: z.string(),
  name: z.string().openapi({ description: "The model's name (the requester's; labelers never see it)" }),
  item: itemSchema,
  votes: z.number().int(),
});

export const matchupSchema = z
  .object({
    id: z.string(),
    promptId: z.string(),
    identifier: z.string(),
    prompt: z.string().nullable(),
    a: matchupSideSchema,
    b: matchupSideSchema,
    ties: z.number().int(),
    /** Responses asked for and received. */
    wanted: z.number().int(),
    responses: z.number().int(),
    status: z.enum(['open', 'done']),
    createdAt: timestamp,
  })
  .openapi('Matchup');
export type Matchup = z.infer<typeof matchupSchema>;

export const listMatchupsQuerySchema = listQuerySchema
  .omit({ name: true })
  .extend({
    promptId: z.string().min(1).max(100).optional().openapi({ description: 'Only matchups of this prompt' }),
  })
  .strict();

export const listMatchupsRoute = createRoute({
  operationId: 'listMatchups',
  method: 'get',
  path: '/api/v1/leaderboards/{id}/matchups',
  tags: ['benchmarks'],
  summary: "The leaderboard's matchups with both models' media and their votes, by prompt, oldest first",
  security: requesterSecurity,
  request: { params: leaderboardId, query: listMatchupsQuerySchema },
  responses: {
    200: {
      description: 'Matchups',
      content: { 'application/json': { schema: listEnvelope(matchupSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const leaderboardActivitySchema = z
  .object({
    votesPerDay: z.array(
      z.object({
        day: z.string().openapi({ example: '2026-11-23', description: 'UTC day' }),
        votes: z.number().int(),
      }),
    ),
  })
  .openapi('LeaderboardActivity');
export type LeaderboardActivity = z.infer<typeof leaderboardActivitySchema>;

export const getLeaderboardActivityRoute = createRoute({
  operationId: 'getLeaderboardActivity',
  method: 'get',
  path: '/api/v1/leaderboards/{id}/activity',
  tags: ['benchmarks'],
  summary: "The leaderboard's labelers' votes per UTC day, oldest first (days with votes only)",
  security: requesterSecurity,
  request: { params: leaderboardId },
  responses: {
    200: {
      description: 'Votes per day',
      content: { 'application/json': { schema: dataEnvelope(leaderboardActivitySchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});
