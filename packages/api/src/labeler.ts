import { createRoute } from '@hono/zod-openapi';
import { MEDIA_KINDS } from './assets.ts';
import { dataEnvelope, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { DATA_TYPES } from './items.ts';
import { labelerSecurity } from './security.ts';
import { answerSchemas, taskTypeSchema } from './task-types/index.ts';

/**
 * The labeler API: what the labeler app (packages/web /label), `jury simulate` and the definition preview use.
 * Authenticated by a signed HttpOnly session cookie (`jury_labeler`), never by a bearer token.
 */

/** A 2-letter code: ISO 3166-1 alpha-2 country (upper case) or ISO 639-1 language (lower case). */
export const labelerCountrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'Use a 2-letter ISO 3166-1 country code in upper case, e.g. "US" or "DE".')
  .openapi({ example: 'US' });
export const labelerLanguageSchema = z
  .string()
  .regex(/^[a-z]{2}$/, 'Use a 2-letter ISO 639-1 language code in lower case, e.g. "en" or "de".')
  .openapi({ example: 'en' });

export const labelerDemographicsSchema = z
  .record(z.string().min(1).max(40), z.union([z.string().max(200), z.number()]))
  .refine((d) => Object.keys(d).length <= 20, 'At most 20 demographic fields.')
  .openapi('LabelerDemographics', {
    description:
      'Optional self-reported demographics, e.g. { age: "25-34", gender: "female", occupation: "nurse" }',
  });

export const labelerProfileSchema = z
  .object({
    id: z.string().openapi({ example: 'lab_p2k9d7x1qz' }),
    kind: z.enum(['human', 'simulated', 'ai']),
    country: z.string().nullable(),
    language: z.string().nullable(),
    demographics: labelerDemographicsSchema.nullable(),
    /** Global trust score in [0, 1); starts at the prior for new labelers. */
    userScore: z.number(),
    /** True once country and language are set (filtered audiences need them). */
    profileComplete: z.boolean(),
    createdAt: timestamp,
  })
  .openapi('LabelerProfile');

export const createLabelerSessionSchema = z
  .object({
    kind: z
      .enum(['human', 'simulated'])
      .default('human')
      .openapi({ description: '`simulated` for `jury simulate` crowds (shown in results)' }),
    country: labelerCountrySchema.optional(),
    language: labelerLanguageSchema.optional(),
    demographics: labelerDemographicsSchema.optional(),
  })
  .strict()
  .openapi('CreateLabelerSession');

export const updateLabelerProfileSchema = z
  .object({
    country: labelerCountrySchema,
    language: labelerLanguageSchema,
    demographics: labelerDemographicsSchema.nullable().optional(),
  })
  .strict()
  .openapi('UpdateLabelerProfile');

/**
 * An item as the labeler sees it: text, or media under an opaque reference. `side` ('A' = the datapoint's first item
 * as the requester gave it) only for compare.
 */
export const labelerItemSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('text'),
      text: z.string(),
      side: z.enum(['A', 'B']).optional(),
    }),
    z.object({
      type: z.literal('asset'),
      /**
       * An opaque, expiring reference (`/api/v1/labeler/media/{ref}`), valid while the labeler holds the task:
       * no file name, asset id or content hash (blind comparisons).
       */
      url: z.string(),
      kind: z.enum(MEDIA_KINDS),
      side: z.enum(['A', 'B']).optional(),
    }),
  ])
  .openapi('LabelerItem');

export const labelerTaskSettingsSchema = z
  .object({ markdown: z.boolean(), allowNeitherBoth: z.boolean(), noShuffle: z.boolean() })
  .openapi('LabelerTaskSettings');

/** The part of a task every view shares (task, qualification example, definition preview). */
export const labelerTaskViewSchema = z.object({
  taskType: taskTypeSchema,
  instruction: z.string(),
  dataType: z.enum(DATA_TYPES),
  /** In display order. Compare: 2 items with side labels (A/B order randomised per labeler); classify: 1 item. */
  items: z.array(labelerItemSchema),
  context: z.string().nullable(),
  mediaContext: z.array(labelerItemSchema).nullable(),
  /**
   * Classification options in display order, picked with key n for the n-th (shuffled unless noShuffle or a
   * numbered scale); null for compare.
   */
  answerOptions: z.array(z.string()).nullable(),
  settings: labelerTaskSettingsSchema,
});
export type LabelerTaskView = z.infer<typeof labelerTaskViewSchema>;

export const labelerWorkTaskSchema = labelerTaskViewSchema
  .extend({
    kind: z.literal('task'),
    leaseId: z.string().openapi({ example: 'lse_8d2k1m0q7x' }),
    /** The job the task belongs to; null for work of no job (a leaderboard matchup). */
    jobId: z.string().nullable(),
    /** Answer before this time; afterwards the task may go to someone else. */
    expiresAt: timestamp,
  })
  .openapi('LabelerWorkTask');

export const labelerQualificationTaskSchema = labelerTaskViewSchema
  .extend({
    kind: z.literal('qualification'),
    exampleId: z.string().openapi({ example: 'aex_3k9d2m1x0q' }),
    audienceId: z.string(),
    /** Examples of this audience answered so far, and how many it has. */
    progress: z.object({ answered: z.number().int(), total: z.number().int() }),
  })
  .openapi('LabelerQualificationTask');

export const labelerNoTaskSchema = z
  .object({
    kind: z.literal('none'),
    /** Ask again after this long. */
    retryAfterMs: z.number().int(),
  })
  .openapi('LabelerNoTask');

export const labelerNextTaskSchema = z
  .discriminatedUnion('kind', [labelerWorkTaskSchema, labelerQualificationTaskSchema, labelerNoTaskSchema])
  .openapi('LabelerNextTask');

/** An answer to a task of any type (each type's shape is in its module). */
export const labelerAnswerSchema = z.union(answerSchemas).openapi('LabelerAnswer');

export const submitLabelerResponseSchema = z
  .object({
    leaseId: z
      .string()
      .regex(
        /^lse_[0-9a-z]{8,40}$/,
        'leaseId must be the `leaseId` of a task from GET /api/v1/labeler/tasks/next (it looks like lse_…).',
      ),
    answer: labelerAnswerSchema,
  })
  .strict()
  .openapi('SubmitLabelerResponse');

export const submittedLabelerResponseSchema = z
  .object({
    id: z.string().openapi({ example: 'rsp_1k2d9x8m3q' }),
    taskCompleted: z
      .boolean()
      .openapi({ description: 'This answer completed the datapoint (stopping rule)' }),
    createdAt: timestamp,
  })
  .openapi('SubmittedLabelerResponse');

export const labelerQualificationAnswerSchema = z
  .object({
    exampleId: z.string().min(1).max(100),
    audienceId: z.string().min(1).max(100),
    answer: labelerAnswerSchema,
  })
  .strict()
  .openapi('LabelerQualificationAnswer');

export const labelerMembershipSchema = z
  .object({
    audienceId: z.string(),
    state: z.enum(['qualifying', 'qualified', 'dropped']),
    answered: z.number().int(),
    /** Null (like userScore) when the audience shows no qualification feedback: either would tell each answer's grade. */
    correct: z.number().int().nullable(),
    total: z.number().int(),
    userScore: z.number().nullable(),
  })
  .openapi('LabelerMembership');

export const labelerQualificationResultSchema = z
  .object({
    /** Null when the audience shows no qualification feedback (`showQualificationFeedback: false`). */
    correct: z.boolean().nullable(),
    /** The right answers: compare side labels ('A'/'B'), or classification options; null without feedback. */
    truth: z.array(z.string()).nullable(),
    explanation: z.string().nullable(),
    membership: labelerMembershipSchema,
  })
  .openapi('LabelerQualificationResult');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const createLabelerSessionRoute = createRoute({
  operationId: 'createLabelerSession',
  method: 'post',
  path: '/api/v1/labeler/session',
  tags: ['labeler'],
  summary: 'Start (or resume) an anonymous labeler session; sets the signed HttpOnly session cookie',
  description:
    'With a valid session cookie this returns the existing labeler (200); otherwise it creates a new anonymous labeler and sets the cookie (201). The body is optional.',
  request: {
    body: { content: { 'application/json': { schema: createLabelerSessionSchema } }, required: false },
  },
  responses: {
    200: json(dataEnvelope(labelerProfileSchema), 'The labeler of the existing session'),
    201: json(dataEnvelope(labelerProfileSchema), 'A new labeler; the cookie is set'),
    ...errorResponses(...BODY_ERRORS),
  },
});

export const getLabelerProfileRoute = createRoute({
  operationId: 'getLabelerProfile',
  method: 'get',
  path: '/api/v1/labeler/me',
  tags: ['labeler'],
  summary: "The current labeler's profile",
  security: labelerSecurity,
  responses: {
    200: json(dataEnvelope(labelerProfileSchema), 'Profile'),
    ...errorResponses('UNAUTHENTICATED'),
  },
});

export const updateLabelerProfileRoute = createRoute({
  operationId: 'updateLabelerProfile',
  method: 'put',
  path: '/api/v1/labeler/me',
  tags: ['labeler'],
  summary: "Set the current labeler's country, language and (optional) demographics",
  security: labelerSecurity,
  request: body(updateLabelerProfileSchema),
  responses: {
    200: json(dataEnvelope(labelerProfileSchema), 'Updated profile'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS),
  },
});

export const nextLabelerTaskRoute = createRoute({
  operationId: 'nextLabelerTask',
  method: 'get',
  path: '/api/v1/labeler/tasks/next',
  tags: ['labeler'],
  summary: 'The next thing to answer: a qualification example owed, else a leased task, else nothing for now',
  description:
    'Qualification examples of custom audiences come before their work. A task is held under a lease until `expiresAt`; asking again while holding a live lease returns the same task.',
  security: labelerSecurity,
  responses: {
    200: json(dataEnvelope(labelerNextTaskSchema), 'A task, a qualification example, or none'),
    ...errorResponses('UNAUTHENTICATED'),
  },
});

export const submitLabelerResponseRoute = createRoute({
  operationId: 'submitLabelerResponse',
  method: 'post',
  path: '/api/v1/labeler/responses',
  tags: ['labeler'],
  summary: 'Answer the task held under a lease',
  security: labelerSecurity,
  request: body(submitLabelerResponseSchema),
  responses: {
    201: json(dataEnvelope(submittedLabelerResponseSchema), 'Recorded'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const submitQualificationAnswerRoute = createRoute({
  operationId: 'submitQualificationAnswer',
  method: 'post',
  path: '/api/v1/labeler/qualification-answers',
  tags: ['labeler'],
  summary: 'Answer a qualification example; returns whether it was right and the membership state',
  security: labelerSecurity,
  request: body(labelerQualificationAnswerSchema),
  responses: {
    201: json(dataEnvelope(labelerQualificationResultSchema), 'Graded'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export type LabelerProfile = z.infer<typeof labelerProfileSchema>;
export type CreateLabelerSession = z.infer<typeof createLabelerSessionSchema>;
export type UpdateLabelerProfile = z.infer<typeof updateLabelerProfileSchema>;
export type LabelerItem = z.infer<typeof labelerItemSchema>;
export type LabelerTaskSettings = z.infer<typeof labelerTaskSettingsSchema>;
export type LabelerWorkTask = z.infer<typeof labelerWorkTaskSchema>;
export type LabelerQualificationTask = z.infer<typeof labelerQualificationTaskSchema>;
export type LabelerNoTask = z.infer<typeof labelerNoTaskSchema>;
export type LabelerNextTask = z.infer<typeof labelerNextTaskSchema>;
export type LabelerAnswer = z.infer<typeof labelerAnswerSchema>;
export type SubmitLabelerResponse = z.infer<typeof submitLabelerResponseSchema>;
export type SubmittedLabelerResponse = z.infer<typeof submittedLabelerResponseSchema>;
export type LabelerQualificationAnswer = z.infer<typeof labelerQualificationAnswerSchema>;
export type LabelerMembership = z.infer<typeof labelerMembershipSchema>;
export type LabelerQualificationResult = z.infer<typeof labelerQualificationResultSchema>;
