// A model's scores in the dashboard: its aggregate score (and what it is made of), a chart of its score over time
// per evaluation version (the three with the most runs by default, any others chosen), and the history as a table.
import { findEvaluationsRoute, getModelScoresRoute, type ModelScores } from '@jury/api';
import { dot, lineY, ruleY } from '@observablehq/plot';
import { useMemo, useState } from 'react';
import { jury } from '../api.ts';
import { PlotFigure } from '../charts/PlotFigure.tsx';
import { formatScore } from './EvaluationRunsPages.tsx';
import { formatDate, Link, Loaded, useLoad } from './ui.tsx';

/** Evaluations shown by default in the chart. */
const DEFAULT_SERIES = 3;

type Entry = ModelScores['history'][number];
interface Series {
  key: string;
  label: string;
  runs: Entry[];
}

function seriesOf(history: readonly Entry[]): Series[] {
  const byKey = new Map<string, Series>();
  for (const entry of history) {
    const key = `${entry.evaluationId}|${entry.version}`;
    const series = byKey.get(key) ?? { key, label: `${entry.evaluation} ${entry.version}`, runs: [] };
    series.runs.push(entry);
    byKey.set(key, series);
  }
  // Most runs first, then the most recently run: the evaluations the model is tracked on.
  const last = (s: Series) => s.runs.at(-1)?.at ?? '';
  return [...byKey.values()].sort(
    (a, b) =>
      b.runs.length - a.runs.length || last(b).localeCompare(last(a)) || a.label.localeCompare(b.label),
  );
}

function ScoreChart({ series }: { series: Series[] }) {
  const options = useMemo(() => {
    const data = series.flatMap((s) =>
      s.runs.map((r) => ({ at: new Date(r.at), score: r.score, evaluation: s.label })),
    );
    return {
      height: 260,
      marginRight: 20,
      x: { label: 'Run finished', type: 'utc' as const },
      y: { label: 'Score', domain: [0, 100], grid: true },
      color: { legend: true, domain: series.map((s) => s.label) },
      marks: [
        ruleY([0]),
        lineY(data, { x: 'at', y: 'score', stroke: 'evaluation' }),
        dot(data, { x: 'at', y: 'score', fill: 'evaluation', r: 4 }),
      ],
    };
  }, [series]);
  const runs = series.reduce((n, s) => n + s.runs.length, 0);
  return (
    <PlotFigure
      options={options}
      label={`Score over time: ${runs} runs on ${series.map((s) => s.label).join(', ')}`}
      className="model-score-chart"
    />
  );
}

/** The model page's scores: aggregate, chart with its evaluation filter, history table. */
export function ModelScoresSection({ modelId }: { modelId: string }) {
  const [scores] = useLoad(async () => {
    const [s, evaluations] = await Promise.all([
      jury.call(getModelScoresRoute, { params: { id: modelId } }),
      jury.call(findEvaluationsRoute, { query: { amount: 500 } }),
    ]);
    return { scores: s.data, names: new Map(evaluations.data.map((e) => [e.id, e.name])) };
  }, modelId);
  const [chosen, setChosen] = useState<Set<string>>();
  return (
    <section className="card wide" aria-labelledby="scores-title">
      <h2 id="scores-title">Scores</h2>
      <Loaded value={scores}>
        {({ scores: s, names }) => {
          const all = seriesOf(s.history);
          const selected = chosen ?? new Set(all.slice(0, DEFAULT_SERIES).map((x) => x.key));
          const shown = all.filter((x) => selected.has(x.key));
          const toggle = (key: string, on: boolean) => {
            const next = new Set(selected);
            if (on) next.add(key);
            else next.delete(key);
            setChosen(next);
          };
          return (
            <>
              <p data-testid="model-aggregate">
                <strong className="score-value">{formatScore(s.aggregate.score)}</strong> aggregate score
                {s.aggregate.parts.length > 0 ? (
                  <span className="muted">
                    {' '}
                    — over {s.aggregate.parts.length} evaluation{s.aggregate.parts.length === 1 ? '' : 's'}{' '}
                    that count ({s.aggregate.taken} taken):{' '}
                    {s.aggregate.parts
                      .map(
                        (p) =>
                          `${names.get(p.evaluationId) ?? p.evaluationId} ${formatScore(p.scaled)}${p.imputed ? ' (median, not taken)' : ''}`,
                      )
                      .join(', ')}
                  </span>
                ) : (
                  <span className="muted">
                    {' '}
                    — no run yet on an evaluation that counts (the built-in ones and your organization's
                    trusted ones).
                  </span>
                )}
              </p>
              <p className="muted small">
                Each evaluation's most recent score, rescaled so its best model has 100; the evaluation's
                median where the model has none. Other organizations' trusted evaluations do not count for
                you.
              </p>
              {all.length === 0 ? (
                <p className="muted">
                  No scored runs yet. Run one with{' '}
                  <code>jury eval run --model … --evaluation mixeval-hard --version 2024-06-01</code>.
                </p>
              ) : (
                <>
                  <fieldset className="series-filter">
                    <legend>Evaluations in the chart</legend>
                    {all.map((x) => (
                      <label key={x.key} className="radio">
                        <input
                          type="checkbox"
                          checked={selected.has(x.key)}
                          onChange={(e) => toggle(x.key, e.target.checked)}
                        />
                        {x.label} ({x.runs.length} run{x.runs.length === 1 ? '' : 's'})
                      </label>
                    ))}
                  </fieldset>
                  {shown.length > 0 ? (
                    <ScoreChart series={shown} />
                  ) : (
                    <p className="muted">Choose an evaluation to draw.</p>
                  )}
                  <div className="table-scroll">
                    <table className="table compact score-history">
                      <caption>Score history, newest first</caption>
                      <thead>
                        <tr>
                          <th scope="col">Finished</th>
                          <th scope="col">Evaluation</th>
                          <th scope="col">Score</th>
                          <th scope="col">Per split</th>
                        </tr>
                      </thead>
                      <tbody>
                        {[...s.history].reverse().map((h) => (
                          <tr key={h.runId}>
                            <td>
                              <Link to={`/evaluation-runs/${h.runId}`}>{formatDate(h.at)}</Link>
                            </td>
                            <td>
                              {h.evaluation} {h.version}
                            </td>
                            <td>{formatScore(h.score)}</td>
                            <td className="small">
                              {Object.entries(h.splits ?? {})
                                .map(([split, part]) => `${split} ${formatScore(part.score)}`)
                                .join(' · ') || '—'}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              )}
              <p>
                <Link to={`/evaluation-runs?model=${encodeURIComponent(modelId)}`}>
                  All runs of this model
                </Link>
              </p>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
