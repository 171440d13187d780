// Evaluations: versioned ground-truth item sets. Built-in ones (MixEval) belong to no organization; an
// organization's own are private or public. Only the owner adds versions or deletes; another organization's
// private evaluation is a 404.
import type {
  CreateEvaluation,
  Evaluation,
  EvaluationItem,
  EvaluationSplit,
  EvaluationVersion,
  ImportEvaluationVersion,
} from '@jury/api';
import { createEvaluationSchema } from '@jury/api';
import type { Db } from '../db/database.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Clock } from '../http/clock.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import { mapPage, type PageRequest, pageArray } from '../http/pages.ts';
import { ensureBuiltIns, itemRow } from './builtins.ts';
import { importedItems } from './import.ts';
import * as store from './store.ts';

export interface EvaluationDeps {
  db: Db;
  clock: Clock;
}

function presentVersion(row: store.VersionRow): EvaluationVersion {
  const freeForm = Number(row.free_form_count);
  const multipleChoice = Number(row.multiple_choice_count);
  return {
    id: row.id,
    version: row.version,
    itemCount: freeForm + multipleChoice,
    splits: { 'free-form': freeForm, 'multiple-choice': multipleChoice },
    createdAt: new Date(row.created_at).toISOString(),
  };
}

async function presentEvaluations(
  db: Db,
  organizationId: string,
  rows: store.EvaluationRow[],
): Promise<Evaluation[]> {
  const versions = await store.versionsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    trusted: Number(r.trusted) === 1,
    visibility: r.visibility as Evaluation['visibility'],
    builtIn: r.organization_id === null,
    own: r.organization_id === organizationId,
    versions: versions.filter((v) => v.evaluation_id === r.id).map(presentVersion),
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** An item row as the API shows it (and the grader reads it). */
export function presentItem(row: store.ItemRow): EvaluationItem {
  const base = {
    id: row.id,
    key: row.key,
    position: Number(row.position),
    question: row.question,
    context: row.context,
    benchmark: row.benchmark,
  };
  if (row.split === 'multiple-choice')
    return {
      split: 'multiple-choice',
      ...base,
      options: JSON.parse(row.options ?? '[]') as string[],
      correctOption: Number(row.correct_option),
    };
  return { split: 'free-form', ...base, answers: JSON.parse(row.answers ?? '[]') as string[] };
}

/** An evaluation the organization may see, by id or name; else NOT_FOUND. */
export async function requireEvaluation(deps: EvaluationDeps, organizationId: string, ref: string) {
  await ensureBuiltIns(deps);
  const row = await store.findVisibleEvaluation(deps.db, organizationId, ref);
  if (!row) throw new AppError('NOT_FOUND', `Evaluation ${ref} was not found (by id or name).`);
  return row;
}

function requireOwn(row: store.EvaluationRow, organizationId: string, action: string): void {
  if (row.organization_id === organizationId) return;
  throw new AppError(
    'FORBIDDEN',
    row.organization_id === null
      ? `${row.name} is built in: it cannot ${action}. Import your own evaluation instead.`
      : `${row.name} belongs to another organization: only its owner can ${action}.`,
  );
}

/** A version of a visible evaluation; else NOT_FOUND naming the versions there are. */
export async function requireVersion(
  deps: EvaluationDeps,
  organizationId: string,
  ref: string,
  version: string,
): Promise<{ evaluation: store.EvaluationRow; version: store.VersionRow }> {
  const evaluation = await requireEvaluation(deps, organizationId, ref);
  const row = await store.findVersion(deps.db, evaluation.id, version);
  if (row) return { evaluation, version: row };
  const known = (await store.versionsOf(deps.db, [evaluation.id])).map((v) => v.version);
  throw new AppError(
    'NOT_FOUND',
    `Evaluation ${evaluation.name} has no version ${version}${known.length ? ` (it has ${known.join(', ')})` : ' (it has none yet)'}.`,
    { versions: known },
  );
}

async function insertVersion(
  deps: EvaluationDeps,
  evaluation: { id: string; name: string },
  body: ImportEvaluationVersion,
): Promise<string> {
  const items = importedItems(body);
  const id = newId('evv');
  const count = (split: EvaluationSplit) => items.filter((i) => i.split === split).length;
  await withTransaction(deps.db, async (trx) => {
    const inserted = await store.insertVersion(trx, {
      id,
      evaluation_id: evaluation.id,
      version: body.version,
      free_form_count: count('free-form'),
      multiple_choice_count: count('multiple-choice'),
      created_at: deps.clock.now().toISOString(),
    });
    if (!inserted)
      throw new AppError(
        'CONFLICT',
        `Evaluation ${evaluation.name} already has a version ${body.version}: versions never change, import under a new version name.`,
      );
    await store.insertItems(
      trx,
      items.map((item, i) => itemRow(id, item, i + 1)),
    );
  });
  return id;
}

export async function createEvaluation(
  deps: EvaluationDeps,
  organizationId: string,
  input: CreateEvaluation,
): Promise<Evaluation> {
  const body = createEvaluationSchema.parse(input);
  await ensureBuiltIns(deps);
  const id = newId('evl');
  await withTransaction(deps.db, async (trx) => {
    const taken = await store.findNameTaken(trx, organizationId, body.name);
    if (taken)
      throw new AppError(
        'CONFLICT',
        taken.organization_id === null
          ? `${body.name} is the name of a built-in evaluation; choose another name.`
          : `Your organization already has an evaluation named ${body.name} (${taken.id}).`,
        { id: taken.id },
      );
    const inserted = await store.insertEvaluation(trx, {
      id,
      organization_id: organizationId,
      name: body.name,
      description: body.description,
      trusted: body.trusted ? 1 : 0,
      visibility: body.visibility,
      created_at: deps.clock.now().toISOString(),
    });
    if (!inserted)
      throw new AppError('CONFLICT', `Your organization already has an evaluation named ${body.name}.`);
    if (body.import) await insertVersion({ ...deps, db: trx }, { id, name: body.name }, body.import);
  });
  return getEvaluation(deps, organizationId, id);
}

export async function importVersion(
  deps: EvaluationDeps,
  organizationId: string,
  ref: string,
  body: ImportEvaluationVersion,
): Promise<EvaluationVersion> {
  const evaluation = await requireEvaluation(deps, organizationId, ref);
  requireOwn(evaluation, organizationId, 'get new versions');
  const id = await insertVersion(deps, evaluation, body);
  const row = await store.findVersion(deps.db, evaluation.id, body.version);
  if (!row || row.id !== id) throw new Error(`version ${id} vanished after its import`);
  return presentVersion(row);
}

export async function getEvaluation(
  deps: EvaluationDeps,
  organizationId: string,
  ref: string,
): Promise<Evaluation> {
  const row = await requireEvaluation(deps, organizationId, ref);
  return (await presentEvaluations(deps.db, organizationId, [row]))[0]!;
}

export async function findEvaluations(
  deps: EvaluationDeps,
  organizationId: string,
  query: PageRequest & { name?: string | undefined; trusted?: boolean | undefined },
) {
  await ensureBuiltIns(deps);
  const rows = await store.findEvaluations(deps.db, organizationId, query);
  // Built-in first, then by name.
  const page = pageArray(rows, query, {
    name: 'evaluations',
    keyOf: (r) => [`${r.organization_id === null ? 0 : 1} ${r.name}`, r.id],
  });
  return { ...page, data: await presentEvaluations(deps.db, organizationId, page.data) };
}

export async function listItems(
  deps: EvaluationDeps,
  organizationId: string,
  ref: string,
  version: string,
  query: PageRequest & { split?: EvaluationSplit | undefined },
) {
  const found = await requireVersion(deps, organizationId, ref, version);
  return mapPage(await store.listItems(deps.db, found.version.id, query), presentItem);
}

/**
 * Every item of a version in import order, for the run engine (no paging): the evaluation and version rows
 * come with them, so a run can record which version it ran.
 */
export async function versionItems(
  deps: EvaluationDeps,
  organizationId: string,
  ref: string,
  version: string,
): Promise<{ evaluation: Evaluation; version: EvaluationVersion; items: EvaluationItem[] }> {
  const found = await requireVersion(deps, organizationId, ref, version);
  const { data: rows } = await store.listItems(deps.db, found.version.id, {
    amount: Number.MAX_SAFE_INTEGER - 1,
  });
  const [evaluation] = await presentEvaluations(deps.db, organizationId, [found.evaluation]);
  return { evaluation: evaluation!, version: presentVersion(found.version), items: rows.map(presentItem) };
}

/** Items of one version by id (a run's stored answers name their items), in import order. */
export async function itemsById(
  db: Db,
  versionId: string,
  ids: readonly string[],
): Promise<EvaluationItem[]> {
  return (await store.itemsById(db, versionId, ids)).map(presentItem);
}

export async function deleteEvaluation(deps: EvaluationDeps, organizationId: string, ref: string) {
  const row = await requireEvaluation(deps, organizationId, ref);
  requireOwn(row, organizationId, 'be deleted');
  await withTransaction(deps.db, (trx) => store.deleteEvaluation(trx, row.id));
}

export async function deleteVersion(
  deps: EvaluationDeps,
  organizationId: string,
  ref: string,
  version: string,
) {
  const found = await requireVersion(deps, organizationId, ref, version);
  requireOwn(found.evaluation, organizationId, 'lose versions');
  await withTransaction(deps.db, (trx) => store.deleteVersions(trx, [found.version.id]));
}
