import type { AssetsTable } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { URL_CHECK_TIMEOUT_MS } from './url-check.ts';

// A URL asset served to labelers through this server: a redirect would show the browser the requester's address
// (often its file name), which would unblind the comparison. The bytes come through, with the sniffed type.

const PASSED_ON = ['content-length', 'content-range', 'accept-ranges'] as const;

/** The URL asset's content (a byte range when asked), fetched from its address and streamed on. */
export async function proxyUrlMedia(row: AssetsTable, range: string | undefined): Promise<Response> {
  const url = row.url as string;
  let res: Response;
  try {
    res = await fetch(url, {
      redirect: 'follow',
      signal: AbortSignal.timeout(URL_CHECK_TIMEOUT_MS),
      headers: range ? { range } : {},
    });
  } catch {
    throw new AppError(
      'URL_UNREACHABLE',
      'This medium could not be fetched from its source just now; try again.',
    );
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 416) throw new AppError('RANGE_NOT_SATISFIABLE', 'The range lies outside the medium.');
    throw new AppError(
      'URL_UNREACHABLE',
      `This medium's source answered HTTP ${res.status}; try again later.`,
    );
  }
  const headers = new Headers({
    'content-type': row.mime_type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (row.mime_type === 'image/svg+xml')
    headers.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
  for (const name of PASSED_ON) {
    const value = res.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(res.body, { status: res.status, headers });
}
