// Models' scores: a model's history and aggregate, and the models list with both. The aggregate is Equistamp's
// (scoring.ts) over the evaluations that count for the viewer: the trusted built-in ones and its own trusted ones,
// with every organization's completed runs on them (private models count, so the best and the medians are the
// same for every viewer). The scores a viewer is shown per evaluation are its own organization's runs.
import type { FindModelScoresQuery, Model, ModelScores, ModelWithScores } from '@jury/api';
import { findModelScoresQuerySchema } from '@jury/api';
import { type Page, pageArray } from '../../http/pages.ts';
import { findModels, getModel } from '../../models/service.ts';
import { aggregateScores, type ModelAggregate, type RunScore } from '../scoring.ts';
import { countedEvaluationIds } from '../store.ts';
import type { RunDeps } from './deps.ts';
import { iso } from './service.ts';
import * as store from './store.ts';

type ScoredRun = Awaited<ReturnType<typeof store.scoredRuns>>[number];
const runAt = (r: ScoredRun) => iso(r.finished_at ?? r.scored_at ?? r.created_at)!;

/** The aggregate score of each of `modelIds` as `organizationId` sees it. */
async function aggregatesFor(deps: RunDeps, organizationId: string, modelIds: readonly string[]) {
  const counted = await countedEvaluationIds(deps.db, organizationId);
  const runs = await store.scoredRuns(deps.db, { evaluationIds: counted });
  const models = [...new Set([...modelIds, ...runs.map((r) => r.model_id)])];
  const all = aggregateScores({
    models,
    evaluations: counted.map((id) => ({ id, trusted: true })),
    runs: runs.map((r) => ({
      modelId: r.model_id,
      evaluationId: r.evaluation_id,
      score: Number(r.score),
      at: runAt(r),
    })),
  });
  return { counted: new Set(counted), byModel: new Map(all.map((a) => [a.modelId, a])) };
}

const presentAggregate = (a: ModelAggregate | undefined) => ({
  score: a?.score ?? null,
  taken: a?.taken ?? 0,
  parts: a?.parts ?? [],
});

/** A model's score history (every scored run of the organization's, oldest first) and its aggregate score. */
export async function modelScores(
  deps: RunDeps,
  organizationId: string,
  modelId: string,
): Promise<ModelScores> {
  await getModel(deps, organizationId, modelId);
  const own = await store.scoredRuns(deps.db, { organizationId, modelIds: [modelId] });
  const { byModel } = await aggregatesFor(deps, organizationId, [modelId]);
  return {
    modelId,
    aggregate: presentAggregate(byModel.get(modelId)),
    history: own.map((r) => ({
      runId: r.id,
      evaluationId: r.evaluation_id,
      evaluation: r.evaluation_name,
      version: r.version_label,
      score: Number(r.score),
      splits: r.scores
        ? ((JSON.parse(r.scores) as RunScore).splits as ModelScores['history'][number]['splits'])
        : null,
      at: runAt(r),
    })),
  };
}

const FETCH_PAGE = 500;

/** Every model the query's filters match, for sorting by score (models are listed a page at a time). */
async function allModels(deps: RunDeps, organizationId: string, query: Parameters<typeof findModels>[2]) {
  const models: Model[] = [];
  for (let cursor: string | undefined; ; ) {
    const found = await findModels(deps, organizationId, {
      ...query,
      sort: '-createdAt',
      amount: FETCH_PAGE,
      cursor,
    });
    models.push(...found.data);
    if (found.nextCursor === null) return models;
    cursor = found.nextCursor;
  }
}

/** The models GET /models lists, with their aggregate and latest score per evaluation; sortable by score. */
export async function findModelScores(
  deps: RunDeps,
  organizationId: string,
  input: FindModelScoresQuery = {},
) {
  const { sort, amount, page, cursor, ...filters } = findModelScoresQuerySchema.parse(input);
  let models: Model[];
  let paging: Omit<Page<unknown>, 'data'>;
  let aggregates: Awaited<ReturnType<typeof aggregatesFor>>;
  if (sort === 'score' || sort === '-score') {
    const all = await allModels(deps, organizationId, filters);
    aggregates = await aggregatesFor(
      deps,
      organizationId,
      all.map((m) => m.id),
    );
    const scoreOf = (m: Model) => aggregates.byModel.get(m.id)?.score ?? null;
    const direction = sort === '-score' ? -1 : 1;
    // Models without a score last either way; ties by name.
    all.sort((a, b) => {
      const x = scoreOf(a);
      const y = scoreOf(b);
      if (x === null || y === null) return x === y ? a.name.localeCompare(b.name) : x === null ? 1 : -1;
      return x === y ? a.name.localeCompare(b.name) : direction * (x - y);
    });
    ({ data: models, ...paging } = pageArray(all, { amount, page, cursor }, sort));
  } else {
    ({ data: models, ...paging } = await findModels(deps, organizationId, {
      ...filters,
      sort,
      amount,
      page,
      cursor,
    }));
    aggregates = await aggregatesFor(
      deps,
      organizationId,
      models.map((m) => m.id),
    );
  }
  const runs = await store.scoredRuns(deps.db, { organizationId, modelIds: models.map((m) => m.id) });
  const data = models.map((model): ModelWithScores => {
    const latest = new Map<string, ScoredRun>();
    // Oldest first: a later run replaces an earlier one.
    for (const run of runs) if (run.model_id === model.id) latest.set(run.evaluation_id, run);
    return {
      model,
      aggregate: presentAggregate(aggregates.byModel.get(model.id)),
      latest: [...latest.values()]
        .map((r) => ({
          evaluationId: r.evaluation_id,
          evaluation: r.evaluation_name,
          version: r.version_label,
          runId: r.id,
          score: Number(r.score),
          counted: aggregates.counted.has(r.evaluation_id),
          at: runAt(r),
        }))
        .sort((a, b) => b.score - a.score),
    };
  });
  return { ...paging, data };
}
