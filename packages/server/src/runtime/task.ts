import type { AppConfig } from '../config/config.ts';
import type { Db, DialectName } from '../db/database.ts';
import type { Clock } from '../http/clock.ts';

/** What a background task gets: the same storage, clock and configuration as the HTTP app. */
export interface TaskDeps {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  config: AppConfig;
  /** The models room's settings (secrets key, allowed hosts), for tasks that call model endpoints. */
  models?: { secretsKey?: Buffer | undefined; allowedHosts?: readonly string[] | undefined } | undefined;
}

/**
 * Background work a feature declares in its own `tasks.ts` and lists in `runtime/registry.ts`. Each run happens
 * in one process only, even when several share a database, and not again anywhere before `every` has passed.
 */
export interface ScheduledTask {
  /** Stable and unique, `<feature>.<what-it-does>`: the key of the task's row in runtime_leases. */
  name: string;
  /** Milliseconds between runs, fixed or read from the server's configuration. */
  every: number | ((config: AppConfig) => number);
  /** One run; a throw is logged and the task runs again at its next tick. */
  run(deps: TaskDeps): Promise<unknown>;
}

export function intervalOf(task: ScheduledTask, config: AppConfig): number {
  return typeof task.every === 'number' ? task.every : task.every(config);
}
