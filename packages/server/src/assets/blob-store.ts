import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../http/errors.ts';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** The first bytes, for sniffing the media type. */
  head: Uint8Array;
}

/** Content-addressed storage: a blob's name is its sha256, so identical content is stored once. */
export interface BlobStore {
  /** Where the blobs are, for the start-up line: a directory or `s3://bucket/prefix`. */
  readonly description: string;
  /** Throws what an operator must fix (a bucket that is missing or refuses us) before the server listens. */
  check(): Promise<void>;
  /**
   * Streams `body` in (at most `maxBytes`, else PAYLOAD_TOO_LARGE); `accept` sees the hashed blob before it is
   * stored and throws to refuse it, so a refused upload is never stored.
   */
  put(
    body: ReadableStream<Uint8Array>,
    maxBytes: number,
    accept?: (blob: StoredBlob) => void | Promise<void>,
  ): Promise<StoredBlob>;
  size(sha256: string): Promise<number | undefined>;
  /** Opens the content (or the inclusive byte `range`); unknown content is NOT_FOUND before any byte is sent. */
  read(sha256: string, range?: { start: number; end: number }): Promise<ReadableStream<Uint8Array>>;
  remove(sha256: string): Promise<void>;
}

const HEAD_BYTES = 4100;
// Media belong to organizations: readable by the server's user only, like the database next to them.
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/** An upload written to a local temp file while its sha256 is computed; `discard()` removes the file. */
export interface SpooledUpload extends StoredBlob {
  path: string;
  discard(): Promise<void>;
}

/**
 * Streams `body` into a new file under `tmpDir`, hashing as it goes and stopping at `maxBytes` (PAYLOAD_TOO_LARGE);
 * on any failure the partial file is removed, so a rejected upload leaves nothing behind.
 */
export async function spoolUpload(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  tmpDir: string,
): Promise<SpooledUpload> {
  await mkdir(tmpDir, { recursive: true, mode: PRIVATE_DIR });
  const path = join(tmpDir, randomBytes(12).toString('hex'));
  const discard = () => rm(path, { force: true });
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) {
        return done(
          new AppError(
            'PAYLOAD_TOO_LARGE',
            `The file is larger than the ${formatBytes(maxBytes)} limit; upload a smaller file or raise --max-upload-mb.`,
            { maxBytes },
          ),
        );
      }
      hash.update(chunk);
      if (headLength < HEAD_BYTES) {
        headChunks.push(chunk);
        headLength += chunk.length;
      }
      done(null, chunk);
    },
  });
  try {
    // pipeline stops every stage on the first error (too large, a broken connection) and closes the file.
    await pipeline(
      Readable.fromWeb(body as import('node:stream/web').ReadableStream),
      measure,
      createWriteStream(path, { mode: PRIVATE_FILE }),
    );
  } catch (err) {
    await discard();
    throw err;
  }
  const head = new Uint8Array(Buffer.concat(headChunks).subarray(0, HEAD_BYTES));
  return { sha256: hash.digest('hex'), size, head, path, discard };
}

/** Blobs as files under `<dir>/blobs/ab/<sha256>`, written to a temp file first and renamed into place. */
export function createDiskBlobStore(dir: string): BlobStore {
  const blobPath = (sha: string) => join(dir, 'blobs', sha.slice(0, 2), sha);
  return {
    description: join(dir, 'blobs'),
    // The directories are made by the first upload.
    async check() {},
    async put(body, maxBytes, accept) {
      const spooled = await spoolUpload(body, maxBytes, join(dir, 'tmp'));
      try {
        await accept?.(spooled);
        await mkdir(join(dir, 'blobs', spooled.sha256.slice(0, 2)), { recursive: true, mode: PRIVATE_DIR });
        await rename(spooled.path, blobPath(spooled.sha256));
      } catch (err) {
        await spooled.discard();
        throw err;
      }
      return { sha256: spooled.sha256, size: spooled.size, head: spooled.head };
    },
    async size(sha256) {
      try {
        return (await stat(blobPath(sha256))).size;
      } catch {
        return undefined;
      }
    },
    async read(sha256, range) {
      let file: FileHandle;
      try {
        file = await open(blobPath(sha256), 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw missingBlob(sha256);
        throw err;
      }
      const stream = file.createReadStream(range ? { start: range.start, end: range.end } : {});
      return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
    },
    async remove(sha256) {
      await rm(blobPath(sha256), { force: true });
    },
  };
}

/** An asset row whose content is not in the store (deleted by hand, or a bucket that was emptied). */
export function missingBlob(sha256: string): AppError {
  return new AppError('NOT_FOUND', `The content of media ${sha256} is missing from the media store.`);
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
