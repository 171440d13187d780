import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { type RunningServer, startServer } from './server.ts';
import { createTestEnvironment, testDatabaseTargets } from './testing.ts';

// Routes that describe the API rather than belong to it.
const UNDOCUMENTED = new Set(['GET /api/openapi.json', 'GET /api/reference']);

describe('OpenAPI document', () => {
  let env: Awaited<ReturnType<typeof createTestEnvironment>>;
  let server: RunningServer;
  let doc: { openapi: string; paths: Record<string, Record<string, unknown>> };

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
    const { createApp, DEFAULT_CONFIG } = await import('./app.ts');
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
              '#/components/schemas/Error',
              `${method} ${path} ${status}`,
            );
        }
      }
    }
  });

  it('renders a readable reference page listing every operation', async () => {
    const res = await fetch(`${server.url}/api/reference`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    for (const path of Object.keys(doc.paths))
      assert.ok(html.includes(`<code>${path}</code>`), `${path} not on the page`);
    assert.match(html, /Jury API/);
  });
});
