/**
 * The runtime: runs the background tasks features declare (`runtime/registry.ts`) on the server's clock.
 *
 * Every process sharing a database runs a runtime; a task's row in runtime_leases decides which one runs each
 * tick (an atomic claim that also sets when the next run is due), so a run happens once, and `every` holds
 * across processes and restarts. A process that lost a claim tries again when the winner's interval ends.
 * A failing run is logged and retried at the next tick. Timers never keep the process alive, and `stop()`
 * waits for runs in progress. A run outlasting `every` could overlap another process's next run: tasks are
 * idempotent sweeps, each statement on its own.
 */
import { hostname } from 'node:os';
import type { TimerHandle } from '../http/clock.ts';
import { newId } from '../http/ids.ts';
import { claimRun, runtimeLeaseExpiries } from './store.ts';
import { intervalOf, type ScheduledTask, type TaskDeps } from './task.ts';

export interface RuntimeLog {
  error(message: string, error: unknown): void;
}

export interface RuntimeOptions {
  deps: TaskDeps;
  tasks: readonly ScheduledTask[];
  /** Names this runtime in runtime_leases.holder (default: host, pid and a random suffix). */
  holder?: string;
  /** Where failed runs are reported (default: console.error). */
  log?: RuntimeLog;
}

export interface Runtime {
  /** This runtime's name in runtime_leases.holder. */
  readonly holder: string;
  /** Schedules every task: first at its shared due time (or one interval from now if it never ran). */
  start(): Promise<void>;
  /** Cancels the timers and waits for runs in progress; no task starts afterwards. */
  stop(): Promise<void>;
  /** Runs one task now, outside its schedule and lease (tests, manual maintenance); a throw is passed on. */
  runOnce(name: string): Promise<unknown>;
}

const consoleLog: RuntimeLog = {
  error: (message, error) => console.error(`[jury] ${message}`, error),
};

export function createRuntime(options: RuntimeOptions): Runtime {
  const { deps } = options;
  const log = options.log ?? consoleLog;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${newId('rt', 8)}`;
  const tasks = new Map<string, ScheduledTask>();
  for (const task of options.tasks) {
    if (tasks.has(task.name)) throw new Error(`Two background tasks are named ${task.name}`);
    const every = intervalOf(task, deps.config);
    if (!(every > 0)) throw new Error(`Background task ${task.name} needs a positive interval, got ${every}`);
    tasks.set(task.name, task);
  }
  const timers = new Map<string, TimerHandle>();
  const running = new Set<Promise<void>>();
  let state: 'created' | 'started' | 'stopped' = 'created';

  const arm = (task: ScheduledTask, ms: number) => {
    if (state === 'started')
      timers.set(
        task.name,
        deps.clock.setTimeout(() => tick(task), ms),
      );
  };

  const tick = (task: ScheduledTask): Promise<void> => {
    timers.delete(task.name);
    const run = (async () => {
      const every = intervalOf(task, deps.config);
      let next = every;
      try {
        const now = deps.clock.now();
        const claim = await claimRun(deps.db, {
          name: task.name,
          holder,
          now: now.toISOString(),
          until: new Date(now.getTime() + every).toISOString(),
        });
        if (claim.claimed) await task.run(deps);
        else next = Math.min(every, Math.max(1, Date.parse(claim.expiresAt) - now.getTime()));
      } catch (err) {
        log.error(`background task ${task.name} failed; it runs again in ${every / 1000} s`, err);
      }
      arm(task, next);
    })();
    running.add(run);
    void run.finally(() => running.delete(run));
    return run;
  };

  return {
    holder,
    async start() {
      if (state !== 'created') throw new Error(`The runtime was already ${state}`);
      state = 'started';
      const scheduling = (async () => {
        const due = await runtimeLeaseExpiries(deps.db, [...tasks.keys()]).catch((err: unknown) => {
          log.error('could not read when background tasks are due; each runs one interval from now', err);
          return new Map<string, string>();
        });
        const now = deps.clock.now().getTime();
        for (const task of tasks.values()) {
          const every = intervalOf(task, deps.config);
          const at = due.get(task.name);
          arm(task, at === undefined ? every : Math.min(every, Math.max(0, Date.parse(at) - now)));
        }
      })();
      // A stop() during start waits for this read too, so the database is not closed under it.
      running.add(scheduling);
      void scheduling.finally(() => running.delete(scheduling));
      await scheduling;
    },
    async stop() {
      state = 'stopped';
      for (const timer of timers.values()) deps.clock.clearTimeout(timer);
      timers.clear();
      await Promise.all(running);
    },
    async runOnce(name) {
      const task = tasks.get(name);
      if (!task) throw new Error(`No background task ${name}; known: ${[...tasks.keys()].join(', ')}`);
      return task.run(deps);
    },
  };
}
