import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, z } from './common.ts';
import { errorResponses } from './errors.ts';
import { requesterSecurity } from './security.ts';

// The requester's view of the crowd that answered their jobs: trust scores and answers over time (the dashboard's
// Labelers page). Only labelers who answered one of the organization's jobs are counted.

export const MAX_STATS_DAYS = 366;

export const labelerStatsQuerySchema = z
  .object({
    days: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_STATS_DAYS)
      .default(30)
      .openapi({ description: 'Answers per day over this many days, up to today (UTC)' }),
    bins: z.coerce
      .number()
      .int()
      .min(2)
      .max(100)
      .default(10)
      .openapi({ description: 'Histogram bins of equal width over the trust score range [0, 1]' }),
  })
  .strict();

export const labelerStatsSchema = z
  .object({
    labelers: z.number().int().openapi({ description: "Labelers who answered the organization's jobs" }),
    trustScores: z
      .array(
        z.object({
          from: z.number(),
          to: z.number(),
          count: z.number().int(),
        }),
      )
      .openapi({
        description:
          'Those labelers by their current global trust score: bin i holds from ≤ score < to (the last bin includes 1)',
      }),
    answersPerDay: z
      .array(
        z.object({
          day: z.string().openapi({ example: '2026-11-23', description: 'UTC day' }),
          answers: z.number().int(),
          labelers: z.number().int().openapi({ description: 'Distinct labelers who answered that day' }),
        }),
      )
      .openapi({
        description: "Responses to the organization's jobs per day, oldest first, days without any included",
      }),
  })
  .openapi('LabelerStats');
export type LabelerStats = z.infer<typeof labelerStatsSchema>;

export const getLabelerStatsRoute = createRoute({
  operationId: 'getLabelerStats',
  method: 'get',
  path: '/api/v1/labelers/stats',
  tags: ['labelers'],
  summary:
    "Trust-score distribution and answers per day of the labelers who answered your organization's jobs",
  security: requesterSecurity,
  request: { query: labelerStatsQuerySchema },
  responses: {
    200: {
      description: 'Stats',
      content: { 'application/json': { schema: dataEnvelope(labelerStatsSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});
