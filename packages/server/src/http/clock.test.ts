import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createManualClock, systemClock } from './clock.ts';

describe('clock', () => {
  it('system timers fire once, can be cleared, and never hold the process open', async () => {
    let fired = 0;
    await new Promise<void>((done) =>
      systemClock.setTimeout(() => {
        fired++;
        done();
      }, 5),
    );
    systemClock.clearTimeout(systemClock.setTimeout(() => fired++, 5));
    // Beyond Node's 2^31-1 ms limit (which would fire at once); unref'd, so this test still ends.
    systemClock.setTimeout(() => fired++, 2 ** 40);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(fired, 1);
  });

  it('advance jumps at once, then fires what is due in order, awaiting each', async () => {
    const clock = createManualClock(new Date('2026-01-01T00:00:00Z'));
    const seen: string[] = [];
    clock.setTimeout(async () => {
      await new Promise((r) => setImmediate(r));
      seen.push(`b ${clock.now().toISOString()}`);
    }, 2000);
    clock.setTimeout(() => seen.push('a'), 1000);
    clock.clearTimeout(clock.setTimeout(() => seen.push('cleared'), 500));
    clock.setTimeout(() => seen.push('later'), 5000);
    const moving = clock.advance(3000);
    assert.equal(
      clock.now().toISOString(),
      '2026-01-01T00:00:03.000Z',
      'time moved before the promise settles',
    );
    await moving;
    assert.deepEqual(seen, ['a', 'b 2026-01-01T00:00:03.000Z']);
    assert.equal(clock.pendingTimers(), 1);
  });

  it('tick walks to each due time, so a timer that re-arms itself fires once per period', async () => {
    const clock = createManualClock(new Date('2026-01-01T00:00:00Z'));
    const seen: string[] = [];
    const every = () => {
      seen.push(clock.now().toISOString().slice(11, 19));
      clock.setTimeout(every, 60_000);
    };
    clock.setTimeout(every, 60_000);
    await clock.tick(180_000);
    assert.deepEqual(seen, ['00:01:00', '00:02:00', '00:03:00']);
    assert.equal(clock.now().toISOString(), '2026-01-01T00:03:00.000Z');
  });
});
