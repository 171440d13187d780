import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import {
  createJobRoute,
  getAssetContentRoute,
  getJobRoute,
  listApiClientsRoute,
  listJobsRoute,
  tokenRoute,
  uploadAssetRoute,
} from '@jury/api';
import {
  createHttpClient,
  type FetchLike,
  JuryAuthError,
  JuryError,
  JuryNetworkError,
  JuryNotFoundError,
  JuryServerError,
  prepareRequest,
} from './index.ts';

/** A transport that answers `reply` and keeps every request it was given (what went over the wire). */
function recording(reply: () => Response = () => Response.json({ data: { ok: true } })) {
  const seen: Request[] = [];
  const fetch: FetchLike = (url, init) => {
    seen.push(new Request(new URL(url, 'http://jury.test'), init));
    return reply();
  };
  return { seen, fetch };
}

const errorBody = (code: string, status: number) =>
  Response.json({ error: { code, message: `${code} here`, requestId: 'req_1' } }, { status });

describe('createHttpClient', () => {
  it('fills path parameters (encoded), leaves undefined query values out and sends JSON', async () => {
    const t = recording();
    const http = createHttpClient({ baseUrl: 'http://jury.test', fetch: t.fetch });
    await http.call(getJobRoute, { params: { id: 'job 1/2' } });
    await http.call(listJobsRoute, { query: { name: 'cats', amount: 5, audienceId: undefined } });
    await http.call(createJobRoute, { json: { definitionId: 'jdf_1', audienceId: 'global' } });
    const [get, list, create] = t.seen;
    assert.equal(get?.method, 'GET');
    assert.equal(get?.url, 'http://jury.test/api/v1/jobs/job%201%2F2');
    assert.equal(get?.headers.get('accept'), 'application/json');
    assert.equal(list?.url, 'http://jury.test/api/v1/jobs?name=cats&amount=5');
    assert.equal(create?.method, 'POST');
    assert.equal(create?.headers.get('content-type'), 'application/json');
    assert.deepEqual(await create?.json(), { definitionId: 'jdf_1', audienceId: 'global' });
  });

  it('sends a form as x-www-form-urlencoded and raw bytes with the content type the route declares', async () => {
    const t = recording(() => Response.json({ access_token: 't', token_type: 'Bearer', expires_in: 60 }));
    const http = createHttpClient({ baseUrl: 'http://jury.test', fetch: t.fetch });
    const token = await http.call(tokenRoute, {
      form: { grant_type: 'client_credentials', client_id: 'cli_1', client_secret: 's e&cret' },
    });
    assert.equal(token.access_token, 't');
    await http.call(uploadAssetRoute, { query: { fileName: 'a.png' }, body: new Uint8Array([1, 2, 3]) });
    const [form, upload] = t.seen;
    assert.equal(form?.headers.get('content-type'), 'application/x-www-form-urlencoded');
    assert.equal(
      await form?.text(),
      'grant_type=client_credentials&client_id=cli_1&client_secret=s+e%26cret',
    );
    assert.equal(upload?.url, 'http://jury.test/api/v1/assets?fileName=a.png');
    assert.equal(upload?.headers.get('content-type'), 'application/octet-stream');
    assert.deepEqual(new Uint8Array(await (upload as Request).arrayBuffer()), new Uint8Array([1, 2, 3]));
  });

  it('send returns the 2xx response itself; call returns its JSON body', async () => {
    const t = recording(
      () => new Response('bytes', { status: 206, headers: { 'content-range': 'bytes 0-4/9' } }),
    );
    const http = createHttpClient({ fetch: t.fetch });
    const res = await http.send(getAssetContentRoute, {
      params: { id: 'ast_1' },
      headers: { range: 'bytes=0-4' },
    });
    assert.equal(res.status, 206);
    assert.equal(await res.text(), 'bytes');
    assert.equal(t.seen[0]?.headers.get('range'), 'bytes=0-4');
    const listed = createHttpClient({
      fetch: () => Response.json({ data: [], page: 1, amount: 10, total: 0 }),
    });
    assert.deepEqual(await listed.call(listApiClientsRoute), { data: [], page: 1, amount: 10, total: 0 });
  });

  it('turns error answers into the typed errors of errorFromResponse', async () => {
    const notFound = createHttpClient({ fetch: () => errorBody('NOT_FOUND', 404) });
    await assert.rejects(notFound.call(getJobRoute, { params: { id: 'job_x' } }), (err: unknown) => {
      assert.ok(err instanceof JuryNotFoundError);
      assert.equal(err.code, 'NOT_FOUND');
      assert.equal(err.status, 404);
      assert.equal(err.requestId, 'req_1');
      return true;
    });
    const proxy = createHttpClient({
      fetch: () => new Response('<html>Bad gateway</html>', { status: 502 }),
    });
    await assert.rejects(proxy.call(listApiClientsRoute), JuryServerError);
  });

  it('a transport that fails is a JuryNetworkError; the SDK errors a transport throws pass as they are', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const closed = createHttpClient({ baseUrl: `http://127.0.0.1:${port}` });
    await assert.rejects(closed.call(listApiClientsRoute), (err: unknown) => {
      assert.ok(err instanceof JuryNetworkError);
      assert.match(err.message, /ECONNREFUSED/);
      return true;
    });
    const own = new JuryAuthError({ code: 'INVALID_CLIENT', message: 'no token', status: 401 });
    const failing = createHttpClient({
      fetch: () => {
        throw own;
      },
    });
    await assert.rejects(failing.call(listApiClientsRoute), (err: unknown) => err === own);
  });

  it('an untyped { method, path } route goes through the same builder', async () => {
    const t = recording();
    const http = createHttpClient({ fetch: t.fetch });
    await http.call({ method: 'patch', path: '/api/v1/things' }, { query: { tag: ['a', 'b'] }, json: [1] });
    assert.equal(t.seen[0]?.method, 'PATCH');
    assert.equal(t.seen[0]?.url, 'http://jury.test/api/v1/things?tag=a&tag=b');
  });
});

describe('prepareRequest', () => {
  it('names a path parameter that was not given', () => {
    assert.throws(
      () => prepareRequest('', { method: 'get', path: '/api/v1/jobs/{id}' }),
      /\/api\/v1\/jobs\/\{id\}: no value for the path parameter "id"/,
    );
  });
});

// Compile-time checks (tsc runs them; never called): inputs and results follow the route's schemas.
async function typing(http: ReturnType<typeof createHttpClient>) {
  const { data: job } = await http.call(getJobRoute, { params: { id: 'job_1' } });
  job.progress.completedTasks satisfies number;
  const created = await http.call(createJobRoute, { json: { definitionId: 'jdf_1', audienceId: 'global' } });
  created.warnings satisfies string[];
  (await http.call(listApiClientsRoute)).total satisfies number;
  // @ts-expect-error the path parameter is required
  await http.call(getJobRoute);
  // @ts-expect-error an unknown path parameter
  await http.call(getJobRoute, { params: { key: 'x' } });
  // @ts-expect-error the body is required
  await http.call(createJobRoute, {});
  // @ts-expect-error a field of the wrong type
  await http.call(createJobRoute, { json: { definitionId: 1, audienceId: 'global' } });
  // @ts-expect-error a query parameter the route does not take
  await http.call(listJobsRoute, { query: { state: 'running' } });
  const res = await http.send(getJobRoute, { params: { id: 'job_1' } });
  (await res.json()).data.id satisfies string;
  return job instanceof JuryError;
}
void typing;
