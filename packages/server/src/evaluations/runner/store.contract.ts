// The run store contract (see `RunStore` in types.ts), one suite for every implementation: the memory and
// SQLite-file stores here, the database store where the runs are wired to the server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ItemRecord, RunStore } from './types.ts';

/** Opens an empty store whose leases expire by `now`. */
export type OpenRunStore = (now: () => number) => Promise<{ store: RunStore; close(): Promise<void> | void }>;

export function runStoreContract(name: string, open: OpenRunStore): void {
  describe(`run store contract: ${name}`, () => {
    const lease = (holder: string, extra: { retakeFailed?: boolean } = {}) => ({
      holder,
      leaseMs: 10_000,
      ...extra,
    });
    const record = (itemId: string, status: ItemRecord['status'], answer = 'A'): ItemRecord => ({
      itemId,
      status,
      prompt: `prompt of ${itemId}`,
      ...(status === 'answered' ? { raw: `{"answer":"${answer}"}`, answer } : {}),
      ...(status === 'failed'
        ? { error: { kind: 'server-error' as const, message: 'HTTP 503', status: 503 } }
        : {}),
      attempts: 1,
      cached: false,
      latencyMs: 12,
      inputTokens: 3,
      outputTokens: 1,
      tokensEstimated: false,
      finishedAt: '2026-05-01T10:00:00.000Z',
    });
    const withStore = async (fn: (store: RunStore, clock: { t: number }) => Promise<void>) => {
      const clock = { t: Date.parse('2026-05-01T10:00:00Z') };
      const { store, close } = await open(() => clock.t);
      try {
        await fn(store, clock);
      } finally {
        await close();
      }
    };

    it('claims a new item once: another holder sees it held until the lease ends, the holder renews it', async () => {
      await withStore(async (store, clock) => {
        assert.deepEqual(await store.claim('i1', lease('a')), { status: 'claimed' });
        assert.deepEqual(await store.claim('i1', lease('b')), {
          status: 'held',
          until: new Date(clock.t + 10_000),
        });
        assert.deepEqual(
          await store.claim('i1', lease('a')),
          { status: 'claimed' },
          'the holder claims again',
        );
        clock.t += 6000;
        assert.equal(await store.renew('i1', { holder: 'a', leaseMs: 10_000 }), true);
        assert.equal(await store.renew('i1', { holder: 'b', leaseMs: 10_000 }), false, 'not b’s to renew');
        clock.t += 6000;
        assert.equal(
          (await store.claim('i1', lease('b'))).status,
          'held',
          'the renewal holds past the first lease',
        );
      });
    });

    it('lets anyone take an expired lease, and the old holder no longer renews it', async () => {
      await withStore(async (store, clock) => {
        await store.claim('i1', lease('a'));
        clock.t += 10_000;
        assert.deepEqual(await store.claim('i1', lease('b')), { status: 'claimed' });
        assert.equal(await store.renew('i1', { holder: 'a', leaseMs: 10_000 }), false);
      });
    });

    it('grants exactly one of simultaneous claims', async () => {
      await withStore(async (store) => {
        const results = await Promise.all(['p', 'q', 'r', 's'].map((h) => store.claim('race', lease(h))));
        assert.equal(results.filter((r) => r.status === 'claimed').length, 1);
      });
    });

    it('keeps a saved record: the item is done for everyone, and the lease is gone', async () => {
      await withStore(async (store) => {
        await store.claim('i1', lease('a'));
        const saved = record('i1', 'answered');
        assert.equal(await store.save(saved, 'a'), true);
        assert.deepEqual(await store.claim('i1', lease('b')), { status: 'done', record: saved });
        assert.deepEqual(await store.claim('i1', lease('a')), { status: 'done', record: saved });
        assert.equal(await store.renew('i1', { holder: 'a', leaseMs: 10_000 }), false);
      });
    });

    it('never replaces an answer (first one wins) nor a skip; a failure may be replaced', async () => {
      await withStore(async (store) => {
        await store.claim('i1', lease('a'));
        assert.equal(await store.save(record('i1', 'answered', 'first'), 'a'), true);
        assert.equal(await store.save(record('i1', 'answered', 'second'), 'b'), false);
        const done = await store.claim('i1', lease('c'));
        assert.equal(done.status === 'done' && done.record.answer, 'first');
        assert.equal(await store.save(record('s1', 'skipped'), 'a'), true);
        assert.equal(await store.save(record('s1', 'answered'), 'a'), false);
        assert.equal(await store.save(record('f1', 'failed'), 'a'), true);
        assert.equal(await store.save(record('f1', 'answered'), 'a'), true);
        const replaced = await store.claim('f1', lease('a'));
        assert.equal(replaced.status === 'done' && replaced.record.status, 'answered');
      });
    });

    it('counts a failed item done, unless the claim retakes failures', async () => {
      await withStore(async (store) => {
        await store.save(record('f1', 'failed'), 'a');
        assert.equal((await store.claim('f1', lease('b'))).status, 'done');
        assert.deepEqual(await store.claim('f1', lease('b', { retakeFailed: true })), { status: 'claimed' });
        assert.equal((await store.claim('f1', lease('c', { retakeFailed: true }))).status, 'held');
        const answered = await store.claim('f1', lease('b', { retakeFailed: true }));
        assert.equal(answered.status, 'claimed');
      });
    });

    it('frees a released item at once, and only its holder releases it', async () => {
      await withStore(async (store) => {
        await store.claim('i1', lease('a'));
        await store.release('i1', 'b');
        assert.equal((await store.claim('i1', lease('b'))).status, 'held');
        await store.release('i1', 'a');
        assert.deepEqual(await store.claim('i1', lease('b')), { status: 'claimed' });
      });
    });
  });
}
