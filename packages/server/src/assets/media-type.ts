import type { MediaKind } from '@jury/api';
import { fileTypeFromBuffer } from 'file-type';

/** The media kind and type from the content itself (never from the client's word). */
export async function sniffMedia(
  head: Uint8Array,
): Promise<{ kind: MediaKind; mimeType: string } | undefined> {
  const found = await fileTypeFromBuffer(head);
  if (found) {
    const kind = kindOfMime(found.mime);
    return kind ? { kind, mimeType: found.mime } : undefined;
  }
  // SVG is text, which file-type does not detect.
  const text = new TextDecoder().decode(head.subarray(0, 1024)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text))
    return { kind: 'image', mimeType: 'image/svg+xml' };
  return undefined;
}

export function kindOfMime(mime: string): MediaKind | undefined {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return undefined;
}
