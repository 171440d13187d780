import type { ScheduledTask } from '../runtime/task.ts';
import * as store from './store.ts';

/** Expired sessions and links can never be used again; deleting them keeps their tables the size of live ones. */
const purgeExpired: ScheduledTask = {
  name: 'users.purge-expired',
  every: 3600 * 1000,
  run: ({ db, clock }) => store.deleteExpired(db, clock.now().toISOString()),
};

export const userTasks: readonly ScheduledTask[] = [purgeExpired];
