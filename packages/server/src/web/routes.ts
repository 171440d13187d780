import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { type Context, Hono } from 'hono';

// Serves the built web app (packages/web/dist): index.html for every page path (the app routes in the
// browser), hashed files under /assets/ cached for a year. Registered as middleware so the OpenAPI
// coverage check, which lists method routes, sees only the API.

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The pages' policy: scripts and styles only from this server; media also from requesters' URL assets. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: http: https:",
  "media-src 'self' data: blob: http: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite's hashed output names: flat, no separators or dot-dot. */
const ASSET_NAME = /^[\w-][\w.-]*$/;

async function fileResponse(
  c: Context,
  file: string,
  cacheControl: string,
  extra: Record<string, string> = {},
) {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    etag,
    'x-content-type-options': 'nosniff',
    ...extra,
  };
  if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers });
  const body = c.req.method === 'HEAD' ? null : await readFile(file);
  return new Response(body, { status: 200, headers: { ...headers, 'content-length': String(info.size) } });
}

const notBuilt = (webDir: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Jury</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>The web app is not built</h1>
<p>No <code>index.html</code> in <code>${webDir.replace(/[<>&"]/g, '')}</code>. Build it with
<code>npm run build -w @jury/web</code> (<code>npm install</code> does this too), then reload.</p>
<p>The API works meanwhile: <a href="/api/reference">/api/reference</a>.</p>
</body></html>`;

/** Paths that are never the app's pages: the API, media, built files, the token endpoint, the icon. */
const NOT_PAGES = /^\/(api|media|assets|connect)(\/|$)|^\/favicon\.(ico|svg)$/;

/** Every GET of a page path answers with the app's index.html; `/assets/*` with the built files. */
export function webRoutes(webDir: string) {
  const root = resolve(webDir);
  const app = new Hono();
  const page = async (c: Context, next: () => Promise<void>) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const response = await fileResponse(c, join(root, 'index.html'), 'no-cache', {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'referrer-policy': 'same-origin',
    });
    return response ?? c.html(notBuilt(root), 503, { 'cache-control': 'no-store' });
  };
  // Browsers ask for /favicon.ico whatever the page links; both names answer with the app's SVG icon.
  const favicon = async (c: Context, next: () => Promise<void>) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const response = await fileResponse(c, join(root, 'favicon.svg'), 'public, max-age=86400', {
      'content-type': CONTENT_TYPES['.svg'] as string,
    });
    return response ?? next();
  };
  app.use('/favicon.ico', favicon);
  app.use('/favicon.svg', favicon);
  app.use('/assets/*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const name = c.req.path.slice('/assets/'.length);
    if (!ASSET_NAME.test(name)) return next();
    const response = await fileResponse(c, join(root, 'assets', name), 'public, max-age=31536000, immutable');
    return response ?? next();
  });
  // Every other GET is a page of the app, which routes in the browser and draws its own not-found page; the API's
  // prefixes keep their JSON 404s. Registered last, after the API, so only paths no route answered get here.
  app.use('*', async (c, next) => {
    if (NOT_PAGES.test(c.req.path)) return next();
    return page(c, next);
  });
  return app;
}
