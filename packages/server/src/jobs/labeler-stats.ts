// The crowd that answered an organization's jobs: its trust scores as histogram bins and its answers per day.
import type { LabelerStats } from '@jury/api';
import type { JobDeps } from './definitions.ts';
import * as store from './store.ts';

const DAY_MS = 24 * 3600 * 1000;

/** Equal-width bins over [0, 1]: bin i holds from ≤ score < to; the last one includes 1. */
export function histogram(scores: readonly number[], bins: number): LabelerStats['trustScores'] {
  const out = Array.from({ length: bins }, (_, i) => ({
    from: Math.round((i / bins) * 1e6) / 1e6,
    to: Math.round(((i + 1) / bins) * 1e6) / 1e6,
    count: 0,
  }));
  for (const s of scores) {
    const bin = out[Math.min(bins - 1, Math.max(0, Math.floor(s * bins)))];
    if (bin) bin.count++;
  }
  return out;
}

export async function getLabelerStats(
  deps: JobDeps,
  organizationId: string,
  query: { days: number; bins: number },
): Promise<LabelerStats> {
  const today = new Date(deps.clock.now().toISOString().slice(0, 10));
  const first = new Date(today.getTime() - (query.days - 1) * DAY_MS);
  const [scores, perDay] = await Promise.all([
    store.organizationLabelerScores(deps.db, organizationId),
    store.organizationAnswersPerDay(deps.db, organizationId, first.toISOString()),
  ]);
  const byDay = new Map(perDay.map((d) => [d.day, d]));
  const answersPerDay = Array.from({ length: query.days }, (_, i) => {
    const day = new Date(first.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    return { day, answers: byDay.get(day)?.answers ?? 0, labelers: byDay.get(day)?.labelers ?? 0 };
  });
  return { labelers: scores.length, trustScores: histogram(scores, query.bins), answersPerDay };
}
