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

// Swagger UI's own accessibility gaps (open upstream, e.g. swagger-ui#9570), patched as it renders: an operation's
// deep link sits inside its expand button, which opens it and sets the URL already, so the link becomes plain text
// (a control inside a control); text areas, the servers list and the dialog's close button get a name, the Authorize buttons
// keep the name they show; scrolling code samples take the focus, for keyboards.
new MutationObserver(() => {
  for (const link of document.querySelectorAll('.opblock-summary-control a[href]')) link.removeAttribute('href');
  for (const area of document.querySelectorAll('textarea:not([aria-label])'))
    area.setAttribute('aria-label', area.classList.contains('curl') ? 'curl command' : 'Request body');
  for (const close of document.querySelectorAll('.close-modal:not([aria-label])'))
    close.setAttribute('aria-label', 'Close');
  for (const servers of document.querySelectorAll('#servers:not([aria-label])'))
    servers.setAttribute('aria-label', 'Server');
  for (const button of document.querySelectorAll('.auth-btn-wrapper [aria-label]')) button.removeAttribute('aria-label');
  for (const code of document.querySelectorAll('.microlight:not([tabindex])')) code.tabIndex = 0;
}).observe(document.getElementById('reference'), { childList: true, subtree: true });
`;

/**
 * Swagger UI's colours that fail WCAG AA contrast (4.5:1) on its own backgrounds, darkened to pass: method badges,
 * buttons, version badges and small grey texts. Same hues, so the page looks as Swagger UI users know it.
 */
const CONTRAST_CSS = `
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #1f6fbf; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #14794b; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #a35200; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #c4161c; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #0b7a64; }
.swagger-ui .opblock.opblock-head .opblock-summary-method { background: #7a0ed9; }
.swagger-ui .btn.authorize { border-color: #14794b; color: #14794b; }
.swagger-ui .btn.authorize svg { color: #14794b; fill: #14794b; }
.swagger-ui .btn.execute { background-color: #1f6fbf; border-color: #1f6fbf; }
.swagger-ui .btn.cancel { border-color: #c4161c; color: #c4161c; }
.swagger-ui .info .title small { background: #59606b; }
.swagger-ui .info .title small.version-stamp { background-color: #4d6f00; }
.swagger-ui .info a, .swagger-ui .info .url { color: #1f6fbf; }
.swagger-ui .parameter__in, .swagger-ui .parameter__extension { color: #595959; }
.swagger-ui .json-schema-2020-12-expand-deep-button { color: #555555; }
.swagger-ui .download-contents { background: #59606b; }
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
<style>${CONTRAST_CSS}</style>
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
    `${ASSETS}/:file`,
    // One route for every asset, the initializer among them: a static sibling of `:file` would push Hono off its
    // RegExpRouter onto the slower TrieRouter for every request of the app.
    get(async (c) => {
      const file = c.req.param('file') ?? '';
      if (file === 'initializer.js')
        return c.body(INITIALIZER, 200, { 'content-type': 'text/javascript; charset=utf-8' });
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
