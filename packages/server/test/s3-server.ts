// A real S3-protocol server on loopback for tests (s3rver: objects in a temp directory, requests refused unless
// signed with its fixed access key id; it does not verify SigV4 signatures themselves). Not shipped (outside src/).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface S3Server {
  endpoint: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The server's knobs as `jury serve` takes them (flags) … */
  serveArgs(prefix?: string): string[];
  /** … and as startServer's configuration. */
  config(prefix?: string): {
    s3Bucket: string;
    s3Prefix: string;
    s3Endpoint: string;
    s3ForcePathStyle: boolean;
    s3AccessKeyId: string;
    s3SecretAccessKey: string;
  };
  /** Each object write and delete the server saw, as `ObjectCreated:Put <key>`, `ObjectRemoved:Delete <key>`, … */
  writes: string[];
  /** Every key in the bucket (under `prefix`), sorted. */
  keys(prefix?: string): Promise<string[]>;
  /** Deletes an object behind the server's back (an operator's mistake, a bucket emptied). */
  deleteObject(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 on a free port with `bucket` created. */
export async function startS3Server(bucket = 'jury-media'): Promise<S3Server> {
  // Loaded here, not at the top: every test that imports @jury/server/testing would pay for them.
  const { default: S3rver } = await import('s3rver');
  const { DeleteObjectCommand, ListObjectsV2Command, S3Client } = await import('@aws-sdk/client-s3');
  const directory = await mkdtemp(join(tmpdir(), 'jury-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const writes: string[] = [];
  server.on('event', (e) => {
    for (const r of e.Records) writes.push(`${r.eventName} ${r.s3.object.key}`);
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's fixed key pair.
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const region = 'us-east-1';
  const client = new S3Client({ region, endpoint, forcePathStyle: true, credentials });
  const config = (prefix = '') => ({
    s3Bucket: bucket,
    s3Prefix: prefix,
    s3Endpoint: endpoint,
    s3ForcePathStyle: true,
    s3AccessKeyId: credentials.accessKeyId,
    s3SecretAccessKey: credentials.secretAccessKey,
  });
  return {
    endpoint,
    bucket,
    region,
    credentials,
    config,
    writes,
    serveArgs: (prefix = '') => [
      '--s3-bucket',
      bucket,
      ...(prefix ? ['--s3-prefix', prefix] : []),
      '--s3-endpoint',
      endpoint,
      '--s3-force-path-style',
    ],
    async keys(prefix = '') {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.NextContinuationToken;
      } while (token);
      return keys.sort();
    },
    async deleteObject(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async close() {
      client.destroy();
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
