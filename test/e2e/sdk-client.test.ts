import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  JuryAuthError,
  JuryClient,
  JuryItemError,
  JuryNetworkError,
  JuryNotFoundError,
  JuryServerError,
  JuryUploadError,
  JuryValidationError,
  juryConfig,
  readCredentials,
  saveCredential,
} from '@jury/sdk';
import { createManualClock, type RunningServer, startServer } from '@jury/server';
import { freePort, isolateProcessEnv, makePng, startMediaServer, tempDirs } from './helpers.ts';

// The SDK against a real in-process Jury server (and a real flaky proxy in front of it).

interface Proxy {
  url: string;
  uploads: number;
  peakInFlight: number;
  /** Answers the next `n` upload attempts with this status instead of forwarding them. */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

/** An HTTP proxy to `target` that can fail upload attempts and measures upload concurrency. */
async function startProxy(target: string): Promise<Proxy> {
  let failures = 0;
  let failStatus = 503;
  let inFlight = 0;
  const state = { uploads: 0, peakInFlight: 0 };
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const isUpload = req.method === 'POST' && req.url?.startsWith('/api/v1/assets?');
    if (isUpload) {
      state.uploads++;
      inFlight++;
      state.peakInFlight = Math.max(state.peakInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 15));
    }
    try {
      if (isUpload && failures > 0) {
        failures--;
        res.writeHead(failStatus, { 'content-type': 'text/plain' });
        res.end('upstream unavailable');
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers.set(k, v);
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        redirect: 'manual',
      });
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'content-length') out[k] = v;
      });
      res.writeHead(upstream.status, out);
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } finally {
      if (isUpload) inFlight--;
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get uploads() {
      return state.uploads;
    },
    get peakInFlight() {
      return state.peakInFlight;
    },
    failNext(n, status) {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('JuryClient against a real server', () => {
  let dirs: Awaited<ReturnType<typeof tempDirs>>;
  let work: string;
  let server: RunningServer;
  let clock: ReturnType<typeof createManualClock>;
  let creds: { clientId: string; clientSecret: string; url: string };
  let restoreEnv: () => void;

  before(async () => {
    dirs = await tempDirs();
    restoreEnv = isolateProcessEnv(await dirs.make('home'));
    work = await dirs.make('work');
    clock = createManualClock(new Date());
    server = await startServer({
      port: 0,
      dataDir: await dirs.make('data'),
      clock,
      config: { tokenTtlSeconds: 600 },
    });
    assert.ok(server.bootstrap);
    creds = {
      clientId: server.bootstrap.client.id,
      clientSecret: server.bootstrap.secret,
      url: `http://127.0.0.1:${server.port}`,
    };
  });
  afterEach(() => juryConfig.reset());
  after(async () => {
    restoreEnv();
    await server?.close();
    await dirs?.cleanup();
  });

  test('tokens are reused, renewed `leeway` before expiry, and concurrent callers share one request', async () => {
    const client = new JuryClient({ ...creds, now: clock.now, leewaySeconds: 60 });
    const [t1, t1b] = await Promise.all([client.getToken(), client.getToken()]);
    assert.equal(t1, t1b);
    clock.advance(500_000);
    assert.equal(await client.getToken(), t1, 'still valid, outside the leeway');
    clock.advance(45_000); // 545 s of 600: inside the 60 s leeway
    const t2 = await client.getToken();
    assert.notEqual(t2, t1);
    assert.equal((await client.credentials.list()).length >= 1, true);
  });

  test('a 401 renews the token once and retries; a revoked client then fails with INVALID_CLIENT', async () => {
    let frozen = clock.now();
    const client = new JuryClient({ ...creds, now: () => frozen });
    const before = await client.getToken();
    clock.advance(700_000); // the server now considers the token expired; the client does not know
    frozen = clock.now();
    const list = await client.credentials.list();
    assert.ok(list.length >= 1);
    assert.notEqual(await client.getToken(), before);

    const own = await client.credentials.create('short-lived');
    assert.match(own.secret, /\S{20,}/);
    const shortLived = new JuryClient({
      clientId: own.id,
      clientSecret: own.secret,
      url: creds.url,
      now: clock.now,
    });
    await shortLived.credentials.list();
    const revoked = await client.credentials.revoke(own.id);
    assert.ok(revoked.revokedAt);
    await assert.rejects(shortLived.credentials.list(), (err: unknown) => {
      assert.ok(err instanceof JuryAuthError);
      assert.equal(err.code, 'INVALID_CLIENT');
      assert.equal(err.status, 401);
      return true;
    });
  });

  test('a wrong secret is an auth error naming the fix', async () => {
    const client = new JuryClient({ ...creds, clientSecret: 'jcs_wrong' });
    await assert.rejects(client.getToken(), (err: unknown) => {
      assert.ok(err instanceof JuryAuthError);
      assert.equal(err.code, 'INVALID_CLIENT');
      assert.match(err.message, /jury credentials create/);
      return true;
    });
  });

  test('credentials from the file: lastUsed is updated after a token', async () => {
    await saveCredential({
      displayName: 'saved',
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      endpoint: creds.url,
      createdAt: new Date().toISOString(),
      lastUsed: null,
    });
    const client = new JuryClient();
    assert.equal(client.credentialSource, 'credentials-file');
    await client.getToken();
    const { clients } = await readCredentials();
    assert.ok(clients.find((c) => c.clientId === creds.clientId)?.lastUsed);
  });

  test('API errors arrive typed, with code, status and requestId', async () => {
    const client = new JuryClient(creds);
    await assert.rejects(client.assets.get('ast_missing'), (err: unknown) => {
      assert.ok(err instanceof JuryNotFoundError);
      assert.equal(err.status, 404);
      assert.match(err.requestId ?? '', /^req_/);
      return true;
    });
    await assert.rejects(client.assets.registerUrl('ftp://example.com/a.png'), (err: unknown) => {
      assert.ok(err instanceof JuryValidationError);
      assert.equal(err.code, 'VALIDATION_FAILED');
      return true;
    });
    const textFile = join(work, 'notes.png');
    await writeFile(textFile, 'this is not an image at all, just text');
    await assert.rejects(client.assets.upload(textFile), (err: unknown) => {
      assert.ok(err instanceof JuryValidationError);
      assert.equal(err.code, 'UNSUPPORTED_MEDIA_TYPE');
      return true;
    });
  });

  test('an unreachable server is a JuryNetworkError that says what to do', async () => {
    const client = new JuryClient({ ...creds, url: `http://127.0.0.1:${await freePort()}` });
    await assert.rejects(client.getToken(), (err: unknown) => {
      assert.ok(err instanceof JuryNetworkError);
      assert.match(err.message, /ECONNREFUSED.*jury serve/);
      return true;
    });
  });

  test('uploads retry 503 with backoff and succeed; give up after maxRetries; never retry a 4xx', async () => {
    const proxy = await startProxy(creds.url);
    try {
      const client = new JuryClient({ ...creds, url: proxy.url, retryBaseDelayMs: 5 });
      const file = join(work, 'flaky.png');
      await writeFile(file, makePng(42));

      proxy.failNext(2, 503);
      const asset = await client.assets.upload(file);
      assert.equal(asset.kind, 'image');
      assert.equal(proxy.uploads, 3, 'two failures, then through');

      juryConfig.upload.maxRetries = 1;
      proxy.failNext(5, 503);
      await assert.rejects(client.assets.upload(file), JuryServerError);
      assert.equal(proxy.uploads, 5, 'one try plus one retry');

      juryConfig.upload.maxRetries = 3;
      proxy.failNext(1, 400);
      await assert.rejects(client.assets.upload(file), JuryValidationError);
      assert.equal(proxy.uploads, 6, 'a 400 is not retried');

      proxy.failNext(1, 429);
      assert.equal((await client.assets.upload(file)).id, asset.id);
      assert.equal(proxy.uploads, 8, 'a 429 is retried');
    } finally {
      await proxy.close();
    }
  });

  test('uploadMany keeps at most maxWorkers uploads in flight, keeps order, reports progress', async () => {
    const proxy = await startProxy(creds.url);
    try {
      const client = new JuryClient({ ...creds, url: proxy.url, retryBaseDelayMs: 5 });
      const files: string[] = [];
      for (let i = 0; i < 10; i++) {
        const f = join(work, `many-${i}.png`);
        await writeFile(f, makePng(100 + i));
        files.push(f);
      }
      juryConfig.upload.maxWorkers = 3;
      const progress: number[] = [];
      const assets = await client.assets.uploadMany(files, { onProgress: ({ done }) => progress.push(done) });
      assert.equal(proxy.peakInFlight, 3);
      assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const [i, a] of assets.entries()) assert.equal(a.fileName, `many-${i}.png`);

      const withMissing = [files[0] as string, join(work, 'missing.png'), files[1] as string];
      await assert.rejects(client.assets.uploadMany(withMissing), (err: unknown) => {
        assert.ok(err instanceof JuryUploadError);
        assert.equal(err.failures.length, 1);
        assert.equal(err.failures[0]?.index, 1);
        assert.ok(err.failures[0]?.error instanceof JuryItemError);
        assert.equal(err.results.filter(Boolean).length, 2);
        return true;
      });
    } finally {
      await proxy.close();
    }
  });

  test('resolveItem: URL → registered, local file → uploaded, text only for dataType text', async () => {
    const client = new JuryClient(creds);
    const media = await startMediaServer();
    after(() => media.close());
    const cat = media.url('/pictures/cat.png');
    const url = await client.assets.resolveItem(cat, 'media');
    assert.equal(url.type, 'asset');
    assert.equal(url.type === 'asset' && url.asset.source, 'url');
    assert.equal(url.type === 'asset' && url.asset.kind, 'image');
    const file = join(work, 'item.png');
    await writeFile(file, makePng(7));
    const uploaded = await client.assets.resolveItem(file, 'media');
    assert.equal(uploaded.type === 'asset' && uploaded.asset.source, 'upload');
    assert.deepEqual(await client.assets.resolveItem('A small blue book', 'text'), {
      type: 'text',
      item: 'A small blue book',
      text: 'A small blue book',
    });
    await assert.rejects(client.assets.resolveItem('A small blue book', 'media'), (err: unknown) => {
      assert.ok(err instanceof JuryItemError);
      assert.equal(err.code, 'INVALID_ITEM');
      assert.match(err.message, /neither an http\(s\) URL nor an existing file.*dataType: 'text'/);
      return true;
    });
    const many = await client.assets.resolveItems([file, cat], 'media');
    assert.deepEqual(
      many.map((m) => m.type === 'asset' && m.asset.id),
      [uploaded.type === 'asset' && uploaded.asset.id, url.type === 'asset' && url.asset.id],
    );
  });
});
