import type { MediaKind } from '@jury/api';
import { AppError } from '../http/errors.ts';
import { formatBytes } from './blob-store.ts';
import { sniffMedia } from './media-type.ts';

// A URL asset is checked once, when it is registered: labelers would otherwise meet a broken image. The server
// fetches the start of the content (bounded in time), sniffs its type like an upload, and reads its size.

/** How long the check waits for the URL's server to answer and send the first bytes. */
export const URL_CHECK_TIMEOUT_MS = 10_000;
/** Enough bytes for every format file-type recognises. */
const SNIFF_BYTES = 4100;

/** What the check learned: the sniffed media and the size when the URL's server says it. */
export interface CheckedUrl {
  kind: MediaKind;
  mimeType: string;
  size: number | null;
}

const unreachable = (url: string, why: string) =>
  new AppError(
    'URL_UNREACHABLE',
    `Could not fetch ${url}: ${why}. Labelers load it from there; check the URL.`,
    {
      url,
    },
  );

/** The first `max` bytes of a body (fewer when it is shorter); the rest is not downloaded. */
async function readHead(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const head = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    head.set(c, at);
    at += c.length;
  }
  return head.subarray(0, max);
}

/** The full size from Content-Range (a 206) or Content-Length (a 200); null when the server does not say. */
function declaredSize(res: Response): number | null {
  const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
  const raw = res.status === 206 ? total : res.headers.get('content-length');
  const n = raw === undefined || raw === null ? Number.NaN : Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/**
 * Fetches the start of `url` and checks that it answers, is an image, video or audio file (sniffed from the
 * bytes, like uploads; `kind`, when given, must match), and is at most `maxBytes`. Throws `URL_UNREACHABLE`,
 * `UNSUPPORTED_MEDIA_TYPE` or `PAYLOAD_TOO_LARGE` with a message naming the URL.
 *
 * @example
 * ```ts
 * const { kind, mimeType, size } = await checkUrlAsset('https://example.com/cat.jpg', { maxBytes: 100 << 20 });
 * ```
 */
export async function checkUrlAsset(
  url: string,
  options: { maxBytes: number; timeoutMs?: number; kind?: MediaKind | undefined },
): Promise<CheckedUrl> {
  const timeoutMs = options.timeoutMs ?? URL_CHECK_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  let head: Uint8Array;
  let size: number | null;
  try {
    // A range asks for the head only; servers that ignore it send everything, of which we read the head.
    res = await fetch(url, { signal, redirect: 'follow', headers: { range: `bytes=0-${SNIFF_BYTES - 1}` } });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw unreachable(url, `it answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    // The declared size first: a file over the limit is refused without reading any of it.
    size = declaredSize(res);
    if (size !== null && size > options.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `${url} is ${formatBytes(size)}, over the ${formatBytes(options.maxBytes)} limit for media.`,
        { url, size, maxBytes: options.maxBytes },
      );
    }
    head = res.body ? await readHead(res.body, SNIFF_BYTES) : new Uint8Array();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (signal.aborted) throw unreachable(url, `no answer within ${timeoutMs / 1000} s`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw unreachable(url, cause?.code ?? cause?.message ?? (err as Error).message);
  }
  const media = head.length === 0 ? undefined : await sniffMedia(head);
  if (!media) {
    const declared = res.headers.get('content-type')?.split(';')[0]?.trim() || 'unknown';
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${url} is not an image, video or audio file we recognise (its server says ${declared}${
        declared === 'text/html' ? ': a web page, not the media itself' : ''
      }). Give the address of the file itself; for text datapoints use dataType "text".`,
      { url, contentType: declared },
    );
  }
  if (options.kind && options.kind !== media.kind)
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${url} is ${media.kind === 'image' ? 'an' : 'a'} ${media.kind} (${media.mimeType}), not ${
        options.kind === 'image' ? 'an' : 'a'
      } ${options.kind} as "kind" says.`,
      { url, mimeType: media.mimeType },
    );
  return { kind: media.kind, mimeType: media.mimeType, size };
}
