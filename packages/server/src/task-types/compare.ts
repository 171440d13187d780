import { type CompareResults, itemName, NEITHER_BOTH_OPTIONS } from '@jury/api';
import {
  aggregates,
  groupByDatapoint,
  type ResultsInput,
  resultsInfo,
  tally,
  userDetails,
  winnerOf,
} from '../jobs/results.ts';
import { invalidExample as invalid, labelerItem, type TaskTypeModule } from './task-type.ts';

// Compare in the server. Answers are sides: 'A' is the datapoint's first item whatever the displayed order.

type CompareOrder = ['A', 'B'] | ['B', 'A'];

/**
 * Compare results: per datapoint the two options (item names, or `aBNames`; plus Both/Neither with
 * AllowNeitherBoth), counts, ratios, summed trust scores, the winner by summed trust scores, and every vote.
 */
export function presentCompareResults(input: ResultsInput): CompareResults {
  const byDatapoint = groupByDatapoint(input.responses);
  const withConfidence = input.confidenceThreshold !== null;
  const extra = input.settings.includes('AllowNeitherBoth') ? NEITHER_BOTH_OPTIONS : [];
  let aWins = 0;
  let bWins = 0;
  const results = input.datapoints.map((dp) => {
    const [a, b] = dp.items;
    const sides = [
      input.aBNames?.[0] ?? (a ? itemName(a) : 'A'),
      input.aBNames?.[1] ?? (b ? itemName(b) : 'B'),
    ];
    const options = [...sides, ...extra];
    const optionOf = (choice: string | undefined) =>
      choice === 'A' ? (sides[0] as string) : choice === 'B' ? (sides[1] as string) : String(choice);
    const votes = (byDatapoint.get(dp.id) ?? []).map((r) => ({
      option: optionOf('choice' in r.answer ? r.answer.choice : undefined),
      r,
    }));
    const t = tally(options, votes);
    const winnerIndex = winnerOf(t);
    if (winnerIndex === 0) aWins++;
    if (winnerIndex === 1) bWins++;
    return {
      context: dp.context,
      ...(dp.privateMetadata ? { privateMetadata: dp.privateMetadata } : {}),
      winner_index: winnerIndex,
      winner: winnerIndex === null ? null : (t.options[winnerIndex] ?? null),
      ...aggregates(t, withConfidence),
      detailedResults: votes.map(({ option, r }) => ({ votedFor: option, userDetails: userDetails(r) })),
    };
  });
  return {
    info: resultsInfo(input, 'Compare'),
    summary: { A_wins_total: aWins, B_wins_total: bWins },
    results,
  };
}

export const compareTaskType: TaskTypeModule<'compare'> = {
  acceptAnswer(answer, allowed, fail) {
    if (!('choice' in answer))
      throw fail(
        'This is a compare task: answer with { "choice": "A" | "B" } (the side labels of the items).',
      );
    if (!allowed.includes(answer.choice))
      throw fail(
        `"${answer.choice}" is not allowed here (this task does not allow Both/Neither); answer "A" or "B".`,
      );
    return { choice: answer.choice };
  },
  // Truths are item names; the labeler answers with side labels ('A' = items[0]).
  truthLabels(items, truth) {
    const names = items.map((i) => itemName(i));
    return truth.flatMap((t) => {
      const sides: string[] = [];
      if (names[0] === t) sides.push('A');
      if (names[1] === t) sides.push('B');
      return sides;
    });
  },
  keepsOrder: () => false,
  choosePresentation: (_options, fixed, random) => ({
    order: (fixed || random() < 0.5 ? ['A', 'B'] : ['B', 'A']) satisfies CompareOrder,
  }),
  present(items, presentation) {
    const order = presentation.order as CompareOrder;
    return {
      items: order.map((side) => labelerItem(items[side === 'A' ? 0 : 1] as (typeof items)[number], side)),
      answerOptions: null,
    };
  },
  presentResults: presentCompareResults,
  revisionColumns: ({ aBNames }) => ({
    answer_options: null,
    ab_names: aBNames ? JSON.stringify(aBNames) : null,
  }),
  exampleParts(input) {
    if (input.datapoint.length !== 2)
      throw invalid(
        `A compare example needs exactly two items in datapoint; got ${input.datapoint.length}.`,
        ['datapoint'],
      );
    const names = input.datapoint.map(itemName);
    if (names[0] === names[1])
      throw invalid(`A compare example needs two different items; both are ${JSON.stringify(names[0])}.`, [
        'datapoint',
      ]);
    if (!names.includes(input.truth))
      throw invalid(
        `Truth must be one of the datapoint's items (${names.map((n) => JSON.stringify(n)).join(' or ')}); got ${JSON.stringify(input.truth)}.`,
        ['truth'],
      );
    return {
      itemInputs: input.datapoint,
      truth: [input.truth],
      answerOptions: null,
      randomCorrectProbability: 0.5,
      itemLabel: (i) => `datapoint item ${i + 1}`,
    };
  },
};
