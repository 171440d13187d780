import type { ScheduledTask } from '../runtime/task.ts';
import * as store from './store.ts';

/**
 * Expired leases are kept this long, so a late answer gets "your lease expired", not "unknown lease". Claims never
 * count an expired lease as live (the queries compare expires_at), so deleting them later changes no decision.
 */
const LEASE_GRACE_MS = 10 * 60_000;

/** Task and gold-check leases that expired more than LEASE_GRACE_MS ago. */
const sweepExpiredLeases: ScheduledTask = {
  name: 'labeling.sweep-expired-leases',
  every: (config) => config.leaseSweepSeconds * 1000,
  async run({ db, clock }) {
    const before = new Date(clock.now().getTime() - LEASE_GRACE_MS).toISOString();
    const tasks = await store.deleteLeasesExpiredBefore(db, 'task_leases', before);
    const gold = await store.deleteLeasesExpiredBefore(db, 'gold_leases', before);
    return { taskLeases: tasks, goldLeases: gold };
  },
};

export const labelingTasks: readonly ScheduledTask[] = [sweepExpiredLeases];
