// Scores, pure. A run's score as MixEval computes it, and a model's aggregate score as Equistamp defines it.
import type { EvaluationSplit } from '@jury/api';

/** One graded item of a run: its split, source benchmark and grade in [0, 1] (null: no grade, e.g. skipped). */
export interface GradedItem {
  split: EvaluationSplit;
  benchmark: string | null;
  score: number | null;
}

export interface ScorePart {
  /** Mean grade × 100 (0–100). */
  score: number;
  items: number;
}

export interface RunScore extends ScorePart {
  /** Items with no grade (skipped, failed); each counts as 0. */
  ungraded: number;
  /** Per split; a split with no items is absent. */
  splits: Partial<Record<EvaluationSplit, ScorePart>>;
  /** Per source benchmark (items without one under ''). */
  benchmarks: Record<string, ScorePart>;
}

/**
 * A run's score as MixEval's compute_metrics reports it: the micro-average of the item grades over both splits
 * (free-form grades in [0, 1], multiple-choice 0 or 1) × 100, and the same per split and per source benchmark
 * (MixEval weights each split's mean by its item count, which is the micro-average). An item with no grade
 * counts as 0, so skipping items never raises a score. Nothing is rounded here.
 */
export function runScore(items: readonly GradedItem[]): RunScore {
  const sum = (list: readonly GradedItem[]): ScorePart => ({
    score: list.length === 0 ? 0 : (100 * list.reduce((s, i) => s + (i.score ?? 0), 0)) / list.length,
    items: list.length,
  });
  const group = (key: (i: GradedItem) => string) => {
    const groups = new Map<string, GradedItem[]>();
    for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
    return Object.fromEntries([...groups].map(([k, list]) => [k, sum(list)]));
  };
  return {
    ...sum(items),
    ungraded: items.filter((i) => i.score === null).length,
    splits: group((i) => i.split) as RunScore['splits'],
    benchmarks: group((i) => i.benchmark ?? ''),
  };
}

/** A completed run's score (0–100) of one model on one evaluation. */
export interface ModelRunScore {
  modelId: string;
  evaluationId: string;
  score: number;
  /** When the run finished; the most recent run of a model on an evaluation is the one that counts. */
  at: string | Date;
}

export interface AggregatePart {
  evaluationId: string;
  /** The model's most recent score, or the evaluation's median when it has none (`imputed`). */
  score: number;
  imputed: boolean;
  /** `score` rescaled: 100 × score / the evaluation's best (most recent) model score. */
  scaled: number;
}

export interface ModelAggregate {
  modelId: string;
  /** Mean of `parts[].scaled`; null when the model has taken none of the trusted evaluations. */
  score: number | null;
  /** Trusted evaluations it has a score on. */
  taken: number;
  parts: AggregatePart[];
}

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Each model's aggregate score as Equistamp defines it: the mean over the trusted evaluations of the model's most
 * recent score there, the evaluation's median (over the models' most recent scores) where the model has none,
 * each evaluation's scores rescaled to 0–100 with 100 its best model (0 stays 0, the lowest possible score).
 * Every model given counts, private ones too, so the best and the medians are the same for everyone who looks.
 * An evaluation no model has taken, or on which every model scored 0, says nothing and is left out.
 */
export function aggregateScores(input: {
  models: readonly string[];
  evaluations: readonly { id: string; trusted: boolean }[];
  runs: readonly ModelRunScore[];
}): ModelAggregate[] {
  const time = (at: string | Date) => new Date(at).getTime();
  const latest = new Map<string, Map<string, ModelRunScore>>();
  const models = new Set(input.models);
  for (const run of input.runs) {
    if (!models.has(run.modelId)) continue;
    const byModel = latest.get(run.evaluationId) ?? new Map<string, ModelRunScore>();
    const seen = byModel.get(run.modelId);
    if (!seen || time(run.at) > time(seen.at)) byModel.set(run.modelId, run);
    latest.set(run.evaluationId, byModel);
  }
  const counted = input.evaluations
    .filter((e) => e.trusted)
    .map((e) => ({ id: e.id, scores: latest.get(e.id) }))
    .filter((e): e is { id: string; scores: Map<string, ModelRunScore> } => (e.scores?.size ?? 0) > 0)
    .map((e) => {
      const values = [...e.scores.values()].map((r) => r.score);
      return { ...e, median: median(values), best: Math.max(...values) };
    })
    .filter((e) => e.best > 0);
  return input.models.map((modelId) => {
    const parts = counted.map((e): AggregatePart => {
      const own = e.scores.get(modelId);
      const score = own ? own.score : e.median;
      return { evaluationId: e.id, score, imputed: !own, scaled: (100 * score) / e.best };
    });
    const taken = parts.filter((p) => !p.imputed).length;
    return {
      modelId,
      score: taken === 0 ? null : parts.reduce((s, p) => s + p.scaled, 0) / parts.length,
      taken,
      parts,
    };
  });
}
