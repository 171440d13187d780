// HTTP semantics shared by every route, over real HTTP: OPTIONS before authentication, 405 with Allow,
// open CORS only on the public documents, ETag / 304 on polled reads, no-store on a new secret,
// Content-Range on 416.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment } from '../../test/environment.ts';
import { requestToken } from '../../test/factories.ts';
import { type RunningServer, startServer } from '../server.ts';
import { allowedMethods } from './semantics.ts';

describe('HTTP semantics', () => {
  let env: Awaited<ReturnType<typeof createTestEnvironment>>;
  let server: RunningServer;
  let base = '';
  let token = '';
  const authed = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
    });

  before(async () => {
    env = await createTestEnvironment({ name: 'sqlite', databaseUrl: undefined });
    server = await startServer({ port: 0, dataDir: env.dataDir, backgroundTasks: false });
    base = server.url;
    token = await requestToken(base, {
      clientId: server.bootstrap!.client.id,
      secret: server.bootstrap!.secret,
    });
  });
  after(async () => {
    await server.close();
    await env.cleanup();
  });

  it('matches route patterns to paths', () => {
    const routes = [
      { method: 'GET', path: '/api/v1/jobs/:id' },
      { method: 'PATCH', path: '/api/v1/jobs/:id' },
      { method: 'ALL', path: '*' },
      { method: 'GET', path: '/api/v1/jobs' },
    ];
    assert.deepEqual(allowedMethods(routes, '/api/v1/jobs/job_1'), ['GET', 'HEAD', 'OPTIONS', 'PATCH']);
    assert.deepEqual(allowedMethods(routes, '/api/v1/jobs/job_1/x'), []);
  });

  it('answers OPTIONS before authentication, with Allow and no CORS grant on the API', async () => {
    const res = await fetch(`${base}/api/v1/jobs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(res.status, 204);
    assert.match(res.headers.get('allow') ?? '', /GET/);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('a wrong method on a known path is 405 with Allow; an unknown path stays 404', async () => {
    const res = await authed('/api/v1/clients', { method: 'PUT' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD, OPTIONS, POST');
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'METHOD_NOT_ALLOWED');
    assert.equal((await authed('/api/v1/nothing-here', { method: 'PUT' })).status, 404);
  });

  it('the OpenAPI document and health check are open to other origins; the API is not', async () => {
    for (const path of ['/api/openapi.json', '/healthz']) {
      const res = await fetch(`${base}${path}`, { headers: { origin: 'https://elsewhere.example' } });
      assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
      await res.arrayBuffer();
    }
    const api = await authed('/api/v1/clients', { headers: { origin: 'https://elsewhere.example' } });
    assert.equal(api.headers.get('access-control-allow-origin'), null);
    await api.arrayBuffer();
  });

  it('polled reads carry an ETag and answer If-None-Match with 304', async () => {
    for (const path of ['/api/openapi.json', '/api/v1/clients']) {
      const first = await authed(path);
      const tag = first.headers.get('etag');
      assert.match(tag ?? '', /^W\/"/, path);
      await first.arrayBuffer();
      const again = await authed(path, { headers: { 'if-none-match': tag! } });
      assert.equal(again.status, 304, path);
      assert.equal(await again.text(), '');
    }
  });

  it('a 201 says in Location where the new resource is read', async () => {
    const res = await authed('/api/v1/audiences', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'located' }),
    });
    assert.equal(res.status, 201);
    const { data } = (await res.json()) as { data: { id: string } };
    assert.equal(res.headers.get('location'), `/api/v1/audiences/${data.id}`);
    assert.equal((await authed(res.headers.get('location')!)).status, 200);
  });

  it('a new client secret is no-store; a 416 says the size in Content-Range', async () => {
    const created = await authed('/api/v1/clients', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'ci' }),
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082',
      'hex',
    );
    const up = await authed('/api/v1/assets?fileName=dot.png', {
      method: 'POST',
      body: png,
      headers: { 'content-type': 'application/octet-stream' },
    });
    const { data } = (await up.json()) as { data: { sha256: string } };
    const range = await authed(`/media/${data.sha256}`, { headers: { range: 'bytes=9999-' } });
    assert.equal(range.status, 416);
    assert.equal(range.headers.get('content-range'), `bytes */${png.length}`);
  });

  it('one rule for unknown query keys: VALIDATION_FAILED naming them, on routes with and without a query', async () => {
    for (const path of [
      '/api/v1/jobs?_=1',
      '/api/v1/clients?bust=1&amount=2',
      '/api/v1/jobs/job_missing?_=1',
    ]) {
      const res = await authed(path);
      assert.equal(res.status, 400, path);
      const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
      assert.equal(body.error.code, 'VALIDATION_FAILED', path);
      assert.match(body.error.message, /Unknown query key: (_|bust)\./, path);
    }
    assert.equal((await authed('/api/v1/jobs?amount=2')).status, 200);
  });

  it('CORS: closed by default on /api/v1; an allow-listed origin may call /api/v1, never the token or labeler routes', async () => {
    const closed = await authed('/api/v1/jobs', { headers: { origin: 'https://tools.example' } });
    assert.equal(closed.headers.get('access-control-allow-origin'), null);
    const open = await fetch(`${base}/healthz`, { headers: { origin: 'https://tools.example' } });
    assert.equal(open.headers.get('access-control-allow-origin'), '*');
    const listed = await startServer({
      port: 0,
      dataDir: env.dataDir,
      backgroundTasks: false,
      config: { corsOrigins: 'https://tools.example, https://other.example' },
    });
    try {
      const preflight = (path: string, origin = 'https://tools.example') =>
        fetch(`${listed.url}${path}`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization',
          },
        });
      const api = await preflight('/api/v1/jobs');
      assert.equal(api.status, 204);
      assert.equal(api.headers.get('access-control-allow-origin'), 'https://tools.example');
      assert.match(api.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      const res = await fetch(`${listed.url}/api/v1/jobs`, {
        headers: { origin: 'https://tools.example', authorization: `Bearer ${token}` },
      });
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://tools.example');
      assert.match(res.headers.get('vary') ?? '', /Origin/);
      const unlisted = await fetch(`${listed.url}/api/v1/jobs`, {
        headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` },
      });
      assert.equal(unlisted.headers.get('access-control-allow-origin'), null);
      assert.match(unlisted.headers.get('vary') ?? '', /Origin/, 'caches keep one answer per origin');
      assert.equal(
        (await preflight('/api/v1/jobs', 'https://evil.example')).headers.get('access-control-allow-origin'),
        null,
      );
      assert.equal((await preflight('/connect/token')).headers.get('access-control-allow-origin'), null);
      assert.equal(
        (await preflight('/api/v1/labeler/tasks/next')).headers.get('access-control-allow-origin'),
        null,
      );
    } finally {
      await listed.close();
    }
  });
});
