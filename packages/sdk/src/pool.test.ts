import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorFromResponse, JuryNetworkError } from './errors.ts';
import { mapPool, withRetries } from './pool.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mapPool', () => {
  test('never runs more than `workers` at once, keeps input order, isolates failures', async () => {
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 30 }, (_, i) => i);
    const settled: number[] = [];
    const results = await mapPool(
      items,
      4,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(1 + (i % 3));
        running--;
        if (i === 7) throw new Error('seven');
        return i * 2;
      },
      (_r, index) => settled.push(index),
    );
    assert.equal(peak, 4);
    assert.equal(settled.length, 30);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : 'x')),
      items.map((i) => (i === 7 ? 'x' : i * 2)),
    );
  });

  test('empty input and more workers than items', async () => {
    assert.deepEqual(await mapPool([], 5, async () => 1), []);
    const r = await mapPool([1, 2], 50, async (x) => x);
    assert.equal(r.length, 2);
  });
});

describe('withRetries', () => {
  test('retries network errors and 5xx with growing delays, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await withRetries(
      async () => {
        calls++;
        if (calls === 1) throw new JuryNetworkError({ code: 'NETWORK_ERROR', message: 'down' });
        if (calls === 2) throw errorFromResponse(503, '');
        return 'ok';
      },
      { maxRetries: 3, baseDelayMs: 5, onRetry: (_e, _a, d) => delays.push(d) },
    );
    assert.equal(value, 'ok');
    assert.equal(calls, 3);
    assert.equal(delays.length, 2);
    assert.ok((delays[0] ?? 0) >= 5 && (delays[0] ?? 0) <= 6.25);
    assert.ok((delays[1] ?? 0) >= 10 && (delays[1] ?? 0) <= 12.5);
  });

  test('gives up after maxRetries and throws the last error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw errorFromResponse(500, '');
        },
        { maxRetries: 2, baseDelayMs: 1 },
      ),
      /HTTP 500/,
    );
    assert.equal(calls, 3);
  });

  test('never retries a 4xx other than 429', async () => {
    let calls = 0;
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw errorFromResponse(413, '');
        },
        { maxRetries: 5, baseDelayMs: 1 },
      ),
    );
    assert.equal(calls, 1);
  });
});
