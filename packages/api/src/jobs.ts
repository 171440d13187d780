import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, idParamSchema, listEnvelope, listQuerySchema, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { dataTypeSchema, itemSchema } from './items.ts';
import { labelerTaskViewSchema } from './labeler.ts';
import { requesterSecurity } from './security.ts';
import {
  type AddIssue,
  commonDefinitionFields,
  confidenceThresholdRule,
  DEFAULT_RESPONSES_PER_DATAPOINT,
  type DefinitionIssue,
  definitionItemInputSchema,
  definitionSchemas,
  type ItemRules,
  instructionRule,
  MAX_CONTEXT_LENGTH,
  MAX_INSTRUCTION_LENGTH,
  MAX_RESPONSES_PER_DATAPOINT,
  quorumThresholdRule,
  responsesPerDatapointRule,
  resultsSchemas,
  settingNameSchema,
  TASK_TYPE_CONTRACTS,
  TASK_TYPES,
  type TaskType,
  type TypeSpecificField,
  taskTypeSchema,
  typesWithField,
} from './task-types/index.ts';

// Job definitions (what to ask, about which datapoints, how many answers), jobs (a definition assigned to an
// audience), their progress and results. The validation rules live here once, as a pure function, so the server
// enforces them and the SDK checks them before uploading; each task type's own rules are in its module
// (task-types/).

export const MAX_DATAPOINTS_PER_REQUEST = 10_000;

/** The fields the rules look at; items are opaque (`itemKey` names them), so the SDK can check raw strings. */
export type DefinitionRulesInput<I> = {
  type: TaskType;
  name?: string | undefined;
  instruction: string;
  datapoints: readonly unknown[];
  contexts?: readonly unknown[] | null | undefined;
  mediaContexts?: readonly unknown[] | null | undefined;
  privateMetadata?: readonly unknown[] | null | undefined;
  responsesPerDatapoint?: number | undefined;
  confidenceThreshold?: number | null | undefined;
  quorumThreshold?: number | null | undefined;
  settings?: readonly string[] | undefined;
  /** Marker so `itemKey`'s parameter type is inferred. */
  readonly __item?: I;
} & { [F in TypeSpecificField]?: readonly unknown[] | null | undefined };

export interface DefinitionRulesOptions<I> extends ItemRules<I> {
  /** Skip datapoint-level rules (revisions change only the task, not the datapoints). */
  skipDatapoints?: boolean;
  /** Skip the per-request datapoint limit (the SDK sends large definitions in several requests). */
  skipRequestLimit?: boolean;
}

/**
 * Every validation rule of a job definition (the reference product's, plus its type's own), as a list of issues;
 * empty when the definition is valid.
 *
 * @example
 * const issues = jobDefinitionIssues(
 *   { type: 'compare', instruction: 'Which is better?', datapoints: [['a.png', 'a.png']] },
 *   { itemKey: (s: string) => s, isItem: (v): v is string => typeof v === 'string' },
 * );
 * // [{ path: ['datapoints', 0], message: 'Each datapoint must contain exactly two unique options; datapoint 0 has "a.png" twice.' }]
 */
export function jobDefinitionIssues<I>(
  input: DefinitionRulesInput<I>,
  options: DefinitionRulesOptions<I>,
): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add: AddIssue = (path, message) => issues.push({ path, message });
  const contract = TASK_TYPE_CONTRACTS[input.type];

  if (input.name !== undefined && input.name.trim() === '') add(['name'], 'name cannot be empty.');
  if (input.instruction.trim() === '') add(['instruction'], 'instruction cannot be empty.');
  if (input.instruction.length > MAX_INSTRUCTION_LENGTH)
    add(
      ['instruction'],
      `instruction is ${input.instruction.length} characters; maximum is ${MAX_INSTRUCTION_LENGTH}. Shorten it (put per-datapoint detail in contexts).`,
    );

  if (!options.skipDatapoints) {
    const n = input.datapoints.length;
    if (n === 0) add(['datapoints'], 'At least one datapoint is required.');
    if (!options.skipRequestLimit && n > MAX_DATAPOINTS_PER_REQUEST)
      add(
        ['datapoints'],
        `${n} datapoints in one request; at most ${MAX_DATAPOINTS_PER_REQUEST}. Add the rest with addDatapoints.`,
      );
    input.datapoints.forEach((dp, i) => {
      contract.datapointIssues(dp, i, add, options);
    });

    const sameLength = (
      field: 'contexts' | 'mediaContexts' | 'privateMetadata',
      list: readonly unknown[],
    ) => {
      if (list.length !== n)
        add(
          [field],
          `Number of ${field} (${list.length}) must match number of datapoints (${n}); give one per datapoint, in the same order.`,
        );
    };
    if (input.contexts) {
      sameLength('contexts', input.contexts);
      input.contexts.forEach((c, i) => {
        if (typeof c !== 'string') add(['contexts', i], `contexts[${i}] must be a string.`);
        else if (c.trim() === '')
          add(
            ['contexts', i],
            `contexts[${i}] cannot be an empty string; omit contexts entirely or give every datapoint a context.`,
          );
        else if (c.length > MAX_CONTEXT_LENGTH)
          add(
            ['contexts', i],
            `contexts[${i}] is ${c.length} characters; maximum is ${MAX_CONTEXT_LENGTH}. Shorten it to what the labeler needs to answer.`,
          );
      });
    }
    if (input.mediaContexts) {
      sameLength('mediaContexts', input.mediaContexts);
      input.mediaContexts.forEach((mc, i) => {
        if (!Array.isArray(mc) || mc.length === 0)
          add(
            ['mediaContexts', i],
            `mediaContexts[${i}] must be a non-empty list of media (one list per datapoint, e.g. [["ref.png"]]).`,
          );
        else
          mc.forEach((item, j) => {
            if (!options.isItem(item) || options.itemKey(item).trim() === '')
              add(['mediaContexts', i, j], `mediaContexts[${i}][${j}] must be a non-empty path or URL.`);
          });
      });
    }
    if (input.privateMetadata) {
      sameLength('privateMetadata', input.privateMetadata);
      input.privateMetadata.forEach((m, i) => {
        const ok =
          typeof m === 'object' &&
          m !== null &&
          !Array.isArray(m) &&
          Object.values(m).every((v) => typeof v === 'string');
        if (!ok) add(['privateMetadata', i], `privateMetadata[${i}] must be an object of string values.`);
      });
    }
  }

  const rpd = input.responsesPerDatapoint ?? DEFAULT_RESPONSES_PER_DATAPOINT;
  const rpdValid = Number.isInteger(rpd) && rpd >= 1 && rpd <= MAX_RESPONSES_PER_DATAPOINT;
  if (!rpdValid)
    add(
      ['responsesPerDatapoint'],
      `responsesPerDatapoint must be an integer from 1 to ${MAX_RESPONSES_PER_DATAPOINT}; got ${rpd}.`,
    );
  const conf = input.confidenceThreshold ?? undefined;
  const quorum = input.quorumThreshold ?? undefined;
  if (conf !== undefined && quorum !== undefined)
    add(
      ['quorumThreshold'],
      'Cannot set both confidenceThreshold and quorumThreshold. Choose one stopping strategy.',
    );
  if (conf !== undefined && !(conf > 0 && conf < 1))
    add(
      ['confidenceThreshold'],
      `confidenceThreshold must be between 0 and 1 (exclusive), typically 0.99 to 0.999; got ${conf}.`,
    );
  if (quorum !== undefined) {
    if (!Number.isInteger(quorum) || quorum < 1)
      add(
        ['quorumThreshold'],
        `quorumThreshold must be a whole number of agreeing responses (≥ 1); got ${quorum}.`,
      );
    else if (rpdValid && quorum > rpd)
      add(
        ['quorumThreshold'],
        `quorumThreshold (${quorum}) cannot exceed responsesPerDatapoint (${rpd}), the maximum responses per datapoint.`,
      );
  }

  // Another type's fields are refused; then the type's own fields follow its rules.
  const fields = input as Readonly<Record<string, unknown>>;
  const own = contract.fields as readonly string[];
  for (const field of new Set(TASK_TYPES.flatMap((t) => TASK_TYPE_CONTRACTS[t].fields)))
    if (!own.includes(field) && fields[field] != null)
      add([field], `${field} applies to ${typesWithField(field).join(' and ')} job definitions only.`);
  contract.fieldIssues(fields, add);
  return issues;
}

/**
 * Warnings for settings that do not apply to the task type (accepted, no effect; the reference product warns too).
 *
 * @example
 * settingWarnings('classification', ['AllowNeitherBoth']);
 * // ['Setting AllowNeitherBoth does not apply to classification job definitions and has no effect.']
 */
export function settingWarnings(type: TaskType, settings: readonly string[] | undefined): string[] {
  const applies = TASK_TYPE_CONTRACTS[type].settings as readonly string[];
  return [...new Set(settings ?? [])]
    .filter((s) => (settingNameSchema.options as readonly string[]).includes(s) && !applies.includes(s))
    .map((s) => `Setting ${s} does not apply to ${type} job definitions and has no effect.`);
}

// ---- Schemas

const itemInput = definitionItemInputSchema;
const isItemInput = (v: unknown): v is z.infer<typeof itemInput> => itemInput.safeParse(v).success;
const itemInputKey = (v: z.infer<typeof itemInput>) => ('text' in v ? v.text : v.name);

type DefinitionBody = z.infer<(typeof definitionSchemas)[number]>;

function refineDefinition(value: DefinitionBody, ctx: z.core.$RefinementCtx) {
  const issues = jobDefinitionIssues(value, { itemKey: itemInputKey, isItem: isItemInput });
  const wantText = value.dataType === 'text';
  const items: [number, unknown][] = value.datapoints.flatMap((dp, i) =>
    (Array.isArray(dp) ? dp : [dp]).map((item) => [i, item] as [number, unknown]),
  );
  const wrong = items.find(
    ([, item]) => (typeof item === 'object' && item !== null && 'text' in item) !== wantText,
  );
  if (wrong)
    issues.push({
      path: ['datapoints', wrong[0]],
      message: wantText
        ? `dataType is "text" but datapoint ${wrong[0]} has a media item; send { text } items or set dataType "media".`
        : `dataType is "media" but datapoint ${wrong[0]} has a text item; upload it as an asset ({ assetId, name }) or set dataType "text".`,
    });
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}

export const createJobDefinitionSchema = z
  .discriminatedUnion('type', definitionSchemas)
  .superRefine(refineDefinition)
  .openapi('CreateJobDefinition');
export type CreateJobDefinition = z.input<typeof createJobDefinitionSchema>;

export const addDatapointsSchema = z
  .object({
    datapoints: z.array(z.union([itemInput, z.array(itemInput)])).openapi({
      description: 'Compare: pairs of items; classification: single items (same rules as at creation)',
    }),
    contexts: commonDefinitionFields.contexts,
    mediaContexts: commonDefinitionFields.mediaContexts,
    privateMetadata: commonDefinitionFields.privateMetadata,
  })
  .strict()
  .openapi('AddDatapoints');
export type AddDatapoints = z.infer<typeof addDatapointsSchema>;

export const createRevisionSchema = z
  .object({
    instruction: instructionRule.optional(),
    settings: z.array(settingNameSchema).optional().openapi({ description: 'Replaces all settings' }),
    responsesPerDatapoint: responsesPerDatapointRule.optional(),
    confidenceThreshold: confidenceThresholdRule.nullable().optional().openapi({
      description: 'Setting either threshold replaces the stopping rule; null removes it',
    }),
    quorumThreshold: quorumThresholdRule.nullable().optional(),
    answerOptions: z.array(z.string()).optional(),
    aBNames: z.array(z.string()).nullable().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change.')
  .openapi('CreateJobDefinitionRevision');
export type CreateRevision = z.infer<typeof createRevisionSchema>;

export const jobDefinitionSchema = z
  .object({
    id: z.string().openapi({ example: 'jdf_3n0k8q2w5e7r9t1y' }),
    name: z.string(),
    type: taskTypeSchema,
    revision: z.number().int().openapi({ description: 'The latest revision number (1 at creation)' }),
    instruction: z.string(),
    dataType: dataTypeSchema,
    settings: z.array(settingNameSchema),
    answerOptions: z.array(z.string()).nullable(),
    aBNames: z.array(z.string()).nullable(),
    responsesPerDatapoint: z.number().int(),
    confidenceThreshold: z.number().nullable(),
    quorumThreshold: z.number().int().nullable(),
    datapointCount: z.number().int(),
    createdAt: timestamp,
  })
  .openapi('JobDefinition');
export type JobDefinition = z.infer<typeof jobDefinitionSchema>;

const withWarnings = <T extends z.ZodType>(schema: T) =>
  z.object({
    data: schema,
    warnings: z
      .array(z.string())
      .openapi({ description: 'Accepted, but worth knowing (e.g. a setting with no effect)' }),
  });

const definitionId = idParamSchema('JobDefinitionId', 'jdf_3n0k8q2w5e7r9t1y');
const jobId = idParamSchema('JobId', 'job_3n0k8q2w5e7r9t1y');

export const createJobDefinitionRoute = createRoute({
  operationId: 'createJobDefinition',
  method: 'post',
  path: '/api/v1/job-definitions',
  tags: ['jobs'],
  summary: 'Create a compare or classification job definition with its datapoints (revision 1)',
  security: requesterSecurity,
  request: {
    body: { content: { 'application/json': { schema: createJobDefinitionSchema } }, required: true },
  },
  responses: {
    201: {
      description: 'Created',
      content: { 'application/json': { schema: withWarnings(jobDefinitionSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const addDatapointsRoute = createRoute({
  operationId: 'addDatapoints',
  method: 'post',
  path: '/api/v1/job-definitions/{id}/datapoints',
  tags: ['jobs'],
  summary: 'Add datapoints to the latest revision (e.g. ones whose upload failed at first)',
  security: requesterSecurity,
  request: {
    params: definitionId,
    body: { content: { 'application/json': { schema: addDatapointsSchema } }, required: true },
  },
  responses: {
    200: {
      description: 'The definition',
      content: { 'application/json': { schema: dataEnvelope(jobDefinitionSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const createRevisionRoute = createRoute({
  operationId: 'createRevision',
  method: 'post',
  path: '/api/v1/job-definitions/{id}/revisions',
  tags: ['jobs'],
  summary:
    'Create a new revision with a changed instruction, settings or stopping rule (datapoints are kept)',
  security: requesterSecurity,
  request: {
    params: definitionId,
    body: { content: { 'application/json': { schema: createRevisionSchema } }, required: true },
  },
  responses: {
    201: {
      description: 'The definition at its new revision',
      content: { 'application/json': { schema: withWarnings(jobDefinitionSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

/** A datapoint as stored (items resolved), for previews and listings. */
export const storedDatapointSchema = z
  .object({
    id: z.string(),
    items: z.array(itemSchema),
    context: z.string().nullable(),
    mediaContext: z.array(itemSchema).nullable(),
  })
  .openapi('Datapoint');
export type StoredDatapoint = z.infer<typeof storedDatapointSchema>;

export const listDatapointsRoute = createRoute({
  operationId: 'listDatapoints',
  method: 'get',
  path: '/api/v1/job-definitions/{id}/datapoints',
  tags: ['jobs'],
  summary: "The latest revision's datapoints in their order (the order of the results' entries)",
  security: requesterSecurity,
  request: { params: definitionId, query: listQuerySchema.omit({ name: true }).strict() },
  responses: {
    200: {
      description: 'Datapoints',
      content: { 'application/json': { schema: listEnvelope(storedDatapointSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const listRevisionsRoute = createRoute({
  operationId: 'listRevisions',
  method: 'get',
  path: '/api/v1/job-definitions/{id}/revisions',
  tags: ['jobs'],
  summary: "The definition's revisions, newest first (each as the definition read at that revision)",
  security: requesterSecurity,
  request: { params: definitionId },
  responses: {
    200: {
      description: 'Revisions',
      content: { 'application/json': { schema: dataEnvelope(z.array(jobDefinitionSchema)) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getJobDefinitionRoute = createRoute({
  operationId: 'getJobDefinition',
  method: 'get',
  path: '/api/v1/job-definitions/{id}',
  tags: ['jobs'],
  summary: 'A job definition (its latest revision)',
  security: requesterSecurity,
  request: { params: definitionId },
  responses: {
    200: {
      description: 'The definition',
      content: { 'application/json': { schema: dataEnvelope(jobDefinitionSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const listJobDefinitionsRoute = createRoute({
  operationId: 'listJobDefinitions',
  method: 'get',
  path: '/api/v1/job-definitions',
  tags: ['jobs'],
  summary: 'Find job definitions by name, newest first',
  security: requesterSecurity,
  request: { query: listQuerySchema },
  responses: {
    200: {
      description: 'Definitions',
      content: { 'application/json': { schema: listEnvelope(jobDefinitionSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});

export const previewSchema = z
  .object({
    url: z.string().openapi({ description: 'Open in a browser: the labeler view, answers are not recorded' }),
    expiresAt: timestamp,
  })
  .openapi('JobDefinitionPreview');
export type JobDefinitionPreview = z.infer<typeof previewSchema>;

export const createPreviewRoute = createRoute({
  operationId: 'createPreview',
  method: 'post',
  path: '/api/v1/job-definitions/{id}/preview',
  tags: ['jobs'],
  summary: "A short-lived link to the labeler's view of the definition (answers are not recorded)",
  security: requesterSecurity,
  request: { params: definitionId },
  responses: {
    201: {
      description: 'The link',
      content: { 'application/json': { schema: dataEnvelope(previewSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

// ---- Jobs

export const JOB_STATUSES = ['created', 'running', 'completed', 'failed', 'paused'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Why a running job cannot progress right now: `NO_ELIGIBLE_LABELERS` when every labeler its audience admits has
 * answered every open datapoint (only new labelers can move it on); waiting states: `NO_ADMITTED_LABELERS` when its
 * audience admits no labeler yet (a fresh server, or nobody qualified), `NO_ACTIVE_LABELERS` when the admitted
 * labelers who may still answer have not been seen for a while (they left; the job goes on when they come back).
 */
export const JOB_STALL_CODES = [
  'NO_ELIGIBLE_LABELERS',
  'NO_ADMITTED_LABELERS',
  'NO_ACTIVE_LABELERS',
] as const;
export type JobStallCode = (typeof JOB_STALL_CODES)[number];

export const jobStallSchema = z
  .object({
    code: z.enum(JOB_STALL_CODES),
    reason: z.string().openapi({
      example:
        'No labeler left who may answer: all 9 qualified labelers of audience "Experts" have answered every open datapoint (2 open datapoints, each at 9 of 10 responses). It completes only if more labelers join and qualify; getResults({ wait: false }) gives the results so far.',
    }),
    since: timestamp.openapi({
      description: "The job's last progress: its latest response or expired lease, else its start",
    }),
  })
  .openapi('JobStall');
export type JobStall = z.infer<typeof jobStallSchema>;

export const jobProgressSchema = z
  .object({
    completedTasks: z.number().int(),
    totalTasks: z.number().int(),
    responses: z.number().int().openapi({ description: 'Responses recorded so far' }),
    completionPercentage: z.number().openapi({ description: '0..100' }),
    stalled: jobStallSchema.nullable().openapi({
      description:
        'Set while a running job cannot progress (no open datapoint can be claimed by any admitted labeler and no lease is out), with the reason; null otherwise',
    }),
  })
  .openapi('JobProgress');
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const jobSchema = z
  .object({
    id: z.string().openapi({ example: 'job_3n0k8q2w5e7r9t1y' }),
    name: z.string(),
    definitionId: z.string(),
    /** Its definition's task type (it decides the shape of the results). */
    type: taskTypeSchema,
    revision: z.number().int(),
    audienceId: z.string().openapi({ example: 'global' }),
    status: z.enum(JOB_STATUSES),
    createdAt: timestamp,
    completedAt: timestamp.nullable(),
    progress: jobProgressSchema,
  })
  .openapi('Job');
export type Job = z.infer<typeof jobSchema>;

export const createJobSchema = z
  .object({
    definitionId: z.string().min(1).max(100),
    revision: z.number().int().min(1).optional().openapi({ description: 'Default: the latest revision' }),
    audienceId: z
      .string()
      .min(1)
      .max(100)
      .openapi({ description: "An audience of yours, or 'global'", example: 'global' }),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "Default: the definition's name" }),
  })
  .strict()
  .openapi('CreateJob');
export type CreateJob = z.infer<typeof createJobSchema>;

export const createJobRoute = createRoute({
  operationId: 'createJob',
  method: 'post',
  path: '/api/v1/jobs',
  tags: ['jobs'],
  summary: 'Assign a job definition to an audience: the job starts running with one task per datapoint',
  security: requesterSecurity,
  request: { body: { content: { 'application/json': { schema: createJobSchema } }, required: true } },
  responses: {
    201: {
      description: 'The running job',
      content: { 'application/json': { schema: withWarnings(jobSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const listJobsQuerySchema = listQuerySchema
  .extend({
    audienceId: z.string().min(1).max(100).optional().openapi({ description: 'Only jobs of this audience' }),
    status: z.enum(JOB_STATUSES).optional().openapi({ description: 'Only jobs in this status' }),
  })
  .strict();

export const listJobsRoute = createRoute({
  operationId: 'listJobs',
  method: 'get',
  path: '/api/v1/jobs',
  tags: ['jobs'],
  summary: 'Find jobs by name, audience and status, newest first',
  security: requesterSecurity,
  request: { query: listJobsQuerySchema },
  responses: {
    200: { description: 'Jobs', content: { 'application/json': { schema: listEnvelope(jobSchema) } } },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});

export const getJobRoute = createRoute({
  operationId: 'getJob',
  method: 'get',
  path: '/api/v1/jobs/{id}',
  tags: ['jobs'],
  summary: 'A job with its status and progress',
  security: requesterSecurity,
  request: { params: jobId },
  responses: {
    200: { description: 'The job', content: { 'application/json': { schema: dataEnvelope(jobSchema) } } },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const pauseJobRoute = createRoute({
  operationId: 'pauseJob',
  method: 'post',
  path: '/api/v1/jobs/{id}/pause',
  tags: ['jobs'],
  summary: 'Pause a running job (labelers are no longer served its tasks)',
  security: requesterSecurity,
  request: { params: jobId },
  responses: {
    200: { description: 'The job', content: { 'application/json': { schema: dataEnvelope(jobSchema) } } },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'),
  },
});

export const resumeJobRoute = createRoute({
  operationId: 'resumeJob',
  method: 'post',
  path: '/api/v1/jobs/{id}/resume',
  tags: ['jobs'],
  summary: 'Resume a paused job',
  security: requesterSecurity,
  request: { params: jobId },
  responses: {
    200: { description: 'The job', content: { 'application/json': { schema: dataEnvelope(jobSchema) } } },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'),
  },
});

// ---- Results (each task type's shape is in its module)

export const jobResultsSchema = z.union(resultsSchemas).openapi('JobResults');
export type JobResults = z.infer<typeof jobResultsSchema>;

export const jobResultsQuerySchema = z
  .object({
    includeExcluded: z.enum(['true', 'false']).default('false').openapi({
      description: 'Keep the responses the results leave out (of dropped labelers) in the results',
    }),
  })
  .strict();

export const getJobResultsRoute = createRoute({
  operationId: 'getJobResults',
  method: 'get',
  path: '/api/v1/jobs/{id}/results',
  tags: ['jobs'],
  summary: "The job's results so far, derived from its responses (complete once the job is completed)",
  description:
    "Responses of labelers dropped from the job's audience by their gold accuracy are left out (counted in `integrity.excluded` with reason `dropped`) unless `includeExcluded=true`.",
  security: requesterSecurity,
  request: { params: jobId, query: jobResultsQuerySchema },
  responses: {
    200: {
      description: 'Results',
      content: { 'application/json': { schema: dataEnvelope(jobResultsSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const labelerPreviewSchema = z
  .object({
    definitionId: z.string(),
    name: z.string(),
    revision: z.number().int(),
    expiresAt: timestamp,
    /** Every datapoint as one labeler would see it: the same presentation rules (A/B order, shuffled options). */
    tasks: z.array(labelerTaskViewSchema),
  })
  .openapi('LabelerPreview');
export type LabelerPreview = z.infer<typeof labelerPreviewSchema>;

export const getLabelerPreviewRoute = createRoute({
  operationId: 'getLabelerPreview',
  method: 'get',
  path: '/api/v1/labeler/preview/{key}',
  tags: ['labeler'],
  summary:
    "A job definition's datapoints in the labeler view, for a preview link (no session; nothing is recorded)",
  request: {
    params: z.object({
      key: z
        .string()
        .min(10)
        .max(200)
        .openapi({ param: { name: 'key', in: 'path' } }),
    }),
  },
  responses: {
    200: {
      description: 'The preview',
      content: { 'application/json': { schema: dataEnvelope(labelerPreviewSchema) } },
    },
    ...errorResponses('VALIDATION_FAILED', 'NOT_FOUND'),
  },
});
