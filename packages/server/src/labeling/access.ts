import { DEFAULT_PASS_RULE } from '@jury/api';
import { audienceAdmissions, parsePassRule, qualificationOpen } from '../audiences/service.ts';
import type { Db } from '../db/database.ts';
import type { LabelerRow } from '../labelers/store.ts';
import * as audienceStore from './audience-store.ts';

// Which audiences admit a labeler (the audiences feature decides: `audienceAdmissions`), and which custom
// audiences' qualification examples they still owe before that audience's work.

export interface LabelerAccess {
  /** Audience ids (as jobs name them) whose work this labeler may take now. */
  admitted: Set<string>;
  /** Custom audiences whose qualification examples the labeler owes, with how many examples they have. */
  owed: { audienceId: string; examples: number }[];
}

export async function resolveAccess(
  db: Db,
  labeler: Pick<LabelerRow, 'id' | 'country' | 'language'>,
  audienceIds: readonly string[],
): Promise<LabelerAccess> {
  const admissions = await audienceAdmissions(db, audienceIds, labeler);
  const admitted = new Set<string>();
  const qualifyFor = new Set<string>();
  for (const [id, a] of admissions) {
    if (a.admitted) admitted.add(id);
    else if (a.qualifyFor) qualifyFor.add(a.qualifyFor);
  }
  const owed: LabelerAccess['owed'] = [];
  if (qualifyFor.size === 0) return { admitted, owed };
  const ids = [...qualifyFor];
  const rules = new Map(
    (await audienceStore.findAudiences(db, ids)).map((r) => [r.id, parsePassRule(r.pass_rule)]),
  );
  const counts = await audienceStore.exampleCounts(db, ids);
  for (const audienceId of ids) {
    const examples = counts.get(audienceId) ?? 0;
    // An audience with fewer examples than its pass rule needs admits nobody yet: nothing to serve.
    if (qualificationOpen(rules.get(audienceId) ?? DEFAULT_PASS_RULE, examples))
      owed.push({ audienceId, examples });
  }
  return { admitted, owed };
}
