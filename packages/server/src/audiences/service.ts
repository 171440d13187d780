import {
  type AddExample,
  type Audience,
  type AudienceExample,
  type AudienceStats,
  type CreateAudience,
  type CreateFilteredAudience,
  DEFAULT_PASS_RULE,
  type ExamplePurpose,
  GLOBAL_AUDIENCE_ID,
  type PassRule,
} from '@jury/api';
import { resolveItems } from '../assets/resolve-items.ts';
import type { Db } from '../db/database.ts';
import type { AudienceExamplesTable, AudiencesTable } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import { cachePerDatabase } from '../http/cache.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import { mapPage, type Page, type PageRequest } from '../http/pages.ts';
import {
  boundAmong,
  gateAdmits,
  OPEN_GATE,
  type RecruitmentGate,
  recruitmentGate,
  recruitmentModeOf,
} from '../recruitment/gate.ts';
import { taskTypeModule } from '../task-types/index.ts';
import { describeFilters, type FilterProfile, matchesFilters } from './filters.ts';
import { type MemberState, parsePassRule, qualificationOpen } from './pass-rule.ts';
import { GLOBAL_AUDIENCE, parseFilters, presentAudience, presentExample } from './presenters.ts';
import * as store from './store.ts';

export { type FilterProfile, matchesFilters } from './filters.ts';
export { parsePassRule, qualificationOpen, qualificationState } from './pass-rule.ts';

export interface AudienceDeps {
  db: Db;
  clock: Clock;
}

const isGlobal = (id: string) => id === GLOBAL_AUDIENCE_ID;

// ---- Requester operations

export async function createAudience(
  deps: AudienceDeps,
  organizationId: string,
  input: CreateAudience,
): Promise<Audience> {
  const rule: PassRule = { ...DEFAULT_PASS_RULE, ...input.passRule };
  const row: AudiencesTable = {
    id: newId('aud'),
    organization_id: organizationId,
    name: input.name,
    base_audience_id: null,
    filters: input.filters && input.filters.length > 0 ? JSON.stringify(input.filters) : null,
    pass_rule: JSON.stringify(rule),
    show_qualification_feedback: input.showQualificationFeedback === false ? 0 : 1,
    created_at: deps.clock.now().toISOString(),
    deleted_at: null,
  };
  await store.insertAudience(deps.db, row);
  return presentAudience(row);
}

/** A live audience of the organization (`global` included); deleted and other organizations' ones are NOT_FOUND. */
export async function getAudience(
  deps: Pick<AudienceDeps, 'db'>,
  organizationId: string,
  id: string,
): Promise<Audience> {
  if (isGlobal(id)) return GLOBAL_AUDIENCE;
  const row = await store.findAudience(deps.db, organizationId, id);
  if (!row) throw notFound('Audience', id);
  return presentAudience(row);
}

export async function findAudiences(
  deps: Pick<AudienceDeps, 'db'>,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
): Promise<Page<Audience>> {
  return mapPage(await store.listAudiences(deps.db, organizationId, query), presentAudience);
}

/**
 * Soft delete: the audience leaves find/get and takes no new jobs, examples or filters. Jobs already assigned keep
 * being served under the same admission rule (so no work is lost); `admitsLabeler` ignores deletion on purpose.
 */
export async function deleteAudience(deps: AudienceDeps, organizationId: string, id: string): Promise<void> {
  if (isGlobal(id))
    throw new AppError('FORBIDDEN', 'The global audience cannot be deleted; it is every labeler.');
  const row = await store.findAudience(deps.db, organizationId, id);
  if (!row) throw notFound('Audience', id);
  await store.markAudienceDeleted(deps.db, id, deps.clock.now().toISOString());
}

export async function createFilteredAudience(
  deps: AudienceDeps,
  organizationId: string,
  baseId: string,
  input: CreateFilteredAudience,
): Promise<Audience> {
  const base = await getAudience(deps, organizationId, baseId);
  if (base.kind === 'filtered')
    throw new AppError(
      'CONFLICT',
      `${baseId} is already a filtered audience and cannot be filtered again; filter its base audience ${base.baseAudienceId} with all the filters instead.`,
      { baseAudienceId: base.baseAudienceId },
    );
  const name = (input.name ?? `${base.name} (${describeFilters(input.filters)})`).slice(0, 200);
  const row: AudiencesTable = {
    id: newId('fau'),
    organization_id: organizationId,
    name,
    base_audience_id: base.id,
    filters: JSON.stringify(input.filters),
    pass_rule: 'null',
    show_qualification_feedback: 0,
    created_at: deps.clock.now().toISOString(),
    deleted_at: null,
  };
  await store.insertAudience(deps.db, row);
  return presentAudience(row);
}

/** A live custom audience of the organization, for changes that only custom audiences take (examples). */
async function getCustomAudience(
  deps: Pick<AudienceDeps, 'db'>,
  organizationId: string,
  id: string,
): Promise<AudiencesTable> {
  if (isGlobal(id))
    throw new AppError(
      'CONFLICT',
      'The global audience has no qualification examples (every labeler belongs to it); create a custom audience for qualification.',
    );
  const row = await store.findAudience(deps.db, organizationId, id);
  if (!row) throw notFound('Audience', id);
  if (row.base_audience_id !== null)
    throw new AppError(
      'CONFLICT',
      `${id} is a filtered audience; it uses the qualification of its base audience ${row.base_audience_id}. Add examples there.`,
      { baseAudienceId: row.base_audience_id },
    );
  return row;
}

/**
 * Adds an example at the end of the audience's order: a qualification example, or (`purpose: 'gold'`) one of the
 * secret gold pool that gold checks are drawn from (never in qualification, never shown with feedback). Media items must be assets of the organization;
 * the truth is checked by the example's task type (e.g. against the items for compare, the options for classification).
 */
export async function addExample(
  deps: AudienceDeps,
  organizationId: string,
  audienceId: string,
  input: AddExample,
): Promise<AudienceExample> {
  const audience = await getCustomAudience(deps, organizationId, audienceId);
  const { itemInputs, truth, answerOptions, randomCorrectProbability, itemLabel } = taskTypeModule(
    input.taskType,
  ).exampleParts(input);
  const items = await resolveItems(deps.db, organizationId, itemInputs, input.dataType, itemLabel);
  const mediaContext = input.mediaContext
    ? await resolveItems(
        deps.db,
        organizationId,
        input.mediaContext,
        'media',
        (i) => `mediaContext item ${i + 1}`,
      )
    : null;
  return withTransaction(deps.db, async (trx) => {
    const row: AudienceExamplesTable = {
      id: newId('aex'),
      audience_id: audience.id,
      organization_id: organizationId,
      task_type: input.taskType,
      instruction: input.instruction,
      data_type: input.dataType,
      items: JSON.stringify(items),
      answer_options: answerOptions === null ? null : JSON.stringify(answerOptions),
      truth: JSON.stringify(truth),
      context: input.context ?? null,
      media_context: mediaContext === null ? null : JSON.stringify(mediaContext),
      settings: JSON.stringify([...new Set(input.settings ?? [])]),
      explanation: input.explanation ?? null,
      random_correct_probability: randomCorrectProbability,
      sort_index: await store.nextExampleSortIndex(trx, audience.id),
      purpose: input.purpose,
      created_at: deps.clock.now().toISOString(),
    };
    await store.insertExample(trx, row);
    return presentExample(row);
  });
}

export async function listExamples(
  deps: Pick<AudienceDeps, 'db'>,
  organizationId: string,
  audienceId: string,
  query: PageRequest & { purpose?: ExamplePurpose | undefined },
): Promise<Page<AudienceExample>> {
  const audience = await getCustomAudience(deps, organizationId, audienceId);
  return mapPage(await store.listExamplesPage(deps.db, audience.id, query, query.purpose), presentExample);
}

/** Labelers by qualification state (filtered audiences: the base's, restricted to the filters). */
export async function getAudienceStats(
  deps: Pick<AudienceDeps, 'db'>,
  organizationId: string,
  audienceId: string,
): Promise<AudienceStats> {
  const audience = await getAudience(deps, organizationId, audienceId);
  const baseId = audience.kind === 'filtered' ? (audience.baseAudienceId as string) : audience.id;
  const filters = [...audience.filters];
  let rule: PassRule | null = audience.passRule;
  if (audience.kind === 'filtered' && !isGlobal(baseId)) {
    // The base may be deleted since; its qualified pool still backs this audience.
    const [base] = await store.findAudiencesByIds(deps.db, [baseId]);
    if (base) {
      filters.push(...parseFilters(base));
      rule = parsePassRule(base.pass_rule);
    }
  }
  const counts = isGlobal(baseId)
    ? await store.labelerCountsByProfile(deps.db)
    : await store.memberCountsByProfile(deps.db, baseId);
  const members: Record<MemberState, number> = { qualifying: 0, qualified: 0, dropped: 0 };
  for (const c of counts) if (matchesFilters(filters, c)) members[c.state] += c.n;
  const examples = isGlobal(baseId) ? 0 : ((await store.countExamples(deps.db, [baseId])).get(baseId) ?? 0);
  return {
    audienceId: audience.id,
    members,
    examples,
    ready: rule === null || qualificationOpen(rule, examples),
  };
}

// ---- For jobs and labeling

export interface AssignableAudience {
  audience: Audience;
  /** Set when nobody can be admitted yet (a custom base with fewer examples than its pass rule needs). */
  warning: string | null;
}

/**
 * The audience a new job may be assigned to: `global`, or a live custom/filtered audience of the organization
 * (a filtered one whose base was deleted is refused). Warns when the qualification cannot admit anyone yet.
 */
export async function getAssignableAudience(
  deps: Pick<AudienceDeps, 'db'>,
  organizationId: string,
  audienceId: string,
): Promise<AssignableAudience> {
  const audience = await getAudience(deps, organizationId, audienceId);
  const customId = audience.kind === 'filtered' ? (audience.baseAudienceId as string) : audience.id;
  if (isGlobal(customId)) return { audience, warning: null };
  if (customId !== audience.id && !(await store.findAudience(deps.db, organizationId, customId)))
    throw new AppError(
      'CONFLICT',
      `The base audience ${customId} of ${audience.id} was deleted; assign the job to another audience.`,
    );
  const status = (await qualificationStatus(deps.db, [customId])).get(customId);
  if (!status || status.open) return { audience, warning: null };
  const { examples } = status;
  const { minExamples } = status.rule;
  return {
    audience,
    warning: `Audience ${customId} has ${examples} qualification example${examples === 1 ? '' : 's'}; labelers qualify only once it has at least ${minExamples}, so this job gets no responses until you add ${minExamples - examples} more.`,
  };
}

/** A custom audience's pass rule, its number of examples, and whether labelers can qualify yet (`qualificationOpen`). */
export interface QualificationStatus {
  rule: PassRule;
  examples: number;
  open: boolean;
}

/**
 * The qualification status of custom audiences (deleted ones too: their jobs still run), in 2 queries; ids that
 * are not custom audiences are left out.
 */
export async function qualificationStatus(
  db: Db,
  customIds: readonly string[],
): Promise<Map<string, QualificationStatus>> {
  const rows = (await store.findAudiencesByIds(db, customIds)).filter((r) => r.base_audience_id === null);
  const counts = await store.countExamples(
    db,
    rows.map((r) => r.id),
  );
  return new Map(
    rows.map((r) => {
      const rule = parsePassRule(r.pass_rule);
      const examples = counts.get(r.id) ?? 0;
      return [r.id, { rule, examples, open: qualificationOpen(rule, examples) }];
    }),
  );
}

/** The custom audience behind a row: itself, or a filtered audience's base; null when that is `global`. */
function rootOf(row: Pick<AudiencesTable, 'id' | 'base_audience_id'>): string | null {
  const root = row.base_audience_id ?? row.id;
  return isGlobal(root) ? null : root;
}

// A filtered audience's base never changes, so each process looks up an audience's custom root once.
const roots = cachePerDatabase<string, string | null>({ max: 10_000 });

/**
 * The custom audience whose qualification admits to `audienceId`: itself, or a filtered audience's base; null for
 * `global`, audiences filtered from it and unknown ids. Deleted audiences count (their jobs still run).
 *
 * @example
 * const root = await customRootOf(trx, job.audience_id); // its members' trust scores and examples count
 */
export async function customRootOf(db: Db, audienceId: string): Promise<string | null> {
  if (isGlobal(audienceId)) return null;
  const cache = roots(db);
  const hit = cache.get(audienceId);
  if (hit !== undefined) return hit;
  const [row] = await store.findAudiencesByIds(db, [audienceId]);
  if (!row) return null;
  const root = rootOf(row);
  cache.set(audienceId, root);
  return root;
}

/**
 * Of these labelers, those dropped (by the pass rule or their gold accuracy) from the custom audience behind
 * `audienceId`; none for `global`. Job results leave their responses out.
 */
export async function droppedLabelers(
  db: Db,
  audienceId: string,
  labelerIds: readonly string[],
): Promise<Set<string>> {
  const root = await customRootOf(db, audienceId);
  if (root === null) return new Set();
  const ids = [...new Set(labelerIds)];
  const dropped = new Set<string>();
  for (let i = 0; i < ids.length; i += 500)
    for (const id of await store.droppedMembers(db, root, ids.slice(i, i + 500))) dropped.add(id);
  return dropped;
}

/** The labeler fields admission looks at. */
export interface AdmissionLabeler extends FilterProfile {
  id: string;
}

export interface Admission {
  /** May work on this audience's jobs now. */
  admitted: boolean;
  /**
   * The custom audience whose qualification examples this labeler must pass first (its own id, or a filtered
   * audience's base), when they match the filters and are not yet qualified or dropped; otherwise null.
   */
  qualifyFor: string | null;
}

const NOT_ADMITTED: Admission = { admitted: false, qualifyFor: null };

/** The audiences by id and the stored bases of filtered ones (2 queries at most). */
async function admissionRows(db: Db, ids: readonly string[]): Promise<Map<string, AudiencesTable>> {
  const rows = new Map((await store.findAudiencesByIds(db, ids)).map((r) => [r.id, r]));
  const missingBases = [...rows.values()]
    .map((r) => r.base_audience_id)
    .filter((b): b is string => b !== null && !isGlobal(b) && !rows.has(b));
  for (const r of await store.findAudiencesByIds(db, [...new Set(missingBases)])) rows.set(r.id, r);
  return rows;
}

/**
 * The admission rule, pure: `global` admits everyone; a custom audience its `qualified` members who match its
 * filters; a filtered audience those its base admits who match its filters; unknown ids nobody. `stateIn` gives the
 * labeler's membership state in a custom audience.
 */
function decideAdmission(
  rows: ReadonlyMap<string, AudiencesTable>,
  id: string,
  labeler: FilterProfile,
  stateIn: (customId: string) => MemberState | undefined,
  gate: RecruitmentGate,
): Admission {
  const custom = (customId: string): Admission => {
    const row = rows.get(customId);
    if (!row || row.base_audience_id !== null) return NOT_ADMITTED;
    if (!matchesFilters(parseFilters(row), labeler)) return NOT_ADMITTED;
    const state = stateIn(customId);
    // Qualified members keep their place when recruitment changes; everyone else needs the gate's way in.
    if (state !== 'qualified' && !gateAdmits(gate, customId)) return NOT_ADMITTED;
    if (state === 'qualified') return { admitted: true, qualifyFor: null };
    if (state === 'dropped') return NOT_ADMITTED;
    return { admitted: false, qualifyFor: customId };
  };
  if (isGlobal(id)) return gateAdmits(gate, null) ? { admitted: true, qualifyFor: null } : NOT_ADMITTED;
  const row = rows.get(id);
  if (!row) return NOT_ADMITTED;
  // A filtered audience's own filters come first; the custom audience behind it checks its own.
  if (row.base_audience_id !== null && !matchesFilters(parseFilters(row), labeler)) return NOT_ADMITTED;
  const root = rootOf(row);
  if (root !== null) return custom(root);
  return gateAdmits(gate, null) ? { admitted: true, qualifyFor: null } : NOT_ADMITTED;
}

/**
 * Admission of one labeler to several audiences at once (3 queries whatever the count), for the labeling
 * hot path, by `decideAdmission`. Deleted audiences still admit (their running jobs keep working).
 */
export async function audienceAdmissions(
  db: Db,
  audienceIds: readonly string[],
  labeler: AdmissionLabeler,
): Promise<Map<string, Admission>> {
  const wanted = [...new Set(audienceIds)];
  const rows = await admissionRows(
    db,
    wanted.filter((id) => !isGlobal(id)),
  );
  const customIds = [...rows.values()].filter((r) => r.base_audience_id === null).map((r) => r.id);
  const states = new Map(
    (await store.findMemberships(db, labeler.id, customIds)).map((m) => [m.audience_id, m.state]),
  );
  const gate = await recruitmentGate(db, labeler.id, customIds);
  return new Map(wanted.map((id) => [id, decideAdmission(rows, id, labeler, (c) => states.get(c), gate)]));
}

/** What {@link admittedLabelers} found. */
export interface AdmittedLabelers {
  /** Ids of admitted labelers, at most the number asked for (fewer: that is all of them). */
  ids: string[];
  /** The audience as its jobs name it; null when it does not exist. */
  audience: Pick<Audience, 'id' | 'kind' | 'name'> | null;
  /** How the custom audience behind it takes new labelers ('open', 'invite', 'study'); null on `global`. */
  recruitment: string | null;
}

const CANDIDATE_PAGE = 500;

/**
 * Up to `atMost` labelers the audience admits now (only those seen since `seenSince`, when given), by the same
 * rule as labeling (`decideAdmission`): candidates are every labeler for `global`-based audiences, else the members
 * of the custom audience behind it, read in pages until enough are found. Read-only; works for deleted audiences
 * (their jobs still run).
 *
 * @example
 * const { ids } = await admittedLabelers(db, job.audience_id, 10); // ids.length < 10: exactly these are admitted
 */
export async function admittedLabelers(
  db: Db,
  audienceId: string,
  atMost: number,
  options: { seenSince?: string } = {},
): Promise<AdmittedLabelers> {
  const rows = isGlobal(audienceId)
    ? new Map<string, AudiencesTable>()
    : await admissionRows(db, [audienceId]);
  const row = rows.get(audienceId);
  if (!isGlobal(audienceId) && !row) return { ids: [], audience: null, recruitment: null };
  const audience = row ? presentAudience(row) : GLOBAL_AUDIENCE;
  const root = row ? rootOf(row) : null;
  const ids: string[] = [];
  let after: string | null = null;
  while (ids.length < atMost) {
    const page = await store.admissionCandidates(db, root, {
      afterId: after,
      limit: CANDIDATE_PAGE,
      seenSince: options.seenSince,
    });
    // Candidates of a custom audience are its members (qualified ones pass any gate); by membership alone. Work
    // on `global` admits everyone but labelers recruited from a site, who work only on what they entered.
    const bound =
      root === null
        ? await boundAmong(
            db,
            page.map((c) => c.id),
          )
        : new Set<string>();
    for (const c of page) {
      if (ids.length >= atMost) break;
      const gate = bound.has(c.id) ? { ...OPEN_GATE, bound: true } : OPEN_GATE;
      if (
        decideAdmission(rows, audienceId, c, (id) => (id === root ? (c.state ?? undefined) : undefined), gate)
          .admitted
      )
        ids.push(c.id);
    }
    if (page.length < CANDIDATE_PAGE) break;
    after = page[page.length - 1]?.id ?? null;
  }
  return {
    ids,
    audience: { id: audience.id, kind: audience.kind, name: audience.name },
    recruitment: root === null ? null : await recruitmentModeOf(db, root),
  };
}
