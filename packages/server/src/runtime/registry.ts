import { authTasks } from '../auth/tasks.ts';
import { evaluationRunTasks } from '../evaluations/runs/tasks.ts';
import { flowTasks } from '../flows/tasks.ts';
import { labelingTasks } from '../labeling/tasks.ts';
import { limitsTasks } from '../limits/tasks.ts';
import { userTasks } from '../users/tasks.ts';
import type { ScheduledTask } from './task.ts';

/** Every feature's background tasks; a feature adds its list here, one line each. */
export const TASKS: readonly ScheduledTask[] = [
  ...authTasks,
  ...userTasks,
  ...labelingTasks,
  ...limitsTasks,
  ...flowTasks,
  ...evaluationRunTasks,
];
