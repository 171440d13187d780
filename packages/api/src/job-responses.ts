import { createRoute } from '@hono/zod-openapi';
import { idParamSchema, listEnvelope, listQuerySchema, timestamp, z } from './common.ts';
import { errorResponses } from './errors.ts';
import { itemSchema } from './items.ts';
import { jobResultsQuerySchema } from './jobs.ts';
import { labelerAnswerSchema } from './labeler.ts';
import { requesterSecurity } from './security.ts';

// What the dashboard reads of a job besides its progress and results: every response with who gave it, and the
// results as files (CSV and JSON Lines) carrying the values of GET /api/v1/jobs/{id}/results.
const jobId = idParamSchema('JobId', 'job_3n0k8q2w5e7r9t1y');

export const jobResponseSchema = z
  .object({
    id: z.string().openapi({ example: 'rsp_3n0k8q2w5e7r9t1y' }),
    datapoint: z.object({
      id: z.string(),
      /** 0-based position of the datapoint in the job (the order of the results). */
      index: z.number().int(),
      items: z.array(itemSchema),
    }),
    answer: labelerAnswerSchema,
    votedFor: z.string().openapi({
      description:
        'The answer as the results name it: the item name (or aBNames) a compare answer chose, the category of a classification answer',
      example: 'model-x',
    }),
    labeler: z.object({
      id: z.string(),
      country: z.string().nullable(),
      language: z.string().nullable(),
      trustScore: z.number().openapi({
        description:
          "The labeler's global trust score when answering: the weight of this answer in the results' summedUserScores",
      }),
      audienceTrustScore: z.number().openapi({
        description:
          "The labeler's trust score in the job's audience when answering (what confidencePerCategory weighs)",
      }),
    }),
    flaggedReason: z.string().nullable().openapi({
      description:
        'Why the response was flagged (`too_fast`: answered faster than the audience allows), null when it was not. A flagged response counts in the results at the flagged weight, and in `integrity.flagged`',
      example: null,
    }),
    excluded: z.enum(['dropped']).nullable().openapi({
      description:
        "Why the response is left out of the results (`dropped`: its labeler was dropped from the job's audience by the pass rule or by gold checks; `includeExcluded=true` keeps it), null when it counts",
      example: null,
    }),
    createdAt: timestamp,
  })
  .openapi('JobResponse');
export type JobResponse = z.infer<typeof jobResponseSchema>;

export const listJobResponsesQuerySchema = listQuerySchema
  .omit({ name: true })
  .extend({
    datapointId: z.string().min(1).max(100).optional().openapi({ description: 'Only this datapoint' }),
  })
  .strict();

export const listJobResponsesRoute = createRoute({
  operationId: 'listJobResponses',
  method: 'get',
  path: '/api/v1/jobs/{id}/responses',
  tags: ['jobs'],
  summary:
    "The job's responses one by one, oldest first, with the labeler's country, language and trust score, and whether each is flagged or left out of the results",
  security: requesterSecurity,
  request: { params: jobId, query: listJobResponsesQuerySchema },
  responses: {
    200: {
      description: 'Responses',
      content: { 'application/json': { schema: listEnvelope(jobResponseSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getJobResultsCsvRoute = createRoute({
  operationId: 'getJobResultsCsv',
  method: 'get',
  path: '/api/v1/jobs/{id}/results.csv',
  tags: ['jobs'],
  summary: "The job's results as CSV: a header row, then one row per datapoint",
  description:
    "RFC 4180 (CRLF line ends; a field with a comma, quote or line break is quoted, quotes doubled), UTF-8, sent as an attachment named after the job. The values are those of GET /api/v1/jobs/{id}/results. Compare: datapoint_id, index, item_a, item_b, context, winner, winner_index, responses, then votes_, ratio_, summed_trust_, summed_trust_ratio_ (and confidence_ with confidence stopping) for a, b (and both, neither with AllowNeitherBoth). Classification: datapoint_id, index, item, context, responses, then the same five per category (e.g. votes_Cat). Private metadata keys follow as metadata_<key>. Dropped labelers' responses are left out unless `includeExcluded=true`, as in the results.",
  security: requesterSecurity,
  request: { params: jobId, query: jobResultsQuerySchema },
  responses: {
    200: {
      description: 'The CSV file',
      content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getJobResultsJsonlRoute = createRoute({
  operationId: 'getJobResultsJsonl',
  method: 'get',
  path: '/api/v1/jobs/{id}/results.jsonl',
  tags: ['jobs'],
  summary: "The job's results as JSON Lines: one line per datapoint",
  description:
    "Each line is the datapoint's entry of GET /api/v1/jobs/{id}/results (`results` for compare, `results.data` for classification) with its `datapointId` and `index` first; sent as an attachment named after the job. Dropped labelers' responses are left out unless `includeExcluded=true`, as in the results.",
  security: requesterSecurity,
  request: { params: jobId, query: jobResultsQuerySchema },
  responses: {
    200: {
      description: 'The JSON Lines file',
      content: { 'application/jsonl': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});
