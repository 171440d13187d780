// Whole lists read a page at a time: the one way the SDK follows a list route's cursors.

/** @internal Every page of a list route (pages of `amount`, default 1000), in order, following `nextCursor`. */
export async function allPages<T>(
  fetchPage: (
    cursor: string | undefined,
    amount: number,
  ) => Promise<{ data: T[]; nextCursor: string | null }>,
  amount = 1000,
): Promise<T[]> {
  const out: T[] = [];
  for (let cursor: string | undefined; ; ) {
    const { data, nextCursor } = await fetchPage(cursor, amount);
    out.push(...data);
    if (nextCursor === null) return out;
    cursor = nextCursor;
  }
}
