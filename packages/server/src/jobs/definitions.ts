// Job definitions: create, read, list, add datapoints, new revisions.
import {
  type AddDatapoints,
  type CreateRevision,
  type createJobDefinitionSchema,
  type DefinitionIssue,
  type Item,
  type ItemInput,
  type JobDefinition,
  jobDefinitionIssues,
  type SettingName,
  type StoredDatapoint,
  settingWarnings,
  type z,
} from '@jury/api';
import { resolveItems } from '../assets/resolve-items.ts';
import type { Db } from '../db/database.ts';
import type { DatapointsTable, JobDefinitionRevisionsTable, JobDefinitionsTable } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import type { Page, PageRequest } from '../http/pages.ts';
import { TASK_TYPE_MODULES } from '../task-types/index.ts';
import * as store from './store.ts';

export interface JobDeps {
  db: Db;
  clock: Clock;
  /** Uniform [0, 1) source for the preview's presentation (A/B order, shuffled options); tests inject one. */
  random?: (() => number) | undefined;
  /** Weight of a flagged response (too fast) in results (limits' flaggedWeight; default 1: as any other). */
  flaggedWeight?: number | undefined;
}

type CreateDefinitionBody = z.output<typeof createJobDefinitionSchema>;

export const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

function validationError(issues: DefinitionIssue[]): AppError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AppError(
    'VALIDATION_FAILED',
    `Invalid body: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid job definition'}${more}`,
    {
      target: 'body',
      issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: 'custom' })),
    },
  );
}

export function presentJobDefinition(
  definition: JobDefinitionsTable,
  revision: JobDefinitionRevisionsTable,
  datapointCount: number,
): JobDefinition {
  return {
    id: definition.id,
    name: definition.name,
    type: definition.task_type,
    revision: revision.revision,
    instruction: revision.instruction,
    dataType: revision.data_type,
    settings: parse<SettingName[]>(revision.settings) ?? [],
    answerOptions: parse<string[]>(revision.answer_options),
    aBNames: parse<string[]>(revision.ab_names),
    responsesPerDatapoint: Number(revision.responses_per_datapoint),
    confidenceThreshold:
      revision.confidence_threshold === null ? null : Number(revision.confidence_threshold),
    quorumThreshold: revision.quorum_threshold === null ? null : Number(revision.quorum_threshold),
    datapointCount,
    createdAt: definition.created_at,
  };
}

interface DatapointInputs {
  datapoints: readonly (ItemInput | readonly ItemInput[])[];
  contexts?: readonly string[] | undefined;
  mediaContexts?: readonly (readonly ItemInput[])[] | undefined;
  privateMetadata?: readonly Record<string, string>[] | undefined;
}

/** Resolves every item of the datapoints (one asset lookup for all) and builds their rows. */
async function buildDatapointRows(
  deps: JobDeps,
  organizationId: string,
  definitionId: string,
  revision: number,
  dataType: 'media' | 'text',
  input: DatapointInputs,
  firstSortIndex: number,
  now: string,
): Promise<DatapointsTable[]> {
  const lists = input.datapoints.map((dp) => (Array.isArray(dp) ? dp : [dp]) as ItemInput[]);
  const flat = lists.flat();
  const owner: number[] = lists.flatMap((l, i) => l.map(() => i));
  const items = await resolveItems(deps.db, organizationId, flat, dataType, (i) => `datapoints[${owner[i]}]`);
  const mcLists = (input.mediaContexts ?? []).map((l) => [...l]);
  const mcFlat = mcLists.flat();
  const mcOwner: number[] = mcLists.flatMap((l, i) => l.map(() => i));
  const mcItems = await resolveItems(
    deps.db,
    organizationId,
    mcFlat,
    'media',
    (i) => `mediaContexts[${mcOwner[i]}]`,
  );
  let at = 0;
  let mcAt = 0;
  return lists.map((list, i) => {
    const dpItems = items.slice(at, at + list.length);
    at += list.length;
    const mcLen = mcLists[i]?.length ?? 0;
    const mc: Item[] | null = input.mediaContexts ? mcItems.slice(mcAt, mcAt + mcLen) : null;
    mcAt += mcLen;
    return {
      id: newId('dpt'),
      definition_id: definitionId,
      revision,
      organization_id: organizationId,
      sort_index: firstSortIndex + i,
      items: JSON.stringify(dpItems),
      context: input.contexts?.[i] ?? null,
      media_context: mc ? JSON.stringify(mc) : null,
      private_metadata: input.privateMetadata?.[i] ? JSON.stringify(input.privateMetadata[i]) : null,
      created_at: now,
    };
  });
}

/** Creates a definition, its revision 1 and its datapoints in one transaction. */
export async function createJobDefinition(
  deps: JobDeps,
  organizationId: string,
  body: CreateDefinitionBody,
): Promise<{ definition: JobDefinition; warnings: string[] }> {
  const now = deps.clock.now().toISOString();
  const definition: JobDefinitionsTable = {
    id: newId('jdf'),
    organization_id: organizationId,
    name: body.name.trim(),
    task_type: body.type,
    latest_revision: 1,
    created_at: now,
  };
  const settings = [...new Set(body.settings)];
  const revision: JobDefinitionRevisionsTable = {
    definition_id: definition.id,
    revision: 1,
    instruction: body.instruction,
    data_type: body.dataType,
    settings: JSON.stringify(settings),
    ...TASK_TYPE_MODULES[body.type].revisionColumns(body),
    responses_per_datapoint: body.responsesPerDatapoint,
    confidence_threshold: body.confidenceThreshold ?? null,
    quorum_threshold: body.quorumThreshold ?? null,
    created_at: now,
  };
  const rows = await buildDatapointRows(deps, organizationId, definition.id, 1, body.dataType, body, 0, now);
  await withTransaction(deps.db, async (trx) => {
    await store.insertDefinition(trx, definition);
    await store.insertRevision(trx, revision);
    await store.insertDatapoints(trx, rows);
  });
  return {
    definition: presentJobDefinition(definition, revision, rows.length),
    warnings: settingWarnings(body.type, settings),
  };
}

export async function loadDefinition(deps: Pick<JobDeps, 'db'>, organizationId: string, id: string) {
  const definition = await store.findDefinition(deps.db, organizationId, id);
  if (!definition) throw notFound('Job definition', id);
  const revision = await store.findRevision(deps.db, id, definition.latest_revision);
  if (!revision) throw new Error(`job definition ${id} has no revision ${definition.latest_revision}`);
  return { definition, revision };
}

export async function getJobDefinition(
  deps: Pick<JobDeps, 'db'>,
  organizationId: string,
  id: string,
): Promise<JobDefinition> {
  const { definition, revision } = await loadDefinition(deps, organizationId, id);
  const counts = await store.countDatapoints(deps.db, [id]);
  return presentJobDefinition(definition, revision, counts.get(id) ?? 0);
}

export async function listJobDefinitions(
  deps: Pick<JobDeps, 'db'>,
  organizationId: string,
  query: PageRequest & { name?: string | undefined },
): Promise<Page<JobDefinition>> {
  const page = await store.listDefinitions(deps.db, organizationId, query);
  const rows = page.data;
  const revisions = await store.findRevisions(
    deps.db,
    rows.map((r) => ({ definitionId: r.id, revision: r.latest_revision })),
  );
  const byId = new Map(revisions.map((r) => [r.definition_id, r]));
  const counts = await store.countDatapoints(
    deps.db,
    rows.map((r) => r.id),
  );
  const data = rows.flatMap((r) => {
    const rev = byId.get(r.id);
    return rev ? [presentJobDefinition(r, rev, counts.get(r.id) ?? 0)] : [];
  });
  return { ...page, data };
}

/** One page of the definition's datapoints, in the order of its results. */
export async function listDefinitionDatapoints(
  deps: Pick<JobDeps, 'db'>,
  organizationId: string,
  id: string,
  query: PageRequest,
): Promise<Page<StoredDatapoint>> {
  await loadDefinition(deps, organizationId, id);
  const page = await store.listDatapointsPage(deps.db, id, query);
  const data = page.data.map((row) => ({
    id: row.id,
    items: JSON.parse(row.items) as Item[],
    context: row.context,
    mediaContext: parse<Item[]>(row.media_context),
  }));
  return { ...page, data };
}

/** Every revision, newest first, each read as the definition was at it. */
export async function listDefinitionRevisions(
  deps: Pick<JobDeps, 'db'>,
  organizationId: string,
  id: string,
): Promise<JobDefinition[]> {
  const { definition } = await loadDefinition(deps, organizationId, id);
  const revisions = await store.listRevisionsWithCounts(deps.db, id);
  return revisions.map((r) => presentJobDefinition(definition, r.revision, r.datapoints));
}

function rulesInputOf(definition: JobDefinitionsTable, revision: JobDefinitionRevisionsTable) {
  return {
    type: definition.task_type,
    instruction: revision.instruction,
    responsesPerDatapoint: Number(revision.responses_per_datapoint),
    confidenceThreshold: revision.confidence_threshold,
    quorumThreshold: revision.quorum_threshold,
    answerOptions: parse<string[]>(revision.answer_options),
    aBNames: parse<string[]>(revision.ab_names),
    settings: parse<string[]>(revision.settings) ?? [],
  };
}

const isItemInput = (v: unknown): v is ItemInput =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && ('text' in v || 'assetId' in v);
const itemInputKey = (v: ItemInput) => ('text' in v ? v.text : v.name);

/** Adds datapoints to the latest revision (jobs created later include them); same rules as at creation. */
export async function addDatapoints(
  deps: JobDeps,
  organizationId: string,
  id: string,
  body: AddDatapoints,
): Promise<JobDefinition> {
  const { definition, revision } = await loadDefinition(deps, organizationId, id);
  const issues = jobDefinitionIssues(
    { ...rulesInputOf(definition, revision), ...body },
    { itemKey: itemInputKey, isItem: isItemInput },
  );
  if (issues.length > 0) throw validationError(issues);
  const now = deps.clock.now().toISOString();
  const first = (await store.maxSortIndex(deps.db, id)) + 1;
  const rows = await buildDatapointRows(
    deps,
    organizationId,
    id,
    revision.revision,
    revision.data_type,
    body,
    first,
    now,
  );
  await withTransaction(deps.db, (trx) => store.insertDatapoints(trx, rows));
  return getJobDefinition(deps, organizationId, id);
}

/** A new revision: the given fields change, the rest (and the datapoints) carry over. */
export async function createRevision(
  deps: JobDeps,
  organizationId: string,
  id: string,
  body: CreateRevision,
): Promise<{ definition: JobDefinition; warnings: string[] }> {
  const { definition, revision } = await loadDefinition(deps, organizationId, id);
  const current = rulesInputOf(definition, revision);
  // Giving either threshold replaces the stopping rule as a whole.
  const stopping =
    body.confidenceThreshold !== undefined || body.quorumThreshold !== undefined
      ? {
          confidenceThreshold: body.confidenceThreshold ?? null,
          quorumThreshold: body.quorumThreshold ?? null,
        }
      : { confidenceThreshold: current.confidenceThreshold, quorumThreshold: current.quorumThreshold };
  const next = {
    ...current,
    instruction: body.instruction ?? current.instruction,
    settings: body.settings ? [...new Set(body.settings)] : current.settings,
    responsesPerDatapoint: body.responsesPerDatapoint ?? current.responsesPerDatapoint,
    answerOptions: body.answerOptions ?? current.answerOptions,
    aBNames: body.aBNames === undefined ? current.aBNames : body.aBNames,
    ...stopping,
  };
  const issues = jobDefinitionIssues(
    { ...next, datapoints: [] },
    { itemKey: itemInputKey, isItem: isItemInput, skipDatapoints: true },
  );
  if (issues.length > 0) throw validationError(issues);
  const row: JobDefinitionRevisionsTable = {
    definition_id: id,
    revision: revision.revision + 1,
    instruction: next.instruction,
    data_type: revision.data_type,
    settings: JSON.stringify(next.settings),
    ...TASK_TYPE_MODULES[next.type].revisionColumns(next),
    responses_per_datapoint: next.responsesPerDatapoint,
    confidence_threshold: next.confidenceThreshold,
    quorum_threshold: next.quorumThreshold,
    created_at: deps.clock.now().toISOString(),
  };
  await withTransaction(deps.db, async (trx) => {
    await store.insertRevision(trx, row);
    await store.setLatestRevision(trx, id, row.revision);
  });
  return {
    definition: await getJobDefinition(deps, organizationId, id),
    warnings: settingWarnings(next.type, next.settings),
  };
}
