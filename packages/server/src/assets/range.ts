import { AppError } from '../http/errors.ts';

/** Parses a single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; undefined means the whole content. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // multi-range or malformed: serve the whole content (RFC 9110 allows ignoring)
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new AppError('RANGE_NOT_SATISFIABLE', `Range ${header} is outside the content of ${size} bytes.`, {
      size,
    });
  }
  return { start, end };
}
