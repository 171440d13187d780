// The scaled-out set-up of docs/deploy.md on loopback: two `jury serve` processes on one database (a shared
// SQLite file; one PostgreSQL database when TEST_DATABASE_URL is set) with media in one S3 bucket (s3rver).
// The quick example uploads through the first, the simulated crowd answers through the second, and each
// process serves the media the other received; no media file is ever written to a data directory.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { requestToken, type S3Server, startS3Server } from '@jury/server/testing';
import {
  createPostgresDatabase,
  DATABASES,
  isolatedEnv,
  JURY_BIN,
  listFiles,
  makePng,
  REPO_ROOT,
  runNode,
  startServe,
  tempDirs,
} from './helpers.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

for (const database of DATABASES) {
  describe(`two jury serve processes with media in a bucket on ${database}`, () => {
    const dirs = tempDirs();
    const cleanups: (() => Promise<unknown>)[] = [];
    let s3: S3Server | undefined;
    after(async () => {
      for (const c of cleanups.reverse()) await c();
      await s3?.close();
      await (await dirs).cleanup();
    });

    it('uploads through one, answers and reads media through the other', { timeout: 180_000 }, async () => {
      const d = await dirs;
      const bucket = await startS3Server();
      s3 = bucket;
      const prefix = `jury-${database}/`;
      const pg = database === 'postgres' ? await createPostgresDatabase() : undefined;
      if (pg) cleanups.push(() => pg.drop());
      // SQLite: both processes open the one file, so they share the data directory; PostgreSQL: one each.
      const dataA = await d.make('a-data');
      const dataB = pg ? await d.make('b-data') : dataA;
      const args = (dataDir: string) => [
        '--port',
        '0',
        '--data-dir',
        dataDir,
        ...(pg ? ['--database-url', pg.url] : []),
        ...bucket.serveArgs(prefix),
      ];
      // One process signs with the standard AWS_* variables, the other with the JURY_S3_* knobs.
      const envA = isolatedEnv(await d.make('a-home'), {
        AWS_ACCESS_KEY_ID: bucket.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: bucket.credentials.secretAccessKey,
      });
      const envB = isolatedEnv(await d.make('b-home'), {
        JURY_S3_ACCESS_KEY_ID: bucket.credentials.accessKeyId,
        JURY_S3_SECRET_ACCESS_KEY: bucket.credentials.secretAccessKey,
      });
      // The first start creates the organization and saves its client in A's home; B finds the database made.
      const a = await startServe(args(dataA), envA);
      cleanups.push(() => a.stop());
      const b = await startServe(args(dataB), envB);
      cleanups.push(() => b.stop());
      for (const serve of [a, b])
        assert.match(
          serve.output(),
          new RegExp(`Media {6}s3://${bucket.bucket}/${prefix} at ${bucket.endpoint}`),
        );

      const stopSimulation = new AbortController();
      const simulate = runNode(
        [JURY_BIN, 'simulate', '--url', b.url, '--labelers', '12', '--accuracy', '0.9', '--duration', '90'],
        envB,
        120_000,
        stopSimulation.signal,
      );
      const quickstart = await runNode([join(REPO_ROOT, 'examples/quickstart.ts')], envA, 120_000);
      stopSimulation.abort();
      const sim = await simulate;
      assert.equal(quickstart.code, 0, quickstart.stderr + quickstart.stdout);
      assert.doesNotMatch(sim.stderr, /Error/, sim.stderr);
      const results = JSON.parse(quickstart.stdout.slice(quickstart.stdout.indexOf('\n{') + 1));
      const [result] = results.results;
      const votes = result.aggregatedResults['book-a.png'] + result.aggregatedResults['book-b.png'];
      assert.ok(votes >= 10, `answered through the second process: ${votes} votes`);

      // The example's two images are in the bucket, once each, and in no data directory.
      const images = await Promise.all(
        ['book-a.png', 'book-b.png'].map((n) => readFile(join(REPO_ROOT, 'examples/images', n))),
      );
      const shas = images.map(sha256);
      assert.deepEqual(await bucket.keys(prefix), shas.map((s) => `${prefix}${s}`).sort());
      for (const dir of new Set([dataA, dataB])) {
        assert.deepEqual(await listFiles(join(dir, 'blobs')), [], `no media in ${dir}`);
        assert.deepEqual(await listFiles(join(dir, 'tmp')), [], `no upload left in ${dir}/tmp`);
      }

      const saved = JSON.parse(
        await readFile(join(envA.HOME as string, '.config/jury/credentials.json'), 'utf8'),
      ) as { clients: { clientId: string; clientSecret: string }[] };
      const client = saved.clients[0];
      assert.ok(client);
      const token = await requestToken(b.url, { clientId: client.clientId, secret: client.clientSecret });
      // B serves what A received: whole, and a byte range from the bucket.
      for (const [i, image] of images.entries()) {
        const whole = await fetch(`${b.url}/media/${shas[i]}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(whole.status, 200);
        assert.equal(whole.headers.get('content-type'), 'image/png');
        assert.deepEqual(Buffer.from(await whole.arrayBuffer()), image);
        const part = await fetch(`${b.url}/media/${shas[i]}`, {
          headers: { authorization: `Bearer ${token}`, range: 'bytes=8-15' },
        });
        assert.equal(part.status, 206);
        assert.equal(part.headers.get('content-range'), `bytes 8-15/${image.length}`);
        assert.deepEqual(Buffer.from(await part.arrayBuffer()), image.subarray(8, 16));
      }

      // And the other way round: an upload through B (with a token B issued) is served by A.
      const png = makePng(42, 16);
      const uploaded = await fetch(`${b.url}/api/v1/assets?fileName=new.png`, {
        method: 'POST',
        body: new Uint8Array(png),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      });
      assert.equal(uploaded.status, 201, await uploaded.clone().text());
      const asset = ((await uploaded.json()) as { data: { id: string; url: string } }).data;
      const viaA = await fetch(`${a.url}/api/v1/assets/${asset.id}/content`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(viaA.status, 200);
      assert.deepEqual(Buffer.from(await viaA.arrayBuffer()), png);
      const head = { method: 'HEAD', headers: { authorization: `Bearer ${token}` } };
      assert.equal((await fetch(`${a.url}${asset.url}`, head)).status, 200);
      assert.ok((await bucket.keys(prefix)).includes(`${prefix}${sha256(png)}`));
      for (const serve of [a, b]) assert.doesNotMatch(serve.output(), /error|warn/i, serve.output());
    });
  });
}

describe('jury serve with a bucket it cannot use', () => {
  it('stops before listening, with one line naming what to fix', { timeout: 60_000 }, async () => {
    const d = await tempDirs();
    const bucket = await startS3Server();
    try {
      const env = isolatedEnv(await d.make('nobucket-home'), {
        JURY_S3_ACCESS_KEY_ID: bucket.credentials.accessKeyId,
        JURY_S3_SECRET_ACCESS_KEY: bucket.credentials.secretAccessKey,
      });
      const res = await runNode(
        [
          JURY_BIN,
          'serve',
          '--port',
          '0',
          '--data-dir',
          await d.make('nobucket-data'),
          '--s3-bucket',
          'no-such-bucket',
          '--s3-endpoint',
          bucket.endpoint,
          '--s3-force-path-style',
        ],
        env,
        30_000,
      );
      assert.equal(res.code, 1, res.output);
      assert.match(
        res.stderr,
        /The media bucket no-such-bucket at http:\/\/127\.0\.0\.1:\d+ cannot be used: it does not exist\. Check --s3-bucket/,
      );
      assert.doesNotMatch(res.output, /Dashboard|\n\s+at /, 'nothing listened, no stack trace');
    } finally {
      await bucket.close();
      await d.cleanup();
    }
  });
});
