import type { Db } from '../db/database.ts';
import { cachePerDatabase } from '../http/cache.ts';
import * as store from './store.ts';

// The recruitment rule admission applies (audiences/service.ts `audienceAdmissions`): a non-open audience admits
// only labelers who entered it (invite link, study entry URL); a labeler recruited from a site (one with a
// participant identity) works only on the audiences they entered, never on open or global work.

export interface RecruitmentGate {
  /** The labeler came from a recruiting site: only audiences in `entered` admit them. */
  bound: boolean;
  /** Audiences the labeler entered through an invite link or a study's entry URL. */
  entered: ReadonlySet<string>;
  /** Of the audiences asked about, those not open to everyone. */
  gated: ReadonlySet<string>;
}

interface LabelerEntries {
  bound: boolean;
  entered: Set<string>;
}

// Both are read on every claim; a process sees another's change after at most ttlMs, its own at once.
const modes = cachePerDatabase<string, string>({ max: 20_000, ttlMs: 2000 });
const entries = cachePerDatabase<string, LabelerEntries>({ max: 20_000, ttlMs: 2000 });

export function forgetRecruitment(db: Db, audienceId: string): void {
  modes(db).delete(audienceId);
}

export function forgetEntries(db: Db, labelerId: string): void {
  entries(db).delete(labelerId);
}

async function modesOf(db: Db, audienceIds: readonly string[]): Promise<Map<string, string>> {
  const cache = modes(db);
  const out = new Map<string, string>();
  const missing: string[] = [];
  for (const id of audienceIds) {
    const hit = cache.get(id);
    if (hit === undefined) missing.push(id);
    else out.set(id, hit);
  }
  if (missing.length > 0) {
    const rows = new Map((await store.findRecruitments(db, missing)).map((r) => [r.audience_id, r.mode]));
    for (const id of missing) {
      const mode = rows.get(id) ?? 'open';
      cache.set(id, mode);
      out.set(id, mode);
    }
  }
  return out;
}

async function entriesOf(db: Db, labelerId: string): Promise<LabelerEntries> {
  const cache = entries(db);
  const hit = cache.get(labelerId);
  if (hit) return hit;
  const [rows, bound] = await Promise.all([
    store.findEntries(db, labelerId),
    store.hasIdentity(db, labelerId),
  ]);
  const found = { bound, entered: new Set(rows.map((r) => r.audience_id)) };
  cache.set(labelerId, found);
  return found;
}

/** The labeler's recruitment standing towards these custom audiences (cached: usually no query). */
export async function recruitmentGate(
  db: Db,
  labelerId: string,
  customIds: readonly string[],
): Promise<RecruitmentGate> {
  const [mode, mine] = await Promise.all([modesOf(db, customIds), entriesOf(db, labelerId)]);
  const gated = new Set(customIds.filter((id) => mode.get(id) !== 'open'));
  return { bound: mine.bound, entered: mine.entered, gated };
}

/** How a custom audience takes new labelers: 'open', 'invite' or 'study' (cached as for claims). */
export async function recruitmentModeOf(db: Db, customId: string): Promise<string> {
  return (await modesOf(db, [customId])).get(customId) ?? 'open';
}

/** Of these labelers, those recruited from a site: they work only on the audiences they entered (the gate's `bound`). */
export async function boundAmong(db: Db, labelerIds: readonly string[]): Promise<Set<string>> {
  return new Set(await store.identityHolders(db, labelerIds));
}

/** Whether the gate lets the labeler into a custom audience (null: an audience on `global`). */
export function gateAdmits(gate: RecruitmentGate, customId: string | null): boolean {
  if (customId === null) return !gate.bound;
  if (gate.entered.has(customId)) return true;
  return !gate.bound && !gate.gated.has(customId);
}

/** No recruitment rule: for callers that judge a labeler by membership alone. */
export const OPEN_GATE: RecruitmentGate = { bound: false, entered: new Set(), gated: new Set() };
