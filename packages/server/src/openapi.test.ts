import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ERROR_CODES,
  type ErrorCode,
  isCookieScheme,
  MAX_INSTRUCTION_LENGTH,
  MAX_RESPONSES_PER_DATAPOINT,
  SECURITY_SCHEMES,
  type SecuritySchemeName,
  TOKEN_PATH,
} from '@jury/api';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestEnvironment, testDatabaseTargets } from '../test/environment.ts';
import { requestToken } from '../test/factories.ts';
import { type RunningServer, startServer } from './server.ts';

// Routes that describe the API rather than belong to it.
const UNDOCUMENTED = new Set(['GET /api/openapi.json', 'GET /api/reference']);

describe('OpenAPI document', () => {
  let env: Awaited<ReturnType<typeof createTestEnvironment>>;
  let server: RunningServer;
  let doc: {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { securitySchemes?: Record<string, unknown> };
  };

  before(async () => {
    const [sqlite] = testDatabaseTargets();
    env = await createTestEnvironment(sqlite!);
    server = await startServer({ port: 0, dataDir: env.dataDir });
    doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as typeof doc;
  });
  after(async () => {
    await server.close();
    await env.cleanup();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    assert.equal(doc.openapi, '3.1.0');
    const result = await new Validator().validate(doc as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });

  it('covers every route the app serves', async () => {
    const { createApp } = await import('./app.ts');
    const { DEFAULT_CONFIG } = await import('./config/config.ts');
    const { createDiskBlobStore } = await import('./assets/blob-store.ts');
    const { systemClock } = await import('./http/clock.ts');
    const app = createApp({
      db: server.database.db,
      dialect: server.database.dialect,
      clock: systemClock,
      blobs: createDiskBlobStore(env.dataDir),
      config: DEFAULT_CONFIG,
    });
    const served = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    for (const route of served)
      if (!UNDOCUMENTED.has(route)) assert.ok(documented.has(route), `${route} is missing from the document`);
    for (const route of documented) assert.ok(served.has(route), `${route} is documented but not served`);
    assert.ok(documented.size >= 9);
  });

  it('every operation has a summary, and every error response uses the one error body', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as [
        string,
        {
          summary?: string;
          responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
        },
      ][]) {
        assert.ok(op.summary, `${method} ${path} has no summary`);
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) >= 400)
            assert.equal(
              response.content?.['application/json']?.schema?.$ref,
              // The token route answers as RFC 6749 §5.2 says, for OAuth libraries.
              path === TOKEN_PATH ? '#/components/schemas/OAuthError' : '#/components/schemas/Error',
              `${method} ${path} ${status}`,
            );
        }
      }
    }
  });

  it('names every operation with a stable, unique operationId (what generated clients call their methods)', () => {
    const ids: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops) as [string, { operationId?: string }][]) {
        assert.match(op.operationId ?? '', /^[a-z]+[A-Z][A-Za-z]+$/, `${method} ${path}: operationId`);
        ids.push(op.operationId!);
      }
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    // The names clients already call: renaming one breaks every generated client.
    for (const id of ['listJobs', 'createJobDefinition', 'getJobResults', 'issueToken', 'createAudience'])
      assert.ok(ids.includes(id), id);
  });

  it('lists on each operation only the error codes it can return', () => {
    const where = new Map<ErrorCode, string[]>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as [string, DocumentedOperation][]) {
        const route = `${method.toUpperCase()} ${path}`;
        if (path === TOKEN_PATH) continue; // OAuth's error names, checked above and in the token tests
        const codes = new Set<ErrorCode>();
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          const listed = [...(response.description ?? '').matchAll(/\*\*([A-Z_]+)\*\*/g)].map((m) => m[1]);
          assert.ok(listed.length > 0, `${route} ${status} names no code`);
          for (const code of listed) {
            assert.ok(code && code in ERROR_CODES, `${route}: unknown code ${code}`);
            assert.equal(ERROR_CODES[code as ErrorCode].status, Number(status), `${route}: ${code}`);
            codes.add(code as ErrorCode);
            where.set(code as ErrorCode, [...(where.get(code as ErrorCode) ?? []), route]);
          }
        }
        const authenticated = (op.security?.length ?? 0) > 0;
        const cookieWrite =
          method !== 'get' &&
          (op.security ?? []).some((r) =>
            Object.keys(r).some((s) => isCookieScheme(s as SecuritySchemeName)),
          );
        const body = op.requestBody !== undefined;
        const rule = (code: ErrorCode, expected: boolean, why: string) =>
          assert.equal(
            codes.has(code),
            expected,
            `${route}: ${code} ${expected ? 'missing' : 'listed'} (${why})`,
          );
        rule('UNAUTHENTICATED', authenticated, 'exactly the authenticated routes');
        rule('CSRF_REJECTED', cookieWrite, 'exactly the writes a session cookie authenticates');
        rule('VALIDATION_FAILED', true, 'every route: an unknown query key');
        rule('PAYLOAD_TOO_LARGE', body, 'exactly the routes with a body');
        rule('UNSUPPORTED_MEDIA_TYPE', body, 'exactly the routes with a body');
        if (codes.has('BAD_REQUEST')) assert.ok(body, `${route}: BAD_REQUEST without a body to parse`);
        if (codes.has('NOT_FOUND'))
          assert.ok(path.includes('{') || body, `${route}: NOT_FOUND with no id in the path or body`);
        if (codes.has('RANGE_NOT_SATISFIABLE'))
          assert.ok(op.responses['206'], `${route}: a range error, no 206`);
        if (codes.has('CONFLICT') || codes.has('FORBIDDEN'))
          assert.notEqual(method, 'get', `${route}: a read cannot conflict or be forbidden`);
        assert.ok(!codes.has('INTERNAL') && !codes.has('RATE_LIMITED'), `${route}: a code no route declares`);
      }
    }
    assert.deepEqual(where.get('INVALID_CREDENTIALS'), ['POST /api/v1/session']);
    // Forbidden: what needs the owner role, deleting the global audience, and changing a built-in or another
    // organization's public evaluation.
    const ownerOnly = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, DocumentedOperation>)
        .filter(([, op]) => (op.security ?? []).some((r) => (r.session ?? []).includes('owner')))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    assert.ok(ownerOnly.length >= 3);
    const evaluationWrites = [
      'DELETE /api/v1/evaluations/{id}',
      'DELETE /api/v1/evaluations/{id}/versions/{version}',
      'POST /api/v1/evaluations/{id}/versions',
    ];
    // Recruitment is set, and invites made, on custom audiences only.
    const recruitmentWrites = [
      'PUT /api/v1/audiences/{id}/recruitment',
      'POST /api/v1/audiences/{id}/invites',
    ];
    assert.deepEqual(
      where.get('FORBIDDEN')?.sort(),
      [...ownerOnly, 'DELETE /api/v1/audiences/{id}', ...evaluationWrites, ...recruitmentWrites].sort(),
    );
  });

  it('declares the security schemes once, and guards every operation exactly as its security says', async () => {
    assert.deepEqual(doc.components.securitySchemes, SECURITY_SCHEMES);
    const boot = server.bootstrap;
    assert.ok(boot);
    const token = await requestToken(server.url, { clientId: boot.client.id, secret: boot.secret });
    const session = await fetch(`${server.url}/api/v1/labeler/session`, {
      method: 'POST',
      headers: { origin: server.url },
    });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] as string;
    // A dashboard owner, from the first start's setup link (owner: every `session` route lets them through).
    const setupToken = new URL(server.setupUrl ?? '').searchParams.get('token');
    const account = { email: 'owner@example.com', password: 'correct horse battery' };
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ token: setupToken, name: 'Owner', ...account }),
    });
    assert.equal(setup.status, 201, await setup.clone().text());
    const userCookie = () => (setup.headers.get('set-cookie') ?? '').split(';')[0] as string;
    // Every scheme the server can check, with a valid credential.
    const credentials: Record<SecuritySchemeName, Record<string, string>> = {
      bearer: { authorization: `Bearer ${token}` },
      session: { cookie: userCookie(), origin: server.url },
      labelerSession: { cookie, origin: server.url },
    };
    // DELETE /api/v1/session signs the owner out: sign in again for the routes after it.
    const signInAgain = async () => {
      const r = await fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { origin: server.url, 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });
      assert.equal(r.status, 200);
      credentials.session = {
        cookie: (r.headers.get('set-cookie') ?? '').split(';')[0] as string,
        origin: server.url,
      };
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as [string, DocumentedOperation][]) {
        const route = `${method.toUpperCase()} ${path}`;
        const schemes = (op.security ?? []).flatMap((r) => Object.keys(r));
        for (const scheme of schemes)
          assert.ok(scheme in SECURITY_SCHEMES, `${route}: unknown scheme ${scheme}`);
        // Fake ids: the guard answers before validation and lookups, so only a 401 tells it refused.
        const url = `${server.url}${path.replace(/\{\w+\}/g, 'zzzzzzzzzzzz')}`;
        const refused = async (headers: Record<string, string>) => {
          const r = await fetch(url, { method: method.toUpperCase(), headers });
          await r.arrayBuffer();
          return r.status === 401;
        };
        assert.equal(await refused({}), schemes.length > 0, `${route} without a credential`);
        for (const [scheme, headers] of Object.entries(credentials))
          assert.equal(
            await refused(headers),
            schemes.length > 0 && !schemes.includes(scheme),
            `${route} with a ${scheme} credential`,
          );
        if (route === 'DELETE /api/v1/session') await signInAgain();
      }
    }
  });

  it('says what the server enforces, from the same zod rules', () => {
    type Schema = Record<string, unknown> & {
      properties?: Record<string, Schema>;
      oneOf?: Schema[];
      anyOf?: Schema[];
      items?: Schema;
    };
    const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
    const compare = schemas.CreateJobDefinition!.oneOf!.find(
      (s) => (s.properties!.type as { enum: string[] }).enum[0] === 'compare',
    )!;
    const props = compare.properties!;
    assert.equal(props.instruction!.maxLength, MAX_INSTRUCTION_LENGTH);
    const pair = props.datapoints!.items!;
    assert.deepEqual([pair.minItems, pair.maxItems], [2, 2]);
    assert.deepEqual(
      [
        props.responsesPerDatapoint!.type,
        props.responsesPerDatapoint!.minimum,
        props.responsesPerDatapoint!.maximum,
      ],
      ['integer', 1, MAX_RESPONSES_PER_DATAPOINT],
    );
    assert.deepEqual(
      [props.confidenceThreshold!.exclusiveMinimum, props.confidenceThreshold!.exclusiveMaximum],
      [0, 1],
    );
    assert.deepEqual([props.quorumThreshold!.type, props.quorumThreshold!.minimum], ['integer', 1]);
    // Fields with defaults are optional in the input (openapi-typescript's default mode makes `required` ones required).
    assert.ok(!(compare.required as string[]).includes('responsesPerDatapoint'));
    assert.ok(!(compare.required as string[]).includes('settings'));
    // Validation details are typed, not `unknown`.
    assert.ok(JSON.stringify(schemas.Error).includes('ValidationDetails'));
    assert.deepEqual(Object.keys(schemas.ValidationIssue!.properties!).sort(), [
      'code',
      'keys',
      'message',
      'path',
    ]);
    // JobResults narrows by info.type.
    const types = (schemas.JobResults!.anyOf ?? schemas.JobResults!.oneOf ?? []).map((r) => {
      const ref = (r as { $ref?: string }).$ref;
      const info = (ref ? schemas[ref.split('/').pop()!]! : r).properties!.info as { $ref?: string } & Schema;
      const infoSchema = info.$ref ? schemas[info.$ref.split('/').pop()!]! : info;
      return (infoSchema.properties!.type as { enum: string[] }).enum;
    });
    assert.ok(types.length >= 2 && types.every((t) => t.length === 1), JSON.stringify(types));
    // Clients find the server and the token endpoint in the document.
    const servers = (doc as unknown as { servers: { url: string }[] }).servers;
    assert.match(servers[0]!.url, /^http:\/\/[^/]+$/);
    assert.deepEqual((doc.components.securitySchemes!.bearer as { flows: unknown }).flows, {
      clientCredentials: { tokenUrl: '/connect/token', scopes: {} },
    });
  });

  it('renders the document with Swagger UI served from this server (no CDN)', async () => {
    const res = await fetch(`${server.url}/api/reference`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await res.text();
    assert.match(html, /<title>Jury API reference<\/title>/);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    for (const source of sources) assert.match(source, /^\/[^/]/, `${source} is not on this server`);
    const scripts = sources.filter((s) => s.endsWith('.js'));
    assert.deepEqual(scripts, [
      '/api/reference/assets/swagger-ui-bundle.js',
      '/api/reference/assets/initializer.js',
    ]);
    const bundle = await fetch(`${server.url}${scripts[0]}`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
    assert.match(await bundle.text(), /SwaggerUIBundle/);
    const init = await (await fetch(`${server.url}${scripts[1]}`)).text();
    assert.match(init, /url: '\/api\/openapi\.json'/);
    const css = await fetch(`${server.url}/api/reference/assets/swagger-ui.css`);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    await css.arrayBuffer();
    for (const path of [
      '/api/reference/assets/package.json',
      '/api/reference/assets/..%2F..%2Fpackage.json',
    ]) {
      const other = await fetch(`${server.url}${path}`);
      assert.equal(other.status, 404, path);
      await other.arrayBuffer();
    }
  });
});

interface DocumentedOperation {
  security?: Record<string, string[]>[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { description?: string }>;
}
