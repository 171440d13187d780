import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Item, LabelerItem } from '@jury/api';
import type { Db } from '../db/database.ts';
import type { Clock } from '../http/clock.ts';
import { addressHashSecret } from '../labelers/service.ts';

// Blind media: labelers never see an asset id, a content hash or a file name, only an opaque reference that the
// server sealed (AES-256-GCM, a fresh IV each time, so two references to one asset look unrelated) with what it may
// serve: the asset, the item's name (for its owner's requesters), who may fetch it and until when. The key is
// derived from the per-database secret (labelers/service.ts), so every process opens every reference.

/** Who may fetch a sealed medium: the labeler holding a lease (tasks), a labeler (qualification), or anyone (previews). */
export interface MediaScope {
  labelerId: string | null;
  leaseId: string | null;
  /** ISO time after which the reference serves nothing. */
  expiresAt: string;
}

/** What a reference opens to. */
export interface MediaRef extends MediaScope {
  assetId: string;
  /** The item's name as the requester gave it (file basename or URL). */
  name: string;
}

/** The labeler-facing path of a reference. */
export const labelerMediaPath = (ref: string) => `/api/v1/labeler/media/${ref}`;

async function keyOf(deps: { db: Db; clock: Clock }): Promise<Buffer> {
  const secret = await addressHashSecret(deps);
  return createHash('sha256').update('jury media references\u0000').update(secret).digest();
}

function seal(key: Buffer, ref: MediaRef): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const payload = JSON.stringify([ref.assetId, ref.name, ref.labelerId, ref.leaseId, ref.expiresAt]);
  const body = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/**
 * Sealers of stored items into what a labeler may see under a scope (media as references, text as it is). Reads
 * the key first, so sealing itself needs no query (e.g. inside a claim's transaction).
 */
export async function mediaSealer(deps: {
  db: Db;
  clock: Clock;
}): Promise<(scope: MediaScope) => (item: Item & { side?: 'A' | 'B' }) => LabelerItem> {
  const key = await keyOf(deps);
  return (scope) => (item) => {
    if (item.type === 'text') return item;
    const ref = seal(key, { ...scope, assetId: item.assetId, name: item.name });
    return {
      type: 'asset',
      url: labelerMediaPath(ref),
      kind: item.kind,
      ...(item.side ? { side: item.side } : {}),
    };
  };
}

/** The sealed fields of a reference, or undefined when it is not one this database sealed. */
export async function openMediaRef(
  deps: { db: Db; clock: Clock },
  ref: string,
): Promise<MediaRef | undefined> {
  const raw = Buffer.from(ref, 'base64url');
  if (raw.length < 12 + 16 + 2 || raw.toString('base64url') !== ref) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', await keyOf(deps), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const text = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    const [assetId, name, labelerId, leaseId, expiresAt] = JSON.parse(text.toString('utf8')) as [
      string,
      string,
      string | null,
      string | null,
      string,
    ];
    return { assetId, name, labelerId, leaseId, expiresAt };
  } catch {
    return undefined;
  }
}
