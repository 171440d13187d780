import {
  getAssetContentRoute,
  getAssetRoute,
  getLabelerMediaRoute,
  getMediaRoute,
  LABELER_COOKIE,
  registerUrlAssetRoute,
  resolveMediaReferenceRoute,
  uploadAssetRoute,
} from '@jury/api';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { requireOrganization } from '../auth/principal.ts';
import type { AssetsTable } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { createRouter } from '../http/router.ts';
import { verifyLabelerCookie } from '../labelers/service.ts';
import { findLease } from '../labeling/lease-store.ts';
import { type MediaRef, openMediaRef } from './media-refs.ts';
import { parseRange } from './range.ts';
import type { AssetDeps } from './service.ts';
import * as service from './service.ts';
import { proxyUrlMedia } from './url-media.ts';

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
    const { organizationId } = requireOrganization(c);
    const row = await service.getMediaBySha(deps, organizationId, c.req.valid('param').sha256);
    return serveBlob(c, deps, row) as never;
  });

  // Open at the router: the sealed reference says who may fetch it (checked here), so previews work too.
  app.openapi(getLabelerMediaRoute, async (c) => {
    const ref = await openMediaRef(deps, c.req.valid('param').ref);
    const row =
      ref && (await mayServe(c, deps, ref))
        ? await service.findReferencedAsset(deps, ref.assetId)
        : undefined;
    if (!row) throw new AppError('NOT_FOUND', 'No such medium, or it is no longer yours to see.');
    if (row.source === 'url' && row.url) return proxyUrlMedia(row, c.req.header('range')) as never;
    return serveBlob(c, deps, row, 'no-store') as never;
  });

  app.openapi(resolveMediaReferenceRoute, async (c) => {
    const { organizationId } = requireOrganization(c);
    const ref = await openMediaRef(deps, c.req.valid('param').ref);
    const row = ref && (await service.findReferencedAsset(deps, ref.assetId));
    if (!ref || !row || row.organization_id !== organizationId)
      throw new AppError('NOT_FOUND', 'No media reference of your organization is this one.');
    return c.json({ data: { assetId: row.id, name: ref.name } }, 200);
  });

  return app;
}

/** Whether this request may fetch the referenced medium now: before its expiry, by its labeler, under its lease. */
async function mayServe(c: Context, deps: AssetDeps, ref: MediaRef): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  if (ref.expiresAt <= now) return false;
  if (ref.labelerId === null) return true;
  if ((await verifyLabelerCookie(deps, getCookie(c, LABELER_COOKIE))) !== ref.labelerId) return false;
  if (ref.leaseId === null) return true;
  const lease = await findLease(deps.db, ref.leaseId);
  return lease !== undefined && lease.labeler_id === ref.labelerId && lease.expires_at > now;
}

/** Streams a stored blob with its sniffed type; honours single byte ranges for video and audio seeking. */
async function serveBlob(
  c: Context,
  deps: AssetDeps,
  row: AssetsTable,
  cache = 'private, max-age=31536000, immutable',
): Promise<Response> {
  const sha = row.sha256 as string;
  // The row knows the size (content-addressed, so it is the stored one): no round trip to a bucket for it.
  const size = row.size === null ? ((await deps.blobs.size(sha)) ?? 0) : Number(row.size);
  const range = parseRange(c.req.header('range'), size);
  const headers: Record<string, string> = {
    'Content-Type': row.mime_type,
    'Accept-Ranges': 'bytes',
    'Cache-Control': cache,
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
