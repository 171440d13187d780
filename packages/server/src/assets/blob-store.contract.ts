// What every BlobStore promises (disk and bucket run the same cases): content addressing, dedup, byte ranges,
// the size limit, and that a rejected or broken upload leaves nothing behind.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { AppError } from '../http/errors.ts';
import type { BlobStore } from './blob-store.ts';

export interface BlobStoreUnderTest {
  store: BlobStore;
  /** The sha256 of every blob the store holds, sorted. */
  stored(): Promise<string[]>;
  /** Whatever is left in the store's local scratch directory. */
  scratch(): Promise<string[]>;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** `bytes` as a stream of `chunk`-sized pieces, as a request body arrives. */
function streamOf(bytes: Uint8Array, chunk = 16 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

/** A body whose connection breaks after `bytes` were sent. */
function brokenAfter(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(new Error('connection reset'));
      controller.enqueue(bytes);
      sent = true;
    },
  });
}

/** Deterministic bytes that do not repeat in any short period (a seeded xorshift). */
function pseudoRandom(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

export function blobStoreContract(name: string, open: () => Promise<BlobStoreUnderTest>): void {
  describe(`blob store contract: ${name}`, () => {
    it('stores content under its sha256 and reads it back whole, with its size and first bytes', async () => {
      const { store, stored } = await open();
      await store.check();
      const bytes = pseudoRandom(50_000, 1);
      const blob = await store.put(streamOf(bytes), 1_000_000);
      assert.equal(blob.sha256, sha(bytes));
      assert.equal(blob.size, bytes.length);
      assert.deepEqual(Buffer.from(blob.head), Buffer.from(bytes.subarray(0, 4100)));
      assert.equal(await store.size(blob.sha256), bytes.length);
      assert.deepEqual(await readAll(await store.read(blob.sha256)), Buffer.from(bytes));
      assert.deepEqual(await stored(), [blob.sha256]);
    });

    it('serves byte ranges: the start, the middle, the last byte', async () => {
      const { store } = await open();
      const bytes = pseudoRandom(10_000, 2);
      const { sha256 } = await store.put(streamOf(bytes), 1_000_000);
      for (const [start, end] of [
        [0, 0],
        [0, 99],
        [4_000, 6_999],
        [9_999, 9_999],
      ] as const) {
        const got = await readAll(await store.read(sha256, { start, end }));
        assert.deepEqual(got, Buffer.from(bytes.subarray(start, end + 1)), `bytes ${start}-${end}`);
      }
    });

    it('keeps identical content once', async () => {
      const { store, stored } = await open();
      const bytes = pseudoRandom(20_000, 3);
      const a = await store.put(streamOf(bytes), 1_000_000);
      const b = await store.put(streamOf(bytes, 999), 1_000_000);
      assert.deepEqual(b, a);
      const other = await store.put(streamOf(pseudoRandom(20_000, 4)), 1_000_000);
      assert.deepEqual(await stored(), [a.sha256, other.sha256].sort());
    });

    it('refuses a body over the limit with PAYLOAD_TOO_LARGE and keeps nothing of it', async () => {
      const { store, stored, scratch } = await open();
      await assert.rejects(
        store.put(streamOf(pseudoRandom(100_001, 5)), 100_000),
        (err) => err instanceof AppError && err.code === 'PAYLOAD_TOO_LARGE',
      );
      assert.deepEqual(await stored(), []);
      assert.deepEqual(await scratch(), []);
    });

    it('keeps nothing of a body whose connection breaks', async () => {
      const { store, stored, scratch } = await open();
      await assert.rejects(store.put(brokenAfter(pseudoRandom(30_000, 6)), 1_000_000), /connection reset/);
      assert.deepEqual(await stored(), []);
      assert.deepEqual(await scratch(), []);
    });

    it('stores nothing that accept() refuses, and shows accept() the hashed blob first', async () => {
      const { store, stored, scratch } = await open();
      const bytes = pseudoRandom(5_000, 9);
      let seen: { sha256: string; size: number } | undefined;
      await assert.rejects(
        store.put(streamOf(bytes), 1_000_000, ({ sha256, size }) => {
          seen = { sha256, size };
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'not media');
        }),
        (err) => err instanceof AppError && err.code === 'UNSUPPORTED_MEDIA_TYPE',
      );
      assert.deepEqual(seen, { sha256: sha(bytes), size: bytes.length });
      assert.deepEqual(await stored(), []);
      assert.deepEqual(await scratch(), []);
    });

    it('answers no size for unknown content, and removing forgets it (twice is fine)', async () => {
      const { store, stored } = await open();
      assert.equal(await store.size('0'.repeat(64)), undefined);
      await assert.rejects(
        store.read('0'.repeat(64)),
        (err) => err instanceof AppError && err.code === 'NOT_FOUND',
      );
      const { sha256 } = await store.put(streamOf(pseudoRandom(1_000, 7)), 1_000_000);
      await store.remove(sha256);
      await store.remove(sha256);
      assert.equal(await store.size(sha256), undefined);
      assert.deepEqual(await stored(), []);
    });

    it('streams a 12 MiB upload through and back, and a reader that stops early leaves the store usable', async () => {
      const { store, scratch } = await open();
      const bytes = pseudoRandom(12 * 1024 * 1024, 8);
      const blob = await store.put(streamOf(bytes, 64 * 1024), 20 * 1024 * 1024);
      assert.equal(blob.sha256, sha(bytes));
      assert.equal(await store.size(blob.sha256), bytes.length);
      assert.equal(sha(await readAll(await store.read(blob.sha256))), blob.sha256);
      const tail = await readAll(
        await store.read(blob.sha256, { start: bytes.length - 10, end: bytes.length - 1 }),
      );
      assert.deepEqual(tail, Buffer.from(bytes.subarray(bytes.length - 10)));
      // A browser that seeks away: the first chunk is read, then the stream is cancelled.
      const reader = (await store.read(blob.sha256)).getReader();
      assert.ok(((await reader.read()).value?.length ?? 0) > 0);
      await reader.cancel();
      assert.equal(await store.size(blob.sha256), bytes.length);
      assert.deepEqual(await scratch(), []);
    });
  });
}
