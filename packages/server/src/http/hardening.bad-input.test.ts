/**
 * Bad input that used to reach the database or Node's own error pages, now the same clear 4xx on both
 * databases, and the server's files and headers as an operator expects. Real HTTP on loopback (raw sockets
 * where fetch cannot send it), SQLite always and Postgres when TEST_DATABASE_URL is set.
 *
 * | #  | Case                                                     | Status | Code              |
 * |----|----------------------------------------------------------|--------|-------------------|
 * | 1  | NUL in a definition name                                 | 400    | VALIDATION_FAILED |
 * | 2  | NUL in an instruction                                    | 400    | VALIDATION_FAILED |
 * | 3  | NUL in an audience name                                  | 400    | VALIDATION_FAILED |
 * | 4  | NUL in a URL asset                                       | 400    | VALIDATION_FAILED |
 * | 5  | NUL in a ?name= filter                                   | 400    | VALIDATION_FAILED |
 * | 6  | NUL in a path segment                                    | 400    | VALIDATION_FAILED |
 * | 7  | NUL in a job name (JSON key too)                         | 400    | VALIDATION_FAILED |
 * | 8  | lone surrogate in an audience name                       | 400    | VALIDATION_FAILED |
 * | 9  | body bytes that are not UTF-8                            | 400    | BAD_REQUEST       |
 * | 10 | query percent-encoding that is not UTF-8                 | 400    | VALIDATION_FAILED |
 * | 11 | audience filter nested 2,000 deep (48 KB)                | 400    | VALIDATION_FAILED |
 * | 12 | classification definition with 51 options                | 400    | VALIDATION_FAILED |
 * | 13 | classification option of 201 characters                  | 400    | VALIDATION_FAILED |
 * | 14 | SVG whose DOCTYPE has an internal subset (entities)      | 415    | UNSUPPORTED_MEDIA_TYPE |
 * | 15 | NUL in a token request's form field (RFC 6749 body)      | 400    | invalid_request   |
 * Raw sockets: 20 KB of headers → 431 HEADERS_TOO_LARGE; a malformed request line → 400 BAD_REQUEST; headers
 * never finished → 408 REQUEST_TIMEOUT within seconds; all in the error body format.
 * Accepted: SVGs starting with `<?xml` or `<!DOCTYPE svg` (editors' exports). Afterwards nothing was stored.
 * Headers: nosniff on API JSON, errors, /api/openapi.json and /api/reference; the labeler cookie is Secure
 * behind a trusted https proxy only. Files (SQLite): the data directory 0700, the database, its WAL and media 0600.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { requestToken } from '../../test/factories.ts';
import { type RunningServer, startServer } from '../server.ts';

interface Case {
  name: string;
  status: number;
  code: string;
  request: () => Promise<Response>;
}

/** Sends raw bytes and returns the whole answer (the server closes the connection after an error). */
function rawRequest(port: number, bytes: string, opts: { end?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      if (opts.end) socket.end();
    });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      answer += d;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function parseRaw(answer: string): { status: number; headers: string; body: { error: { code: string } } } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) };
}

const DOCTYPE_SVG =
  '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- Generator: Adobe Illustrator 27.0 -->\n' +
  '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' +
  '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';
const XML_SVG =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- Created with Inkscape (http://www.inkscape.org/) -->\n\n' +
  '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><circle r="1"/></svg>';
const ENTITY_SVG =
  '<?xml version="1.0"?>\n<!DOCTYPE svg [ <!ENTITY lol "lol"> ]>\n<svg xmlns="http://www.w3.org/2000/svg">&lol;</svg>';

for (const target of testDatabaseTargets()) {
  describe(`hardening on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    let base = '';
    let token = '';
    let clientId = '';
    const authed = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
      });
    const post = (path: string, body: BodyInit, type = 'application/json') =>
      authed(path, { method: 'POST', body, headers: { 'content-type': type } });
    const classification = (over: Record<string, unknown>) =>
      JSON.stringify({
        type: 'classification',
        name: 'Pets',
        instruction: 'What is it?',
        answerOptions: ['Cat', 'Dog'],
        datapoints: [{ text: 'a cat' }],
        ...over,
      });
    const counts = async () => {
      const db = server.database.db;
      const n = async (t: 'audiences' | 'job_definitions' | 'assets') =>
        Number(
          (
            await db
              .selectFrom(t)
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        audiences: await n('audiences'),
        definitions: await n('job_definitions'),
        assets: await n('assets'),
      };
    };
    let before0: Awaited<ReturnType<typeof counts>>;

    before(async () => {
      env = await createTestEnvironment(target);
      server = await startServer({
        port: 0,
        dataDir: join(env.dataDir, 'data'),
        databaseUrl: env.databaseUrl,
        config: { requestTimeoutSeconds: 2 },
        backgroundTasks: false,
      });
      base = server.url;
      clientId = server.bootstrap!.client.id;
      token = await requestToken(base, { clientId, secret: server.bootstrap!.secret });
      before0 = await counts();
    });
    after(async () => {
      await server.close();
      await env.cleanup();
    });

    const nested = (depth: number) => {
      let filter: unknown = { type: 'country', countries: ['DE'] };
      for (let i = 0; i < depth; i++) filter = { type: 'not', filter };
      return JSON.stringify({ name: 'deep', filters: [filter] });
    };
    const cases: Case[] = [
      {
        name: 'NUL in a definition name',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => post('/api/v1/job-definitions', classification({ name: 'a\u0000b' })),
      },
      {
        name: 'NUL in an instruction',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => post('/api/v1/job-definitions', classification({ instruction: 'What\u0000?' })),
      },
      {
        name: 'NUL in an audience name',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => post('/api/v1/audiences', '{"name": "crowd\\u0000"}'),
      },
      {
        name: 'NUL in a URL asset',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () =>
          post('/api/v1/assets/url', JSON.stringify({ url: 'https://example.test/a\u0000.png' })),
      },
      {
        name: 'NUL in a ?name= filter',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => authed('/api/v1/audiences?name=a%00b'),
      },
      {
        name: 'NUL in a path segment',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => authed('/api/v1/audiences/aud%00x'),
      },
      {
        name: 'NUL in a job name (JSON key too)',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => post('/api/v1/jobs', '{"name\\u0000": "x", "definitionId": "d", "audienceId": "a"}'),
      },
      {
        name: 'lone surrogate in an audience name',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => post('/api/v1/audiences', '{"name": "crowd \\ud800"}'),
      },
      {
        name: 'body bytes that are not UTF-8',
        status: 400,
        code: 'BAD_REQUEST',
        request: () =>
          post(
            '/api/v1/audiences',
            Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
          ),
      },
      {
        name: 'query percent-encoding that is not UTF-8',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => authed('/api/v1/audiences?name=%FF%FE'),
      },
      {
        name: 'audience filter nested 2,000 deep',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => post('/api/v1/audiences', nested(2000)),
      },
      {
        name: 'classification definition with 51 options',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () =>
          post(
            '/api/v1/job-definitions',
            classification({ answerOptions: Array.from({ length: 51 }, (_, i) => `option ${i}`) }),
          ),
      },
      {
        name: 'classification option of 201 characters',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () =>
          post('/api/v1/job-definitions', classification({ answerOptions: ['Cat', 'x'.repeat(201)] })),
      },
      {
        name: 'SVG whose DOCTYPE has an internal subset',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        request: () => post('/api/v1/assets?fileName=lol.svg', ENTITY_SVG, 'application/octet-stream'),
      },
      {
        name: 'NUL in a token request form field',
        status: 400,
        code: 'invalid_request',
        request: () =>
          fetch(`${base}/connect/token`, {
            method: 'POST',
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: 'a\u0000',
              client_secret: 'x',
            }),
          }),
      },
    ];

    for (const c of cases)
      it(`${c.name} → ${c.status} ${c.code}`, async () => {
        const res = await c.request();
        const raw = (await res.json()) as
          | { error: { code: string; message: string } }
          | { error: string; error_description: string };
        // The token route speaks RFC 6749's error body; every other route the API's.
        const body =
          typeof raw.error === 'string'
            ? { code: raw.error, message: (raw as { error_description: string }).error_description }
            : raw.error;
        assert.equal(res.status, c.status, JSON.stringify(raw));
        assert.equal(body.code, c.code);
        assert.ok(body.message.length > 10, body.message);
      });

    it('a filter 8 deep still gets the filter rule, not the depth guard', async () => {
      const res = await post('/api/v1/audiences', nested(9));
      const body = (await res.json()) as { error: { message: string } };
      assert.equal(res.status, 400);
      assert.match(body.error.message, /at most 8/);
    });

    it('SVGs exported by editors (<?xml, <!DOCTYPE svg) are accepted as images', async () => {
      for (const [name, svg] of [
        ['inkscape.svg', XML_SVG],
        ['illustrator.svg', DOCTYPE_SVG],
      ] as const) {
        const res = await post(`/api/v1/assets?fileName=${name}`, svg, 'application/octet-stream');
        const body = (await res.json()) as { data: { mimeType: string; kind: string } };
        assert.equal(res.status, 201, JSON.stringify(body));
        assert.equal(body.data.mimeType, 'image/svg+xml');
      }
    });

    it("Node's own refusals leave in the error body format, and slow clients are cut off", async () => {
      const huge = parseRaw(
        await rawRequest(
          server.port,
          `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        ),
      );
      assert.equal(huge.status, 431);
      assert.equal(huge.body.error.code, 'HEADERS_TOO_LARGE');
      assert.match(huge.headers, /content-type: application\/json/);
      const malformed = parseRaw(await rawRequest(server.port, 'NOT A REQUEST\r\n\r\n'));
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'BAD_REQUEST');
      const started = Date.now();
      const slow = parseRaw(await rawRequest(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n'));
      assert.equal(slow.status, 408);
      assert.equal(slow.body.error.code, 'REQUEST_TIMEOUT');
      assert.ok(Date.now() - started < 6000, `cut off after ${Date.now() - started} ms`);
    });

    it('every answer says nosniff: API JSON, errors, the OpenAPI document, the reference page', async () => {
      for (const res of [
        await authed('/api/v1/audiences'),
        await fetch(`${base}/api/v1/nothing`),
        await fetch(`${base}/api/openapi.json`),
        await fetch(`${base}/api/reference`),
      ]) {
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', res.url);
        await res.arrayBuffer();
      }
    });

    it('the labeler cookie ignores X-Forwarded-Proto without a trusted proxy', async () => {
      const res = await fetch(`${base}/api/v1/labeler/session`, {
        method: 'POST',
        headers: { 'x-forwarded-proto': 'https' },
      });
      assert.ok(res.ok, String(res.status));
      assert.doesNotMatch(res.headers.get('set-cookie') ?? '', /Secure/i);
    });

    it('nothing was stored by the refused requests', async () => {
      const now = await counts();
      assert.deepEqual(now, { ...before0, assets: before0.assets + 2 }); // the two accepted SVGs
    });

    if (target.name === 'sqlite')
      it('the data directory is 0700; the database, its WAL and the media are 0600', async () => {
        const dir = join(env.dataDir, 'data');
        assert.equal((await stat(dir)).mode & 0o777, 0o700);
        for (const f of ['jury.sqlite', 'jury.sqlite-wal'])
          assert.equal((await stat(join(dir, f))).mode & 0o777, 0o600, f);
        const { readdir } = await import('node:fs/promises');
        const shards = await readdir(join(dir, 'blobs'));
        assert.ok(shards.length > 0);
        for (const shard of shards) {
          assert.equal((await stat(join(dir, 'blobs', shard))).mode & 0o777, 0o700, shard);
          for (const blob of await readdir(join(dir, 'blobs', shard)))
            assert.equal((await stat(join(dir, 'blobs', shard, blob))).mode & 0o777, 0o600, blob);
        }
      });
  });
}

describe('behind a trusted proxy', () => {
  it('the labeler cookie is Secure when the proxy says https, and the CSRF origin is the public one', async () => {
    const env = await createTestEnvironment({ name: 'sqlite', databaseUrl: undefined });
    const server = await startServer({
      port: 0,
      dataDir: env.dataDir,
      config: { trustedProxyHops: 1 },
      backgroundTasks: false,
    });
    try {
      const res = await fetch(`${server.url}/api/v1/labeler/session`, {
        method: 'POST',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'jury.example' },
      });
      assert.ok(res.ok);
      assert.match(res.headers.get('set-cookie') ?? '', /Secure/i);
    } finally {
      await server.close();
      await env.cleanup();
    }
  });
});
