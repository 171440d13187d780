// A run's score from its stored grades: MixEval's micro-average over every item of the version (an item with no
// grade, skipped or failed, counts as 0), per split and per benchmark.

import { runScore } from '../scoring.ts';
import { itemsById } from '../service.ts';
import type { RunDeps } from './deps.ts';
import * as store from './store.ts';

export async function finishScore(deps: RunDeps, runId: string, versionId: string) {
  const recorded = await store.recordedItems(deps.db, runId);
  const scoreOf = new Map(recorded.map((r) => [r.item_id, r.score === null ? null : Number(r.score)]));
  const items = await itemsById(deps.db, versionId, await store.versionItemIds(deps.db, versionId));
  const score = runScore(
    items.map((i) => ({ split: i.split, benchmark: i.benchmark, score: scoreOf.get(i.id) ?? null })),
  );
  return { score: score.score, scores: JSON.stringify(score), scored_at: deps.clock.now().toISOString() };
}
