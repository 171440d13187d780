import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, idParamSchema, listEnvelope, listQuerySchema, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { dataTypeSchema, itemSchema } from './items.ts';
import { requesterSecurity } from './security.ts';
import {
  examplePurposeSchema,
  exampleSchemas,
  settingNameSchema,
  taskTypeSchema,
} from './task-types/index.ts';

/** The audience every labeler belongs to, without qualification. Not stored; usable wherever an audience id is. */
export const GLOBAL_AUDIENCE_ID = 'global';

// ---- Filters

export const MAX_FILTER_CODES = 300;
export const MAX_FILTER_DEPTH = 8;
export const MAX_FILTER_NODES = 200;

export type AudienceFilter =
  | { type: 'country'; countries: string[] }
  | { type: 'language'; languages: string[] }
  | { type: 'and'; filters: AudienceFilter[] }
  | { type: 'or'; filters: AudienceFilter[] }
  | { type: 'not'; filter: AudienceFilter };

export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'Country codes are 2 upper-case letters (ISO 3166-1 alpha-2), e.g. "US" or "DE".');
export const languageCodeSchema = z
  .string()
  .regex(/^[a-z]{2}$/, 'Language codes are 2 lower-case letters (ISO 639-1), e.g. "en" or "de".');

const codeList = <T extends z.ZodType>(code: T, what: string) =>
  z
    .array(code)
    .min(1, `List at least one ${what}.`)
    .max(MAX_FILTER_CODES, `At most ${MAX_FILTER_CODES} ${what}s in one filter.`);

export const countryFilterSchema = z
  .object({ type: z.literal('country'), countries: codeList(countryCodeSchema, 'country code') })
  .strict()
  .openapi('CountryFilter', { description: 'Labelers whose profile country is one of these' });
export const languageFilterSchema = z
  .object({ type: z.literal('language'), languages: codeList(languageCodeSchema, 'language code') })
  .strict()
  .openapi('LanguageFilter', { description: 'Labelers whose profile language is one of these' });

/**
 * A filter tree: country, language, and/or/not of filters. Labelers without a country (language) in their
 * profile match no country (language) filter, and so match `not` of one.
 */
export const audienceFilterSchema: z.ZodType<AudienceFilter> = z
  .lazy(() =>
    z.discriminatedUnion('type', [
      countryFilterSchema,
      languageFilterSchema,
      z
        .object({
          type: z.literal('and'),
          filters: z.array(audienceFilterSchema).min(1, 'An "and" filter needs at least one filter.'),
        })
        .strict(),
      z
        .object({
          type: z.literal('or'),
          filters: z.array(audienceFilterSchema).min(1, 'An "or" filter needs at least one filter.'),
        })
        .strict(),
      z.object({ type: z.literal('not'), filter: audienceFilterSchema }).strict(),
    ]),
  )
  .openapi('AudienceFilter');

function filterShape(filters: readonly AudienceFilter[]): { depth: number; nodes: number } {
  let nodes = 0;
  let depth = 0;
  const walk = (f: AudienceFilter, d: number) => {
    nodes++;
    depth = Math.max(depth, d);
    if (f.type === 'and' || f.type === 'or') for (const c of f.filters) walk(c, d + 1);
    else if (f.type === 'not') walk(f.filter, d + 1);
  };
  for (const f of filters) walk(f, 1);
  return { depth, nodes };
}

/** A list of filters; a labeler must match all of them (the list is an AND). */
export const audienceFiltersSchema = z
  .array(audienceFilterSchema)
  .max(50, 'At most 50 filters in the list; combine them with "or"/"and" filters instead.')
  .superRefine((filters, ctx) => {
    const { depth, nodes } = filterShape(filters);
    if (depth > MAX_FILTER_DEPTH)
      ctx.addIssue({
        code: 'custom',
        message: `Filters are nested ${depth} levels deep; at most ${MAX_FILTER_DEPTH}.`,
      });
    if (nodes > MAX_FILTER_NODES)
      ctx.addIssue({
        code: 'custom',
        message: `Filters have ${nodes} parts; at most ${MAX_FILTER_NODES}.`,
      });
  })
  .openapi({ description: 'A labeler must match every filter in the list' });

// ---- Audiences

export const passRuleSchema = z
  .object({
    targetAccuracy: z
      .number()
      .min(0, 'targetAccuracy is a share of correct answers in [0, 1].')
      .max(1, 'targetAccuracy is a share of correct answers in [0, 1].')
      .openapi({ example: 0.75 }),
    minExamples: z
      .number()
      .int('minExamples is a whole number.')
      .min(1, 'minExamples must be at least 1.')
      .max(1000, 'minExamples is at most 1000.')
      .openapi({ example: 3 }),
  })
  .strict()
  .openapi('PassRule', {
    description:
      'A labeler qualifies after answering every qualification example of the audience (at least minExamples; the audience admits nobody while it has fewer) with accuracy ≥ targetAccuracy; otherwise they are dropped.',
  });
export type PassRule = z.infer<typeof passRuleSchema>;

export const DEFAULT_PASS_RULE: PassRule = { targetAccuracy: 0.75, minExamples: 3 };

export const AUDIENCE_KINDS = ['global', 'custom', 'filtered'] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

export const audienceSchema = z
  .object({
    id: z.string().openapi({ example: 'aud_4kq9x2m7p1d8s3wz' }),
    kind: z.enum(AUDIENCE_KINDS),
    name: z.string(),
    /** Filtered audiences: the audience whose labelers they filter (`global` or an `aud_…`). */
    baseAudienceId: z.string().nullable(),
    filters: z.array(audienceFilterSchema),
    /** Custom audiences only. */
    passRule: passRuleSchema.nullable(),
    /** Custom audiences: whether a qualification answer is told if it was right, the truth and the explanation. */
    showQualificationFeedback: z.boolean(),
    /** Null for `global`. */
    createdAt: timestamp.nullable(),
  })
  .openapi('Audience');
export type Audience = z.infer<typeof audienceSchema>;

const audienceName = z
  .string()
  .trim()
  .min(1, 'Give the audience a name.')
  .max(200, 'An audience name is at most 200 characters.');

export const createAudienceSchema = z
  .object({
    name: audienceName,
    passRule: passRuleSchema
      .partial()
      .strict()
      .optional()
      .openapi({ description: 'Defaults: targetAccuracy 0.75, minExamples 3' }),
    filters: audienceFiltersSchema.optional(),
    showQualificationFeedback: z.boolean().optional().openapi({
      description:
        'Default true: a qualification answer is told whether it was right, with the truth and the explanation; false tells nothing, so the truths cannot be learned from the feedback',
    }),
  })
  .strict()
  .openapi('CreateAudience');
export type CreateAudience = z.infer<typeof createAudienceSchema>;

export const createFilteredAudienceSchema = z
  .object({
    filters: audienceFiltersSchema.refine((f) => f.length > 0, 'At least one filter must be provided.'),
    name: audienceName.optional().openapi({ description: 'Defaults to the base name with the filters' }),
  })
  .strict()
  .openapi('CreateFilteredAudience');
export type CreateFilteredAudience = z.infer<typeof createFilteredAudienceSchema>;

export const findAudiencesQuerySchema = listQuerySchema;

export const audienceStatsSchema = z
  .object({
    audienceId: z.string(),
    /** Labelers by qualification state. `global` counts every labeler as qualified. */
    members: z.object({
      qualifying: z.number().int(),
      qualified: z.number().int(),
      dropped: z.number().int(),
    }),
    /** Qualification examples (of the base audience for a filtered one). */
    examples: z.number().int(),
    /** False while a custom audience has fewer examples than its pass rule's minExamples (nobody can qualify). */
    ready: z.boolean(),
  })
  .openapi('AudienceStats');
export type AudienceStats = z.infer<typeof audienceStatsSchema>;

// ---- Qualification examples

/** A qualification example of any type (each type's body is in its module). */
export const addExampleSchema = z.discriminatedUnion('taskType', exampleSchemas).openapi('AddExample');
export type AddExample = z.infer<typeof addExampleSchema>;
/** An example body as sent (`purpose` may be left out: qualification). */
export type AddExampleInput = z.input<typeof addExampleSchema>;

export const audienceExampleSchema = z
  .object({
    id: z.string().openapi({ example: 'aex_3k9d2m1x0q7w5e8r' }),
    audienceId: z.string(),
    taskType: taskTypeSchema,
    instruction: z.string(),
    dataType: dataTypeSchema,
    items: z.array(itemSchema),
    answerOptions: z.array(z.string()).nullable(),
    /** Compare: [the correct item's name]; classification: the correct options. */
    truth: z.array(z.string()),
    context: z.string().nullable(),
    mediaContext: z.array(itemSchema).nullable(),
    settings: z.array(settingNameSchema),
    explanation: z.string().nullable(),
    /** The chance of a right answer by guessing (compare 0.5; classification |truth| / |options|). */
    randomCorrectProbability: z.number(),
    sortIndex: z.number().int(),
    /** `qualification` (served before work) or `gold` (secret checks among tasks). */
    purpose: examplePurposeSchema,
    createdAt: timestamp,
  })
  .openapi('AudienceExample');
export type AudienceExample = z.infer<typeof audienceExampleSchema>;

export const listExamplesQuerySchema = listQuerySchema
  .omit({ name: true })
  .extend({
    purpose: examplePurposeSchema.optional().openapi({ description: 'Only the examples of this purpose' }),
  })
  .strict();

// ---- Routes

const audienceId = idParamSchema('AudienceId', 'aud_4kq9x2m7p1d8s3wz');
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const createAudienceRoute = createRoute({
  operationId: 'createAudience',
  method: 'post',
  path: '/api/v1/audiences',
  tags: ['audiences'],
  summary: 'Create a custom audience (labelers join by passing its qualification examples)',
  security: requesterSecurity,
  request: body(createAudienceSchema),
  responses: {
    201: json(dataEnvelope(audienceSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS),
  },
});

export const findAudiencesRoute = createRoute({
  operationId: 'findAudiences',
  method: 'get',
  path: '/api/v1/audiences',
  tags: ['audiences'],
  summary: "Find your organization's audiences (custom and filtered), newest first",
  security: requesterSecurity,
  request: { query: findAudiencesQuerySchema },
  responses: {
    200: json(listEnvelope(audienceSchema), 'Audiences'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});

export const getAudienceRoute = createRoute({
  operationId: 'getAudience',
  method: 'get',
  path: '/api/v1/audiences/{id}',
  tags: ['audiences'],
  summary: 'An audience by id (`global`, `aud_…` or `fau_…`)',
  security: requesterSecurity,
  request: { params: audienceId },
  responses: {
    200: json(dataEnvelope(audienceSchema), 'The audience'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const deleteAudienceRoute = createRoute({
  operationId: 'deleteAudience',
  method: 'delete',
  path: '/api/v1/audiences/{id}',
  tags: ['audiences'],
  summary: 'Delete an audience',
  description:
    'The audience disappears from find and get and takes no new jobs, examples or filters. Jobs already assigned to it keep running with the same admission rule (qualified members who match its filters), so no work is lost; pause them to stop them. Deleting `global` is refused.',
  security: requesterSecurity,
  request: { params: audienceId },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'),
  },
});

export const createFilteredAudienceRoute = createRoute({
  operationId: 'createFilteredAudience',
  method: 'post',
  path: '/api/v1/audiences/{id}/filter',
  tags: ['audiences'],
  summary: "A filtered audience: the base audience's qualified labelers who match every filter",
  description:
    'The base is `global` or a custom audience (`aud_…`); a filtered audience cannot be filtered again (filter its base with all the filters instead).',
  security: requesterSecurity,
  request: { params: audienceId, ...body(createFilteredAudienceSchema) },
  responses: {
    201: json(dataEnvelope(audienceSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const addAudienceExampleRoute = createRoute({
  operationId: 'addAudienceExample',
  method: 'post',
  path: '/api/v1/audiences/{id}/examples',
  tags: ['audiences'],
  summary: 'Add a qualification or gold example (compare or classification) to a custom audience',
  description:
    'Media items are assets of your organization (`{ assetId, name }`); text items are `{ text }`. The truth is validated against the items (compare) or the answer options (classification). `purpose: "gold"` adds it to the secret gold pool (checks served among tasks, never in qualification, never with feedback).',
  security: requesterSecurity,
  request: { params: audienceId, ...body(addExampleSchema) },
  responses: {
    201: json(dataEnvelope(audienceExampleSchema), 'Added'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const listAudienceExamplesRoute = createRoute({
  operationId: 'listAudienceExamples',
  method: 'get',
  path: '/api/v1/audiences/{id}/examples',
  tags: ['audiences'],
  summary: "A custom audience's examples (qualification and gold), in sort order",
  security: requesterSecurity,
  request: { params: audienceId, query: listExamplesQuerySchema },
  responses: {
    200: json(listEnvelope(audienceExampleSchema), 'Examples'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getAudienceStatsRoute = createRoute({
  operationId: 'getAudienceStats',
  method: 'get',
  path: '/api/v1/audiences/{id}/stats',
  tags: ['audiences'],
  summary: 'Labelers by qualification state, and the number of qualification examples',
  security: requesterSecurity,
  request: { params: audienceId },
  responses: {
    200: json(dataEnvelope(audienceStatsSchema), 'Stats'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});
