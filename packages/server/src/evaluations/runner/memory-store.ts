// A run store in this process's memory: the reference implementation of the store contract, for tests and
// runs that need no durability. Claims are atomic because each method runs to completion before the next.
import type { ClaimResult, ItemRecord, RunStore } from './types.ts';

interface Entry<TGrade> {
  record?: ItemRecord<TGrade>;
  holder?: string;
  leaseUntil: number;
}

export function createMemoryRunStore<TGrade = unknown>(
  options: { now?: () => number } = {},
): RunStore<TGrade> & { records(): ItemRecord<TGrade>[] } {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<TGrade>>();
  const entryOf = (itemId: string) => {
    const entry = entries.get(itemId) ?? { leaseUntil: 0 };
    entries.set(itemId, entry);
    return entry;
  };
  const holds = (entry: Entry<TGrade> | undefined, holder: string) =>
    entry?.holder === holder && entry.leaseUntil > now();

  return {
    async claim(itemId, { holder, leaseMs, retakeFailed }): Promise<ClaimResult<TGrade>> {
      const entry = entryOf(itemId);
      if (entry.record && !(retakeFailed && entry.record.status === 'failed'))
        return { status: 'done', record: entry.record };
      if (entry.holder !== undefined && entry.holder !== holder && entry.leaseUntil > now())
        return { status: 'held', until: new Date(entry.leaseUntil) };
      entry.holder = holder;
      entry.leaseUntil = now() + leaseMs;
      return { status: 'claimed' };
    },
    async renew(itemId, { holder, leaseMs }) {
      const entry = entries.get(itemId);
      if (!entry || !holds(entry, holder)) return false;
      entry.leaseUntil = now() + leaseMs;
      return true;
    },
    async save(record, holder) {
      const entry = entryOf(record.itemId);
      if (entry.record && entry.record.status !== 'failed') return false;
      entry.record = structuredClone(record);
      if (entry.holder === holder || entry.leaseUntil <= now()) {
        entry.holder = undefined;
        entry.leaseUntil = 0;
      }
      return true;
    },
    async release(itemId, holder) {
      const entry = entries.get(itemId);
      if (entry?.holder !== holder) return;
      entry.holder = undefined;
      entry.leaseUntil = 0;
    },
    records: () => [...entries.values()].flatMap((e) => (e.record ? [structuredClone(e.record)] : [])),
  };
}
