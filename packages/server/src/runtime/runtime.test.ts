// The runtime on a clock moved by hand: schedules, failures, stop, and several runtimes sharing one database
// (SQLite file; Postgres when TEST_DATABASE_URL is set), as several server processes would.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { DEFAULT_CONFIG } from '../config/config.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { createManualClock, type ManualClock } from '../http/clock.ts';
import { createRuntime, type RuntimeLog } from './runtime.ts';
import { findRuntimeLease } from './store.ts';
import type { ScheduledTask } from './task.ts';

const MINUTE = 60_000;

/** A task that records the clock's time at each run. */
function recorder(name: string, every: ScheduledTask['every'] = MINUTE) {
  const runs: string[] = [];
  const task: ScheduledTask = {
    name,
    every,
    async run({ clock }) {
      runs.push(clock.now().toISOString());
    },
  };
  return { task, runs };
}

/** The same task as each process would declare it: runs are recorded as `holder@time` in the shared `runs`. */
function sharedTask(name: string, runs: string[]) {
  return (holder: string): ScheduledTask => ({
    name,
    every: MINUTE,
    async run({ clock }) {
      runs.push(`${holder}@${clock.now().toISOString()}`);
    },
  });
}

function collectingLog() {
  const errors: { message: string; error: unknown }[] = [];
  const log: RuntimeLog = { error: (message, error) => errors.push({ message, error }) };
  return { log, errors };
}

function runtimeOn(
  handle: DatabaseHandle,
  clock: ManualClock,
  tasks: ScheduledTask[],
  extra: { holder?: string; log?: RuntimeLog } = {},
) {
  return createRuntime({
    deps: { db: handle.db, dialect: handle.dialect, clock, config: DEFAULT_CONFIG },
    tasks,
    log: extra.log ?? collectingLog().log,
    ...(extra.holder ? { holder: extra.holder } : {}),
  });
}

describe('runtime on a manual clock', () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await openDatabase({ sqliteFile: ':memory:' });
  });
  after(() => handle.close());

  it('fires each task every interval, first one interval after start, at the due times', async () => {
    const clock = createManualClock(new Date('2026-02-01T00:00:00Z'));
    const minutely = recorder('test.minutely');
    const fromConfig = recorder('test.from-config', (config) => config.tokenPurgeSeconds * 1000);
    const runtime = runtimeOn(handle, clock, [minutely.task, fromConfig.task]);
    await runtime.start();
    assert.equal(clock.pendingTimers(), 2);
    await clock.tick(MINUTE - 1);
    assert.deepEqual(minutely.runs, [], 'nothing runs before its interval');
    await clock.tick(2 * MINUTE + 1);
    assert.deepEqual(minutely.runs, [
      '2026-02-01T00:01:00.000Z',
      '2026-02-01T00:02:00.000Z',
      '2026-02-01T00:03:00.000Z',
    ]);
    assert.deepEqual(fromConfig.runs, []);
    await clock.tick(57 * MINUTE);
    assert.equal(minutely.runs.length, 60);
    assert.deepEqual(fromConfig.runs, ['2026-02-01T01:00:00.000Z'], 'tokenPurgeSeconds from the config');
    const row = await findRuntimeLease(handle.db, 'test.minutely');
    assert.deepEqual(row, {
      name: 'test.minutely',
      holder: runtime.holder,
      last_run_at: '2026-02-01T01:00:00.000Z',
      expires_at: '2026-02-01T01:01:00.000Z',
    });
    await runtime.stop();
    assert.equal(clock.pendingTimers(), 0, 'no timer is left behind');
    await clock.tick(10 * MINUTE);
    assert.equal(minutely.runs.length, 60, 'nothing runs after stop');
  });

  it('logs a failing run and runs the task again at its next tick; other tasks go on', async () => {
    const clock = createManualClock(new Date('2026-02-02T00:00:00Z'));
    const { log, errors } = collectingLog();
    let attempts = 0;
    const flaky: ScheduledTask = {
      name: 'test.flaky',
      every: MINUTE,
      async run() {
        attempts++;
        if (attempts <= 2) throw new Error(`boom ${attempts}`);
      },
    };
    const steady = recorder('test.steady');
    const runtime = runtimeOn(handle, clock, [flaky, steady.task], { log });
    await runtime.start();
    await clock.tick(3 * MINUTE);
    assert.equal(attempts, 3, 'retried at each tick, not at once and not never');
    assert.equal(steady.runs.length, 3);
    assert.deepEqual(
      errors.map((e) => [e.message, (e.error as Error).message]),
      [
        ['background task test.flaky failed; it runs again in 60 s', 'boom 1'],
        ['background task test.flaky failed; it runs again in 60 s', 'boom 2'],
      ],
    );
    await runtime.stop();
  });

  it('stop() waits for a run in progress and arms nothing afterwards', async () => {
    const clock = createManualClock(new Date('2026-02-03T00:00:00Z'));
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started = false;
    let finished = false;
    const slow: ScheduledTask = {
      name: 'test.slow',
      every: MINUTE,
      async run() {
        started = true;
        await gate;
        finished = true;
      },
    };
    const runtime = runtimeOn(handle, clock, [slow]);
    await runtime.start();
    const ticking = clock.advance(MINUTE);
    while (!started) await new Promise((r) => setImmediate(r));
    let stopped = false;
    const stopping = runtime.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(stopped, false, 'stop is still waiting for the run');
    release();
    await stopping;
    assert.equal(finished, true);
    await ticking;
    assert.equal(clock.pendingTimers(), 0);
  });

  it('runOnce runs a task now, outside its schedule, and passes its error on', async () => {
    const clock = createManualClock(new Date('2026-02-04T00:00:00Z'));
    const once = recorder('test.once');
    const failing: ScheduledTask = {
      name: 'test.failing',
      every: MINUTE,
      run: async () => {
        throw new Error('nope');
      },
    };
    const runtime = runtimeOn(handle, clock, [once.task, failing]);
    await runtime.runOnce('test.once');
    assert.deepEqual(once.runs, ['2026-02-04T00:00:00.000Z']);
    await assert.rejects(runtime.runOnce('test.failing'), /nope/);
    await assert.rejects(runtime.runOnce('test.missing'), /No background task test\.missing/);
    assert.equal(clock.pendingTimers(), 0, 'a runtime never started sets no timer');
  });

  it('refuses duplicate names and non-positive intervals', () => {
    const clock = createManualClock();
    const a = recorder('test.same').task;
    assert.throws(() => runtimeOn(handle, clock, [a, a]), /Two background tasks are named test\.same/);
    assert.throws(
      () => runtimeOn(handle, clock, [recorder('test.zero', 0).task]),
      /test\.zero needs a positive interval/,
    );
  });
});

for (const target of testDatabaseTargets()) {
  describe(`runtimes sharing one ${target.name} database`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let first: DatabaseHandle;
    let second: DatabaseHandle;
    before(async () => {
      env = await createTestEnvironment(target);
      // Two handles (two pools / two SQLite connections), as two server processes would have.
      const open = () =>
        openDatabase({ databaseUrl: env.databaseUrl, sqliteFile: join(env.dataDir, 'jury.sqlite') });
      first = await open();
      second = await open();
    });
    after(async () => {
      await first.close();
      await second.close();
      await env.cleanup();
    });

    it('runs each tick once, not once per runtime, even when both fire at the same instant', async () => {
      const start = new Date('2026-03-01T00:00:00Z');
      const clockA = createManualClock(start);
      const clockB = createManualClock(start);
      const runs: string[] = [];
      const task = sharedTask('test.shared', runs);
      const a = runtimeOn(first, clockA, [task('a')], { holder: 'a' });
      const b = runtimeOn(second, clockB, [task('b')], { holder: 'b' });
      await Promise.all([a.start(), b.start()]);
      for (let i = 0; i < 5; i++) await Promise.all([clockA.tick(MINUTE), clockB.tick(MINUTE)]);
      assert.equal(runs.length, 5, runs.join(', '));
      assert.deepEqual(
        runs.map((r) => r.split('@')[1]),
        [1, 2, 3, 4, 5].map((m) => `2026-03-01T00:0${m}:00.000Z`),
      );
      await Promise.all([a.stop(), b.stop()]);
    });

    it('keeps the interval across processes: a run made elsewhere 5 s ago is not made again', async () => {
      const start = new Date('2026-03-02T00:00:00Z');
      const clockA = createManualClock(start);
      const runs: string[] = [];
      const task = sharedTask('test.interval', runs);
      const a = runtimeOn(first, clockA, [task('a')], { holder: 'a' });
      await a.start();
      await clockA.tick(MINUTE);
      assert.deepEqual(runs, ['a@2026-03-02T00:01:00.000Z']);
      await a.stop();
      // B starts 5 s after A's run: its first run is at A's next due time, not one interval from its start.
      const clockB = createManualClock(new Date('2026-03-02T00:01:05Z'));
      const b = runtimeOn(second, clockB, [task('b')], { holder: 'b' });
      await b.start();
      await clockB.tick(54_999);
      assert.deepEqual(runs, ['a@2026-03-02T00:01:00.000Z']);
      await clockB.tick(1);
      assert.deepEqual(runs, ['a@2026-03-02T00:01:00.000Z', 'b@2026-03-02T00:02:00.000Z']);
      await b.stop();
    });

    it('a runtime that lost a claim tries again when the winner’s interval ends', async () => {
      const start = new Date('2026-03-03T00:00:00Z');
      const clockA = createManualClock(start);
      const clockB = createManualClock(new Date('2026-03-03T00:00:30Z'));
      const runs: string[] = [];
      const task = sharedTask('test.takeover', runs);
      const a = runtimeOn(first, clockA, [task('a')], { holder: 'a' });
      const b = runtimeOn(second, clockB, [task('b')], { holder: 'b' });
      await a.start();
      await b.start();
      await clockA.tick(MINUTE); // A runs at 00:01:00
      await clockB.tick(MINUTE); // B's first try at 00:01:30 loses; it retries at 00:02:00 (A's due time)
      assert.deepEqual(runs, ['a@2026-03-03T00:01:00.000Z']);
      await a.stop(); // A goes away; B takes over at the next due time
      await clockB.tick(30_000);
      assert.deepEqual(runs, ['a@2026-03-03T00:01:00.000Z', 'b@2026-03-03T00:02:00.000Z']);
      await b.stop();
    });
  });
}
