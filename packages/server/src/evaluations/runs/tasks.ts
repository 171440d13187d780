import type { ScheduledTask } from '../../runtime/task.ts';
import { sweepRuns } from './worker.ts';

/** Takes queued runs and runs whose driver died (lease expired), and drives them in this process. */
const driveEvaluationRuns: ScheduledTask = {
  name: 'evaluations.drive-runs',
  every: 2000,
  run: ({ db, clock, models }) => sweepRuns({ db, clock, ...models }),
};

export const evaluationRunTasks: readonly ScheduledTask[] = [driveEvaluationRuns];
