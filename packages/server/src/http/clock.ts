declare const timerBrand: unique symbol;
/** What `Clock.setTimeout` returns; only `clearTimeout` of the same clock understands it. */
export type TimerHandle = { readonly [timerBrand]: true };

/** Time and timers come through this, so tests can move them. */
export interface Clock {
  now(): Date;
  /** Calls `fn` once after `ms`. A timer never keeps the process alive; `fn` must handle its own errors. */
  setTimeout(fn: () => unknown, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node fires longer timers after 1 ms; a clamped one fires early, and callers check the time anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout(fn, ms) {
    // unref: background work must not hold a finished process open.
    return setTimeout(fn, Math.min(ms, MAX_TIMER_MS)).unref() as unknown as TimerHandle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  },
};

interface ManualTimer {
  at: number;
  /** Creation order: timers due at the same instant fire in the order they were set. */
  seq: number;
  fn: () => unknown;
}

export type ManualClock = ReturnType<typeof createManualClock>;

/** A clock whose time and timers move only when a test says so. */
export function createManualClock(start = new Date('2026-01-01T00:00:00Z')) {
  let t = start.getTime();
  let seq = 0;
  const timers = new Set<ManualTimer>();

  const nextDue = (until: number): ManualTimer | undefined => {
    let best: ManualTimer | undefined;
    for (const timer of timers)
      if (
        timer.at <= until &&
        (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq))
      )
        best = timer;
    return best;
  };
  const fire = async (timer: ManualTimer) => {
    timers.delete(timer);
    await timer.fn();
  };

  return {
    now: () => new Date(t),
    setTimeout(fn: () => unknown, ms: number): TimerHandle {
      const timer: ManualTimer = { at: t + Math.max(0, ms), seq: seq++, fn };
      timers.add(timer);
      return timer as unknown as TimerHandle;
    },
    clearTimeout(handle: TimerHandle) {
      timers.delete(handle as unknown as ManualTimer);
    },
    /**
     * Jumps `ms` at once (code reading now() right after sees the new time), then fires every timer now due, in
     * due order, awaiting each run; the promise settles when they are done.
     */
    async advance(ms: number): Promise<void> {
      t += ms;
      for (let timer = nextDue(t); timer; timer = nextDue(t)) await fire(timer);
    },
    /**
     * Walks `ms` forward timer by timer: now() is each timer's due time while it runs (awaited), so a task that
     * re-arms itself every 60 s fires three times in `tick(180_000)`.
     */
    async tick(ms: number): Promise<void> {
      const target = t + ms;
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        t = Math.max(t, timer.at);
        await fire(timer);
      }
      t = target;
    },
    /** Timers set and not yet fired or cleared. */
    pendingTimers: () => timers.size,
  };
}
