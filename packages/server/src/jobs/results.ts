import type { Item, LabelerAnswer, TaskType } from '@jury/api';
import { categoryConfidence } from '@jury/stats';

// Results are derived from the stored responses at read time (never stored), in the reference product's shapes
// ("Understanding the Results" for compare, the confidence stopping example for classification); each task type
// builds its own shape (task-types/<type>.ts) from the tallies here. Numbers are rounded to 4 decimals as in the
// reference product's examples; sums are taken before rounding.

/** Version of Jury's results format (the reference product's field names; bumped when a field changes meaning). */
export const RESULTS_VERSION = '1.0.0';

export interface ResultsDatapoint {
  id: string;
  items: Item[];
  context: string | null;
  privateMetadata: Record<string, string> | null;
}

export interface ResultsResponse {
  datapointId: string;
  /** The answer as stored (its type's shape, e.g. compare `{ choice }`, classification `{ category }`). */
  answer: LabelerAnswer;
  /** The labeler's global trust score when answering. */
  userScore: number;
  /** The labeler's trust score in the job's audience when answering (drives confidence, like the stopping rule). */
  audienceUserScore: number;
  /** Why the response is flagged ('too_fast'), or null/absent. */
  flaggedReason?: string | null | undefined;
  /** Its weight in summed trust scores, winners and confidence: 1, or the flagged weight (absent: 1). */
  weight?: number | undefined;
  country: string | null;
  language: string | null;
  demographics: Record<string, unknown> | null;
}

export interface ResultsInput {
  type: TaskType;
  jobName: string;
  instruction: string;
  settings: readonly string[];
  answerOptions: readonly string[] | null;
  aBNames: readonly string[] | null;
  confidenceThreshold: number | null;
  datapoints: readonly ResultsDatapoint[];
  responses: readonly ResultsResponse[];
  /** Responses left out of `responses`, by reason (`dropped`: their labeler was dropped from the audience). */
  excluded?: Readonly<Record<string, number>>;
  now: Date;
}

export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function zeros(options: readonly string[]): Record<string, number> {
  return Object.fromEntries(options.map((o) => [o, 0]));
}

function ratios(values: Record<string, number>): Record<string, number> {
  const total = Object.values(values).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, total > 0 ? round4(v / total) : 0]));
}

function roundAll(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round4(v)]));
}

export function demographicsOf(d: Record<string, unknown> | null): Record<string, string> {
  return Object.fromEntries(Object.entries(d ?? {}).map(([k, v]) => [k, String(v)]));
}

export interface Tally {
  options: string[];
  counts: Record<string, number>;
  summed: Record<string, number>;
  votes: { category: string; userScore: number }[];
}

export function tally(
  options: readonly string[],
  votes: readonly { option: string; r: ResultsResponse }[],
): Tally {
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
    summed[option] = (summed[option] ?? 0) + r.userScore * (r.weight ?? 1);
  }
  return {
    options: all,
    counts,
    summed,
    votes: votes.map(({ option, r }) => ({
      category: option,
      userScore: r.audienceUserScore * (r.weight ?? 1),
    })),
  };
}

/**
 * The job's `integrity` block: how many responses there are (left-out ones included), how many are flagged and
 * why (they count, at the flagged weight), and how many are left out of the results and why (e.g. `dropped`).
 */
export function integrityOf(input: ResultsInput) {
  const byReason: Record<string, number> = {};
  let total = 0;
  for (const r of input.responses)
    if (r.flaggedReason) {
      total++;
      byReason[r.flaggedReason] = (byReason[r.flaggedReason] ?? 0) + 1;
    }
  const excluded = { ...input.excluded };
  const excludedTotal = Object.values(excluded).reduce((a, b) => a + b, 0);
  return {
    responses: input.responses.length + excludedTotal,
    flagged: { total, byReason },
    excluded: { total: excludedTotal, byReason: excluded },
  };
}

export function aggregates(t: Tally, withConfidence: boolean) {
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
export function winnerOf(t: Tally): number | null {
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

export function groupByDatapoint(responses: readonly ResultsResponse[]): Map<string, ResultsResponse[]> {
  const map = new Map<string, ResultsResponse[]>();
  for (const r of responses) {
    const list = map.get(r.datapointId);
    if (list) list.push(r);
    else map.set(r.datapointId, [r]);
  }
  return map;
}

export function userDetails(r: ResultsResponse) {
  return {
    country: r.country,
    language: r.language,
    userScores: { global: round4(r.userScore) },
    demographics: demographicsOf(r.demographics),
  };
}

/** A results document's `info`; `label` is the reference product's name of the task type. */
export function resultsInfo<L extends string>(input: ResultsInput, label: L) {
  return {
    createdAt: input.now.toISOString(),
    version: RESULTS_VERSION,
    type: label,
    name: input.jobName,
    instruction: input.instruction,
  };
}
