import type { ScheduledTask } from '../runtime/task.ts';
import { deleteLeasesExpiredBefore } from './lease-store.ts';

/**
 * Expired leases are kept this long, so a late answer gets "your lease expired", not "unknown lease". Claims never
 * count an expired lease as live (the queries compare expires_at), so deleting them later changes no decision.
 */
const LEASE_GRACE_MS = 10 * 60_000;

/** Leases of every kind that expired more than LEASE_GRACE_MS ago (one table: see engine.ts). */
const sweepExpiredLeases: ScheduledTask = {
  name: 'labeling.sweep-expired-leases',
  every: (config) => config.leaseSweepSeconds * 1000,
  async run({ db, clock }) {
    const before = new Date(clock.now().getTime() - LEASE_GRACE_MS).toISOString();
    return deleteLeasesExpiredBefore(db, before);
  },
};

export const labelingTasks: readonly ScheduledTask[] = [sweepExpiredLeases];
