import { z } from '../common.ts';
import { assetItemInputSchema, itemInputSchema, textItemInputSchema } from '../items.ts';
import {
  aggregateFields,
  commonDefinitionFields,
  exampleLeadFields,
  exampleTailFields,
  optionNumbersSchema,
  resultsInfoSchema,
  resultsIntegritySchema,
  type TaskTypeContract,
  userDetailsSchema,
} from './contract.ts';

// Classification: which of the answer options fits one item. A datapoint is one item; the labeler picks an option.

/** Classification: one of the answer options, by its text. */
export const labelerClassificationAnswerSchema = z
  .object({ category: z.string().min(1).max(1000) })
  .strict()
  .openapi('LabelerClassificationAnswer');

/** The same caps for a definition's options as for an example's: a labeler reads them all on one screen. */
const MAX_ANSWER_OPTIONS = 50;
const MAX_OPTION_LENGTH = 200;

export const addClassificationExampleSchema = z
  .object({
    taskType: z.literal('classification'),
    ...exampleLeadFields,
    answerOptions: z
      .array(z.string().trim().min(1, 'Answer options cannot be empty strings.').max(MAX_OPTION_LENGTH))
      .min(2, 'Give at least two answer options.')
      .max(MAX_ANSWER_OPTIONS, `At most ${MAX_ANSWER_OPTIONS} answer options.`),
    /** The one item to classify. */
    datapoint: itemInputSchema,
    /** The correct options (any of them counts as right). */
    truth: z.array(z.string()).min(1, 'truth lists at least one of the answer options.'),
    ...exampleTailFields,
  })
  .strict()
  .openapi('AddClassificationExample');
export type AddClassificationExample = z.input<typeof addClassificationExampleSchema>;
export type LabelerClassificationAnswer = z.infer<typeof labelerClassificationAnswerSchema>;

export const classificationResultSchema = z.object({
  originalFileName: z.string().optional(),
  text: z.string().optional(),
  context: z.string().nullable(),
  privateMetadata: z.record(z.string(), z.string()).optional(),
  ...aggregateFields,
  detailedResults: z.array(
    z.object({
      selectedCategory: z.string(),
      userDetails: userDetailsSchema.extend({ userScore: z.number() }),
    }),
  ),
});

export const classificationResultsSchema = z
  .object({
    info: resultsInfoSchema('Classify'),
    integrity: resultsIntegritySchema,
    results: z.object({
      globalAggregatedData: optionNumbersSchema,
      data: z.array(classificationResultSchema),
    }),
  })
  .openapi('ClassificationResults');
export type ClassificationResults = z.infer<typeof classificationResultsSchema>;

const classificationDefinitionSchema = z
  .object({
    type: z.literal('classification'),
    ...commonDefinitionFields,
    datapoints: z
      .array(
        z.union([textItemInputSchema, assetItemInputSchema], {
          error: 'Datapoints must be a list of single items ({ text } or { assetId, name }), not lists',
        }),
      )
      .openapi({ description: 'One item per datapoint' }),
    answerOptions: z.array(z.string()).openapi({ description: 'At least 2 unique, non-empty options' }),
  })
  .strict();

export const classificationContract = {
  definitionSchema: classificationDefinitionSchema,
  fields: ['answerOptions'],
  settings: ['NoShuffle', 'Markdown'],
  datapointIssues(dp, i, add, { isItem }) {
    if (!isItem(dp))
      add(
        ['datapoints', i],
        Array.isArray(dp)
          ? `Datapoints must be a list of single items (one path/text per datapoint); datapoint ${i} is a list.`
          : `Datapoint ${i} is not a valid item.`,
      );
  },
  fieldIssues(input, add) {
    const opts = input.answerOptions as readonly unknown[] | null | undefined;
    if (!opts) {
      add(['answerOptions'], 'answerOptions is required for a classification job definition.');
      return;
    }
    if (opts.length < 2)
      add(['answerOptions'], `answerOptions needs at least 2 options; got ${opts.length}.`);
    if (opts.length > MAX_ANSWER_OPTIONS) {
      add(
        ['answerOptions'],
        `answerOptions takes at most ${MAX_ANSWER_OPTIONS} options; got ${opts.length}.`,
      );
      return;
    }
    const seen = new Set<unknown>();
    opts.forEach((o, i) => {
      if (typeof o !== 'string' || o.trim() === '')
        add(['answerOptions', i], `answerOptions[${i}] cannot be empty.`);
      else if (o.length > MAX_OPTION_LENGTH)
        add(
          ['answerOptions', i],
          `answerOptions[${i}] is ${o.length} characters long; at most ${MAX_OPTION_LENGTH}.`,
        );
      else if (seen.has(o))
        add(
          ['answerOptions', i],
          `answerOptions must be unique; ${JSON.stringify(o)} appears more than once.`,
        );
      else seen.add(o);
    });
  },
  datapointOf: (items) => items[0] as (typeof items)[number],
  categories: ({ answerOptions }) => [...(answerOptions ?? [])],
  exampleSchema: addClassificationExampleSchema,
  answerSchema: labelerClassificationAnswerSchema,
  answerField: 'category',
  resultsSchema: classificationResultsSchema,
} as const satisfies TaskTypeContract;
