import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, listEnvelope, pageKeys, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { requesterSecurity } from './security.ts';

/**
 * Evaluations: versioned ground-truth sets of items a model is run on and graded against. An item is free-form
 * (a question and one or more accepted answers) or multiple-choice (a question, options lettered A, B, C, … and
 * the correct option's index). Built-in evaluations (`mixeval`, `mixeval-hard`) belong to no organization and
 * are visible to all; an organization's own are private or visible to every organization on the server.
 */

export const EVALUATION_SPLITS = ['free-form', 'multiple-choice'] as const;
export type EvaluationSplit = (typeof EVALUATION_SPLITS)[number];
export const EVALUATION_VISIBILITIES = ['private', 'public'] as const;
export type EvaluationVisibility = (typeof EVALUATION_VISIBILITIES)[number];

/** Items one version holds at most (MixEval has 4,000). */
export const MAX_EVALUATION_ITEMS = 50_000;
/** Options of a multiple-choice item: letters A to Z. */
export const MAX_OPTIONS = 26;

// Names and versions appear in URLs and on the command line (`jury eval run --evaluation mixeval-hard`).
const slug = (what: string, max: number) =>
  z
    .string()
    .min(1, `A ${what} cannot be empty.`)
    .max(max, `A ${what} has at most ${max} characters.`)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      `A ${what} is letters, digits, '.', '_' and '-', starting with a letter or digit.`,
    );
export const evaluationNameSchema = slug('name', 100)
  .refine((n) => !n.startsWith('evl_'), 'A name cannot start with evl_ (that is how ids start).')
  .openapi({ example: 'capitals-quiz' });
export const evaluationVersionLabelSchema = slug('version', 100).openapi({ example: '2026-12-01' });

const questionSchema = z.string().min(1, 'A question cannot be empty.').max(100_000);
const contextSchema = z
  .string()
  .max(200_000)
  .nullish()
  .transform((c) => (c === undefined || c === null || c.trim() === '' ? null : c))
  .openapi({ description: 'Text shown before the question (a passage, a scenario); empty counts as none' });
const benchmarkSchema = z
  .string()
  .max(200)
  .nullish()
  .transform((b) => b ?? null)
  .openapi({
    description: 'The source benchmark the item comes from (e.g. TriviaQA), for per-benchmark scores',
  });
const keySchema = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .openapi({ description: "The item's id in its source (unique per split); default: its 1-based position" });

export const freeFormItemInputSchema = z
  .object({
    split: z.literal('free-form'),
    key: keySchema,
    question: questionSchema,
    context: contextSchema,
    answers: z
      .array(z.string().min(1, 'An accepted answer cannot be empty.').max(10_000))
      .min(1, 'A free-form item needs at least one accepted answer.')
      .max(1000),
    benchmark: benchmarkSchema,
  })
  .strict()
  .openapi('FreeFormItemInput');

export const multipleChoiceItemInputSchema = z
  .object({
    split: z.literal('multiple-choice'),
    key: keySchema,
    question: questionSchema,
    context: contextSchema,
    options: z
      .array(z.string().min(1, 'An option cannot be empty.').max(20_000))
      .min(2, 'A multiple-choice item needs at least two options.')
      .max(MAX_OPTIONS, `A multiple-choice item has at most ${MAX_OPTIONS} options (A to Z).`),
    correctOption: z
      .number()
      .int('correctOption is the 0-based index of the right option.')
      .min(0, 'correctOption is the 0-based index of the right option.'),
    benchmark: benchmarkSchema,
  })
  .strict()
  .refine((i) => i.correctOption < i.options.length, {
    message: 'correctOption is out of range: it is the 0-based index of one of the options.',
    path: ['correctOption'],
  })
  .openapi('MultipleChoiceItemInput');

/**
 * One item to import. `split` may be left out: an item with `options` is multiple-choice, else free-form. The
 * same object is one line of the JSONL format.
 */
export const evaluationItemInputSchema = z
  .preprocess(
    (v) =>
      v && typeof v === 'object' && !Array.isArray(v) && !('split' in v)
        ? { split: 'options' in v ? 'multiple-choice' : 'free-form', ...v }
        : v,
    z.discriminatedUnion('split', [freeFormItemInputSchema, multipleChoiceItemInputSchema]),
  )
  .openapi('EvaluationItemInput');
export type EvaluationItemInput = z.output<typeof evaluationItemInputSchema>;

/** MixEval's JSON format: one object per split, keyed by item id (the files of its `mix_eval/data/`). */
export const mixEvalImportSchema = z
  .object({
    freeForm: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'The content of free-form.json' }),
    multipleChoice: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'The content of multiple-choice.json' }),
  })
  .strict()
  .openapi('MixEvalImport');

const importSources = {
  items: z
    .array(z.unknown())
    .max(MAX_EVALUATION_ITEMS)
    .optional()
    .openapi({ description: 'Items as objects (each an EvaluationItemInput)' }),
  jsonl: z
    .string()
    .max(200_000_000)
    .optional()
    .openapi({ description: 'JSON Lines: one EvaluationItemInput per line; blank lines are skipped' }),
  mixeval: mixEvalImportSchema.optional(),
};

/** A version's items, from exactly one source: `items`, `jsonl` or `mixeval`. Checked item by item on import. */
export const importVersionSchema = z
  .object({ version: evaluationVersionLabelSchema, ...importSources })
  .strict()
  .superRefine((v, ctx) => {
    const given = (['items', 'jsonl', 'mixeval'] as const).filter((k) => v[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: `Give the items in exactly one of items, jsonl or mixeval (got ${given.length ? given.join(', ') : 'none'}).`,
        path: ['items'],
      });
  })
  .openapi('ImportEvaluationVersion');
export type ImportEvaluationVersion = z.infer<typeof importVersionSchema>;

export const createEvaluationSchema = z
  .object({
    name: evaluationNameSchema,
    description: z.string().max(5000).default(''),
    trusted: z.boolean().default(false).openapi({
      description: "Counts towards models' aggregate scores (the mean over trusted evaluations)",
    }),
    visibility: z.enum(EVALUATION_VISIBILITIES).default('private').openapi({
      description: '`private`: your organization only; `public`: every organization on the server sees it',
    }),
    import: importVersionSchema
      .optional()
      .openapi({ description: 'A first version, in the same transaction' }),
  })
  .strict()
  .openapi('CreateEvaluation');
export type CreateEvaluation = z.input<typeof createEvaluationSchema>;

export const evaluationVersionSchema = z
  .object({
    id: z.string().openapi({ example: 'evv_4kq9x2m7p1d8s3wz' }),
    version: z.string(),
    itemCount: z.number().int(),
    /** Items per split; both keys are always present. */
    splits: z.object({ 'free-form': z.number().int(), 'multiple-choice': z.number().int() }),
    createdAt: timestamp,
  })
  .openapi('EvaluationVersion');
export type EvaluationVersion = z.infer<typeof evaluationVersionSchema>;

export const evaluationSchema = z
  .object({
    id: z.string().openapi({ example: 'evl_4kq9x2m7p1d8s3wz' }),
    name: z.string(),
    description: z.string(),
    trusted: z.boolean(),
    visibility: z.enum(EVALUATION_VISIBILITIES),
    /** Shipped with the server (MixEval): no organization owns it, nobody can change it. */
    builtIn: z.boolean(),
    /** Whether your organization owns it (and may add versions or delete it). */
    own: z.boolean(),
    /** Oldest first. */
    versions: z.array(evaluationVersionSchema),
    createdAt: timestamp,
  })
  .openapi('Evaluation');
export type Evaluation = z.infer<typeof evaluationSchema>;

const itemBase = {
  id: z.string().openapi({ example: 'evi_4kq9x2m7p1d8s3wz' }),
  key: z.string(),
  /** 1-based, in import order. */
  position: z.number().int(),
  question: z.string(),
  context: z.string().nullable(),
  benchmark: z.string().nullable(),
};
export const evaluationItemSchema = z
  .discriminatedUnion('split', [
    z.object({ split: z.literal('free-form'), ...itemBase, answers: z.array(z.string()) }),
    z.object({
      split: z.literal('multiple-choice'),
      ...itemBase,
      options: z.array(z.string()),
      correctOption: z.number().int(),
    }),
  ])
  .openapi('EvaluationItem');
export type EvaluationItem = z.infer<typeof evaluationItemSchema>;

export const findEvaluationsQuerySchema = z
  .object({
    name: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: 'Only evaluations whose name contains this' }),
    trusted: z
      .enum(['true', 'false'])
      .optional()
      .transform((t) => (t === undefined ? undefined : t === 'true'))
      .openapi({ description: 'Only trusted (or untrusted) evaluations' }),
    ...pageKeys(50, 500),
  })
  .strict();

export const evaluationItemsQuerySchema = z
  .object({
    split: z.enum(EVALUATION_SPLITS).optional(),
    ...pageKeys(100, 1000),
  })
  .strict();

// ---- Routes

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const ref = z
  .string()
  .min(1)
  .max(100)
  .openapi({
    param: { name: 'id', in: 'path' },
    description: 'The evaluation id (`evl_…`), or its name',
    example: 'mixeval-hard',
  });
const evaluationParam = z.object({ id: ref }).openapi('EvaluationRef');
const versionParam = z
  .object({
    id: ref,
    version: z
      .string()
      .min(1)
      .max(100)
      .openapi({ param: { name: 'version', in: 'path' }, example: '2024-06-01' }),
  })
  .openapi('EvaluationVersionRef');
const tags = ['evaluations'];
const security = requesterSecurity;

export const createEvaluationRoute = createRoute({
  operationId: 'createEvaluation',
  method: 'post',
  path: '/api/v1/evaluations',
  tags,
  summary: 'Create an evaluation, optionally with its first version',
  security,
  request: body(createEvaluationSchema),
  responses: {
    201: json(dataEnvelope(evaluationSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'CONFLICT'),
  },
});

export const importEvaluationVersionRoute = createRoute({
  operationId: 'importEvaluationVersion',
  method: 'post',
  path: '/api/v1/evaluations/{id}/versions',
  tags,
  summary: 'Import a version of an evaluation (all its items, or none on any error)',
  security,
  request: { params: evaluationParam, ...body(importVersionSchema) },
  responses: {
    201: json(dataEnvelope(evaluationVersionSchema), 'The version imported'),
    ...errorResponses(
      'UNAUTHENTICATED',
      'CSRF_REJECTED',
      ...BODY_ERRORS,
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
    ),
  },
});

export const findEvaluationsRoute = createRoute({
  operationId: 'findEvaluations',
  method: 'get',
  path: '/api/v1/evaluations',
  tags,
  summary: 'Evaluations you can run: built-in, your own and public ones, by name',
  security,
  request: { query: findEvaluationsQuerySchema },
  responses: {
    200: json(listEnvelope(evaluationSchema), 'Evaluations'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});

export const getEvaluationRoute = createRoute({
  operationId: 'getEvaluation',
  method: 'get',
  path: '/api/v1/evaluations/{id}',
  tags,
  summary: 'An evaluation by id or name, with its versions and their item counts per split',
  security,
  request: { params: evaluationParam },
  responses: {
    200: json(dataEnvelope(evaluationSchema), 'The evaluation'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const listEvaluationItemsRoute = createRoute({
  operationId: 'listEvaluationItems',
  method: 'get',
  path: '/api/v1/evaluations/{id}/versions/{version}/items',
  tags,
  summary: "A version's items, in import order, a page at a time",
  security,
  request: { params: versionParam, query: evaluationItemsQuerySchema },
  responses: {
    200: json(listEnvelope(evaluationItemSchema), 'Items'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const deleteEvaluationRoute = createRoute({
  operationId: 'deleteEvaluation',
  method: 'delete',
  path: '/api/v1/evaluations/{id}',
  tags,
  summary: 'Delete an evaluation of yours with all its versions',
  security,
  request: { params: evaluationParam },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'),
  },
});

export const deleteEvaluationVersionRoute = createRoute({
  operationId: 'deleteEvaluationVersion',
  method: 'delete',
  path: '/api/v1/evaluations/{id}/versions/{version}',
  tags,
  summary: 'Delete one version of an evaluation of yours',
  security,
  request: { params: versionParam },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'),
  },
});
