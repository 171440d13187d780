import { z } from '../common.ts';
import { itemInputSchema } from '../items.ts';
import {
  aggregateFields,
  commonDefinitionFields,
  definitionItemInputSchema,
  exampleLeadFields,
  exampleTailFields,
  plural,
  resultsInfoSchema,
  resultsIntegritySchema,
  type TaskTypeContract,
  userDetailsSchema,
} from './contract.ts';

// Compare: which of two items is better by the instruction. A datapoint is a pair [A, B]; the labeler picks a
// side ('A' = the datapoint's first item whatever the displayed order), or Both/Neither with AllowNeitherBoth.

/** Compare answers besides the two items when `AllowNeitherBoth` is set. */
export const NEITHER_BOTH_OPTIONS = ['Both', 'Neither'] as const;

/** Compare: 'A' is the datapoint's first item whatever the displayed order; 'Both'/'Neither' need AllowNeitherBoth. */
export const labelerCompareAnswerSchema = z
  .object({ choice: z.enum(['A', 'B', 'Both', 'Neither']) })
  .strict()
  .openapi('LabelerCompareAnswer');

export const addCompareExampleSchema = z
  .object({
    taskType: z.literal('compare'),
    ...exampleLeadFields,
    /** Exactly two distinct items. */
    datapoint: z.array(itemInputSchema),
    /** The correct item, by its name: the text for text items, the `name` for media items. */
    truth: z.string().min(1),
    ...exampleTailFields,
  })
  .strict()
  .openapi('AddCompareExample');
export type AddCompareExample = z.input<typeof addCompareExampleSchema>;
export type LabelerCompareAnswer = z.infer<typeof labelerCompareAnswerSchema>;

export const compareResultSchema = z.object({
  context: z.string().nullable(),
  privateMetadata: z.record(z.string(), z.string()).optional(),
  winner_index: z.number().int().nullable(),
  winner: z.string().nullable(),
  ...aggregateFields,
  detailedResults: z.array(z.object({ votedFor: z.string(), userDetails: userDetailsSchema })),
});

export const compareResultsSchema = z
  .object({
    info: resultsInfoSchema('Compare'),
    integrity: resultsIntegritySchema,
    summary: z.object({ A_wins_total: z.number().int(), B_wins_total: z.number().int() }),
    results: z.array(compareResultSchema),
  })
  .openapi('CompareResults');
export type CompareResults = z.infer<typeof compareResultsSchema>;

const pairError = (iss: { input?: unknown; path?: PropertyKey[] }) => {
  const n = Array.isArray(iss.input) ? iss.input.length : 0;
  return `Each datapoint must contain exactly two unique options; datapoint ${String(iss.path?.at(-1) ?? '')} has ${plural(n, 'item')}.`;
};

const compareDefinitionSchema = z
  .object({
    type: z.literal('compare'),
    ...commonDefinitionFields,
    datapoints: z
      .array(
        z
          .array(definitionItemInputSchema, { error: 'Each datapoint must be a list of 2 items ([A, B])' })
          .min(2, { error: pairError })
          .max(2, { error: pairError }),
      )
      .openapi({ description: 'Pairs: exactly 2 different items per datapoint' }),
    aBNames: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Names for side A and B used in results instead of the item names' }),
  })
  .strict();

export const compareContract = {
  definitionSchema: compareDefinitionSchema,
  fields: ['aBNames'],
  settings: ['NoShuffle', 'Markdown', 'AllowNeitherBoth'],
  datapointIssues(dp, i, add, { isItem, itemKey }) {
    if (!Array.isArray(dp)) {
      add(
        ['datapoints', i],
        `Each datapoint must be a list of 2 paths/texts; datapoint ${i} is not a list. Datapoints must be a list of lists.`,
      );
      return;
    }
    if (dp.length !== 2 || !dp.every(isItem)) {
      add(
        ['datapoints', i],
        `Each datapoint must contain exactly two unique options; datapoint ${i} has ${plural(dp.length, 'item')}.`,
      );
      return;
    }
    const [a, b] = dp as [(typeof dp)[number], (typeof dp)[number]];
    if (itemKey(a) === itemKey(b))
      add(
        ['datapoints', i],
        `Each datapoint must contain exactly two unique options; datapoint ${i} has ${JSON.stringify(itemKey(a))} twice.`,
      );
  },
  fieldIssues(input, add) {
    const names = input.aBNames as readonly unknown[] | null | undefined;
    if (names == null) return;
    const settings = (input.settings ?? []) as readonly unknown[];
    if (names.length !== 2)
      add(['aBNames'], `aBNames must have exactly 2 names (for A and B); got ${names.length}.`);
    else if (names.some((x) => typeof x !== 'string' || x.trim() === ''))
      add(['aBNames'], 'aBNames cannot contain empty names.');
    else if (names[0] === names[1]) add(['aBNames'], 'aBNames must be two different names.');
    else if (
      settings.includes('AllowNeitherBoth') &&
      names.some((x) => (NEITHER_BOTH_OPTIONS as readonly unknown[]).includes(x))
    )
      add(
        ['aBNames'],
        'aBNames cannot be "Both" or "Neither" with AllowNeitherBoth (those are its answers).',
      );
  },
  datapointOf: (items) => [...items],
  categories: ({ settings }) =>
    settings.allowNeitherBoth ? ['A', 'B', ...NEITHER_BOTH_OPTIONS] : ['A', 'B'],
  exampleSchema: addCompareExampleSchema,
  answerSchema: labelerCompareAnswerSchema,
  answerField: 'choice',
  resultsSchema: compareResultsSchema,
} as const satisfies TaskTypeContract;
