import { createRoute } from '@hono/zod-openapi';
import { winLossMatrixSchema } from './benchmarks.ts';
import { dataEnvelope, idParamSchema, listEnvelope, listQuerySchema, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { assetItemInputSchema, dataTypeSchema, itemName, itemSchema } from './items.ts';
import { requesterSecurity } from './security.ts';
import {
  definitionItemInputSchema,
  MAX_CONTEXT_LENGTH,
  MAX_INSTRUCTION_LENGTH,
  MAX_MEDIA_CONTEXT_ITEMS,
  settingNameSchema,
} from './task-types/index.ts';

/**
 * Ranking flows and ranking jobs: sets of items ordered by pairwise votes. A flow is a standing configuration
 * (instruction, response thresholds, audience) to which batches are added over time; each batch is one flow item,
 * ranked on its own within its time to live. A ranking job is a definition of several such sets (one per
 * datapoint) with a comparison budget each, assigned to an audience. Both are served to labelers as blind compare
 * tasks of two of the set's items; their results order each set with Bradley-Terry scores on the Elo scale.
 */

export const MAX_RANKING_ITEMS = 100;
export const MAX_RANKINGS_PER_DEFINITION = 1000;
/** A flow item's shortest time to live, in seconds (the reference docs' minimum). */
export const MIN_TIME_TO_LIVE_SECONDS = 60;
export const MAX_TIME_TO_LIVE_SECONDS = 30 * 24 * 3600;
export const MAX_RESPONSE_THRESHOLD = 100_000;

const nameSchema = z.string().trim().min(1, 'Give a name.').max(200);
const instructionSchema = z
  .string()
  .trim()
  .min(1, 'Labelers need an instruction.')
  .max(
    MAX_INSTRUCTION_LENGTH,
    `The instruction is at most ${MAX_INSTRUCTION_LENGTH} characters (put per-item detail in the context).`,
  )
  .openapi({
    description: 'Shown with each comparison; phrase it for two items ("Which image looks better?")',
  });
const contextSchema = z
  .string()
  .trim()
  .min(1, 'A context cannot be empty; leave it out instead.')
  .max(MAX_CONTEXT_LENGTH, `A context is at most ${MAX_CONTEXT_LENGTH} characters.`);
const mediaContextSchema = z
  .array(assetItemInputSchema)
  .min(1, 'Media context cannot be empty; leave it out instead.')
  .max(MAX_MEDIA_CONTEXT_ITEMS, `Media context has at most ${MAX_MEDIA_CONTEXT_ITEMS} items.`);
const thresholdSchema = (name: string) =>
  z
    .number()
    .int(`${name} is a whole number of responses.`)
    .min(1, `${name} is at least 1.`)
    .max(MAX_RESPONSE_THRESHOLD, `${name} is at most ${MAX_RESPONSE_THRESHOLD}.`);
const startingEloSchema = z
  .number()
  .min(-100_000)
  .max(100_000)
  .openapi({ description: 'Mean score of a ranked set on the Elo scale' });
const audienceIdSchema = z.string().min(1).max(100).openapi({
  description: '`global` (every labeler), a custom (`aud_…`) or a filtered (`fau_…`) audience',
});

/** The items of one set to order: 2..100 items, unique by name, all of the data type. */
export const rankingItemsSchema = z
  .array(definitionItemInputSchema)
  .min(2, 'A ranking needs at least 2 items.')
  .max(MAX_RANKING_ITEMS, `A ranking has at most ${MAX_RANKING_ITEMS} items.`)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    for (const item of items) {
      const name = itemName(item);
      if (seen.has(name))
        ctx.addIssue({
          code: 'custom',
          message: `Each ranking must contain unique items; ${JSON.stringify(name)} is given twice.`,
        });
      seen.add(name);
    }
  });

// ---- Flows

export const RANKING_STATUSES = ['pending', 'running', 'completed', 'incomplete', 'stopped'] as const;
export type RankingStatus = (typeof RANKING_STATUSES)[number];
export const rankingStatusSchema = z.enum(RANKING_STATUSES).openapi('RankingStatus', {
  description:
    'pending: no response yet; running: collecting; completed: reached maxResponseThreshold, or its time to live ran out with at least minResponseThreshold; incomplete: its time to live ran out below minResponseThreshold; stopped: stopped by hand or its flow was deleted',
});

function minNotAboveMax(
  v: { minResponseThreshold?: number | undefined; maxResponseThreshold?: number | undefined },
  ctx: z.RefinementCtx,
) {
  if (
    v.minResponseThreshold !== undefined &&
    v.maxResponseThreshold !== undefined &&
    v.minResponseThreshold > v.maxResponseThreshold
  )
    ctx.addIssue({
      code: 'custom',
      message: `minResponseThreshold (${v.minResponseThreshold}) cannot be above maxResponseThreshold (${v.maxResponseThreshold}).`,
      path: ['minResponseThreshold'],
    });
}

export const createRankingFlowSchema = z
  .object({
    name: nameSchema,
    instruction: instructionSchema,
    maxResponseThreshold: thresholdSchema('maxResponseThreshold')
      .default(100)
      .openapi({ description: 'Responses each flow item collects at most' }),
    minResponseThreshold: thresholdSchema('minResponseThreshold').optional().openapi({
      description:
        'Responses a flow item needs to be completed when its time to live runs out (default: maxResponseThreshold)',
    }),
    audienceId: audienceIdSchema.default('global'),
    startingElo: startingEloSchema.default(1200),
    settings: z.array(settingNameSchema).default([]),
  })
  .strict()
  .superRefine(minNotAboveMax)
  .openapi('CreateRankingFlow');
export type CreateRankingFlow = z.input<typeof createRankingFlowSchema>;

export const updateFlowConfigSchema = z
  .object({
    instruction: instructionSchema.optional(),
    maxResponseThreshold: thresholdSchema('maxResponseThreshold').optional(),
    minResponseThreshold: thresholdSchema('minResponseThreshold').optional(),
    audienceId: audienceIdSchema.optional(),
    startingElo: startingEloSchema.optional(),
    settings: z.array(settingNameSchema).optional(),
  })
  .strict()
  .superRefine(minNotAboveMax)
  .refine((u) => Object.values(u).some((v) => v !== undefined), 'Give at least one setting to change.')
  .openapi('UpdateFlowConfig');
export type UpdateFlowConfig = z.infer<typeof updateFlowConfigSchema>;

export const flowSchema = z
  .object({
    id: z.string().openapi({ example: 'flw_4kq9x2m7p1d8s3wz' }),
    name: z.string(),
    instruction: z.string(),
    maxResponseThreshold: z.number().int(),
    minResponseThreshold: z.number().int(),
    audienceId: z.string(),
    startingElo: z.number(),
    settings: z.array(z.string()),
    /** Flow items (batches) so far. */
    itemCount: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Flow');
export type Flow = z.infer<typeof flowSchema>;

export const createFlowBatchSchema = z
  .object({
    datapoints: rankingItemsSchema.openapi({ description: 'The items ranked against each other' }),
    dataType: dataTypeSchema.default('media'),
    context: contextSchema.optional().openapi({ description: 'Shown with every comparison of this item' }),
    contextAssets: mediaContextSchema.optional().openapi({ description: 'Reference media shown with it' }),
    timeToLive: z
      .number()
      .int('timeToLive is a whole number of seconds.')
      .min(MIN_TIME_TO_LIVE_SECONDS, `timeToLive is at least ${MIN_TIME_TO_LIVE_SECONDS} seconds.`)
      .max(MAX_TIME_TO_LIVE_SECONDS, `timeToLive is at most ${MAX_TIME_TO_LIVE_SECONDS} seconds (30 days).`)
      .optional()
      .openapi({
        description:
          'Seconds after which the item stops receiving comparisons and reports what it has (default: none)',
      }),
    privateMetadata: z
      .record(z.string().max(200), z.string().max(2000))
      .optional()
      .openapi({ description: 'Returned with the item, never shown to labelers' }),
  })
  .strict()
  .openapi('CreateFlowBatch');
export type CreateFlowBatch = z.input<typeof createFlowBatchSchema>;

const rankingProgressFields = {
  status: rankingStatusSchema,
  /** Responses collected so far. */
  responseCount: z.number().int(),
  minResponseThreshold: z.number().int(),
  maxResponseThreshold: z.number().int(),
};

export const flowItemSchema = z
  .object({
    id: z.string().openapi({ example: 'rnk_8d2k1m0q7x3w9e1r' }),
    flowId: z.string(),
    ...rankingProgressFields,
    datapoints: z.array(itemSchema),
    context: z.string().nullable(),
    contextAssets: z.array(itemSchema).nullable(),
    privateMetadata: z.record(z.string(), z.string()).nullable(),
    instruction: z.string(),
    startingElo: z.number(),
    expiresAt: timestamp.nullable(),
    createdAt: timestamp,
    finishedAt: timestamp.nullable(),
  })
  .openapi('FlowItem');
export type FlowItem = z.infer<typeof flowItemSchema>;

export const flowItemsQuerySchema = listQuerySchema.omit({ name: true }).extend({
  status: rankingStatusSchema.optional().openapi({ description: 'Only items in this status' }),
});

export const rankedItemSchema = z
  .object({
    /** The item's name: its text, or the name the requester gave the asset (URL or file name). */
    name: z.string(),
    item: itemSchema,
    rank: z.number().int(),
    /** Bradley-Terry score on the Elo scale (mean: the starting Elo). */
    score: z.number(),
    /** The 95% interval; null for an item without votes. */
    lower: z.number().nullable(),
    upper: z.number().nullable(),
    /** Best and worst rank the intervals allow. */
    rankLower: z.number().int(),
    rankUpper: z.number().int(),
    votes: z.number(),
    wins: z.number(),
    ties: z.number(),
    winRate: z.number().nullable(),
  })
  .openapi('RankedItem');

const rankingResultFields = {
  ...rankingProgressFields,
  /** Pairwise votes collected (FlowItemResult.total_votes). */
  totalVotes: z.number().int(),
  /** Each item's score by name, rounded (FlowItemResult.datapoints), best first. */
  datapoints: z.record(z.string(), z.number()),
  /** Every item, best first, with its interval (an item without votes sits at the starting Elo; a warning says so). */
  ranking: z.array(rankedItemSchema),
  level: z.number(),
  warnings: z.array(z.object({ kind: z.string(), message: z.string(), models: z.array(z.string()) })),
};

export const flowItemResultSchema = z
  .object({ flowItemId: z.string(), ...rankingResultFields })
  .openapi('FlowItemResult');
export type FlowItemResult = z.infer<typeof flowItemResultSchema>;

export const responseCountSchema = z
  .object({ flowItemId: z.string(), responseCount: z.number().int() })
  .openapi('ResponseCount');

export const preheatResultSchema = z
  .object({
    /** Open flow items and ranking job sets of the organization, now in the serving cache. */
    openItems: z.number().int(),
  })
  .openapi('PreheatResult');

// ---- Ranking jobs

export const createRankingJobDefinitionSchema = z
  .object({
    name: nameSchema,
    instruction: instructionSchema,
    datapoints: z
      .array(rankingItemsSchema)
      .min(1, 'Give at least one ranking (a list of items to order).')
      .max(MAX_RANKINGS_PER_DEFINITION)
      .openapi({ description: 'Each inner list is one independent ranking of its items' }),
    dataType: dataTypeSchema.default('media'),
    comparisonBudgetPerRanking: z
      .number()
      .int('comparisonBudgetPerRanking is a whole number of matchups.')
      .min(1, 'comparisonBudgetPerRanking is at least 1.')
      .max(MAX_RESPONSE_THRESHOLD, `comparisonBudgetPerRanking is at most ${MAX_RESPONSE_THRESHOLD}.`)
      .openapi({ description: 'Pairwise matchups per ranking' }),
    responsesPerComparison: z
      .number()
      .int()
      .min(1, 'responsesPerComparison is at least 1.')
      .max(100, 'responsesPerComparison is at most 100.')
      .default(1)
      .openapi({ description: 'Labelers asked per matchup' }),
    randomComparisonsRatio: z
      .number()
      .min(0, 'randomComparisonsRatio is between 0 and 1.')
      .max(1, 'randomComparisonsRatio is between 0 and 1.')
      .default(0.5)
      .openapi({
        description:
          'Share of random matchups; the rest are chosen where a vote is expected to fix the most misordered pairs',
      }),
    contexts: z.array(contextSchema).optional().openapi({ description: 'One text per ranking' }),
    mediaContexts: z
      .array(mediaContextSchema)
      .optional()
      .openapi({ description: 'One media list per ranking' }),
    settings: z.array(settingNameSchema).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    for (const field of ['contexts', 'mediaContexts'] as const) {
      const list = d[field];
      if (list && list.length !== d.datapoints.length)
        ctx.addIssue({
          code: 'custom',
          message: `Number of ${field} (${list.length}) must match the number of rankings (${d.datapoints.length}).`,
          path: [field],
        });
    }
  })
  .openapi('CreateRankingJobDefinition');
export type CreateRankingJobDefinition = z.input<typeof createRankingJobDefinitionSchema>;

export const rankingJobDefinitionSchema = z
  .object({
    id: z.string().openapi({ example: 'rjd_3k9d2m1x0q7w5e8r' }),
    name: z.string(),
    instruction: z.string(),
    dataType: dataTypeSchema,
    comparisonBudgetPerRanking: z.number().int(),
    responsesPerComparison: z.number().int(),
    randomComparisonsRatio: z.number(),
    settings: z.array(z.string()),
    rankingCount: z.number().int(),
    createdAt: timestamp,
  })
  .openapi('RankingJobDefinition');
export type RankingJobDefinition = z.infer<typeof rankingJobDefinitionSchema>;

export const createRankingJobSchema = z
  .object({
    definitionId: z.string().min(1).max(100),
    audienceId: audienceIdSchema.default('global'),
    name: nameSchema.optional().openapi({ description: "Default: the definition's name" }),
  })
  .strict()
  .openapi('CreateRankingJob');
export type CreateRankingJob = z.input<typeof createRankingJobSchema>;

export const rankingJobSchema = z
  .object({
    id: z.string().openapi({ example: 'rjb_9x2m7p1d8s3wz4kq' }),
    definitionId: z.string(),
    name: z.string(),
    audienceId: z.string(),
    /** running until every ranking has its responses (or is stopped). */
    status: z.enum(['running', 'completed']),
    progress: z.object({
      rankings: z.number().int(),
      completedRankings: z.number().int(),
      responses: z.number().int(),
      wantedResponses: z.number().int(),
    }),
    createdAt: timestamp,
  })
  .openapi('RankingJob');
export type RankingJob = z.infer<typeof rankingJobSchema>;

export const rankingJobResultsSchema = z
  .object({
    jobId: z.string(),
    name: z.string(),
    status: rankingJobSchema.shape.status,
    rankings: z.array(
      z.object({ index: z.number().int(), context: z.string().nullable(), ...rankingResultFields }),
    ),
  })
  .openapi('RankingJobResults');
export type RankingJobResults = z.infer<typeof rankingJobResultsSchema>;

// ---- Routes

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const flowId = idParamSchema('FlowId', 'flw_4kq9x2m7p1d8s3wz');
const flowItemId = idParamSchema('FlowItemId', 'rnk_8d2k1m0q7x3w9e1r');
const definitionId = idParamSchema('RankingJobDefinitionId', 'rjd_3k9d2m1x0q7w5e8r');
const jobId = idParamSchema('RankingJobId', 'rjb_9x2m7p1d8s3wz4kq');
const security = requesterSecurity;
const read = (...extra: ('NOT_FOUND' | 'VALIDATION_FAILED')[]) =>
  errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', ...extra);

export const createRankingFlowRoute = createRoute({
  operationId: 'createRankingFlow',
  method: 'post',
  path: '/api/v1/flows',
  tags: ['flows'],
  summary: 'Create a ranking flow (instruction, response thresholds, audience); add batches to it over time',
  security,
  request: body(createRankingFlowSchema),
  responses: {
    201: json(dataEnvelope(flowSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const findFlowsRoute = createRoute({
  operationId: 'findFlows',
  method: 'get',
  path: '/api/v1/flows',
  tags: ['flows'],
  summary: "Find your organization's flows, newest first",
  security,
  request: { query: listQuerySchema },
  responses: { 200: json(listEnvelope(flowSchema), 'Flows'), ...read() },
});

export const preheatFlowsRoute = createRoute({
  operationId: 'preheatFlows',
  method: 'post',
  path: '/api/v1/preheat',
  tags: ['flows'],
  summary: 'Warm the serving path for flow items about to be added (loads open items into the claim cache)',
  security,
  responses: {
    200: json(dataEnvelope(preheatResultSchema), 'Preheated'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED'),
  },
});

export const getFlowRoute = createRoute({
  operationId: 'getFlow',
  method: 'get',
  path: '/api/v1/flows/{id}',
  tags: ['flows'],
  summary: 'A flow by id',
  security,
  request: { params: flowId },
  responses: { 200: json(dataEnvelope(flowSchema), 'The flow'), ...read('NOT_FOUND') },
});

export const deleteFlowRoute = createRoute({
  operationId: 'deleteFlow',
  method: 'delete',
  path: '/api/v1/flows/{id}',
  tags: ['flows'],
  summary: 'Delete a flow: its open items stop; the flow and its items are no longer found',
  security,
  request: { params: flowId },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const updateFlowConfigRoute = createRoute({
  operationId: 'updateFlowConfig',
  method: 'patch',
  path: '/api/v1/flows/{id}/config',
  tags: ['flows'],
  summary: "Change a flow's configuration; only items created afterwards use it",
  security,
  request: { params: flowId, ...body(updateFlowConfigSchema) },
  responses: {
    200: json(dataEnvelope(flowSchema), 'Updated'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const createFlowBatchRoute = createRoute({
  operationId: 'createFlowBatch',
  method: 'post',
  path: '/api/v1/flows/{id}/items',
  tags: ['flows'],
  summary: 'Add a batch: one flow item whose datapoints are ranked against each other',
  security,
  request: { params: flowId, ...body(createFlowBatchSchema) },
  responses: {
    201: json(dataEnvelope(flowItemSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const listFlowItemsRoute = createRoute({
  operationId: 'listFlowItems',
  method: 'get',
  path: '/api/v1/flows/{id}/items',
  tags: ['flows'],
  summary: "A flow's items, newest first",
  security,
  request: { params: flowId, query: flowItemsQuerySchema },
  responses: { 200: json(listEnvelope(flowItemSchema), 'Flow items'), ...read('NOT_FOUND') },
});

export const getFlowItemRoute = createRoute({
  operationId: 'getFlowItem',
  method: 'get',
  path: '/api/v1/flow-items/{id}',
  tags: ['flows'],
  summary: 'A flow item with its status and response count',
  security,
  request: { params: flowItemId },
  responses: { 200: json(dataEnvelope(flowItemSchema), 'The flow item'), ...read('NOT_FOUND') },
});

export const getFlowItemResultsRoute = createRoute({
  operationId: 'getFlowItemResults',
  method: 'get',
  path: '/api/v1/flow-items/{id}/results',
  tags: ['flows'],
  summary:
    'The items ordered by Bradley-Terry score (Elo scale) with 95% intervals; partial until it finishes',
  security,
  request: { params: flowItemId },
  responses: { 200: json(dataEnvelope(flowItemResultSchema), 'Results'), ...read('NOT_FOUND') },
});

export const getFlowItemWinLossMatrixRoute = createRoute({
  operationId: 'getFlowItemWinLossMatrix',
  method: 'get',
  path: '/api/v1/flow-items/{id}/win-loss-matrix',
  tags: ['flows'],
  summary: 'Wins of every datapoint over every other (the models field names the datapoints)',
  security,
  request: { params: flowItemId },
  responses: { 200: json(dataEnvelope(winLossMatrixSchema), 'The matrix'), ...read('NOT_FOUND') },
});

export const getFlowItemResponseCountRoute = createRoute({
  operationId: 'getFlowItemResponseCount',
  method: 'get',
  path: '/api/v1/flow-items/{id}/response-count',
  tags: ['flows'],
  summary: 'Pairwise responses collected for a flow item',
  security,
  request: { params: flowItemId },
  responses: { 200: json(dataEnvelope(responseCountSchema), 'The count'), ...read('NOT_FOUND') },
});

export const stopFlowItemRoute = createRoute({
  operationId: 'stopFlowItem',
  method: 'post',
  path: '/api/v1/flow-items/{id}/stop',
  tags: ['flows'],
  summary: 'Stop a flow item: it receives no more comparisons and keeps what it has',
  security,
  request: { params: flowItemId },
  responses: {
    200: json(dataEnvelope(flowItemSchema), 'Stopped'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'),
  },
});

export const createRankingJobDefinitionRoute = createRoute({
  operationId: 'createRankingJobDefinition',
  method: 'post',
  path: '/api/v1/ranking-job-definitions',
  tags: ['ranking jobs'],
  summary: 'Create a ranking job definition: lists of items, each ordered by pairwise matchups',
  security,
  request: body(createRankingJobDefinitionSchema),
  responses: {
    201: json(dataEnvelope(rankingJobDefinitionSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const getRankingJobDefinitionRoute = createRoute({
  operationId: 'getRankingJobDefinition',
  method: 'get',
  path: '/api/v1/ranking-job-definitions/{id}',
  tags: ['ranking jobs'],
  summary: 'A ranking job definition by id',
  security,
  request: { params: definitionId },
  responses: { 200: json(dataEnvelope(rankingJobDefinitionSchema), 'The definition'), ...read('NOT_FOUND') },
});

export const createRankingJobRoute = createRoute({
  operationId: 'createRankingJob',
  method: 'post',
  path: '/api/v1/ranking-jobs',
  tags: ['ranking jobs'],
  summary: 'Assign a ranking job definition to an audience: its matchups are served at once',
  security,
  request: body(createRankingJobSchema),
  responses: {
    201: json(dataEnvelope(rankingJobSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const getRankingJobRoute = createRoute({
  operationId: 'getRankingJob',
  method: 'get',
  path: '/api/v1/ranking-jobs/{id}',
  tags: ['ranking jobs'],
  summary: 'A ranking job with its progress',
  security,
  request: { params: jobId },
  responses: { 200: json(dataEnvelope(rankingJobSchema), 'The job'), ...read('NOT_FOUND') },
});

export const getRankingJobResultsRoute = createRoute({
  operationId: 'getRankingJobResults',
  method: 'get',
  path: '/api/v1/ranking-jobs/{id}/results',
  tags: ['ranking jobs'],
  summary: 'Each ranking ordered by Bradley-Terry score (Elo scale, 1200 mean) with 95% intervals',
  security,
  request: { params: jobId },
  responses: { 200: json(dataEnvelope(rankingJobResultsSchema), 'Results'), ...read('NOT_FOUND') },
});

export const findRankingJobDefinitionsRoute = createRoute({
  operationId: 'findRankingJobDefinitions',
  method: 'get',
  path: '/api/v1/ranking-job-definitions',
  tags: ['ranking jobs'],
  summary: "Find your organization's ranking job definitions, newest first",
  security,
  request: { query: listQuerySchema },
  responses: { 200: json(listEnvelope(rankingJobDefinitionSchema), 'Definitions'), ...read() },
});

export const findRankingJobsRoute = createRoute({
  operationId: 'findRankingJobs',
  method: 'get',
  path: '/api/v1/ranking-jobs',
  tags: ['ranking jobs'],
  summary: "Find your organization's ranking jobs, newest first",
  security,
  request: { query: listQuerySchema },
  responses: { 200: json(listEnvelope(rankingJobSchema), 'Ranking jobs'), ...read() },
});
