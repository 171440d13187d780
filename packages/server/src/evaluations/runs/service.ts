// Evaluation runs: created queued (the runtime's task drives them, worker.ts), read with their progress and
// scores, cancelled, and scored again. Re-scoring updates the same run (its grader, per-item grades and score):
// a run keeps one score, the latest grading, and `scoredAt` says when. Another organization's run is a 404.
import type {
  CreateEvaluationRun,
  EvaluationRun,
  EvaluationRunItem,
  EvaluationRunItemsQuery,
  FindEvaluationRunsQuery,
  ScoreEvaluationRun,
} from '@jury/api';
import {
  createEvaluationRunSchema,
  evaluationRunItemsQuerySchema,
  findEvaluationRunsQuerySchema,
  scoreEvaluationRunSchema,
} from '@jury/api';
import { AppError, notFound } from '../../http/errors.ts';
import { newId } from '../../http/ids.ts';
import { mapPage } from '../../http/pages.ts';
import { getRunnableModel } from '../../models/service.ts';
import type { RunScore } from '../scoring.ts';
import { itemsById, requireVersion } from '../service.ts';
import * as evaluationStore from '../store.ts';
import type { RunDeps } from './deps.ts';
import { graderFor } from './grader.ts';
import { recordOf } from './item-store.ts';
import { finishScore } from './score.ts';
import * as store from './store.ts';

export const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());

function presentRun(row: store.RunView): EvaluationRun {
  const scores = row.scores ? (JSON.parse(row.scores) as RunScore) : null;
  const answered = Number(row.answered);
  const failed = Number(row.failed);
  const skipped = Number(row.skipped);
  return {
    id: row.id,
    modelId: row.model_id,
    evaluationId: row.evaluation_id,
    evaluation: row.evaluation_name,
    version: row.version_label,
    status: row.status as EvaluationRun['status'],
    inferenceOnly: Number(row.inference_only) === 1,
    grader: row.grader,
    cache: Number(row.use_cache) === 1,
    progress: {
      total: Number(row.total_items),
      finished: answered + failed + skipped,
      answered,
      failed,
      skipped,
      cached: Number(row.cached),
    },
    score: row.score === null ? null : Number(row.score),
    splits: scores ? (scores.splits as EvaluationRun['splits']) : null,
    benchmarks: scores ? scores.benchmarks : null,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cost: Number(row.cost),
    error: row.error,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    scoredAt: iso(row.scored_at),
  };
}

async function requireRun(deps: RunDeps, organizationId: string, id: string): Promise<store.RunView> {
  const row = await store.findRun(deps.db, organizationId, id);
  if (!row) throw notFound('Evaluation run', id);
  return row;
}

export async function createRun(deps: RunDeps, organizationId: string, input: CreateEvaluationRun) {
  const body = createEvaluationRunSchema.parse(input);
  const model = await getRunnableModel(deps, organizationId, body.model);
  const found = await requireVersion(deps, organizationId, body.evaluation, body.version);
  const grader = body.inferenceOnly ? null : (body.grader ?? 'rules');
  // A judge must be runnable by this organization now, not only when the run ends.
  if (grader && grader !== 'rules') await graderFor(deps, organizationId, grader);
  const id = newId('evr');
  await store.insertRun(deps.db, {
    id,
    organization_id: organizationId,
    model_id: model.id,
    evaluation_id: found.evaluation.id,
    version_id: found.version.id,
    status: 'queued',
    inference_only: body.inferenceOnly ? 1 : 0,
    grader,
    use_cache: body.cache ? 1 : 0,
    total_items: Number(found.version.free_form_count) + Number(found.version.multiple_choice_count),
    answered: 0,
    failed: 0,
    skipped: 0,
    cached: 0,
    score: null,
    scores: null,
    input_tokens: 0,
    output_tokens: 0,
    cost: 0,
    error: null,
    holder: null,
    lease_until: 0,
    created_at: deps.clock.now().toISOString(),
    started_at: null,
    finished_at: null,
    scored_at: null,
  });
  return getRun(deps, organizationId, id);
}

export async function getRun(deps: RunDeps, organizationId: string, id: string): Promise<EvaluationRun> {
  return presentRun(await requireRun(deps, organizationId, id));
}

export async function findRuns(deps: RunDeps, organizationId: string, input: FindEvaluationRunsQuery = {}) {
  const query = findEvaluationRunsQuerySchema.parse(input);
  const evaluationId = query.evaluation
    ? ((await evaluationStore.findVisibleEvaluation(deps.db, organizationId, query.evaluation))?.id ?? '-')
    : undefined;
  const page = await store.findRuns(deps.db, organizationId, {
    ...query,
    modelId: query.model,
    evaluationId,
  });
  return mapPage(page, presentRun);
}

export async function listRunItems(
  deps: RunDeps,
  organizationId: string,
  id: string,
  input: EvaluationRunItemsQuery = {},
) {
  const query = evaluationRunItemsQuerySchema.parse(input);
  const run = await requireRun(deps, organizationId, id);
  const page = await store.pageItems(deps.db, run, query);
  return mapPage(page, (r): EvaluationRunItem => {
    const recorded = r.status
      ? recordOf<EvaluationRunItem['grade']>({ ...r, item_id: r.item_key_id } as never)
      : undefined;
    return {
      itemId: r.item_key_id,
      position: Number(r.position),
      split: r.split as EvaluationRunItem['split'],
      key: r.key,
      status: (r.status ?? null) as EvaluationRunItem['status'],
      prompt: r.prompt ?? null,
      rawResponse: r.raw_response ?? null,
      answer: r.answer ?? null,
      score: r.score === null || r.score === undefined ? null : Number(r.score),
      grade: recorded?.grade ?? null,
      gradeError: r.grade_error ?? null,
      error: recorded?.error ?? null,
      skipReason: r.skip_reason ?? null,
      attempts: Number(r.attempts ?? 0),
      cached: Number(r.cached ?? 0) === 1,
      latencyMs: r.latency_ms === null || r.latency_ms === undefined ? null : Number(r.latency_ms),
      inputTokens: Number(r.input_tokens ?? 0),
      outputTokens: Number(r.output_tokens ?? 0),
      cost: r.cost === null || r.cost === undefined ? null : Number(r.cost),
      finishedAt: r.finished_at ?? null,
    };
  });
}

export async function cancelRun(deps: RunDeps, organizationId: string, id: string) {
  const run = await requireRun(deps, organizationId, id);
  const cancelled = await store.updateRun(
    deps.db,
    run.id,
    { status: 'cancelled', finished_at: deps.clock.now().toISOString() },
    ['queued', 'running'],
  );
  if (!cancelled)
    throw new AppError(
      'CONFLICT',
      `Run ${id} is ${run.status}: only a queued or running run can be cancelled.`,
    );
  return getRun(deps, organizationId, id);
}

/** Grades the stored answers again with `grader` and replaces the run's grades and score. */
export async function scoreRun(deps: RunDeps, organizationId: string, id: string, input: ScoreEvaluationRun) {
  const body = scoreEvaluationRunSchema.parse(input);
  const run = await requireRun(deps, organizationId, id);
  if (run.status === 'queued' || run.status === 'running')
    throw new AppError('CONFLICT', `Run ${id} is ${run.status}: score it once it has finished.`);
  const grade = await graderFor(deps, organizationId, body.grader);
  const recorded = (await store.recordedItems(deps.db, run.id)).filter((r) => r.status === 'answered');
  const items = new Map(
    (
      await itemsById(
        deps.db,
        run.version_id,
        recorded.map((r) => r.item_id),
      )
    ).map((i) => [i.id, i]),
  );
  for (const row of recorded) {
    const item = items.get(row.item_id);
    if (!item) continue;
    try {
      const g = await grade(item, row.answer ?? '');
      await store.regradeItem(deps.db, run.id, row.item_id, {
        grade: JSON.stringify(g),
        grade_error: null,
        score: g.score,
        parser: g.parser,
      });
    } catch (error) {
      await store.regradeItem(deps.db, run.id, row.item_id, {
        grade: null,
        grade_error: error instanceof Error ? error.message : String(error),
        score: null,
        parser: null,
      });
    }
  }
  const scored = await finishScore(deps, run.id, run.version_id);
  await store.updateRun(deps.db, run.id, { ...scored, grader: body.grader });
  return getRun(deps, organizationId, id);
}
