import { timestamp, z } from '../common.ts';
import { assetItemInputSchema, dataTypeSchema, itemInputSchema, textItemInputSchema } from '../items.ts';

// What every task type's contract module supplies (TaskTypeContract), and the building blocks they share: the
// fields every definition and qualification example has, and the parts every result shape repeats.

export const SETTING_NAMES = ['NoShuffle', 'Markdown', 'AllowNeitherBoth'] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

export const settingNameSchema = z.enum(SETTING_NAMES).openapi({
  description:
    'NoShuffle: keep answer options (and compare sides) in the given order (options that each start with their own number, like a 1–5 scale, always keep it); Markdown: render instruction and texts as markdown; AllowNeitherBoth: compare labelers may also answer Both or Neither',
});

export const MAX_INSTRUCTION_LENGTH = 250;
export const MAX_CONTEXT_LENGTH = 400;
export const DEFAULT_RESPONSES_PER_DATAPOINT = 10;

/** One problem with a job definition: where (`path`, as in the request body) and what to do. */
export interface DefinitionIssue {
  path: (string | number)[];
  message: string;
}

/** Records one issue. */
export type AddIssue = (path: (string | number)[], message: string) => void;

/** How the rules see items, which are opaque to them (the SDK checks raw strings, the server item inputs). */
export interface ItemRules<I> {
  /** The name an item is known by (text, URL or file name); compare pairs must have two different names. */
  itemKey: (item: I) => string;
  /** Whether a value is one item (as opposed to a list or garbage). */
  isItem: (value: unknown) => value is I;
}

/** The settings flags a task is shown with (the labeler view's `settings`). */
export interface TaskSettingsFlags {
  markdown: boolean;
  allowNeitherBoth: boolean;
  noShuffle: boolean;
}

/**
 * One task type in the contract: its definition body, its datapoints' and fields' rules, its qualification
 * example body, its labeler answer and its results. Registered in `TASK_TYPE_CONTRACTS` (task-types/index.ts).
 */
export interface TaskTypeContract {
  /** The create-definition body of this type; `type` is the discriminator (the registry key). */
  definitionSchema: z.ZodObject;
  /** The definition fields only this type has; a definition of another type may not set them. */
  fields: readonly string[];
  /** The settings that have an effect here (others are accepted with a warning). */
  settings: readonly SettingName[];
  /** The rules of one datapoint (as sent: a pair, one item, …). */
  datapointIssues<I>(datapoint: unknown, index: number, add: AddIssue, items: ItemRules<I>): void;
  /** The rules of this type's own fields (`fields`), given the definition's fields. */
  fieldIssues(input: Readonly<Record<string, unknown>>, add: AddIssue): void;
  /** A datapoint as sent, from its items in order (the inverse of reading a datapoint's items). */
  datapointOf<I>(items: readonly I[]): I | I[];
  /** The categories answers fall into (what stopping rules and confidence count), in the definition's order. */
  categories(task: { answerOptions: readonly string[] | null; settings: TaskSettingsFlags }): string[];
  /** The add-qualification-example body of this type; `taskType` is the discriminator. */
  exampleSchema: z.ZodObject;
  /** A labeler's answer to a task of this type: one field, `answerField`, naming the answer's category. */
  answerSchema: z.ZodObject;
  answerField: string;
  /** The job results of this type. */
  resultsSchema: z.ZodObject;
}

// ---- Definition fields every type has

export const definitionItemInputSchema = z.union([textItemInputSchema, assetItemInputSchema], {
  error: 'Each item must be { text } or { assetId, name }',
});

export const MAX_RESPONSES_PER_DATAPOINT = 10_000;

// The server's limits as zod rules, so the OpenAPI document states them (the messages are jobDefinitionIssues').
export const instructionRule = z.string().max(MAX_INSTRUCTION_LENGTH, {
  error: (iss) =>
    `instruction is ${String(iss.input).length} characters; maximum is ${MAX_INSTRUCTION_LENGTH}. Shorten it (put per-datapoint detail in contexts).`,
});
const responsesError = (iss: { input?: unknown }) =>
  `responsesPerDatapoint must be an integer from 1 to ${MAX_RESPONSES_PER_DATAPOINT}; got ${String(iss.input)}.`;
export const responsesPerDatapointRule = z
  .number()
  .int({ error: responsesError })
  .min(1, { error: responsesError })
  .max(MAX_RESPONSES_PER_DATAPOINT, { error: responsesError });
export const confidenceThresholdRule = z
  .number()
  .gt(0, {
    error: (iss) =>
      `confidenceThreshold must be between 0 and 1 (exclusive), typically 0.99 to 0.999; got ${String(iss.input)}.`,
  })
  .lt(1, {
    error: (iss) =>
      `confidenceThreshold must be between 0 and 1 (exclusive), typically 0.99 to 0.999; got ${String(iss.input)}.`,
  });
const quorumError = (iss: { input?: unknown }) =>
  `quorumThreshold must be a whole number of agreeing responses (≥ 1); got ${String(iss.input)}.`;
export const quorumThresholdRule = z
  .number()
  .int({ error: quorumError })
  .min(1, { error: quorumError })
  .max(MAX_RESPONSES_PER_DATAPOINT, { error: quorumError });

export const commonDefinitionFields = {
  name: z
    .string()
    .max(200)
    .openapi({ description: 'For you; not shown to labelers', example: 'Prompt alignment' }),
  instruction: instructionRule.openapi({
    description: `Shown to labelers; at most ${MAX_INSTRUCTION_LENGTH} characters`,
    example: 'Which image matches the description better?',
  }),
  dataType: dataTypeSchema.default('media'),
  contexts: z
    .array(z.string())
    .optional()
    .openapi({ description: `One text per datapoint, each 1..${MAX_CONTEXT_LENGTH} characters` }),
  mediaContexts: z
    .array(z.array(assetItemInputSchema))
    .optional()
    .openapi({ description: 'One non-empty list of reference media per datapoint' }),
  privateMetadata: z
    .array(z.record(z.string(), z.string()))
    .optional()
    .openapi({ description: 'One object per datapoint, returned in results, never shown to labelers' }),
  responsesPerDatapoint: responsesPerDatapointRule
    .default(DEFAULT_RESPONSES_PER_DATAPOINT)
    .openapi({ description: 'Responses to collect per datapoint (the maximum with early stopping)' }),
  confidenceThreshold: confidenceThresholdRule.optional().openapi({
    description: 'Confidence stopping: stop a datapoint once a category reaches this posterior, in (0, 1)',
  }),
  quorumThreshold: quorumThresholdRule.optional().openapi({
    description: 'Quorum stopping: stop once this many responses agree (1..responsesPerDatapoint)',
  }),
  settings: z.array(settingNameSchema).default([]),
};

// ---- Qualification example fields every type has

export const MAX_INSTRUCTION_CHARS = 250;
export const MAX_CONTEXT_CHARS = 400;
export const MAX_MEDIA_CONTEXT_ITEMS = 10;

const exampleInstruction = z
  .string()
  .min(1, 'Give an instruction.')
  .superRefine((s, ctx) => {
    if (s.length > MAX_INSTRUCTION_CHARS)
      ctx.addIssue({
        code: 'custom',
        message: `instruction is ${s.length} characters; maximum is ${MAX_INSTRUCTION_CHARS}.`,
      });
  });
const exampleContext = z.string().superRefine((s, ctx) => {
  if (s.trim() === '')
    ctx.addIssue({ code: 'custom', message: 'context cannot be an empty string; leave it out instead.' });
  if (s.length > MAX_CONTEXT_CHARS)
    ctx.addIssue({
      code: 'custom',
      message: `context is ${s.length} characters; maximum is ${MAX_CONTEXT_CHARS}.`,
    });
});
const exampleMediaContext = z
  .array(itemInputSchema)
  .min(1, 'mediaContext cannot be empty; leave it out instead.')
  .max(MAX_MEDIA_CONTEXT_ITEMS, `mediaContext has at most ${MAX_MEDIA_CONTEXT_ITEMS} items.`);
const exampleExplanation = z.string().min(1).max(2000, 'An explanation is at most 2000 characters.');

/** What an audience example is for: `qualification` (served before work, with feedback) or `gold` (secret checks among tasks). */
export const EXAMPLE_PURPOSES = ['qualification', 'gold'] as const;
export const examplePurposeSchema = z.enum(EXAMPLE_PURPOSES);
export type ExamplePurpose = z.infer<typeof examplePurposeSchema>;

/** The example fields before the type's own (`instruction`), and after them (data type, context, …). */
export const exampleLeadFields = { instruction: exampleInstruction };
export const exampleTailFields = {
  dataType: dataTypeSchema.default('media'),
  context: exampleContext.optional(),
  mediaContext: exampleMediaContext.optional(),
  explanation: exampleExplanation.optional(),
  settings: z.array(settingNameSchema).max(10).optional(),
  purpose: examplePurposeSchema.default('qualification').openapi({
    description:
      '`qualification` (default): served before work, graded with feedback; `gold`: the secret pool of checks served among tasks, never with feedback',
  }),
};

// ---- Results (the reference product's shapes: "Understanding the Results" and the confidence stopping example)

export const optionNumbersSchema = z.record(z.string(), z.number());

/** The `info` of a results document; `type` is the reference product's name of the task type. */
export const resultsInfoSchema = <L extends string>(label: L) =>
  z.object({
    createdAt: timestamp,
    version: z.string(),
    type: z.literal(label),
    name: z.string(),
    instruction: z.string(),
  });

const reasonCountsSchema = z.object({
  total: z.number().int(),
  byReason: z.record(z.string(), z.number().int()),
});

/**
 * How much of a job's results to trust: its responses, how many are flagged (they count, at a lower weight) and
 * why (`too_fast`: answered sooner after being served than the task type's floor), and how many are excluded
 * from the results and why.
 */
export const resultsIntegritySchema = z
  .object({
    responses: z.number().int().openapi({ description: 'Responses of the job' }),
    flagged: reasonCountsSchema.openapi({
      description: 'Responses counted at the flagged weight, by reason (e.g. too_fast)',
    }),
    excluded: reasonCountsSchema.openapi({ description: 'Responses left out of the results, by reason' }),
  })
  .openapi('ResultsIntegrity');

export const userDetailsSchema = z.object({
  country: z.string().nullable(),
  language: z.string().nullable(),
  userScores: z.object({ global: z.number() }),
  demographics: z.record(z.string(), z.string()),
});

/** Counts, ratios and summed trust scores per option (and confidence with confidence stopping). */
export const aggregateFields = {
  aggregatedResults: optionNumbersSchema,
  aggregatedResultsRatios: optionNumbersSchema,
  summedUserScores: optionNumbersSchema,
  summedUserScoresRatios: optionNumbersSchema,
  confidencePerCategory: optionNumbersSchema.optional(),
};

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
