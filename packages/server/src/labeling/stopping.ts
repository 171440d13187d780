import { confidenceStop, quorumStop } from '@jury/stats';

// When a datapoint has enough answers. The math is @jury/stats'; this only feeds it the task's votes.

export interface StoppingRule {
  /** The cap: responses_per_datapoint. */
  maxVotes: number;
  confidenceThreshold: number | null;
  quorumThreshold: number | null;
}

export interface StoredVote {
  category: string;
  /** The responder's trust score within the job's audience when they answered. */
  userScore: number;
}

/**
 * Whether a task stops after its latest response: quorum (agreement reached, quorum impossible, or the cap),
 * confidence (the leading category's posterior from the responders' trust scores reaches the threshold, or
 * the cap), or just the cap. `votes` are all responses so far (only read when a threshold is set).
 */
export function shouldStop(
  rule: StoppingRule,
  responses: number,
  categories: readonly string[],
  votes: () => readonly StoredVote[],
): boolean {
  if (responses >= rule.maxVotes) return true;
  if (rule.quorumThreshold !== null) {
    const counts: Record<string, number> = Object.fromEntries(categories.map((c) => [c, 0]));
    for (const v of votes()) counts[v.category] = (counts[v.category] ?? 0) + 1;
    return quorumStop({ counts, threshold: rule.quorumThreshold, maxVotes: rule.maxVotes }).stop;
  }
  if (rule.confidenceThreshold !== null)
    return confidenceStop({
      votes: votes(),
      categories,
      threshold: rule.confidenceThreshold,
      maxVotes: rule.maxVotes,
    }).stop;
  return false;
}
