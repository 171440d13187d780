import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, listEnvelope, pageKeys, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { EVALUATION_SPLITS } from './evaluations.ts';
import { findModelsQuerySchema, MODEL_SORTS, modelSchema } from './models.ts';
import { requesterSecurity } from './security.ts';

/**
 * Evaluation runs: one model asked every item of one evaluation version, in the background (the server's
 * runtime), resumable and shared between server processes. Each item keeps its prompt, raw response, extracted
 * answer, grade, latency, tokens and cost. A run's score is MixEval's: the micro-average of the item grades × 100,
 * per split too. Re-scoring (`POST /{id}/score`) grades the stored answers again and updates the same run.
 */

export const EVALUATION_RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type EvaluationRunStatus = (typeof EVALUATION_RUN_STATUSES)[number];

const graderSchema = z.string().min(1).max(100).openapi({
  description: "`rules` (deterministic rules) or a registered judge model's id (MixEval's judge prompts)",
  example: 'rules',
});

export const createEvaluationRunSchema = z
  .object({
    model: z.string().min(1).max(100).openapi({ description: 'The model id (`mdl_…`)' }),
    evaluation: z
      .string()
      .min(1)
      .max(100)
      .openapi({ description: 'Evaluation id or name', example: 'mixeval-hard' }),
    version: z.string().min(1).max(100).openapi({ example: '2024-06-01' }),
    inferenceOnly: z
      .boolean()
      .default(false)
      .openapi({ description: 'Collect the answers only; grade later with POST /{id}/score' }),
    grader: graderSchema.optional().openapi({ description: 'Default `rules`; not with inferenceOnly' }),
    cache: z
      .boolean()
      .default(true)
      .openapi({ description: 'Answer a repeated request (same model, endpoint, prompt) from the cache' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.inferenceOnly && v.grader !== undefined)
      ctx.addIssue({
        code: 'custom',
        message:
          'An inference-only run is not graded: leave out grader (score it later with POST /{id}/score).',
        path: ['grader'],
      });
  })
  .openapi('CreateEvaluationRun');
export type CreateEvaluationRun = z.input<typeof createEvaluationRunSchema>;

const scorePartSchema = z.object({ score: z.number(), items: z.number().int() });

export const evaluationRunSchema = z
  .object({
    id: z.string().openapi({ example: 'evr_4kq9x2m7p1d8s3wz' }),
    modelId: z.string(),
    evaluationId: z.string(),
    evaluation: z.string().openapi({ description: "The evaluation's name" }),
    version: z.string(),
    status: z.enum(EVALUATION_RUN_STATUSES),
    inferenceOnly: z.boolean(),
    /** null: not graded yet (inference only). */
    grader: z.string().nullable(),
    cache: z.boolean(),
    progress: z.object({
      total: z.number().int(),
      finished: z.number().int(),
      answered: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
      cached: z.number().int(),
    }),
    /** 0–100 (MixEval's micro-average × 100); null until graded. */
    score: z.number().nullable(),
    splits: z.record(z.enum(EVALUATION_SPLITS), scorePartSchema).nullable(),
    benchmarks: z.record(z.string(), scorePartSchema).nullable(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    /** USD, from the model's costs. */
    cost: z.number(),
    error: z.string().nullable(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    scoredAt: timestamp.nullable(),
  })
  .openapi('EvaluationRun');
export type EvaluationRun = z.infer<typeof evaluationRunSchema>;

export const evaluationRunItemSchema = z
  .object({
    itemId: z.string(),
    position: z.number().int(),
    split: z.enum(EVALUATION_SPLITS),
    key: z.string(),
    /** null: not asked yet. */
    status: z.enum(['answered', 'failed', 'skipped']).nullable(),
    prompt: z.string().nullable(),
    rawResponse: z.string().nullable(),
    answer: z.string().nullable(),
    score: z.number().nullable(),
    grade: z
      .object({
        score: z.number(),
        parser: z.string(),
        method: z.string(),
        extracted: z.string().nullable(),
        chosenOption: z.number().int().nullable(),
        judgement: z.string().optional(),
      })
      .nullable(),
    gradeError: z.string().nullable(),
    error: z
      .object({ kind: z.string(), message: z.string(), status: z.number().int().optional() })
      .nullable(),
    skipReason: z.string().nullable(),
    attempts: z.number().int(),
    cached: z.boolean(),
    latencyMs: z.number().nullable(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cost: z.number().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('EvaluationRunItem');
export type EvaluationRunItem = z.infer<typeof evaluationRunItemSchema>;

export const findEvaluationRunsQuerySchema = z
  .object({
    model: z.string().max(100).optional().openapi({ description: 'Only runs of this model id' }),
    evaluation: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: 'Only runs of this evaluation (id or name)' }),
    status: z.enum(EVALUATION_RUN_STATUSES).optional(),
    since: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Created at or after' }),
    until: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Created before' }),
    minScore: z.coerce.number().min(0).max(100).optional().openapi({ description: 'Score at least this' }),
    ...pageKeys(50, 500),
  })
  .strict();
export type FindEvaluationRunsQuery = z.input<typeof findEvaluationRunsQuerySchema>;

export const evaluationRunItemsQuerySchema = z
  .object({
    split: z.enum(EVALUATION_SPLITS).optional(),
    status: z.enum(['answered', 'failed', 'skipped']).optional(),
    ...pageKeys(100, 1000),
  })
  .strict();
export type EvaluationRunItemsQuery = z.input<typeof evaluationRunItemsQuerySchema>;

export const scoreEvaluationRunSchema = z
  .object({ grader: graderSchema.default('rules') })
  .strict()
  .openapi('ScoreEvaluationRun');
export type ScoreEvaluationRun = z.input<typeof scoreEvaluationRunSchema>;

const aggregateSchema = z.object({
  /** null: the model has no score on an evaluation that counts. */
  score: z.number().nullable(),
  taken: z.number().int(),
  parts: z.array(
    z.object({ evaluationId: z.string(), score: z.number(), imputed: z.boolean(), scaled: z.number() }),
  ),
});

export const modelScoresSchema = z
  .object({
    modelId: z.string(),
    /**
     * Equistamp's aggregate: the mean of the rescaled most recent scores over the evaluations that count for
     * you (the trusted built-in ones and your organization's own trusted ones; the median where it has none).
     */
    aggregate: aggregateSchema,
    /** Every scored run of the model, oldest first: the score over time per evaluation. */
    history: z.array(
      z.object({
        runId: z.string(),
        evaluationId: z.string(),
        evaluation: z.string(),
        version: z.string(),
        score: z.number(),
        splits: z.record(z.enum(EVALUATION_SPLITS), scorePartSchema).nullable(),
        at: timestamp,
      }),
    ),
  })
  .openapi('ModelScores');
export type ModelScores = z.infer<typeof modelScoresSchema>;

/** The models list with scores sorts as the models list does, and by aggregate score (models without one last). */
export const MODEL_SCORE_SORTS = ['-score', 'score', ...MODEL_SORTS] as const;
export type ModelScoreSort = (typeof MODEL_SCORE_SORTS)[number];

export const findModelScoresQuerySchema = findModelsQuerySchema
  .extend({
    sort: z
      .enum(MODEL_SCORE_SORTS)
      .default('-score')
      .openapi({ description: 'A leading - sorts descending; `-score`: the best aggregate score first' }),
  })
  .strict();
export type FindModelScoresQuery = z.input<typeof findModelScoresQuerySchema>;

export const modelWithScoresSchema = z
  .object({
    model: modelSchema,
    /**
     * Equistamp's aggregate over the evaluations that count for you: the trusted built-in ones and your
     * organization's own trusted ones (another organization's trusted flag does not count here).
     */
    aggregate: aggregateSchema,
    /** The model's most recent score on each evaluation your organization ran it on, best first. */
    latest: z.array(
      z.object({
        evaluationId: z.string(),
        evaluation: z.string(),
        version: z.string(),
        runId: z.string(),
        score: z.number(),
        /** Whether it counts towards the aggregate. */
        counted: z.boolean(),
        at: timestamp,
      }),
    ),
  })
  .openapi('ModelWithScores');
export type ModelWithScores = z.infer<typeof modelWithScoresSchema>;

// ---- Routes

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const runParam = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .openapi({ param: { name: 'id', in: 'path' }, example: 'evr_4kq9x2m7p1d8s3wz' }),
  })
  .openapi('EvaluationRunRef');
const modelParam = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .openapi({ param: { name: 'id', in: 'path' }, example: 'mdl_4kq9x2m7p1d8s3wz' }),
  })
  .openapi('ModelScoresRef');
const tags = ['evaluation-runs'];
const security = requesterSecurity;

export const createEvaluationRunRoute = createRoute({
  operationId: 'createEvaluationRun',
  method: 'post',
  path: '/api/v1/evaluation-runs',
  tags,
  summary: 'Run a model on an evaluation version (queued; the server runs it in the background)',
  security,
  request: body(createEvaluationRunSchema),
  responses: {
    201: json(dataEnvelope(evaluationRunSchema), 'Queued'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const findEvaluationRunsRoute = createRoute({
  operationId: 'findEvaluationRuns',
  method: 'get',
  path: '/api/v1/evaluation-runs',
  tags,
  summary: "Your organization's runs, newest first, by model, evaluation, status, date and score",
  security,
  request: { query: findEvaluationRunsQuerySchema },
  responses: {
    200: json(listEnvelope(evaluationRunSchema), 'Runs'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});

export const getEvaluationRunRoute = createRoute({
  operationId: 'getEvaluationRun',
  method: 'get',
  path: '/api/v1/evaluation-runs/{id}',
  tags,
  summary: 'A run: its progress, score and score per split',
  security,
  request: { params: runParam },
  responses: {
    200: json(dataEnvelope(evaluationRunSchema), 'The run'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const listEvaluationRunItemsRoute = createRoute({
  operationId: 'listEvaluationRunItems',
  method: 'get',
  path: '/api/v1/evaluation-runs/{id}/items',
  tags,
  summary: "A run's per-item results, in the evaluation's order, a page at a time",
  security,
  request: { params: runParam, query: evaluationRunItemsQuerySchema },
  responses: {
    200: json(listEnvelope(evaluationRunItemSchema), 'Items'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const scoreEvaluationRunRoute = createRoute({
  operationId: 'scoreEvaluationRun',
  method: 'post',
  path: '/api/v1/evaluation-runs/{id}/score',
  tags,
  summary: "Grade a finished run's stored answers again (e.g. with another grader); updates the run",
  security,
  request: { params: runParam, ...body(scoreEvaluationRunSchema) },
  responses: {
    200: json(dataEnvelope(evaluationRunSchema), 'The run, scored'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const cancelEvaluationRunRoute = createRoute({
  operationId: 'cancelEvaluationRun',
  method: 'post',
  path: '/api/v1/evaluation-runs/{id}/cancel',
  tags,
  summary: 'Cancel a queued or running run (answers stored so far are kept)',
  security,
  request: { params: runParam },
  responses: {
    200: json(dataEnvelope(evaluationRunSchema), 'The run'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'),
  },
});

export const getModelScoresRoute = createRoute({
  operationId: 'getModelScores',
  method: 'get',
  path: '/api/v1/models/{id}/scores',
  tags,
  summary: "A model's score history per evaluation and its aggregate score (Equistamp's definition)",
  security,
  request: { params: modelParam },
  responses: {
    200: json(dataEnvelope(modelScoresSchema), 'Scores'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const findModelScoresRoute = createRoute({
  operationId: 'findModelScores',
  method: 'get',
  path: '/api/v1/model-scores',
  tags,
  summary:
    'The models you can see (as GET /models lists them) with their aggregate score and latest score per evaluation',
  security,
  request: { query: findModelScoresQuerySchema },
  responses: {
    200: json(listEnvelope(modelWithScoresSchema), 'Models with their scores'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});
