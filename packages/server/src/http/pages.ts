import { type SelectQueryBuilder, sql } from 'kysely';
import { AppError } from './errors.ts';

/** What a list was asked for (the API's `pageKeys`): page size, and a cursor or (deprecated) a page number. */
export interface PageRequest {
  amount: number;
  cursor?: string | undefined;
  page?: number | undefined;
}

/** Every list's envelope: `nextCursor` is null on the last page; `page` echoes the deprecated page number. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  amount: number;
  total: number;
  page: number | null;
}

/**
 * A list's stable order: a column (default `created_at`, newest first), ties broken by `id`. `positional` names
 * an order `select` applies itself (an expression, nulls last): its cursor is a position, which may shift.
 */
export interface PageOrder {
  key?: string;
  id?: string;
  /** The row's field holding the id, when `select` renames it. */
  idField?: string;
  direction?: 'asc' | 'desc';
  positional?: string;
}

type Cursor = { s: string; k: unknown; i: unknown } | { s: string; o: number };

function badCursor(message: string): AppError {
  return new AppError('VALIDATION_FAILED', `Invalid query: cursor: ${message}`, {
    target: 'query',
    issues: [{ path: 'cursor', message, code: 'custom' }],
  });
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, sort: string): Cursor {
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('Not a cursor this server gave.');
  }
  if (typeof cursor !== 'object' || cursor === null || !('s' in cursor))
    throw badCursor('Not a cursor this server gave.');
  if (cursor.s !== sort) throw badCursor('The cursor belongs to another list or sort order.');
  if ('o' in cursor && Number.isSafeInteger(cursor.o) && (cursor.o as number) >= 0) return cursor as Cursor;
  if ('k' in cursor && 'i' in cursor && (typeof cursor.i === 'string' || typeof cursor.i === 'number'))
    return cursor as Cursor;
  throw badCursor('Not a cursor this server gave.');
}

function startOf(request: PageRequest, sort: string): Cursor | { o: number } | undefined {
  if (request.cursor !== undefined && request.page !== undefined)
    throw new AppError('VALIDATION_FAILED', 'Invalid query: give either cursor or page, not both.', {
      target: 'query',
      issues: [{ path: 'page', message: 'Give either cursor or page, not both.', code: 'custom' }],
    });
  if (request.cursor !== undefined) return decodeCursor(request.cursor, sort);
  if (request.page !== undefined) return { o: (request.page - 1) * request.amount };
  return undefined;
}

const column = (ref: string) => ref.slice(ref.lastIndexOf('.') + 1);

/**
 * The one way to serve a list: one page of `query` (its filters applied, nothing selected or ordered yet) in a
 * stable order, with the total and the keyset cursor of the next page, so rows created between two pages
 * neither repeat nor shift a row out of the list. `select` picks the columns; it must keep the order's key and id.
 */
export async function pageRows<DB, TB extends keyof DB, B, O>(
  query: SelectQueryBuilder<DB, TB, B>,
  // biome-ignore lint/suspicious/noExplicitAny: a join in `select` widens the tables; only the rows' type matters.
  select: (q: SelectQueryBuilder<DB, TB, B>) => SelectQueryBuilder<any, any, O>,
  request: PageRequest,
  order: PageOrder = {},
): Promise<Page<O>> {
  const key = order.key ?? 'created_at';
  const id = order.id ?? 'id';
  const direction = order.direction ?? 'desc';
  const sort = order.positional ?? `${column(key)}:${direction}`;
  const start = startOf(request, sort);
  const count = (await query
    .clearSelect()
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow()) as { n: unknown };
  let rows = select(query);
  if (order.positional === undefined)
    rows = rows.orderBy(sql.ref(key), direction).orderBy(sql.ref(id), direction);
  if (start && 'k' in start) {
    const op = sql.raw(direction === 'desc' ? '<' : '>');
    rows = rows.where(sql<boolean>`(${sql.ref(key)}, ${sql.ref(id)}) ${op} (${start.k}, ${start.i})`);
  } else if (start) rows = rows.offset(start.o);
  const found = await rows.limit(request.amount + 1).execute();
  const data = found.slice(0, request.amount);
  const last = data.at(-1) as Record<string, unknown> | undefined;
  const offset = start && 'o' in start ? start.o : 0;
  const nextCursor =
    found.length <= request.amount || !last
      ? null
      : order.positional !== undefined
        ? encodeCursor({ s: sort, o: offset + request.amount })
        : encodeCursor({ s: sort, k: last[column(key)], i: last[order.idField ?? column(id)] });
  return { data, nextCursor, amount: request.amount, total: Number(count.n), page: request.page ?? null };
}

/** The order of a list read whole into memory: by `keyOf` (a key, then the id) in `direction`. */
export interface ArrayOrder<T> {
  name: string;
  keyOf: (item: T) => readonly [string | number, string];
  direction?: 'asc' | 'desc';
}

const after = (a: readonly [unknown, unknown], b: readonly [unknown, unknown]) =>
  (a[0] as string) > (b[0] as string) || (a[0] === b[0] && (a[1] as string) > (b[1] as string));

/**
 * A page of a list read whole into memory. With an `ArrayOrder` the cursor is a keyset as in `pageRows`; with
 * only a name (an order no column holds, e.g. by aggregate score) it is a position, so such a list may shift
 * when rows are added between pages.
 */
export function pageArray<T>(
  list: readonly T[],
  request: PageRequest,
  order: string | ArrayOrder<T>,
): Page<T> {
  const byKey = typeof order === 'string' ? undefined : order;
  // Sorted here by the very comparison the cursor uses, whatever order (or collation) the rows came in.
  const items = byKey
    ? [...list].sort((a, b) =>
        after(byKey.keyOf(a), byKey.keyOf(b)) ? 1 : after(byKey.keyOf(b), byKey.keyOf(a)) ? -1 : 0,
      )
    : list;
  if (byKey?.direction === 'desc') (items as T[]).reverse();
  const direction = byKey?.direction ?? 'asc';
  const sort = byKey ? `${byKey.name}:${direction}` : order;
  const start = startOf(request as PageRequest, sort as string);
  let offset = 0;
  if (start && 'o' in start) offset = start.o;
  else if (start && byKey) {
    const cursor = [start.k, start.i] as const;
    const found = items.findIndex((item) =>
      direction === 'asc' ? after(byKey.keyOf(item), cursor) : after(cursor, byKey.keyOf(item)),
    );
    offset = found === -1 ? items.length : found;
  } else if (start) throw badCursor('The cursor belongs to another list or sort order.');
  const data = items.slice(offset, offset + request.amount);
  const last = data.at(-1);
  const more = offset + request.amount < items.length;
  const nextCursor =
    !more || last === undefined
      ? null
      : byKey
        ? encodeCursor({ s: sort as string, k: byKey.keyOf(last)[0], i: byKey.keyOf(last)[1] })
        : encodeCursor({ s: sort as string, o: offset + request.amount });
  return { data, nextCursor, amount: request.amount, total: items.length, page: request.page ?? null };
}

/** The same page with its rows presented. */
export function mapPage<T, U>(page: Page<T>, present: (row: T) => U): Page<U> {
  return { ...page, data: page.data.map(present) };
}
