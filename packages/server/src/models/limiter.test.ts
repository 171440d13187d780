// The limiter in virtual time: a manual clock moves its timers, so minutes of pacing take milliseconds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createManualClock, type ManualClock } from '../http/clock.ts';
import { createLimiter, type Limiter, type LimiterPermit, parseRetryAfter } from './limiter.ts';

const MINUTE = 60_000;
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Walks the clock forward in small steps, letting the promise continuations of each step run. */
async function walk(clock: ManualClock, ms: number, step = 50) {
  for (let moved = 0; moved < ms; moved += step) {
    await clock.tick(step);
    await settle();
  }
}

/** Walks until `found` returns something (at most ten virtual minutes). */
async function walkUntil<T>(clock: ManualClock, found: () => T | undefined): Promise<T | undefined> {
  for (let i = 0; i < 12_000 && found() === undefined; i++) await walk(clock, 50, 50);
  return found();
}

/** `count` requests of `tokens` each, queued at once; each ends as `end` says, `latencyMs` after it starts. */
function flood(
  limiter: Limiter,
  clock: ManualClock,
  count: number,
  options: {
    tokens?: number;
    latencyMs?: number;
    end?: (permit: LimiterPermit, i: number) => void;
  } = {},
) {
  const starts: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  for (let i = 0; i < count; i++) {
    void limiter.acquire(options.tokens ?? 10).then((permit) => {
      starts.push(clock.now().getTime());
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      clock.setTimeout(() => {
        inFlight--;
        (options.end ?? ((p) => p.succeeded()))(permit, i);
      }, options.latencyMs ?? 0);
    });
  }
  return { starts, maxInFlight: () => maxInFlight };
}

/** The most starts in any window of `ms` ending at a start. */
function maxInWindow(starts: number[], ms: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < starts.length; j++) {
    while (starts[i]! <= starts[j]! - ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe('limiter', () => {
  it('spaces requests to the requests-per-minute limit and never exceeds it in any minute', async () => {
    const clock = createManualClock();
    const t0 = clock.now().getTime();
    const limiter = createLimiter({ requestsPerMinute: 60, maxConcurrency: 8 }, { clock });
    const { starts } = flood(limiter, clock, 400, { latencyMs: 200 });
    await walk(clock, 5 * MINUTE);
    assert.ok(maxInWindow(starts, MINUTE) <= 60, `max ${maxInWindow(starts, MINUTE)} in a minute`);
    const secondMinute = starts.filter((t) => t >= t0 + MINUTE && t < t0 + 2 * MINUTE).length;
    // 60 per 60.5 s (the guard): 59 or 60.
    assert.ok(secondMinute >= 59 && secondMinute <= 60, `second minute: ${secondMinute}`);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // 60.5 s / 60 apart, less the 50 ms steps the test walks in.
    assert.ok(Math.min(...gaps) >= 950, 'paced, not bursts');
  });

  it('holds the tokens-per-minute limit, counting the real tokens once the response says them', async () => {
    const clock = createManualClock();
    const limiter = createLimiter({ tokensPerMinute: 1200, maxConcurrency: 4 }, { clock });
    // Each request is estimated at 100 tokens but really costs 300: the limiter must slow to about 4 a minute.
    const { starts } = flood(limiter, clock, 60, {
      tokens: 100,
      latencyMs: 100,
      end: (p) => p.succeeded(300),
    });
    await walk(clock, 6 * MINUTE, 100);
    const lastFive = starts.filter((t) => t >= starts[0]! + MINUTE);
    const perMinute = lastFive.length / 5;
    assert.ok(perMinute >= 3.5 && perMinute <= 4.2, `${perMinute} a minute`);
    // Tokens in any minute (real counts): at most the limit plus one request's underestimate.
    assert.ok(maxInWindow(starts, MINUTE) * 300 <= 1200 + 300);
    assert.ok(limiter.snapshot().tokensInWindow <= 1200);
  });

  it('lets the lower of the two limits govern', async () => {
    const clock = createManualClock();
    const limiter = createLimiter(
      { requestsPerMinute: 100, tokensPerMinute: 1000, maxConcurrency: 4 },
      { clock },
    );
    const { starts } = flood(limiter, clock, 200, { tokens: 50 });
    await walk(clock, 3 * MINUTE);
    const inLastTwo = starts.filter((t) => t >= starts[0]! + MINUTE).length / 2;
    assert.ok(inLastTwo >= 19 && inLastTwo <= 20, `${inLastTwo} a minute (tokens allow 20, requests 100)`);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    const clock = createManualClock();
    const limiter = createLimiter({ maxConcurrency: 3 }, { clock });
    const run = flood(limiter, clock, 30, { latencyMs: 1000 });
    await walk(clock, 12_000, 100);
    assert.equal(run.starts.length, 30);
    assert.equal(run.maxInFlight(), 3);
  });

  it('pauses everything until Retry-After, halves its rate once per congestion event, then climbs back', async () => {
    const clock = createManualClock();
    const t0 = clock.now().getTime();
    const limiter = createLimiter({ requestsPerMinute: 600, maxConcurrency: 4 }, { clock });
    const throttleFirst = new Set([0, 1, 2]);
    const run = flood(limiter, clock, 4000, {
      latencyMs: 300,
      end: (p, i) => (throttleFirst.has(i) ? p.throttled(5000) : p.succeeded()),
    });
    await walk(clock, 550, 10);
    // Three requests were in flight when the first 429 arrived: one decrease for the event, not three.
    const afterThrottle = limiter.snapshot();
    assert.equal(afterThrottle.factor, 0.5);
    assert.equal(afterThrottle.concurrency, 2);
    assert.equal(afterThrottle.throttled, 3);
    assert.ok(afterThrottle.pausedUntil);
    const pausedAt = clock.now().getTime();
    await walk(clock, 4000, 10);
    assert.equal(
      run.starts.filter((t) => t > pausedAt).length,
      0,
      'no request starts during the Retry-After pause',
    );
    const resumedAt = (await walkUntil(clock, () => run.starts.find((t) => t > pausedAt)))!;
    assert.ok(resumedAt >= t0 + 5000, 'the pause lasted until Retry-After');
    // At half the rate (300 a minute) the factor climbs a tenth a minute: back to the limit in about five.
    await walk(clock, 4 * MINUTE, 50);
    const climbing = limiter.snapshot().factor;
    assert.ok(climbing > 0.8 && climbing < 1, `factor ${climbing} after four minutes`);
    await walk(clock, 2 * MINUTE, 50);
    const back = limiter.snapshot();
    assert.equal(back.factor, 1, 'successes raise the rate back to the limit, no further');
    assert.equal(back.concurrency, 4);
    const lastMinute = run.starts.filter((t) => t > clock.now().getTime() - MINUTE).length;
    assert.ok(lastMinute >= 590 && lastMinute <= 600, `${lastMinute} in the last minute`);
  });

  it('a later 429 lowers the rate again, and the rate floor is 1/64 of the limit', async () => {
    const clock = createManualClock();
    const limiter = createLimiter({ requestsPerMinute: 6000, maxConcurrency: 1 }, { clock });
    const run = flood(limiter, clock, 10, { end: (p) => p.throttled() });
    await walk(clock, 10 * MINUTE, 200);
    assert.equal(run.starts.length, 10);
    assert.equal(limiter.snapshot().factor, 1 / 64);
    const gaps = run.starts.slice(1).map((t, i) => t - run.starts[i]!);
    assert.ok(gaps.at(-1)! > gaps[0]! * 32, 'each 429 spaced the next request further');
  });

  it('lets a request larger than the whole token budget through, paced at the token rate, rather than never', async () => {
    const clock = createManualClock();
    const limiter = createLimiter({ tokensPerMinute: 100 }, { clock });
    const run = flood(limiter, clock, 2, { tokens: 500 });
    await walk(clock, 7 * MINUTE, 500);
    assert.equal(run.starts.length, 2);
    // Paced at the token rate: 500 tokens at 100 a minute is five minutes' worth.
    assert.ok(run.starts[1]! - run.starts[0]! >= 5 * MINUTE, 'the second waits its tokens’ share of time');
  });

  it('drops a waiter whose signal aborts, and serves the next one', async () => {
    const clock = createManualClock();
    const limiter = createLimiter({ maxConcurrency: 1 }, { clock });
    const first = await limiter.acquire(1);
    const controller = new AbortController();
    const second = limiter.acquire(1, controller.signal);
    const third = limiter.acquire(1);
    assert.equal(limiter.snapshot().queued, 2);
    controller.abort(new Error('stop'));
    await assert.rejects(second, /stop/);
    first.released();
    first.succeeded(); // a second end of the same permit is ignored
    (await third).released();
    assert.equal(limiter.snapshot().inFlight, 0);
    assert.equal(limiter.snapshot().queued, 0);
    await assert.rejects(limiter.acquire(1, AbortSignal.abort(new Error('already'))), /already/);
  });

  it('refuses limits that are not positive numbers', () => {
    const clock = createManualClock();
    assert.throws(() => createLimiter({ requestsPerMinute: 0 }, { clock }), /requestsPerMinute/);
    assert.throws(() => createLimiter({ tokensPerMinute: -5 }, { clock }), /tokensPerMinute/);
    assert.throws(() => createLimiter({ maxConcurrency: Number.NaN }, { clock }), /maxConcurrency/);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('reads delay-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter(' 1.5 ', now), 1500);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now), 0, 'a date past is no wait');
  });
  it('ignores what is neither', () => {
    for (const value of [undefined, null, '', '-3', 'soon', '1e3'])
      assert.equal(parseRetryAfter(value, now), undefined);
  });
});
