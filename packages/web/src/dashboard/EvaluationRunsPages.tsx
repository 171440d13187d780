// Evaluation runs in the dashboard: the list (by model, evaluation, status and date, newest first) and a run's
// page (progress, score per split, cost, failed and skipped items, and every item's prompt, raw response, answer,
// grade, latency, tokens and cost, a page at a time). Both follow a queued or running run live (polled).
import {
  cancelEvaluationRunRoute,
  EVALUATION_RUN_STATUSES,
  EVALUATION_SPLITS,
  type EvaluationRun,
  type EvaluationRunItem,
  type EvaluationRunStatus,
  type EvaluationSplit,
  findEvaluationRunsRoute,
  findEvaluationsRoute,
  findModelsRoute,
  getEvaluationRunRoute,
  getModelRoute,
  listEvaluationRunItemsRoute,
  scoreEvaluationRunRoute,
} from '@jury/api';
import { JuryNotFoundError } from '@jury/sdk/client';
import { type FormEvent, useEffect, useState } from 'react';
import { jury } from '../api.ts';
import { Pager } from './JobsPage.tsx';
import { FormError, formatDate, Link, Loaded, type Loading, PageTitle, ProgressBar, useLoad } from './ui.tsx';

const POLL_MS = 3000;
const RUNS_PAGE = 25;
const ITEMS_PAGE = 25;
const ITEM_STATUSES = ['answered', 'failed', 'skipped'] as const;

const live = (status: EvaluationRunStatus) => status === 'queued' || status === 'running';
export const formatScore = (score: number | null | undefined) =>
  score === null || score === undefined ? '—' : score.toFixed(1);
const usd = (n: number | null) =>
  n === null ? '—' : `$${n.toLocaleString(undefined, { maximumFractionDigits: n < 1 ? 4 : 2 })}`;
const count = (n: number) => n.toLocaleString();

export function RunStatusBadge({ status }: { status: EvaluationRunStatus }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

/** Re-renders every POLL_MS while `on`; the tick is a load key, so the page loads again. */
function usePoll(on: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setTick((t) => t + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [on]);
  return tick;
}

/** Keeps the last loaded value on screen while the next poll loads (no flash of "Loading…"). */
function useShown<T>(value: Loading<T>) {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (value.state !== 'loading' || shown.state !== 'ok') setShown(value);
  }, [value, shown.state]);
  return shown;
}

/** Model names by id, for the runs of models the organization can see (a deleted one shows its id). */
function useModelNames() {
  const [models] = useLoad(
    async () =>
      (await jury.call(findModelsRoute, { query: { amount: 500, sort: 'name', owner: 'any' } })).data,
    'models',
  );
  return models.state === 'ok' ? models.data : [];
}

const dayStart = (date: string) => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined);
const dayEnd = (date: string) =>
  date ? new Date(new Date(`${date}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined;

/** /evaluation-runs: newest first, by model, evaluation, status and creation date; `?model=` preselects one. */
export function EvaluationRunsPage() {
  const [model, setModel] = useState(() => new URLSearchParams(window.location.search).get('model') ?? '');
  const [evaluation, setEvaluation] = useState('');
  const [status, setStatus] = useState<EvaluationRunStatus | ''>('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [page, setPage] = useState(1);
  const models = useModelNames();
  const [evaluations] = useLoad(
    async () => (await jury.call(findEvaluationsRoute, { query: { amount: 500 } })).data,
    'evaluations',
  );
  const [anyLive, setAnyLive] = useState(false);
  const tick = usePoll(anyLive);
  const [runs] = useLoad(
    () =>
      jury.call(findEvaluationRunsRoute, {
        query: {
          model: model || undefined,
          evaluation: evaluation || undefined,
          status: status || undefined,
          since: dayStart(since),
          until: dayEnd(until),
          amount: RUNS_PAGE,
          page,
        },
      }),
    `${model}|${evaluation}|${status}|${since}|${until}|${page}|${tick}`,
  );
  const shown = useShown(runs);
  useEffect(() => {
    if (shown.state === 'ok') setAnyLive(shown.data.data.some((r) => live(r.status)));
  }, [shown]);
  const names = new Map(models.map((m) => [m.id, m.name]));
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };
  const filtered = Boolean(model || evaluation || status || since || until);
  return (
    <section>
      <PageTitle title="Evaluation runs">Evaluation runs</PageTitle>
      <p className="muted">
        Your organization's runs of models on evaluations, newest first. Start one with{' '}
        <code>jury eval run</code> or <code>client.evaluations.run(…)</code>; see scores on the{' '}
        <Link to="/models">models</Link>.
      </p>
      <search className="filters">
        <div className="field">
          <label htmlFor="run-model">Model</label>
          <select id="run-model" value={model} onChange={(e) => filter(setModel)(e.target.value)}>
            <option value="">Any</option>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
                {m.owned ? '' : ` (${m.organizationName})`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="run-evaluation">Evaluation</label>
          <select
            id="run-evaluation"
            value={evaluation}
            onChange={(e) => filter(setEvaluation)(e.target.value)}
          >
            <option value="">Any</option>
            {(evaluations.state === 'ok' ? evaluations.data : []).map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="run-status">Status</label>
          <select
            id="run-status"
            value={status}
            onChange={(e) => filter(setStatus)(e.target.value as EvaluationRunStatus | '')}
          >
            <option value="">Any</option>
            {EVALUATION_RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="run-since">Created from</label>
          <input
            id="run-since"
            type="date"
            value={since}
            onChange={(e) => filter(setSince)(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="run-until">Created until</label>
          <input
            id="run-until"
            type="date"
            value={until}
            onChange={(e) => filter(setUntil)(e.target.value)}
          />
        </div>
      </search>
      <Loaded value={shown}>
        {({ data, total }) =>
          total === 0 ? (
            <p className="muted">{filtered ? 'No run matches.' : 'No runs yet.'}</p>
          ) : (
            <>
              <div className="table-scroll">
                <table className="table runs-table">
                  <caption className="sr-only">Evaluation runs, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Run</th>
                      <th scope="col">Model</th>
                      <th scope="col">Status</th>
                      <th scope="col">Progress</th>
                      <th scope="col">Score</th>
                      <th scope="col">Cost</th>
                      <th scope="col">Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.map((run) => (
                      <tr key={run.id}>
                        <td>
                          <Link to={`/evaluation-runs/${run.id}`}>
                            {run.evaluation} {run.version}
                          </Link>
                          <div className="muted small">
                            {run.inferenceOnly ? 'inference only' : run.grader}
                          </div>
                        </td>
                        <td>{names.get(run.modelId) ?? run.modelId}</td>
                        <td>
                          <RunStatusBadge status={run.status} />
                        </td>
                        <td className="progress-cell">
                          <ProgressBar
                            percent={(100 * run.progress.finished) / Math.max(1, run.progress.total)}
                            label={`${run.evaluation} ${run.version} progress`}
                          />
                          <span className="small">
                            {count(run.progress.finished)} / {count(run.progress.total)} items
                          </span>
                        </td>
                        <td className="run-score">{formatScore(run.score)}</td>
                        <td>{usd(run.cost)}</td>
                        <td>{formatDate(run.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager page={page} total={total} size={RUNS_PAGE} onPage={setPage} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

/** /evaluation-runs/:id: progress, scores, spend, and the items. */
export function EvaluationRunPage({ id }: { id: string }) {
  const [isLive, setLive] = useState(true);
  const tick = usePoll(isLive);
  const [run, reload] = useLoad(
    async () => (await jury.call(getEvaluationRunRoute, { params: { id } })).data,
    `${id}|${tick}`,
  );
  const shown = useShown(run);
  useEffect(() => {
    if (shown.state === 'ok') setLive(live(shown.data.status));
  }, [shown]);
  const modelId = shown.state === 'ok' ? shown.data.modelId : '';
  const [model] = useLoad(async () => {
    if (!modelId) return undefined;
    try {
      return (await jury.call(getModelRoute, { params: { id: modelId } })).data;
    } catch (error) {
      if (error instanceof JuryNotFoundError) return undefined;
      throw error;
    }
  }, modelId);
  const modelName = model.state === 'ok' && model.data ? model.data.name : modelId;
  return (
    <Loaded value={shown}>
      {(r) => (
        <section>
          <PageTitle title={`${r.evaluation} ${r.version} · ${modelName}`}>
            {r.evaluation} {r.version} <span className="muted">on {modelName}</span>
          </PageTitle>
          <p className="muted">
            <Link to="/evaluation-runs">Evaluation runs</Link> ·{' '}
            {model.state === 'ok' && model.data ? (
              <Link to={`/models/${r.modelId}`}>{modelName}</Link>
            ) : (
              modelName
            )}{' '}
            · <RunStatusBadge status={r.status} />
            {isLive ? ' · updating live' : ''}
          </p>
          <RunSummary run={r} />
          <RunActions run={r} onChange={reload} />
          <RunItems run={r} tick={tick} />
        </section>
      )}
    </Loaded>
  );
}

function RunSummary({ run }: { run: EvaluationRun }) {
  const p = run.progress;
  const splits = Object.entries(run.splits ?? {}) as [EvaluationSplit, { score: number; items: number }][];
  return (
    <section className="card wide" aria-labelledby="run-progress-title">
      <h2 id="run-progress-title">Progress and score</h2>
      <ProgressBar percent={(100 * p.finished) / Math.max(1, p.total)} label="Run progress" />
      <p data-testid="run-progress">
        {count(p.finished)} of {count(p.total)} items finished: {count(p.answered)} answered (
        {count(p.cached)} from the cache), {count(p.failed)} failed, {count(p.skipped)} skipped
      </p>
      <dl className="stats model-stats run-stats">
        <div>
          <dt>Score</dt>
          <dd data-testid="run-score">
            {run.inferenceOnly && run.score === null ? 'not graded' : formatScore(run.score)}
          </dd>
        </div>
        {splits.map(([split, part]) => (
          <div key={split}>
            <dt>{split}</dt>
            <dd>
              {formatScore(part.score)} <span className="muted small">({count(part.items)} items)</span>
            </dd>
          </div>
        ))}
        <div>
          <dt>Cost</dt>
          <dd data-testid="run-cost">{usd(run.cost)}</dd>
        </div>
        <div>
          <dt>Tokens in / out</dt>
          <dd>
            {count(run.inputTokens)} / {count(run.outputTokens)}
          </dd>
        </div>
        <div>
          <dt>Grader</dt>
          <dd>{run.grader ?? 'not graded yet'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDate(run.createdAt)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{formatDate(run.finishedAt)}</dd>
        </div>
      </dl>
      {run.error && (
        <p className="notice error" role="alert">
          {run.error}
        </p>
      )}
    </section>
  );
}

/** Cancel a live run; grade a finished one again (rules, or one of the organization's models as judge). */
function RunActions({ run, onChange }: { run: EvaluationRun; onChange(): Promise<void> }) {
  const [grader, setGrader] = useState('rules');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const models = useModelNames();
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      await onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const score = (e: FormEvent) => {
    e.preventDefault();
    void act(() => jury.call(scoreEvaluationRunRoute, { params: { id: run.id }, json: { grader } }));
  };
  return (
    <section className="card wide" aria-labelledby="run-actions-title">
      <h2 id="run-actions-title">Actions</h2>
      {live(run.status) ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => void act(() => jury.call(cancelEvaluationRunRoute, { params: { id: run.id } }))}
        >
          Cancel run
        </button>
      ) : (
        <form className="form row" onSubmit={score}>
          <div className="field">
            <label htmlFor="run-grader">Grade the stored answers again with</label>
            <select id="run-grader" value={grader} onChange={(e) => setGrader(e.target.value)}>
              <option value="rules">MixEval's rules</option>
              {models
                .filter((m) => m.owned || m.publiclyRunnable)
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    Judge model: {m.name}
                  </option>
                ))}
            </select>
          </div>
          <button type="submit" disabled={busy}>
            {busy ? 'Scoring…' : 'Score again'}
          </button>
        </form>
      )}
      <FormError error={error} />
    </section>
  );
}

const gradeText = (item: EvaluationRunItem) => {
  if (item.score === null) return item.gradeError ? `not graded: ${item.gradeError}` : '—';
  const by = item.grade ? ` (${item.grade.method}, ${item.grade.parser})` : '';
  return `${item.score.toLocaleString(undefined, { maximumFractionDigits: 3 })}${by}`;
};

function RunItems({ run, tick }: { run: EvaluationRun; tick: number }) {
  const [split, setSplit] = useState<EvaluationSplit | ''>('');
  const [status, setStatus] = useState<(typeof ITEM_STATUSES)[number] | ''>('');
  const [page, setPage] = useState(1);
  const [items] = useLoad(
    () =>
      jury.call(listEvaluationRunItemsRoute, {
        params: { id: run.id },
        query: { split: split || undefined, status: status || undefined, amount: ITEMS_PAGE, page },
      }),
    // Polled with the run while it is live; a finished run's items load once per filter and page.
    `${run.id}|${split}|${status}|${page}|${live(run.status) ? tick : 'done'}|${run.scoredAt}`,
  );
  const shown = useShown(items);
  return (
    <section className="card wide" aria-labelledby="run-items-title">
      <h2 id="run-items-title">Items</h2>
      <search className="filters">
        <div className="field">
          <label htmlFor="item-split">Split</label>
          <select
            id="item-split"
            value={split}
            onChange={(e) => {
              setSplit(e.target.value as EvaluationSplit | '');
              setPage(1);
            }}
          >
            <option value="">Both</option>
            {EVALUATION_SPLITS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="item-status">Result</label>
          <select
            id="item-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as (typeof ITEM_STATUSES)[number] | '');
              setPage(1);
            }}
          >
            <option value="">Any</option>
            {ITEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </search>
      <Loaded value={shown}>
        {({ data, total }) =>
          total === 0 ? (
            <p className="muted">No item matches.</p>
          ) : (
            <>
              <div className="table-scroll">
                <table className="table compact run-items">
                  <caption className="sr-only">Items of the run, in the evaluation's order</caption>
                  <thead>
                    <tr>
                      <th scope="col">Item</th>
                      <th scope="col">Result</th>
                      <th scope="col">Prompt and response</th>
                      <th scope="col">Answer</th>
                      <th scope="col">Grade</th>
                      <th scope="col">Latency</th>
                      <th scope="col">Tokens in / out</th>
                      <th scope="col">Cost</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.map((item) => (
                      <tr key={item.itemId} data-item={item.key}>
                        <td>
                          {item.position}
                          <div className="muted small">
                            {item.split} · {item.key}
                          </div>
                        </td>
                        <td>
                          {item.status ?? <span className="muted">not asked yet</span>}
                          {item.cached && <div className="muted small">from the cache</div>}
                          {item.attempts > 1 && <div className="muted small">{item.attempts} attempts</div>}
                          {item.error && (
                            <div className="small">
                              {item.error.kind}
                              {item.error.status ? ` ${item.error.status}` : ''}: {item.error.message}
                            </div>
                          )}
                          {item.skipReason && <div className="small">{item.skipReason}</div>}
                        </td>
                        <td className="run-item-texts">
                          {item.prompt !== null && (
                            <details>
                              <summary>Prompt sent</summary>
                              <pre className="code-block">{item.prompt}</pre>
                            </details>
                          )}
                          {item.rawResponse !== null && (
                            <details>
                              <summary>Raw response</summary>
                              <pre className="code-block">{item.rawResponse}</pre>
                            </details>
                          )}
                          {item.grade?.judgement && (
                            <details>
                              <summary>Judgement</summary>
                              <pre className="code-block">{item.grade.judgement}</pre>
                            </details>
                          )}
                        </td>
                        <td className="run-item-answer">{item.answer ?? '—'}</td>
                        <td>{gradeText(item)}</td>
                        <td>{item.latencyMs === null ? '—' : `${Math.round(item.latencyMs)} ms`}</td>
                        <td>
                          {item.status ? `${count(item.inputTokens)} / ${count(item.outputTokens)}` : '—'}
                        </td>
                        <td>{usd(item.cost)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager page={page} total={total} size={ITEMS_PAGE} onPage={setPage} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}
