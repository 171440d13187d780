import type { MediaKind } from '@jury/api';
import { fileTypeFromBuffer } from 'file-type';

/** The media kind and type from the content itself (never from the client's word). */
export async function sniffMedia(
  head: Uint8Array,
): Promise<{ kind: MediaKind; mimeType: string } | undefined> {
  const found = await fileTypeFromBuffer(head);
  // file-type calls an SVG with an XML declaration application/xml: such a file is checked as text below.
  if (found && found.mime !== 'application/xml') {
    const kind = kindOfMime(found.mime);
    return kind ? { kind, mimeType: found.mime } : undefined;
  }
  // SVG is text, which file-type does not detect.
  return isSvg(head) ? { kind: 'image', mimeType: 'image/svg+xml' } : undefined;
}

/**
 * An SVG as editors export it: an optional XML declaration, comments and an SVG doctype (without an
 * internal subset, which could declare entities), then the `<svg` element.
 */
const SVG_START = /^(<\?xml[^>]*\?>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE\s+svg\b[^>[]*>)\s*)*<svg[\s>]/i;

export function isSvg(head: Uint8Array): boolean {
  const text = new TextDecoder()
    .decode(head.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return SVG_START.test(text);
}

export function kindOfMime(mime: string): MediaKind | undefined {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return undefined;
}
