// The media routes with the bucket as the store, over real HTTP on loopback (SQLite; Postgres when
// TEST_DATABASE_URL is set): uploads land in the bucket once, ranges come from it, rejected uploads leave nothing.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials } from '../../test/factories.ts';
import { type S3Server, startS3Server } from '../../test/s3-server.ts';
import { type RunningServer, startServer } from '../server.ts';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082',
  'hex',
);

for (const target of testDatabaseTargets()) {
  describe(`media in an S3 bucket on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let s3: S3Server;
    let server: RunningServer;
    let tokens: string[] = [];
    const prefix = `media-${target.name}/`;
    const upload = (body: BodyInit, token = tokens[0], headers: Record<string, string> = {}) =>
      fetch(`${server.url}/api/v1/assets`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...headers },
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
    const bucketWrites = () => s3.writes.filter((w) => w.includes(prefix));

    before(async () => {
      env = await createTestEnvironment(target);
      s3 = await startS3Server();
      server = await startServer({
        port: 0,
        dataDir: env.dataDir,
        databaseUrl: env.databaseUrl,
        config: { ...s3.config(prefix), maxUploadBytes: 4096 },
        backgroundTasks: false,
      });
      const deps = { url: server.url, db: server.database.db, clock: { now: () => new Date() } };
      tokens = [(await buildCredentials(deps as never)).token, (await buildCredentials(deps as never)).token];
    });
    after(async () => {
      await server?.close();
      await s3?.close();
      await env?.cleanup();
    });

    it('says where media are kept', () => {
      assert.equal(server.media, `s3://${s3.bucket}/${prefix} at ${s3.endpoint}`);
    });

    it('stores an upload once in the bucket, for every organization that sends it', async () => {
      const first = await upload(PNG);
      assert.equal(first.status, 201);
      const asset = ((await first.json()) as { data: { sha256: string; url: string } }).data;
      assert.deepEqual(await s3.keys(prefix), [`${prefix}${asset.sha256}`]);
      assert.equal((await upload(PNG)).status, 200, 'the same organization gets its asset back');
      assert.equal(
        (await upload(PNG, tokens[1])).status,
        201,
        'another organization gets an asset of its own',
      );
      assert.deepEqual(
        bucketWrites(),
        [`ObjectCreated:Put ${prefix}${asset.sha256}`],
        'sent to the bucket once',
      );

      const whole = await fetch(`${server.url}${asset.url}`, {
        headers: { authorization: `Bearer ${tokens[0]}` },
      });
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get('content-type'), 'image/png');
      assert.equal(whole.headers.get('content-length'), String(PNG.length));
      assert.deepEqual(Buffer.from(await whole.arrayBuffer()), PNG);

      const part = await fetch(`${server.url}${asset.url}`, {
        headers: { authorization: `Bearer ${tokens[0]}`, range: 'bytes=1-3' },
      });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 1-3/${PNG.length}`);
      assert.equal(Buffer.from(await part.arrayBuffer()).toString('latin1'), 'PNG');
      const last = await fetch(`${server.url}${asset.url}`, {
        headers: { authorization: `Bearer ${tokens[0]}`, range: 'bytes=-1' },
      });
      assert.deepEqual(Buffer.from(await last.arrayBuffer()), PNG.subarray(-1));
    });

    it('answers 404 NOT_FOUND, not a cut-off body, for media whose object left the bucket', async () => {
      const png = Buffer.concat([PNG, Buffer.from('trailing bytes make other content')]);
      const created = await upload(png);
      assert.equal(created.status, 201);
      const asset = ((await created.json()) as { data: { sha256: string; url: string } }).data;
      await s3.deleteObject(`${prefix}${asset.sha256}`);
      for (const headers of [{}, { range: 'bytes=0-3' }] as Record<string, string>[]) {
        const res = await fetch(`${server.url}${asset.url}`, {
          headers: { ...headers, authorization: `Bearer ${tokens[0]}` },
        });
        assert.equal(res.status, 404);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
      }
    });

    it('leaves nothing in the bucket or the scratch directory for rejected uploads', async () => {
      const before = await s3.keys(prefix);
      const writes = bucketWrites().length;
      const notMedia = await upload(Buffer.from('just some text, not an image'));
      assert.equal(notMedia.status, 415);
      assert.equal((await upload(Buffer.alloc(0))).status, 400);
      assert.equal((await upload(Buffer.alloc(5000, 1))).status, 413);
      // Chunked, no Content-Length: the limit is met while streaming.
      const chunked = new ReadableStream({
        start(c) {
          for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(1024).fill(i));
          c.close();
        },
      });
      assert.equal((await upload(chunked)).status, 413);
      assert.deepEqual(await s3.keys(prefix), before);
      assert.deepEqual(bucketWrites().slice(writes), [], 'refused before anything was sent to the bucket');
      assert.deepEqual(await readdir(join(env.dataDir, 'tmp')), []);
    });
  });
}
