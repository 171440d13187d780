import {
  getAssetContentRoute,
  getAssetRoute,
  getMediaRoute,
  registerUrlAssetRoute,
  uploadAssetRoute,
} from '@jury/api';
import type { Context } from 'hono';
import { requireOrganization } from '../auth/principal.ts';
import type { AssetsTable } from '../db/schema.ts';
import { createRouter } from '../http/router.ts';
import { parseRange } from './range.ts';
import type { AssetDeps } from './service.ts';
import * as service from './service.ts';

export function assetRoutes(deps: AssetDeps) {
  const app = createRouter();

  app.openapi(uploadAssetRoute, async (c) => {
    const { fileName } = c.req.valid('query');
    const length = c.req.header('content-length');
    const { asset, created } = await service.uploadAsset(deps, requireOrganization(c).organizationId, {
      body: c.req.raw.body,
      fileName,
      declaredLength: length ? Number(length) : undefined,
    });
    return c.json({ data: asset }, created ? 201 : 200);
  });

  app.openapi(registerUrlAssetRoute, async (c) => {
    const { asset, created } = await service.registerUrlAsset(
      deps,
      requireOrganization(c).organizationId,
      c.req.valid('json'),
    );
    return c.json({ data: asset }, created ? 201 : 200);
  });

  app.openapi(getAssetRoute, async (c) => {
    const row = await service.getAsset(deps, requireOrganization(c).organizationId, c.req.valid('param').id);
    return c.json({ data: service.presentAsset(row) }, 200);
  });

  app.openapi(getAssetContentRoute, async (c) => {
    const row = await service.getAsset(deps, requireOrganization(c).organizationId, c.req.valid('param').id);
    if (row.source === 'url' && row.url) return c.redirect(row.url, 302) as never;
    return serveBlob(c, deps, row) as never;
  });

  app.openapi(getMediaRoute, async (c) => {
    const row = await service.getMediaBySha(deps, c.req.valid('param').sha256);
    return serveBlob(c, deps, row) as never;
  });

  return app;
}

/** Streams a stored blob with its sniffed type; honours single byte ranges for video and audio seeking. */
async function serveBlob(c: Context, deps: AssetDeps, row: AssetsTable): Promise<Response> {
  const sha = row.sha256 as string;
  // The row knows the size (content-addressed, so it is the stored one): no round trip to a bucket for it.
  const size = row.size === null ? ((await deps.blobs.size(sha)) ?? 0) : Number(row.size);
  const range = parseRange(c.req.header('range'), size);
  const headers: Record<string, string> = {
    'Content-Type': row.mime_type,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: `"${sha}"`,
    'X-Content-Type-Options': 'nosniff',
  };
  if (row.mime_type === 'image/svg+xml')
    headers['Content-Security-Policy'] = "default-src 'none'; style-src 'unsafe-inline'";
  if (c.req.header('if-none-match') === `"${sha}"`) return new Response(null, { status: 304, headers });
  if (!range) {
    headers['Content-Length'] = String(size);
    return new Response(c.req.method === 'HEAD' ? null : await deps.blobs.read(sha), {
      status: 200,
      headers,
    });
  }
  headers['Content-Length'] = String(range.end - range.start + 1);
  headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  return new Response(c.req.method === 'HEAD' ? null : await deps.blobs.read(sha, range), {
    status: 206,
    headers,
  });
}
