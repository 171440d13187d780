import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CreateEvaluation,
  type CreateEvaluationRun,
  createEvaluationRoute,
  createEvaluationRunRoute,
  deleteEvaluationRoute,
  deleteEvaluationVersionRoute,
  type Evaluation,
  type EvaluationItem,
  type EvaluationSplit,
  type EvaluationVersion,
  type EvaluationVisibility,
  type FindEvaluationRunsQuery,
  type FindModelScoresQuery,
  findEvaluationRunsRoute,
  findEvaluationsRoute,
  findModelScoresRoute,
  getEvaluationRoute,
  getEvaluationRunRoute,
  getModelScoresRoute,
  type ImportEvaluationVersion,
  importEvaluationVersionRoute,
  type ListPage,
  listEvaluationItemsRoute,
  type ModelScores,
  type ModelWithScores,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { JuryNotFoundError } from '../errors.ts';
import { EvaluationRunHandle } from './run.ts';

/**
 * What an import creates the evaluation with when it does not exist yet (an existing one keeps its settings).
 *
 * @example
 * ```ts
 * const target: ImportTarget = { evaluation: 'capitals', version: '2026-12-01', trusted: true };
 * ```
 */
export interface ImportTarget {
  /** The evaluation's name (or id, when it exists). */
  evaluation: string;
  /** The new version's label, e.g. a date; a version that exists is a JuryConflictError. */
  version: string;
  description?: string;
  /** Counts towards models' aggregate scores (default false). */
  trusted?: boolean;
  /** `private` (default): your organization only; `public`: every organization on the server. */
  visibility?: EvaluationVisibility;
}

/**
 * {@link EvaluationManager.importJsonl}'s input: a file path or the JSONL text itself.
 *
 * @example
 * ```ts
 * const fromFile: JsonlImport = { evaluation: 'capitals', version: 'v1', file: 'capitals.jsonl' };
 * const inline: JsonlImport = { evaluation: 'capitals', version: 'v2', jsonl: '{"question": "Capital of France?", "answers": ["Paris"]}' };
 * ```
 */
export type JsonlImport = ImportTarget & ({ file: string; jsonl?: never } | { jsonl: string; file?: never });

/** A MixEval split file: its path, or its parsed content (the object keyed by item id). */
type MixEvalSplit = string | Record<string, unknown>;

/**
 * {@link EvaluationManager.importMixEval}'s input: MixEval's folder (with `free-form.json` and
 * `multiple-choice.json`), or each split's file or content.
 *
 * @example
 * ```ts
 * const folder: MixEvalImport = { evaluation: 'my-mixeval', version: '2024-06-01', directory: 'mix_eval/data/mixeval-2024-06-01/mixeval-hard' };
 * const files: MixEvalImport = { evaluation: 'my-mixeval', version: '2024-06-02', freeForm: 'ff.json', multipleChoice: 'mc.json' };
 * ```
 */
export type MixEvalImport = ImportTarget &
  ({ directory: string } | { freeForm?: MixEvalSplit; multipleChoice?: MixEvalSplit; directory?: never });

/**
 * `client.evaluations`: ground-truth evaluations (built-in MixEval and MixEval-Hard, and your own), their versions
 * and items. An import sends every item in one request and the server stores all of them or none: a bad JSONL
 * line is a `JuryValidationError` naming its line number.
 *
 * @example
 * ```ts
 * await client.evaluations.importJsonl({ evaluation: 'capitals', version: 'v1', file: 'capitals.jsonl' });
 * const hard = await client.evaluations.get('mixeval-hard');
 * const page = await client.evaluations.items('mixeval-hard', '2024-06-01', { split: 'free-form', amount: 20 });
 * ```
 */
export class EvaluationManager {
  readonly #client: JuryClient;

  constructor(client: JuryClient) {
    this.#client = client;
  }

  /**
   * Imports a version from JSON Lines, one item a line: `{"question", "answers": [...]}` (free-form) or
   * `{"question", "options": [...], "correctOption": 0-based index}` (multiple-choice), each with optional
   * `context`, `benchmark` and `key`. Creates the evaluation when it does not exist.
   *
   * @example
   * ```ts
   * const version = await client.evaluations.importJsonl({ evaluation: 'capitals', version: 'v1', file: 'capitals.jsonl' });
   * console.log(version.itemCount, version.splits);
   * ```
   */
  async importJsonl(params: JsonlImport): Promise<EvaluationVersion> {
    const jsonl = params.file !== undefined ? await readFile(params.file, 'utf8') : params.jsonl;
    return this.#import(params, { version: params.version, jsonl });
  }

  /**
   * Imports a version in MixEval's JSON format (each split an object keyed by item id, as in MixEval's
   * `mix_eval/data/`). Creates the evaluation when it does not exist.
   *
   * @example
   * ```ts
   * await client.evaluations.importMixEval({ evaluation: 'my-mixeval', version: '2024-06-01', directory: 'mix_eval/data/mixeval-2024-06-01/mixeval' });
   * ```
   */
  async importMixEval(params: MixEvalImport): Promise<EvaluationVersion> {
    const read = async (split: MixEvalSplit | undefined) =>
      typeof split === 'string'
        ? (JSON.parse(await readFile(split, 'utf8')) as Record<string, unknown>)
        : split;
    const [freeForm, multipleChoice] =
      params.directory !== undefined
        ? await Promise.all([
            read(join(params.directory, 'free-form.json')),
            read(join(params.directory, 'multiple-choice.json')),
          ])
        : await Promise.all([read(params.freeForm), read(params.multipleChoice)]);
    return this.#import(params, {
      version: params.version,
      mixeval: { ...(freeForm ? { freeForm } : {}), ...(multipleChoice ? { multipleChoice } : {}) },
    });
  }

  async #import(target: ImportTarget, body: ImportEvaluationVersion): Promise<EvaluationVersion> {
    const existing = await this.find(target.evaluation);
    if (existing) {
      const { data } = await this.#client.call(importEvaluationVersionRoute, {
        params: { id: existing.id },
        json: body,
      });
      return data;
    }
    const create: CreateEvaluation = {
      name: target.evaluation,
      ...(target.description !== undefined ? { description: target.description } : {}),
      ...(target.trusted !== undefined ? { trusted: target.trusted } : {}),
      ...(target.visibility !== undefined ? { visibility: target.visibility } : {}),
      import: body,
    };
    const { data } = await this.#client.call(createEvaluationRoute, { json: create });
    const created = data.versions.find((v) => v.version === body.version);
    if (!created) throw new Error(`the server created ${data.name} without version ${body.version}`);
    return created;
  }

  /**
   * Creates an evaluation with no version yet.
   *
   * @example
   * ```ts
   * const evaluation = await client.evaluations.create({ name: 'capitals', trusted: true });
   * ```
   */
  async create(params: Omit<CreateEvaluation, 'import'>): Promise<Evaluation> {
    const { data } = await this.#client.call(createEvaluationRoute, { json: params });
    return data;
  }

  /**
   * Evaluations you can run: the built-in ones first, then yours and other organizations' public ones, by name.
   *
   * @example
   * ```ts
   * const { data, total } = await client.evaluations.list({ trusted: true });
   * ```
   */
  async list(query: { name?: string; trusted?: boolean; amount?: number; page?: number } = {}) {
    const { trusted, ...rest } = query;
    return this.#client.call(findEvaluationsRoute, {
      query: { ...rest, ...(trusted !== undefined ? { trusted: trusted ? 'true' : 'false' } : {}) },
    });
  }

  /**
   * An evaluation by id or name, with its versions and their item counts per split; unknown ones throw
   * `JuryNotFoundError`.
   *
   * @example
   * ```ts
   * const hard = await client.evaluations.get('mixeval-hard');
   * console.log(hard.versions.map((v) => `${v.version}: ${v.itemCount}`));
   * ```
   */
  async get(ref: string): Promise<Evaluation> {
    const { data } = await this.#client.call(getEvaluationRoute, { params: { id: ref } });
    return data;
  }

  /**
   * Like {@link EvaluationManager.get}, but undefined when there is no such evaluation.
   *
   * @example
   * ```ts
   * if (!(await client.evaluations.find('capitals'))) console.log('not imported yet');
   * ```
   */
  async find(ref: string): Promise<Evaluation | undefined> {
    try {
      return await this.get(ref);
    } catch (err) {
      if (err instanceof JuryNotFoundError) return undefined;
      throw err;
    }
  }

  /**
   * A version's items in import order, one page at a time (default 100, at most 1,000 a page).
   *
   * @example
   * ```ts
   * const { data, total } = await client.evaluations.items('mixeval', '2024-06-01', { split: 'multiple-choice', page: 2 });
   * ```
   */
  async items(
    ref: string,
    version: string,
    query: { split?: EvaluationSplit; amount?: number; cursor?: string; page?: number } = {},
  ): Promise<ListPage<EvaluationItem>> {
    return this.#client.call(listEvaluationItemsRoute, { params: { id: ref, version }, query });
  }

  /**
   * Deletes an evaluation of yours with all its versions (built-in ones cannot be deleted).
   *
   * @example
   * ```ts
   * await client.evaluations.delete('capitals');
   * ```
   */
  async delete(ref: string): Promise<void> {
    await this.#client.call(deleteEvaluationRoute, { params: { id: ref } });
  }

  /**
   * Deletes one version of an evaluation of yours.
   *
   * @example
   * ```ts
   * await client.evaluations.deleteVersion('capitals', 'v1');
   * ```
   */
  async deleteVersion(ref: string, version: string): Promise<void> {
    await this.#client.call(deleteEvaluationVersionRoute, { params: { id: ref, version } });
  }

  /**
   * Runs a model on an evaluation version; the server runs it in the background (resumable, held at the model's
   * limits). `inferenceOnly` collects the answers without grading them (score them later with `run.score()`).
   *
   * @example
   * ```ts
   * const run = await client.evaluations.run({ model: 'mdl_…', evaluation: 'mixeval-hard', version: '2024-06-01' });
   * await run.displayProgressBar();
   * console.log(run.data.score);
   * ```
   */
  async run(params: CreateEvaluationRun): Promise<EvaluationRunHandle> {
    const { data } = await this.#client.call(createEvaluationRunRoute, { json: params });
    return new EvaluationRunHandle(this.#client, data);
  }

  /**
   * A run by id.
   *
   * @example
   * ```ts
   * const run = await client.evaluations.getRun('evr_…');
   * ```
   */
  async getRun(id: string): Promise<EvaluationRunHandle> {
    const { data } = await this.#client.call(getEvaluationRunRoute, { params: { id } });
    return new EvaluationRunHandle(this.#client, data);
  }

  /**
   * Your organization's runs, newest first, filtered by model, evaluation, status, date and score.
   *
   * @example
   * ```ts
   * const { data } = await client.evaluations.runs({ evaluation: 'mixeval-hard', status: 'completed', minScore: 40 });
   * ```
   */
  async runs(filters: FindEvaluationRunsQuery = {}) {
    const { data, ...page } = await this.#client.call(findEvaluationRunsRoute, { query: filters });
    return { data: data.map((r) => new EvaluationRunHandle(this.#client, r)), ...page };
  }

  /**
   * A model's score history per evaluation and its aggregate score (Equistamp's definition).
   *
   * @example
   * ```ts
   * const { aggregate, history } = await client.evaluations.scores('mdl_…');
   * ```
   */
  async scores(modelId: string): Promise<ModelScores> {
    return (await this.#client.call(getModelScoresRoute, { params: { id: modelId } })).data;
  }

  /**
   * The models you can see, each with its aggregate score (over the built-in evaluations and your organization's
   * trusted ones) and its latest score per evaluation; best first by default, filtered as `client.models.list`.
   *
   * @example
   * ```ts
   * const { data } = await client.evaluations.modelScores({ owner: 'mine' });
   * for (const { model, aggregate } of data) console.log(model.name, aggregate.score ?? '—');
   * ```
   */
  async modelScores(query: FindModelScoresQuery = {}): Promise<ListPage<ModelWithScores>> {
    return this.#client.call(findModelScoresRoute, { query });
  }
}
