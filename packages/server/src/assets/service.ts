import type { Asset } from '@jury/api';
import type { Db } from '../db/database.ts';
import type { AssetsTable } from '../db/schema.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import { type BlobStore, formatBytes, type StoredBlob } from './blob-store.ts';
import { sniffMedia } from './media-type.ts';
import * as store from './store.ts';
import { checkUrlAsset } from './url-check.ts';

export interface AssetDeps {
  db: Db;
  clock: Clock;
  blobs: BlobStore;
  maxUploadBytes: number;
  /** How long registering a URL waits for its server (default 10 s). */
  urlCheckTimeoutMs?: number | undefined;
}

export function mediaPath(sha256: string): string {
  return `/media/${sha256}`;
}

export function presentAsset(row: AssetsTable): Asset {
  return {
    id: row.id,
    kind: row.kind,
    source: row.source,
    mimeType: row.mime_type,
    sha256: row.sha256,
    size: row.size === null ? null : Number(row.size),
    fileName: row.file_name,
    url: row.source === 'upload' && row.sha256 ? mediaPath(row.sha256) : (row.url ?? ''),
    createdAt: row.created_at,
  };
}

/** What an upload is, from its first bytes; an empty file or one we do not recognise is refused. */
async function mediaOf(blob: StoredBlob) {
  if (blob.size === 0) throw new AppError('VALIDATION_FAILED', 'The uploaded file is empty.');
  const media = await sniffMedia(blob.head);
  if (!media)
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'The file is not an image, video or audio file we recognise. For text datapoints use dataType "text" instead of uploading.',
    );
  return media;
}

/** Stores an upload by content hash; identical content in the same organization returns the existing asset. */
export async function uploadAsset(
  deps: AssetDeps,
  organizationId: string,
  input: {
    body: ReadableStream<Uint8Array> | null;
    fileName?: string | undefined;
    declaredLength?: number | undefined;
  },
): Promise<{ asset: Asset; created: boolean }> {
  if (!input.body)
    throw new AppError('VALIDATION_FAILED', 'The request body is empty; send the file bytes as the body.');
  if (input.declaredLength !== undefined && input.declaredLength > deps.maxUploadBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The file is ${formatBytes(input.declaredLength)}, over the ${formatBytes(deps.maxUploadBytes)} limit.`,
      {
        maxBytes: deps.maxUploadBytes,
      },
    );
  }
  // Refused before it is stored (empty, or not a media file we recognise): a rejected upload leaves nothing behind.
  const blob = await deps.blobs.put(input.body, deps.maxUploadBytes, async (b) => {
    await mediaOf(b);
  });
  const existing = await store.findAssetBySha(deps.db, organizationId, blob.sha256);
  if (existing) return { asset: presentAsset(existing), created: false };
  const media = await mediaOf(blob);
  const row: AssetsTable = {
    id: newId('ast'),
    organization_id: organizationId,
    source: 'upload',
    kind: media.kind,
    mime_type: media.mimeType,
    sha256: blob.sha256,
    size: blob.size,
    file_name: input.fileName ?? null,
    url: null,
    created_at: deps.clock.now().toISOString(),
  };
  try {
    await store.insertAsset(deps.db, row);
  } catch (err) {
    // A concurrent upload of the same content won the unique index: return its row.
    const raced = await store.findAssetBySha(deps.db, organizationId, blob.sha256);
    if (raced) return { asset: presentAsset(raced), created: false };
    throw err;
  }
  return { asset: presentAsset(row), created: true };
}

/**
 * Registers a public URL as an asset after checking it answers with an image, video or audio file within the size
 * limit (see {@link checkUrlAsset}); the same URL again returns the existing asset without fetching it.
 */
export async function registerUrlAsset(
  deps: Pick<AssetDeps, 'db' | 'clock' | 'maxUploadBytes' | 'urlCheckTimeoutMs'>,
  organizationId: string,
  input: { url: string; kind?: 'image' | 'video' | 'audio' | undefined },
): Promise<{ asset: Asset; created: boolean }> {
  const existing = await store.findAssetByUrl(deps.db, organizationId, input.url);
  if (existing) return { asset: presentAsset(existing), created: false };
  const checked = await checkUrlAsset(input.url, {
    maxBytes: deps.maxUploadBytes,
    timeoutMs: deps.urlCheckTimeoutMs,
    kind: input.kind,
  });
  const row: AssetsTable = {
    id: newId('ast'),
    organization_id: organizationId,
    source: 'url',
    kind: checked.kind,
    mime_type: checked.mimeType,
    sha256: null,
    size: checked.size,
    file_name: null,
    url: input.url,
    created_at: deps.clock.now().toISOString(),
  };
  try {
    await store.insertAsset(deps.db, row);
  } catch (err) {
    // A concurrent registration of the same URL won the unique index: return its row.
    const raced = await store.findAssetByUrl(deps.db, organizationId, input.url);
    if (raced) return { asset: presentAsset(raced), created: false };
    throw err;
  }
  return { asset: presentAsset(row), created: true };
}

export async function getAsset(
  deps: Pick<AssetDeps, 'db'>,
  organizationId: string,
  id: string,
): Promise<AssetsTable> {
  const row = await store.findAsset(deps.db, organizationId, id);
  if (!row) throw notFound('Asset', id);
  return row;
}

/** The row to serve for a media hash: only to an organization that owns it (anyone else: NOT_FOUND). */
export async function getMediaBySha(
  deps: Pick<AssetDeps, 'db'>,
  organizationId: string,
  sha256: string,
): Promise<AssetsTable> {
  const row = await store.findAssetBySha(deps.db, organizationId, sha256);
  if (!row) throw new AppError('NOT_FOUND', `No media with hash ${sha256}.`);
  return row;
}

/** The asset a sealed media reference names; undefined when it is gone. */
export function findReferencedAsset(deps: Pick<AssetDeps, 'db'>, assetId: string) {
  return store.findAssetById(deps.db, assetId);
}
