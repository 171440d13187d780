// The blob-store contract on disk and in a bucket of a real S3-protocol server on loopback (s3rver), then what
// only the bucket does: dedup without a second write, prefixes, parts for large files, a start-up check.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type S3Server, startS3Server } from '../../test/s3-server.ts';
import { ConfigError, DEFAULT_CONFIG } from '../config/config.ts';
import { blobStoreContract } from './blob-store.contract.ts';
import { createDiskBlobStore } from './blob-store.ts';
import { blobStoreFor } from './blob-store-for.ts';
import { createS3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.ts';

const made: string[] = [];
async function tempDir(label: string) {
  const dir = await mkdtemp(join(tmpdir(), `jury-blobs-${label}-`));
  made.push(dir);
  return dir;
}
async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

let s3: S3Server;
let stores = 0;
before(async () => {
  s3 = await startS3Server();
});
after(async () => {
  await s3.close();
  await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
});

/** A bucket store under a prefix of its own, so each case starts from an empty store. */
async function bucketStore(extra: Partial<S3BlobStoreOptions> = {}) {
  const prefix = `case-${++stores}/`;
  const tmpDir = join(await tempDir('s3'), 'tmp');
  const options: S3BlobStoreOptions = {
    bucket: s3.bucket,
    prefix,
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: s3.credentials,
    tmpDir,
    ...extra,
  };
  return {
    prefix,
    store: createS3BlobStore(options),
    stored: async () => (await s3.keys(prefix)).map((k) => k.slice(prefix.length)),
    scratch: () => filesIn(tmpDir),
  };
}

blobStoreContract('disk', async () => {
  const dir = await tempDir('disk');
  return {
    store: createDiskBlobStore(dir),
    stored: () => filesIn(join(dir, 'blobs')),
    scratch: () => filesIn(join(dir, 'tmp')),
  };
});

// Parts from 5 MiB (S3's minimum part), so the contract's 12 MiB upload goes up as a multipart upload.
blobStoreContract('S3 bucket (s3rver)', () =>
  bucketStore({ multipartThresholdBytes: 5 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 }),
);

const body = (text: string) => new Blob([text]).stream();

describe('S3 blob store', () => {
  it('writes new content once, under <prefix><sha256>, and sends known content no second time', async () => {
    const { store, prefix } = await bucketStore();
    const first = await store.put(body('the same bytes'), 1000);
    const writesAfterFirst = s3.writes.filter((w) => w.includes(prefix));
    assert.deepEqual(writesAfterFirst, [`ObjectCreated:Put ${prefix}${first.sha256}`]);
    const again = await store.put(body('the same bytes'), 1000);
    assert.equal(again.sha256, first.sha256);
    assert.deepEqual(
      s3.writes.filter((w) => w.includes(prefix)),
      writesAfterFirst,
      'a HeadObject found it: no upload',
    );
    assert.deepEqual(await s3.keys(prefix), [`${prefix}${first.sha256}`]);
  });

  it('sends large files in parts and small ones in one request', async () => {
    const { store, prefix } = await bucketStore({
      multipartThresholdBytes: 5 * 1024 * 1024,
      partSizeBytes: 5 * 1024 * 1024,
    });
    const big = await store.put(
      new Blob([new Uint8Array(6 * 1024 * 1024).fill(9)]).stream(),
      10 * 1024 * 1024,
    );
    const small = await store.put(body('small'), 1000);
    assert.deepEqual(
      s3.writes.filter((w) => w.includes(prefix)),
      [
        // s3rver reports a completed multipart upload as a POST.
        `ObjectCreated:Post ${prefix}${big.sha256}`,
        `ObjectCreated:Put ${prefix}${small.sha256}`,
      ],
    );
  });

  it('adds the / a prefix lacks, and stores under different prefixes do not see each other', async () => {
    const tmpDir = await tempDir('prefix');
    const options = {
      bucket: s3.bucket,
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: s3.credentials,
      tmpDir,
    };
    const a = createS3BlobStore({ ...options, prefix: 'team-a' });
    const b = createS3BlobStore({ ...options, prefix: 'team-b/' });
    assert.equal(a.description, `s3://${s3.bucket}/team-a/ at ${s3.endpoint}`);
    const { sha256 } = await a.put(body('only in a'), 1000);
    assert.deepEqual(await s3.keys('team-a'), [`team-a/${sha256}`]);
    assert.equal(await b.size(sha256), undefined);
  });

  it('check() names what to fix: a missing bucket, refused credentials', async () => {
    const tmpDir = await tempDir('check');
    const base = { region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, tmpDir };
    await createS3BlobStore({ ...base, bucket: s3.bucket, credentials: s3.credentials }).check();
    await assert.rejects(
      createS3BlobStore({ ...base, bucket: 'no-such-bucket', credentials: s3.credentials }).check(),
      (err) =>
        err instanceof ConfigError &&
        /^The media bucket no-such-bucket at http:\/\/127\.0\.0\.1:\d+ cannot be used: it does not exist\./.test(
          err.message,
        ),
    );
    await assert.rejects(
      createS3BlobStore({
        ...base,
        bucket: s3.bucket,
        // s3rver checks the key id (not SigV4 signatures): an unknown one is refused with 403.
        credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'S3RVER' },
      }).check(),
      (err) => err instanceof ConfigError && /access is denied to these credentials/.test(err.message),
    );
  });
});

describe('blobStoreFor', () => {
  it('keeps media on disk unless a bucket is configured', async () => {
    const dir = await tempDir('for');
    assert.equal((await blobStoreFor(DEFAULT_CONFIG, dir)).description, join(dir, 'blobs'));
    const inBucket = await blobStoreFor({ ...DEFAULT_CONFIG, ...s3.config('jury') }, dir);
    assert.equal(inBucket.description, `s3://${s3.bucket}/jury/ at ${s3.endpoint}`);
    await inBucket.check();
    const { sha256 } = await inBucket.put(body('through the configuration'), 1000);
    assert.deepEqual(await s3.keys('jury/'), [`jury/${sha256}`]);
  });

  it('takes the AWS_* credentials and region when no knob sets them, and refuses half a key pair', async () => {
    const dir = await tempDir('env');
    const { s3AccessKeyId: _id, s3SecretAccessKey: _secret, ...noKeys } = s3.config('env-keys');
    // The SDK's credential chain reads the process's environment when the first request is signed.
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    try {
      const store = await blobStoreFor({ ...DEFAULT_CONFIG, ...noKeys }, dir, { AWS_REGION: 'eu-west-1' });
      await store.check();
      const { sha256 } = await store.put(body('signed with the AWS_* keys'), 1000);
      assert.deepEqual(await s3.keys('env-keys/'), [`env-keys/${sha256}`]);
    } finally {
      for (const [name, value] of [
        ['AWS_ACCESS_KEY_ID', saved.id],
        ['AWS_SECRET_ACCESS_KEY', saved.secret],
      ] as const)
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
    await assert.rejects(
      blobStoreFor({ ...DEFAULT_CONFIG, ...s3.config(), s3SecretAccessKey: '' }, dir),
      (err) =>
        err instanceof ConfigError &&
        /Set both --s3-access-key-id and --s3-secret-access-key/.test(err.message),
    );
  });
});
