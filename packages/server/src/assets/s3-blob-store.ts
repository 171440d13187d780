import { createReadStream } from 'node:fs';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ConfigError } from '../config/config.ts';
import { type BlobStore, missingBlob, type SpooledUpload, spoolUpload } from './blob-store.ts';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Keys are `<prefix><sha256>`; a `/` is added to a prefix that lacks one. */
  prefix?: string | undefined;
  region: string;
  /** An S3-compatible server's URL; unset means AWS S3 of the region. */
  endpoint?: string | undefined;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>`. */
  forcePathStyle?: boolean | undefined;
  /** Unset: the SDK's chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, the machine's role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Local scratch directory where an upload is hashed before it goes to the bucket. */
  tmpDir: string;
  /** Files larger than this go up in parts (default 64 MiB); smaller ones in one PutObject. */
  multipartThresholdBytes?: number | undefined;
  /** Size of each part of a multipart upload (default 16 MiB; S3's minimum is 5 MiB). */
  partSizeBytes?: number | undefined;
}

const MIB = 1024 * 1024;

/**
 * Blobs as objects `<prefix><sha256>` in an S3 bucket. An upload is streamed to a local temp file while its
 * sha256 is computed (never held in memory whole), then HeadObject decides: content already in the bucket is not
 * sent again; new content is put once under its final key, with the sha256 for the bucket to verify. Hashing first
 * means a rejected upload (too large, not media, a broken connection) never reaches the bucket, nothing partial is
 * ever visible under a content address, identical content is never sent twice, and no temporary object needs a
 * copy and a delete (nor a 5 GB CopyObject limit); the price is local scratch space and sending after receiving.
 * A crash mid-upload leaves at most an unfinished multipart upload of a file over the threshold (docs/deploy.md:
 * a lifecycle rule aborts those).
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { bucket } = options;
  const prefix =
    options.prefix && !options.prefix.endsWith('/') ? `${options.prefix}/` : (options.prefix ?? '');
  const threshold = options.multipartThresholdBytes ?? 64 * MIB;
  const partSize = options.partSizeBytes ?? 16 * MIB;
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle === true,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Not every S3-compatible server knows the SDK's default CRC32 trailers; uploads carry their sha256 instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A media response holds its socket while the labeler's browser reads it: allow many at once.
    requestHandler: {
      httpAgent: { keepAlive: true, maxSockets: 256 },
      httpsAgent: { keepAlive: true, maxSockets: 256 },
    },
  });
  const key = (sha256: string) => `${prefix}${sha256}`;

  async function head(sha256: string): Promise<number | undefined> {
    try {
      const found = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key(sha256) }));
      return found.ContentLength ?? 0;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async function upload(spooled: SpooledUpload): Promise<void> {
    if (spooled.size <= threshold) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key(spooled.sha256),
          Body: createReadStream(spooled.path),
          ContentLength: spooled.size,
          ContentType: 'application/octet-stream',
          ChecksumSHA256: Buffer.from(spooled.sha256, 'hex').toString('base64'),
        }),
      );
      return;
    }
    // In parts of partSize, two at a time: memory stays at about 2 parts per upload; a failed upload is aborted.
    await new Upload({
      client,
      params: {
        Bucket: bucket,
        Key: key(spooled.sha256),
        Body: createReadStream(spooled.path),
        ContentType: 'application/octet-stream',
      },
      partSize,
      queueSize: 2,
      leavePartsOnError: false,
    }).done();
  }

  return {
    description: `s3://${bucket}/${prefix}${options.endpoint ? ` at ${options.endpoint}` : ''}`,
    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (err) {
        const status = statusOf(err);
        const reason =
          status === 404
            ? 'it does not exist'
            : status === 403 || status === 401
              ? 'access is denied to these credentials (the server needs s3:ListBucket, GetObject, PutObject, DeleteObject)'
              : `${(err as Error).name}: ${(err as Error).message}`;
        throw new ConfigError(
          `The media bucket ${bucket}${options.endpoint ? ` at ${options.endpoint}` : ''} cannot be used: ${reason}. Check --s3-bucket, --s3-endpoint, --s3-region and the credentials (JURY_S3_* or AWS_*).`,
          { cause: err },
        );
      }
    },
    async put(body, maxBytes, accept) {
      const spooled = await spoolUpload(body, maxBytes, options.tmpDir);
      try {
        await accept?.(spooled);
        // The same content (this or another organization's) is already there: nothing to send.
        if ((await head(spooled.sha256)) === undefined) await upload(spooled);
      } finally {
        await spooled.discard();
      }
      return { sha256: spooled.sha256, size: spooled.size, head: spooled.head };
    },
    size: head,
    async read(sha256, range) {
      // Asked before the response starts, so a missing object is a 404 rather than a cut-off body.
      const abort = new AbortController();
      let got: GetObjectCommandOutput;
      try {
        got = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key(sha256),
            ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
          }),
          { abortSignal: abort.signal },
        );
      } catch (err) {
        if (statusOf(err) === 404) throw missingBlob(sha256);
        throw err;
      }
      if (!got.Body) throw new Error(`The bucket answered no body for ${key(sha256)}.`);
      const body = got.Body.transformToWebStream() as ReadableStream<Uint8Array>;
      const exact = range ? exactRange(body, got.ContentRange, range) : body;
      // A reader that goes away (a browser seeking elsewhere) closes the bucket's connection too.
      const reader = exact.getReader();
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        async cancel(reason) {
          await reader.cancel(reason);
          abort.abort(reason);
        },
      });
    },
    async remove(sha256) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key(sha256) }));
    },
  };
}

/**
 * The bytes `range` asked for, from what the server sent: some S3-compatible servers answer a range with more
 * (s3rver serves `bytes=0-0` whole) or ignore it; `Content-Range` says where the body starts.
 */
function exactRange(
  body: ReadableStream<Uint8Array>,
  contentRange: string | undefined,
  range: { start: number; end: number },
): ReadableStream<Uint8Array> {
  const sentFrom = Number(/^bytes (\d+)-/.exec(contentRange ?? '')?.[1] ?? 0);
  let skip = range.start - sentFrom;
  let left = range.end - range.start + 1;
  if (skip < 0) throw new Error(`The bucket answered ${contentRange} for bytes ${range.start}-${range.end}.`);
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const from = Math.min(skip, chunk.length);
        skip -= from;
        const piece = chunk.subarray(from, from + left);
        left -= piece.length;
        if (piece.length > 0) controller.enqueue(piece);
        if (left === 0) controller.terminate();
      },
    }),
  );
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
