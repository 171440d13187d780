import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, idParamSchema, listEnvelope, listQuerySchema, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { requesterSecurity } from './security.ts';

/**
 * Models: AI models registered by their HTTP endpoint, to be run on evaluations. A model belongs to the
 * organization that made it; `visibility: 'public'` shows it to every organization on the server (read only:
 * another organization's model is changed, deleted or tested only by its owners, and for anyone else such a
 * write is NOT_FOUND, as every other resource outside your organization), `publiclyRunnable` lets others run
 * evaluations on it. The endpoint is a POST of a JSON body template with `%PROMPT%` replaced by the task, headers
 * (secrets: stored encrypted, shown masked, only to the owners) and a response path naming the answer.
 */

export const MODEL_VISIBILITIES = ['private', 'public'] as const;
export type ModelVisibility = (typeof MODEL_VISIBILITIES)[number];
export const ENDPOINT_PRESETS = ['openai-chat'] as const;
export type EndpointPreset = (typeof ENDPOINT_PRESETS)[number];
/** Replaced by the task's text (JSON-escaped) inside the body template's strings. */
export const PROMPT_PLACEHOLDER = '%PROMPT%';
export const MAX_ENDPOINT_HEADERS = 32;
export const MAX_BODY_TEMPLATE_LENGTH = 64_000;
export const MAX_RESPONSE_PATH_STEPS = 32;
/** The raw response a test returns is cut to this many characters (`truncated` says so). */
export const MAX_TEST_RESPONSE_CHARS = 16_000;
export const MAX_TEST_PROMPT_LENGTH = 100_000;

const modelNameSchema = z.string().trim().min(1, 'Give the model a name.').max(200);
const optionalText = (max: number) => z.string().trim().max(max);

const urlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => {
    try {
      const url = new URL(u);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'The endpoint URL must be an absolute http:// or https:// URL, e.g. http://127.0.0.1:8000/v1/chat/completions.')
  .openapi({ example: 'http://127.0.0.1:8000/v1/chat/completions' });

const headerNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'A header name is letters, digits and - (e.g. Authorization).');
const headerValueSchema = z
  .string()
  .max(8000)
  .refine((v) => !/[\r\n\0]/.test(v), 'A header value cannot contain line breaks.');

function headerCount(headers: Record<string, unknown>, ctx: z.RefinementCtx) {
  const names = Object.keys(headers);
  if (names.length > MAX_ENDPOINT_HEADERS)
    ctx.addIssue({ code: 'custom', message: `At most ${MAX_ENDPOINT_HEADERS} headers.` });
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name.toLowerCase()))
      ctx.addIssue({ code: 'custom', message: `Header ${name} is given twice (names ignore case).` });
    seen.add(name.toLowerCase());
  }
}

/** Headers sent with every request, e.g. `{ "Authorization": "Bearer sk-…" }`: values are secrets. */
export const endpointHeadersSchema = z
  .record(headerNameSchema, headerValueSchema)
  .superRefine(headerCount)
  .openapi({ description: 'Header values are stored encrypted and never returned (shown masked)' });

/** A change of headers: a value replaces (or adds) that header, `null` removes it, headers left out are kept. */
const headersPatchSchema = z
  .record(headerNameSchema, headerValueSchema.nullable())
  .superRefine(headerCount)
  .openapi({ description: 'A value replaces or adds a header, null removes it; headers not named are kept' });

/** Whether `%PROMPT%` occurs inside a string (a key or a value) of the parsed template. */
function hasPlaceholder(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(PROMPT_PLACEHOLDER);
  if (Array.isArray(value)) return value.some(hasPlaceholder);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => k.includes(PROMPT_PLACEHOLDER) || hasPlaceholder(v));
  return false;
}

export const bodyTemplateSchema = z
  .string()
  .max(MAX_BODY_TEMPLATE_LENGTH, `The body template is at most ${MAX_BODY_TEMPLATE_LENGTH} characters.`)
  .superRefine((text, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        message: `The body template must be valid JSON (${(err as Error).message}); put ${PROMPT_PLACEHOLDER} inside a string, e.g. {"prompt": "${PROMPT_PLACEHOLDER}"}.`,
      });
      return;
    }
    if (!hasPlaceholder(parsed))
      ctx.addIssue({
        code: 'custom',
        message: `The body template must contain ${PROMPT_PLACEHOLDER} inside a string, where the task's text goes, e.g. {"prompt": "${PROMPT_PLACEHOLDER}"}.`,
      });
  })
  .openapi({
    description: `JSON text of the request body; each ${PROMPT_PLACEHOLDER} inside its strings is replaced by the task (JSON-escaped)`,
    example: '{"model": "llama3", "messages": [{"role": "user", "content": "%PROMPT%"}]}',
  });

export const responsePathSchema = z
  .array(z.union([z.string().max(200), z.number().int().min(0)]))
  .max(MAX_RESPONSE_PATH_STEPS, `A response path has at most ${MAX_RESPONSE_PATH_STEPS} steps.`)
  .superRefine((path, ctx) => {
    if (path.length === 0) return;
    if (path[0] !== 'json' && path[0] !== 'text')
      ctx.addIssue({
        code: 'custom',
        path: [0],
        message:
          'A response path starts with "json" (parse the body as JSON, then follow keys and indexes) or "text" (the raw body); [] takes the raw body.',
      });
    if (path[0] === 'text' && path.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: [1],
        message: '"text" is the whole raw body: nothing can follow it (use "json" to follow keys).',
      });
  })
  .openapi({
    description:
      'Where the answer is in the response: ["json", key or index, …] follows the parsed body, ["text"] or [] is the raw body',
    example: ['json', 'choices', 0, 'message', 'content'],
  });

const presetFields = {
  preset: z.enum(ENDPOINT_PRESETS).optional().openapi({
    description:
      'openai-chat: an OpenAI-compatible /v1/chat/completions endpoint; sets bodyTemplate, responsePath and the Authorization header from model and apiKey',
  }),
  model: z.string().trim().min(1).max(200).optional().openapi({ description: 'preset only: the model name' }),
  apiKey: z
    .string()
    .min(1)
    .max(4000)
    .refine((v) => !/[\r\n\0]/.test(v), 'An API key cannot contain line breaks.')
    .optional()
    .openapi({ description: 'preset only: sent as "Authorization: Bearer <apiKey>" (stored encrypted)' }),
  systemPrompt: z.string().max(20_000).optional().openapi({ description: 'preset only: a system message' }),
  maxTokens: z.number().int().positive().max(1_000_000).optional().openapi({ description: 'preset only' }),
  temperature: z.number().min(0).max(2).optional().openapi({ description: 'preset only' }),
};
const PRESET_ONLY = ['model', 'apiKey', 'systemPrompt', 'maxTokens', 'temperature'] as const;

function presetRules(requireModel: boolean) {
  return (e: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (e.preset !== undefined) {
      if (requireModel && e.model === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['model'],
          message: `The ${String(e.preset)} preset needs "model": the model name the server expects (e.g. "llama3").`,
        });
      for (const key of ['bodyTemplate', 'responsePath'] as const)
        if (e[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `The ${String(e.preset)} preset sets ${key}; leave it out, or leave out "preset" to give your own.`,
          });
      return;
    }
    for (const key of PRESET_ONLY)
      if (e[key] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `"${key}" goes with a preset (e.g. "preset": "openai-chat"); without one give headers and bodyTemplate.`,
        });
  };
}

/**
 * An endpoint: `url`, `headers`, `bodyTemplate` and `responsePath` (default [] = the raw body), or a preset
 * (`preset`, `url`, `model`, `apiKey`?) that sets them.
 */
export const endpointInputSchema = z
  .object({
    url: urlSchema,
    headers: endpointHeadersSchema.optional(),
    bodyTemplate: bodyTemplateSchema.optional(),
    responsePath: responsePathSchema.optional(),
    ...presetFields,
  })
  .strict()
  .superRefine((e, ctx) => {
    presetRules(true)(e, ctx);
    if (e.preset === undefined && e.bodyTemplate === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['bodyTemplate'],
        message: `Give a bodyTemplate (JSON with ${PROMPT_PLACEHOLDER}), or "preset": "openai-chat" with "model".`,
      });
  })
  .openapi('EndpointInput');
export type EndpointInput = z.input<typeof endpointInputSchema>;

/** A change of the endpoint: the fields given replace the stored ones; `headers` is a patch; a preset resets body and path. */
export const endpointPatchSchema = z
  .object({
    url: urlSchema.optional(),
    headers: headersPatchSchema.optional(),
    bodyTemplate: bodyTemplateSchema.optional(),
    responsePath: responsePathSchema.optional(),
    ...presetFields,
  })
  .strict()
  .superRefine(presetRules(true))
  .openapi('EndpointPatch');
export type EndpointPatch = z.input<typeof endpointPatchSchema>;

const positiveLimit = z.number().int('Limits are whole numbers.').positive('Limits are above 0.').max(1e12);
const cost = z.number().min(0, 'Costs cannot be negative.').max(1e9);

export const modelLimitsSchema = z
  .object({
    requestsPerMinute: positiveLimit.nullable().optional(),
    tokensPerMinute: positiveLimit.nullable().optional().openapi({
      description: 'Request and response tokens per minute (4 characters a token)',
    }),
    contextWindowTokens: positiveLimit.nullable().optional().openapi({
      description: 'Tokens of one call, prompt and answer: longer tasks are skipped',
    }),
  })
  .strict()
  .openapi('ModelLimitsInput', { description: 'Optional; null (or left out) means no limit' });

export const modelCostsSchema = z
  .object({
    perThousandInputTokens: cost.nullable().optional(),
    perThousandOutputTokens: cost.nullable().optional(),
    perInstanceHour: cost.nullable().optional(),
  })
  .strict()
  .openapi('ModelCostsInput', { description: 'USD; null (or left out) counts as 0' });

function runnableNeedsPublic(
  m: { visibility?: ModelVisibility | undefined; publiclyRunnable?: boolean | undefined },
  ctx: z.RefinementCtx,
) {
  if (m.publiclyRunnable === true && m.visibility === 'private')
    ctx.addIssue({
      code: 'custom',
      path: ['publiclyRunnable'],
      message: 'A private model cannot be publicly runnable: make it public first.',
    });
}

const descriptiveFields = {
  description: optionalText(5000).nullable().optional(),
  publisher: optionalText(200).nullable().optional().openapi({ example: 'Meta' }),
  architecture: optionalText(200).nullable().optional().openapi({ example: 'decoder-only transformer' }),
  parameterCount: z.number().int().positive().max(1e15).nullable().optional().openapi({ example: 8e9 }),
};

export const createModelSchema = z
  .object({
    name: modelNameSchema,
    ...descriptiveFields,
    visibility: z.enum(MODEL_VISIBILITIES).default('private'),
    publiclyRunnable: z.boolean().default(false).openapi({
      description: 'Other organizations may run evaluations on it (at your cost); needs visibility public',
    }),
    endpoint: endpointInputSchema,
    limits: modelLimitsSchema.optional(),
    costs: modelCostsSchema.optional(),
  })
  .strict()
  .superRefine(runnableNeedsPublic)
  .openapi('CreateModel');
export type CreateModel = z.input<typeof createModelSchema>;

export const updateModelSchema = z
  .object({
    name: modelNameSchema.optional(),
    ...descriptiveFields,
    visibility: z.enum(MODEL_VISIBILITIES).optional(),
    publiclyRunnable: z.boolean().optional(),
    endpoint: endpointPatchSchema.optional(),
    limits: modelLimitsSchema.optional(),
    costs: modelCostsSchema.optional(),
  })
  .strict()
  .superRefine(runnableNeedsPublic)
  .refine((u) => Object.values(u).some((v) => v !== undefined), 'Give at least one field to change.')
  .openapi('UpdateModel');
export type UpdateModel = z.input<typeof updateModelSchema>;

export const modelEndpointSchema = z
  .object({
    url: z.string(),
    headers: z.record(z.string(), z.string()).openapi({
      description:
        'Header names with masked values (e.g. "Bearer sk-…1234" or "••••"); the values are never returned',
    }),
    bodyTemplate: z.string(),
    responsePath: z.array(z.union([z.string(), z.number()])),
  })
  .openapi('ModelEndpoint');
export type ModelEndpoint = z.infer<typeof modelEndpointSchema>;

export const modelSchema = z
  .object({
    id: z.string().openapi({ example: 'mdl_4kq9x2m7p1d8s3wz' }),
    name: z.string(),
    description: z.string().nullable(),
    publisher: z.string().nullable(),
    architecture: z.string().nullable(),
    parameterCount: z.number().nullable(),
    visibility: z.enum(MODEL_VISIBILITIES),
    publiclyRunnable: z.boolean(),
    /** Whether your organization owns it (may edit, delete and test it). */
    owned: z.boolean(),
    organizationName: z.string().openapi({ description: 'The owning organization' }),
    endpoint: modelEndpointSchema
      .nullable()
      .openapi({ description: "The endpoint, for its owners only (null on another organization's model)" }),
    limits: z.object({
      requestsPerMinute: z.number().nullable(),
      tokensPerMinute: z.number().nullable(),
      contextWindowTokens: z.number().nullable(),
    }),
    costs: z.object({
      perThousandInputTokens: z.number().nullable(),
      perThousandOutputTokens: z.number().nullable(),
      perInstanceHour: z.number().nullable(),
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Model');
export type Model = z.infer<typeof modelSchema>;

export const MODEL_SORTS = [
  'name',
  '-name',
  'createdAt',
  '-createdAt',
  'parameterCount',
  '-parameterCount',
] as const;
export type ModelSort = (typeof MODEL_SORTS)[number];

export const findModelsQuerySchema = listQuerySchema
  .extend({
    owner: z.enum(['mine', 'others', 'any']).default('any').openapi({
      description: "mine: your organization's; others: public models of other organizations; any: both",
    }),
    visibility: z.enum(MODEL_VISIBILITIES).optional(),
    sort: z.enum(MODEL_SORTS).default('-createdAt').openapi({ description: 'A leading - sorts descending' }),
  })
  .strict();
export type FindModelsQuery = z.input<typeof findModelsQuerySchema>;

export const testEndpointSchema = z
  .object({
    prompt: z
      .string()
      .min(1, 'Give a prompt to send.')
      .max(MAX_TEST_PROMPT_LENGTH)
      .default('Say hello in one word.'),
    endpoint: endpointPatchSchema.optional().openapi({
      description: 'Unsaved changes to try (as in an update); the stored endpoint is not changed',
    }),
  })
  .strict()
  .openapi('TestEndpoint');
export type TestEndpoint = z.input<typeof testEndpointSchema>;

export const testNewEndpointSchema = z
  .object({
    prompt: z
      .string()
      .min(1, 'Give a prompt to send.')
      .max(MAX_TEST_PROMPT_LENGTH)
      .default('Say hello in one word.'),
    endpoint: endpointInputSchema,
  })
  .strict()
  .openapi('TestNewEndpoint');
export type TestNewEndpoint = z.input<typeof testNewEndpointSchema>;

export const ENDPOINT_FAILURES = ['network', 'timeout', 'status', 'body', 'path', 'aborted'] as const;
export type EndpointFailureKind = (typeof ENDPOINT_FAILURES)[number];

export const endpointTestResultSchema = z
  .object({
    ok: z.boolean(),
    /** The HTTP status, or null when no response came (network error, timeout). */
    status: z.number().int().nullable(),
    latencyMs: z.number(),
    request: z.object({
      url: z.string(),
      headers: z.record(z.string(), z.string()).openapi({ description: 'Masked as in the model' }),
      body: z.string(),
    }),
    response: z.object({
      body: z
        .string()
        .openapi({ description: `The raw body, at most ${MAX_TEST_RESPONSE_CHARS} characters` }),
      truncated: z.boolean(),
      contentType: z.string().nullable(),
    }),
    /** What the response path points at (any JSON value), when it resolves. */
    extracted: z.unknown().optional(),
    /** The answer a run would record: the extracted string (other values as JSON text). */
    answer: z.string().nullable(),
    error: z
      .object({
        kind: z.enum(ENDPOINT_FAILURES),
        message: z.string(),
        /** The index of the response path step that did not resolve (kind path). */
        step: z.number().int().optional(),
        /** Whether a run would retry it (network, timeout, 429, 5xx, malformed body). */
        transient: z.boolean(),
      })
      .nullable(),
  })
  .openapi('EndpointTestResult');
export type EndpointTestResult = z.infer<typeof endpointTestResultSchema>;

// ---- Routes

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const modelId = idParamSchema('ModelId', 'mdl_4kq9x2m7p1d8s3wz');
const security = requesterSecurity;

export const createModelRoute = createRoute({
  operationId: 'createModel',
  method: 'post',
  path: '/api/v1/models',
  tags: ['models'],
  summary:
    'Register a model by its HTTP endpoint (or the openai-chat preset); names are unique per organization',
  security,
  request: body(createModelSchema),
  responses: {
    201: json(dataEnvelope(modelSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'CONFLICT'),
  },
});

export const findModelsRoute = createRoute({
  operationId: 'findModels',
  method: 'get',
  path: '/api/v1/models',
  tags: ['models'],
  summary: "Your organization's models and other organizations' public ones",
  security,
  request: { query: findModelsQuerySchema },
  responses: {
    200: json(listEnvelope(modelSchema), 'Models'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});

export const getModelRoute = createRoute({
  operationId: 'getModel',
  method: 'get',
  path: '/api/v1/models/{id}',
  tags: ['models'],
  summary: "A model by id: yours, or another organization's public one (without its endpoint)",
  security,
  request: { params: modelId },
  responses: {
    200: json(dataEnvelope(modelSchema), 'The model'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const updateModelRoute = createRoute({
  operationId: 'updateModel',
  method: 'patch',
  path: '/api/v1/models/{id}',
  tags: ['models'],
  summary:
    "Change your model's details, visibility, endpoint (headers: a value replaces, null removes), limits or costs",
  security,
  request: { params: modelId, ...body(updateModelSchema) },
  responses: {
    200: json(dataEnvelope(modelSchema), 'Updated'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const deleteModelRoute = createRoute({
  operationId: 'deleteModel',
  method: 'delete',
  path: '/api/v1/models/{id}',
  tags: ['models'],
  summary: 'Delete your model: it is no longer found (its name is free again)',
  security,
  request: { params: modelId },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const testModelEndpointRoute = createRoute({
  operationId: 'testModelEndpoint',
  method: 'post',
  path: '/api/v1/models/{id}/test',
  tags: ['models'],
  summary:
    "Send one real request to your model's endpoint (optionally with unsaved changes): the raw response and what the response path extracts",
  security,
  request: { params: modelId, ...body(testEndpointSchema) },
  responses: {
    200: json(
      dataEnvelope(endpointTestResultSchema),
      'What the endpoint answered (ok false says why it failed)',
    ),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const testNewEndpointRoute = createRoute({
  operationId: 'testNewEndpoint',
  method: 'post',
  path: '/api/v1/endpoint-tests',
  tags: ['models'],
  summary:
    'Send one real request to an endpoint not saved yet (the add wizard): the raw response and what the response path extracts',
  security,
  request: body(testNewEndpointSchema),
  responses: {
    200: json(
      dataEnvelope(endpointTestResultSchema),
      'What the endpoint answered (ok false says why it failed)',
    ),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS),
  },
});
