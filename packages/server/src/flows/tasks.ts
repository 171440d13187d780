import type { ScheduledTask } from '../runtime/task.ts';
import { expireRankings } from './store.ts';

/**
 * Flow items whose time to live ran out are finished: completed with at least their minimum of responses, else
 * incomplete. Claims already ignore expired items in their query, so this only makes the status say so; reads
 * between the expiry and the next run still show the item running, for at most this interval.
 */
const expireFlowItems: ScheduledTask = {
  name: 'flows.expire-items',
  every: 5_000,
  async run({ db, clock }) {
    return expireRankings(db, clock.now().toISOString());
  },
};

export const flowTasks: readonly ScheduledTask[] = [expireFlowItems];
