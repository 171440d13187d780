import {
  type ClassificationResults,
  type CompareResults,
  type Item,
  itemName,
  NEITHER_BOTH_OPTIONS,
} from '@jury/api';
import { categoryConfidence } from '@jury/stats';

// Results are derived from the stored responses at read time (never stored), in the seed's shapes
// ("Understanding the Results" for compare, the confidence stopping example for classification).
// Numbers are rounded to 4 decimals as in the seed's examples; sums are taken before rounding.

/** Version of Jury's results format (the seed's field names; bumped when a field changes meaning). */
export const RESULTS_VERSION = '1.0.0';

export interface ResultsDatapoint {
  id: string;
  items: Item[];
  context: string | null;
  privateMetadata: Record<string, string> | null;
}

export interface ResultsResponse {
  datapointId: string;
  /** Compare `{ choice: 'A' | 'B' | 'Both' | 'Neither' }` (A = the datapoint's first item); classify `{ category }`. */
  answer: { choice?: string; category?: string };
  /** The labeler's global trust score when answering. */
  userScore: number;
  /** The labeler's trust score in the job's audience when answering (drives confidence, like the stopping rule). */
  audienceUserScore: number;
  country: string | null;
  language: string | null;
  demographics: Record<string, unknown> | null;
}

export interface ResultsInput {
  type: 'compare' | 'classification';
  jobName: string;
  instruction: string;
  settings: readonly string[];
  answerOptions: readonly string[] | null;
  aBNames: readonly string[] | null;
  confidenceThreshold: number | null;
  datapoints: readonly ResultsDatapoint[];
  responses: readonly ResultsResponse[];
  now: Date;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function zeros(options: readonly string[]): Record<string, number> {
  return Object.fromEntries(options.map((o) => [o, 0]));
}

function ratios(values: Record<string, number>): Record<string, number> {
  const total = Object.values(values).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, total > 0 ? round4(v / total) : 0]));
}

function roundAll(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round4(v)]));
}

function demographicsOf(d: Record<string, unknown> | null): Record<string, string> {
  return Object.fromEntries(Object.entries(d ?? {}).map(([k, v]) => [k, String(v)]));
}

interface Tally {
  options: string[];
  counts: Record<string, number>;
  summed: Record<string, number>;
  votes: { category: string; userScore: number }[];
}

function tally(options: readonly string[], votes: readonly { option: string; r: ResultsResponse }[]): Tally {
  const all = [...options];
  const counts = zeros(options);
  const summed = zeros(options);
  for (const { option, r } of votes) {
    // An answer outside today's options (the revision changed since) still counts, under its own key.
    if (!(option in counts)) {
      all.push(option);
      counts[option] = 0;
      summed[option] = 0;
    }
    counts[option] = (counts[option] ?? 0) + 1;
    summed[option] = (summed[option] ?? 0) + r.userScore;
  }
  return {
    options: all,
    counts,
    summed,
    votes: votes.map(({ option, r }) => ({ category: option, userScore: r.audienceUserScore })),
  };
}

function aggregates(t: Tally, withConfidence: boolean) {
  const out: {
    aggregatedResults: Record<string, number>;
    aggregatedResultsRatios: Record<string, number>;
    summedUserScores: Record<string, number>;
    summedUserScoresRatios: Record<string, number>;
    confidencePerCategory?: Record<string, number>;
  } = {
    aggregatedResults: t.counts,
    aggregatedResultsRatios: ratios(t.counts),
    summedUserScores: roundAll(t.summed),
    summedUserScoresRatios: ratios(t.summed),
  };
  if (withConfidence && t.options.length >= 2)
    out.confidencePerCategory = roundAll(categoryConfidence(t.votes, t.options));
  return out;
}

/** The option with the highest summed trust score; null when nobody voted or the top is tied. */
function winnerOf(t: Tally): number | null {
  let best = -1;
  let bestIndex: number | null = null;
  let tied = false;
  t.options.forEach((o, i) => {
    const v = t.counts[o] ? (t.summed[o] ?? 0) : -1;
    if (v > best) {
      best = v;
      bestIndex = i;
      tied = false;
    } else if (v === best) tied = true;
  });
  return best < 0 || tied ? null : bestIndex;
}

function groupByDatapoint(responses: readonly ResultsResponse[]): Map<string, ResultsResponse[]> {
  const map = new Map<string, ResultsResponse[]>();
  for (const r of responses) {
    const list = map.get(r.datapointId);
    if (list) list.push(r);
    else map.set(r.datapointId, [r]);
  }
  return map;
}

function userDetails(r: ResultsResponse) {
  return {
    country: r.country,
    language: r.language,
    userScores: { global: round4(r.userScore) },
    demographics: demographicsOf(r.demographics),
  };
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
    const [a, b] = dp.items;
    const sides = [
      input.aBNames?.[0] ?? (a ? itemName(a) : 'A'),
      input.aBNames?.[1] ?? (b ? itemName(b) : 'B'),
    ];
    const options = [...sides, ...extra];
    const optionOf = (choice: string | undefined) =>
      choice === 'A' ? (sides[0] as string) : choice === 'B' ? (sides[1] as string) : String(choice);
    const votes = (byDatapoint.get(dp.id) ?? []).map((r) => ({ option: optionOf(r.answer.choice), r }));
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
    info: {
      createdAt: input.now.toISOString(),
      version: RESULTS_VERSION,
      type: 'Compare',
      name: input.jobName,
      instruction: input.instruction,
    },
    summary: { A_wins_total: aWins, B_wins_total: bWins },
    results,
  };
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
    const votes = (byDatapoint.get(dp.id) ?? []).map((r) => ({ option: String(r.answer.category), r }));
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
    info: {
      createdAt: input.now.toISOString(),
      version: RESULTS_VERSION,
      type: 'Classify',
      name: input.jobName,
      instruction: input.instruction,
    },
    results: { globalAggregatedData: global, data },
  };
}

/** The results of a job of either type. */
export function presentResults(input: ResultsInput): CompareResults | ClassificationResults {
  return input.type === 'compare' ? presentCompareResults(input) : presentClassificationResults(input);
}
