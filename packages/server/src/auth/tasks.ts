import type { ScheduledTask } from '../runtime/task.ts';
import * as store from './store.ts';

/** Expired tokens can never authenticate again; deleting them keeps access_tokens the size of live sessions. */
const purgeExpiredTokens: ScheduledTask = {
  name: 'auth.purge-expired-tokens',
  every: (config) => config.tokenPurgeSeconds * 1000,
  run: ({ db, clock }) => store.deleteExpiredTokens(db, clock.now().toISOString()),
};

export const authTasks: readonly ScheduledTask[] = [purgeExpiredTokens];
