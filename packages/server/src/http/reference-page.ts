import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Context, Hono } from 'hono';

// /api/reference: the OpenAPI document rendered by Swagger UI, served from the swagger-ui-dist package on this
// server (no CDN: a self-hosted Jury works offline). Registered as middleware, like the web app, so the OpenAPI
// coverage check, which lists method routes, sees only the API.

export const REFERENCE_PATH = '/api/reference';
const ASSETS = `${REFERENCE_PATH}/assets`;

/** The package's files the page loads, with their types; nothing else of the package is served. */
const FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};

const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

// The initializer is a file of its own, so the page needs no inline script.
const INITIALIZER = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  validatorUrl: null,
  docExpansion: 'list',
  defaultModelsExpandDepth: 1,
  defaultModelExpandDepth: 2,
  displayRequestDuration: true,
  filter: true,
});
`;

/** Scripts and styles only from this server; Swagger UI sets inline styles and draws some icons as data: URLs. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

function page(title: string): string {
  const safe = title.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${safe} reference</title>
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<link rel="stylesheet" href="${ASSETS}/swagger-ui.css">
</head>
<body>
<noscript>This reference needs JavaScript; the machine-readable document is <a href="/api/openapi.json">/api/openapi.json</a>.</noscript>
<div id="reference"></div>
<script src="${ASSETS}/swagger-ui-bundle.js"></script>
<script src="${ASSETS}/initializer.js"></script>
</body>
</html>`;
}

const ASSET_CACHE = 'public, max-age=86400';
/** The files as read once (1.7 MB of script: not read again for every page view). */
const loaded = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
const load = (file: string) => {
  let content = loaded.get(file);
  if (!content) {
    content = readFile(join(SWAGGER_DIR, file)).then((b) => new Uint8Array(b));
    loaded.set(file, content);
  }
  return content;
};

/** The reference page and the renderer's assets. */
export function referenceRoutes(title: string) {
  const app = new Hono();
  const html = page(title);
  const get = (handler: (c: Context) => Promise<Response | undefined> | Response | undefined) =>
    async function serve(c: Context, next: () => Promise<void>) {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
      return (await handler(c)) ?? next();
    };
  app.use(
    REFERENCE_PATH,
    get((c) =>
      c.html(html, 200, { 'content-security-policy': CONTENT_SECURITY_POLICY, 'cache-control': 'no-cache' }),
    ),
  );
  app.use(
    `${ASSETS}/initializer.js`,
    get((c) => c.body(INITIALIZER, 200, { 'content-type': 'text/javascript; charset=utf-8' })),
  );
  app.use(
    `${ASSETS}/:file`,
    get(async (c) => {
      const file = c.req.param('file') ?? '';
      const type = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
      if (!type) return undefined;
      const body = await load(file);
      return c.body(body, 200, {
        'content-type': type,
        'cache-control': ASSET_CACHE,
        'x-content-type-options': 'nosniff',
      });
    }),
  );
  return app;
}
