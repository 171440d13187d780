import type { ScheduledTask } from '../runtime/task.ts';
import { deleteWindowsEndedBefore } from './store.ts';

/** Rate-limit counters of windows that ended (the longest window is an hour). */
const sweepRateLimits: ScheduledTask = {
  name: 'limits.sweep-rate-limits',
  every: 10 * 60_000,
  async run({ db, clock }) {
    return { deleted: await deleteWindowsEndedBefore(db, clock.now().getTime()) };
  },
};

export const limitsTasks: readonly ScheduledTask[] = [sweepRateLimits];
