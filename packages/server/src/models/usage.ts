// Tokens and costs as the seed counts them: 4 characters a token, costs per 1,000 input and output tokens and
// per instance hour (USD, an absent cost is 0). The runner records them per item and sums them per run.

/** Characters per token, the seed's estimate for every model. */
export const CHARACTERS_PER_TOKEN = 4;

/** Estimated tokens of a text: its characters (code points) / 4, rounded up; '' is 0. */
export function estimateTokens(text: string): number {
  let characters = 0;
  for (const _ of text) characters++;
  return Math.ceil(characters / CHARACTERS_PER_TOKEN);
}

export interface ModelCosts {
  perThousandInputTokens?: number | null | undefined;
  perThousandOutputTokens?: number | null | undefined;
  perInstanceHour?: number | null | undefined;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Instance hours (run time) to charge; 0 for per-token models. */
  hours?: number | undefined;
}

/** The cost in USD of `usage` at `costs`: the sum of the fields that apply, empty ones 0. */
export function costOf(usage: Usage, costs: ModelCosts): number {
  return (
    (usage.inputTokens / 1000) * (costs.perThousandInputTokens ?? 0) +
    (usage.outputTokens / 1000) * (costs.perThousandOutputTokens ?? 0) +
    (usage.hours ?? 0) * (costs.perInstanceHour ?? 0)
  );
}
