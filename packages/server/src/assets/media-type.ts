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

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
  flac: 'audio/flac',
};

/** A guess from a URL's file extension, for assets registered by URL. */
export function guessMimeFromUrl(url: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return ext ? MIME_BY_EXTENSION[ext] : undefined;
}

const DEFAULT_MIME: Record<MediaKind, string> = { image: 'image/*', video: 'video/*', audio: 'audio/*' };
export function defaultMime(kind: MediaKind): string {
  return DEFAULT_MIME[kind];
}
