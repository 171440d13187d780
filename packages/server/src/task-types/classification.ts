import type { ClassificationResults } from '@jury/api';
import {
  aggregates,
  demographicsOf,
  groupByDatapoint,
  integrityOf,
  type ResultsInput,
  resultsInfo,
  round4,
  tally,
  zeros,
} from '../jobs/results.ts';
import {
  aggregateCells,
  invalidExample as invalid,
  labelerItem,
  type ResultRow,
  type TaskTypeModule,
} from './task-type.ts';

// Classification in the server. Answers are options, by their text; a truth lists the correct options.

/** Fisher-Yates with the given uniform [0, 1) source. */
function shuffled<T>(values: readonly T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Options that each start with their own number ("1", "2: Slightly", "3 - Moderately", …) are a scale: shuffled,
 * the labeler's key 1 would sit on "3: Moderately". They keep their order, like NoShuffle.
 */
export function isNumberedScale(options: readonly string[]): boolean {
  if (options.length < 2) return false;
  const numbers = options.map((o) => /^\s*(\d+)(?!\d)/.exec(o)?.[1]);
  return numbers.every((n) => n !== undefined) && new Set(numbers).size === numbers.length;
}

/**
 * Classification results: totals per category over all datapoints (`globalAggregatedData`) and per datapoint
 * the counts, ratios, summed trust scores, confidence per category (with confidence stopping) and every vote.
 */
export function presentClassificationResults(input: ResultsInput): ClassificationResults {
  const byDatapoint = groupByDatapoint(input.responses);
  const withConfidence = input.confidenceThreshold !== null;
  const options = input.answerOptions ?? [];
  const global = zeros(options);
  const data = input.datapoints.map((dp) => {
    const votes = (byDatapoint.get(dp.id) ?? []).map((r) => ({
      option: String('category' in r.answer ? r.answer.category : undefined),
      r,
    }));
    const t = tally(options, votes);
    for (const [o, n] of Object.entries(t.counts)) global[o] = (global[o] ?? 0) + n;
    const item = dp.items[0];
    return {
      ...(item?.type === 'asset' ? { originalFileName: item.name } : { text: item?.text ?? '' }),
      context: dp.context,
      ...(dp.privateMetadata ? { privateMetadata: dp.privateMetadata } : {}),
      ...aggregates(t, withConfidence),
      detailedResults: votes.map(({ option, r }) => ({
        selectedCategory: option,
        userDetails: {
          country: r.country,
          language: r.language,
          userScore: round4(r.userScore),
          userScores: { global: round4(r.userScore) },
          demographics: demographicsOf(r.demographics),
        },
      })),
    };
  });
  return {
    info: resultsInfo(input, 'Classify'),
    integrity: integrityOf(input),
    results: { globalAggregatedData: global, data },
  };
}

/** One CSV row per datapoint: its item, then per category (answer options first) the aggregates. */
function classificationRows(results: ClassificationResults, input: ResultsInput): ResultRow[] {
  return results.results.data.map((entry) => {
    const options = [...new Set([...(input.answerOptions ?? []), ...Object.keys(entry.aggregatedResults)])];
    return {
      entry,
      cells: {
        item: entry.originalFileName ?? entry.text ?? null,
        context: entry.context,
        responses: entry.detailedResults.length,
        ...Object.assign({}, ...options.map((o) => aggregateCells(entry, o, o))),
      },
    };
  });
}

export const classificationTaskType: TaskTypeModule<'classification'> = {
  acceptAnswer(answer, allowed, fail) {
    if (!('category' in answer))
      throw fail('This is a classification task: answer with { "category": "<one of answerOptions>" }.');
    if (!allowed.includes(answer.category))
      throw fail(
        `"${answer.category}" is not one of the answer options: ${allowed.map((o) => `"${o}"`).join(', ')}.`,
      );
    return { category: answer.category };
  },
  truthLabels: (_items, truth) => [...truth],
  keepsOrder: isNumberedScale,
  choosePresentation: (options, fixed, random) => ({
    options: fixed ? [...options] : shuffled(options, random),
  }),
  present: (items, presentation) => ({
    items: items.map((item) => labelerItem(item)),
    answerOptions: presentation.options as string[],
  }),
  presentResults: presentClassificationResults,
  resultRows: classificationRows,
  votedFor: (answer) => String('category' in answer ? answer.category : undefined),
  revisionColumns: ({ answerOptions }) => ({
    answer_options: JSON.stringify(answerOptions),
    ab_names: null,
  }),
  exampleParts(input) {
    const seen = new Set<string>();
    input.answerOptions.forEach((o, i) => {
      if (seen.has(o))
        throw invalid(`Answer options must be unique; ${JSON.stringify(o)} is listed twice.`, [
          'answerOptions',
          i,
        ]);
      seen.add(o);
    });
    const truthSeen = new Set<string>();
    input.truth.forEach((t, i) => {
      if (!seen.has(t))
        throw invalid(
          `Truth must be part of the answer options; ${JSON.stringify(t)} is not one of ${JSON.stringify(input.answerOptions)}.`,
          ['truth', i],
        );
      if (truthSeen.has(t)) throw invalid(`truth lists ${JSON.stringify(t)} twice.`, ['truth', i]);
      truthSeen.add(t);
    });
    return {
      itemInputs: [input.datapoint],
      truth: input.truth,
      answerOptions: input.answerOptions,
      randomCorrectProbability: input.truth.length / input.answerOptions.length,
      itemLabel: () => 'datapoint',
    };
  },
};
