import {
  type CompareResults,
  type Item,
  itemName,
  type LabelerAnswer,
  NEITHER_BOTH_OPTIONS,
} from '@jury/api';
import {
  aggregates,
  groupByDatapoint,
  integrityOf,
  type ResultsInput,
  resultsInfo,
  tally,
  userDetails,
  winnerOf,
} from '../jobs/results.ts';
import {
  aggregateCells,
  invalidExample as invalid,
  labelerItem,
  type ResultRow,
  type TaskTypeModule,
} from './task-type.ts';

// Compare in the server. Answers are sides: 'A' is the datapoint's first item whatever the displayed order.

type CompareOrder = ['A', 'B'] | ['B', 'A'];

/** What the results call side A and side B: the aBNames, else the items' names. */
function sideNames(items: readonly Item[], aBNames: readonly string[] | null): [string, string] {
  const [a, b] = items;
  return [aBNames?.[0] ?? (a ? itemName(a) : 'A'), aBNames?.[1] ?? (b ? itemName(b) : 'B')];
}

/** A compare answer as the results name it: a side's name, or Both / Neither. */
function optionOf(answer: LabelerAnswer, sides: readonly [string, string]): string {
  const choice = 'choice' in answer ? answer.choice : undefined;
  return choice === 'A' ? sides[0] : choice === 'B' ? sides[1] : String(choice);
}

/** One CSV row per datapoint: its items, winner, and per side (a, b, then both, neither) the aggregates. */
function compareRows(results: CompareResults, input: ResultsInput): ResultRow[] {
  return results.results.map((entry, i) => {
    const items = input.datapoints[i]?.items ?? [];
    const sides = sideNames(items, input.aBNames);
    const keyOf = (option: string) =>
      option === sides[0] ? 'a' : option === sides[1] ? 'b' : option.toLowerCase();
    const options = [...new Set([...sides, ...Object.keys(entry.aggregatedResults)])];
    return {
      entry,
      cells: {
        item_a: items[0] ? itemName(items[0]) : null,
        item_b: items[1] ? itemName(items[1]) : null,
        context: entry.context,
        winner: entry.winner,
        winner_index: entry.winner_index,
        responses: entry.detailedResults.length,
        ...Object.assign({}, ...options.map((o) => aggregateCells(entry, o, keyOf(o)))),
      },
    };
  });
}

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
    const sides = sideNames(dp.items, input.aBNames);
    const options = [...sides, ...extra];
    const votes = (byDatapoint.get(dp.id) ?? []).map((r) => ({ option: optionOf(r.answer, sides), r }));
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
    integrity: integrityOf(input),
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
  resultRows: compareRows,
  votedFor: (answer, items, aBNames) => optionOf(answer, sideNames(items, aBNames)),
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
