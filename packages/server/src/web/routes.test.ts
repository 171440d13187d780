/**
 * The built web app is served from the directory given as `webDir`:
 *
 * | Request                              | Answer                                                      |
 * |--------------------------------------|-------------------------------------------------------------|
 * | GET /, /label, /label/preview/k      | index.html, text/html, no-cache, a Content-Security-Policy  |
 * | GET /jobs/abc, /settings/clients, …  | index.html too (the app routes and draws its own 404 page)  |
 * | GET /assets/<hashed file>            | the file, its content type, cached for a year (immutable)   |
 * | GET /favicon.ico, /favicon.svg       | the app's favicon.svg, image/svg+xml                        |
 * | same with If-None-Match: <etag>      | 304                                                         |
 * | HEAD /assets/<file>                  | headers, no body                                            |
 * | GET /assets/<unknown or ../ path>    | 404 NOT_FOUND (the API's error body)                        |
 * | POST /label, POST /jobs/abc          | 404 NOT_FOUND                                               |
 * | GET /label without a built app       | 503 page saying how to build it                             |
 * | GET /healthz, /api/...               | the API, unchanged                                          |
 * | GET /api/v1/unknown, /media/unknown  | the API's JSON 404, never the app                           |
 */
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { type RunningServer, startServer } from '../server.ts';

describe('web app serving', () => {
  let env: Awaited<ReturnType<typeof createTestEnvironment>>;
  let server: RunningServer;
  let webDir = '';
  const INDEX = '<!doctype html><title>Jury test</title><div id="root"></div>';
  const FAVICON =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16"/></svg>';

  before(async () => {
    const [sqlite] = testDatabaseTargets();
    env = await createTestEnvironment(sqlite!);
    webDir = join(env.dataDir, 'web');
    await mkdir(join(webDir, 'assets'), { recursive: true });
    await writeFile(join(webDir, 'index.html'), INDEX);
    await writeFile(join(webDir, 'assets', 'index-Ab12.js'), 'console.log("app")');
    await writeFile(join(webDir, 'assets', 'index-Cd34.css'), 'body{}');
    await writeFile(join(webDir, 'favicon.svg'), FAVICON);
    server = await startServer({ port: 0, dataDir: env.dataDir, webDir });
  });
  after(async () => {
    await server.close();
    await env.cleanup();
  });

  it('answers the app pages with index.html', async () => {
    for (const path of [
      '/',
      '/label',
      '/label/',
      '/label/preview/abc123',
      '/sign-in',
      '/setup?token=abc',
      '/jobs',
      '/jobs/job_unknown',
      '/settings/clients',
      '/no/such/page',
    ]) {
      const r = await fetch(`${server.url}${path}`);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(r.headers.get('cache-control'), 'no-cache');
      assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.equal(await r.text(), INDEX);
    }
  });

  it('serves hashed assets with their type and a long cache, and revalidates by etag', async () => {
    const js = await fetch(`${server.url}/assets/index-Ab12.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await js.text(), 'console.log("app")');
    const css = await fetch(`${server.url}/assets/index-Cd34.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    await css.arrayBuffer();
    const etag = js.headers.get('etag') ?? '';
    const again = await fetch(`${server.url}/assets/index-Ab12.js`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const head = await fetch(`${server.url}/assets/index-Ab12.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '18');
    assert.equal(await head.text(), '');
  });

  it('answers /favicon.ico (which browsers ask for by themselves) and /favicon.svg with the icon', async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const r = await fetch(`${server.url}${path}`);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('content-type'), 'image/svg+xml', path);
      assert.equal(await r.text(), FAVICON, path);
    }
  });

  it('does not serve unknown or escaping asset paths, nor other methods', async () => {
    for (const path of [
      '/assets/missing.js',
      '/assets/..%2Findex.html',
      '/assets/%2e%2e%2f%2e%2e%2fjury.sqlite',
    ]) {
      const r = await fetch(`${server.url}${path}`);
      assert.equal(r.status, 404, path);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
    }
    for (const path of ['/label', '/jobs/abc']) {
      const post = await fetch(`${server.url}${path}`, { method: 'POST' });
      assert.equal(post.status, 404, path);
      await post.arrayBuffer();
    }
  });

  it('leaves the API alone', async () => {
    const r = await fetch(`${server.url}/healthz`);
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { status: string }).status, 'ok');
    // An unknown API path is the API's JSON 404, not the app's page (guards belong to routes, not to a prefix).
    for (const path of ['/api/v1/nothing-here', '/api', '/api/v2/jobs', '/connect/nothing', '/media/a/b']) {
      const api = await fetch(`${server.url}${path}`);
      assert.equal(api.status, 404, path);
      assert.match(api.headers.get('content-type') ?? '', /^application\/json/, path);
      assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'NOT_FOUND', path);
    }
    // Media are the owner's: without a requester the media route's own JSON 401, not the app.
    const media = await fetch(`${server.url}/media/nothing`);
    assert.equal(media.status, 401);
    assert.match(media.headers.get('content-type') ?? '', /^application\/json/);
    await media.arrayBuffer();
    // A known API route keeps answering as the API (here: no token).
    const jobs = await fetch(`${server.url}/api/v1/jobs`);
    assert.equal(jobs.status, 401);
    await jobs.arrayBuffer();
  });

  it('says how to build the app when it is missing', async () => {
    await rm(join(webDir, 'index.html'));
    const r = await fetch(`${server.url}/label`);
    assert.equal(r.status, 503);
    assert.match(await r.text(), /npm run build -w @jury\/web/);
    await writeFile(join(webDir, 'index.html'), INDEX);
  });
});
