import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../http/errors.ts';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** The first bytes, for sniffing the media type. */
  head: Uint8Array;
}

/** Content-addressed storage: a blob's name is its sha256, so identical content is stored once. */
export interface BlobStore {
  put(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<StoredBlob>;
  size(sha256: string): Promise<number | undefined>;
  read(sha256: string, range?: { start: number; end: number }): ReadableStream<Uint8Array>;
  remove(sha256: string): Promise<void>;
}

const HEAD_BYTES = 4100;
// Media belong to organizations: readable by the server's user only, like the database next to them.
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/** Blobs as files under `<dir>/blobs/ab/<sha256>`, written to a temp file first and renamed into place. */
export function createDiskBlobStore(dir: string): BlobStore {
  const blobPath = (sha: string) => join(dir, 'blobs', sha.slice(0, 2), sha);
  return {
    async put(body, maxBytes) {
      const tmpDir = join(dir, 'tmp');
      await mkdir(tmpDir, { recursive: true, mode: PRIVATE_DIR });
      const tmp = join(tmpDir, randomBytes(12).toString('hex'));
      const hash = createHash('sha256');
      const headChunks: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      const out = createWriteStream(tmp, { mode: PRIVATE_FILE });
      try {
        for await (const chunk of Readable.fromWeb(body as import('node:stream/web').ReadableStream)) {
          const buf = Buffer.from(chunk as Uint8Array);
          size += buf.length;
          if (size > maxBytes) {
            throw new AppError(
              'PAYLOAD_TOO_LARGE',
              `The file is larger than the ${formatBytes(maxBytes)} limit; upload a smaller file or raise --max-upload-mb.`,
              { maxBytes },
            );
          }
          hash.update(buf);
          if (headLength < HEAD_BYTES) {
            headChunks.push(buf);
            headLength += buf.length;
          }
          if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
        }
        await new Promise<void>((resolve, reject) =>
          out.end((err?: Error | null) => (err ? reject(err) : resolve())),
        );
        const sha256 = hash.digest('hex');
        const target = blobPath(sha256);
        await mkdir(join(dir, 'blobs', sha256.slice(0, 2)), { recursive: true, mode: PRIVATE_DIR });
        await rename(tmp, target);
        return { sha256, size, head: new Uint8Array(Buffer.concat(headChunks).subarray(0, HEAD_BYTES)) };
      } catch (err) {
        out.destroy();
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async size(sha256) {
      try {
        return (await stat(blobPath(sha256))).size;
      } catch {
        return undefined;
      }
    },
    read(sha256, range) {
      const stream = createReadStream(blobPath(sha256), range ? { start: range.start, end: range.end } : {});
      return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
    },
    async remove(sha256) {
      await rm(blobPath(sha256), { force: true });
    },
  };
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
