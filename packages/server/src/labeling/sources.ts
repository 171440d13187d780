import { leaderboardMatchups } from '../benchmarks/matchup-source.ts';
import type { LeaseKind } from '../db/schema.ts';
import { rankingMatchups } from '../flows/ranking-source.ts';
import { createEngine, type WorkSource } from './engine.ts';
import { goldChecks } from './gold.ts';
import { jobTasks } from './job-tasks.ts';

/**
 * Every kind of work the labeler API serves, by lease kind, in the order the engine asks them: a kind added to
 * LeaseKind without its source here fails to compile.
 */
export const WORK_SOURCES: Record<LeaseKind, WorkSource> = {
  task: jobTasks,
  gold: goldChecks,
  matchup: leaderboardMatchups,
  ranking: rankingMatchups,
};

export const { nextTask, submitResponse } = createEngine(WORK_SOURCES);
