// Ranking flows and ranking jobs in the dashboard: their lists, a flow's items, and each ranked set as pictures
// (the items best first with their ratings and intervals, the win/loss heat map), following new votes live.
import {
  type FlowItemResult,
  findFlowsRoute,
  findRankingJobsRoute,
  getFlowItemResultsRoute,
  getFlowItemRoute,
  getFlowItemWinLossMatrixRoute,
  getFlowRoute,
  getRankingJobResultsRoute,
  getRankingJobRoute,
  listFlowItemsRoute,
  type RankingJobResults,
} from '@jury/api';
import { useEffect, useState } from 'react';
import { jury } from '../api.ts';
import { ItemView } from '../labeler/ItemView.tsx';
import { RatingPlot, WinLossHeatMap } from './RatingCharts.tsx';
import { formatDate, Link, Loaded, PageTitle, ProgressBar, percent, useLoad } from './ui.tsx';

const POLL_MS = 3000;

/** A counter that moves every few seconds while the page is open: pages read again on it. */
function usePoll(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  return tick;
}

/** The last value loaded, kept on screen while the next one loads (no flicker on every poll). */
function useLatest<T>(value: { state: string; data?: T }): T | undefined {
  const [latest, setLatest] = useState<T>();
  useEffect(() => {
    if (value.state === 'ok') setLatest(value.data);
  }, [value]);
  return latest;
}

function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

type RankingFields = Pick<FlowItemResult, 'ranking' | 'totalVotes' | 'warnings'>;

/** One ranked set: the rating plot, then each item (its media or text) with its rank, rating and votes. */
function RankedSet({ result, label }: { result: RankingFields; label: string }) {
  if (result.totalVotes === 0) return <p className="muted">No votes yet.</p>;
  return (
    <>
      {result.warnings.map((w) => (
        <p key={w.kind + w.models.join()} className="notice" role="note">
          {w.message}
        </p>
      ))}
      <RatingPlot rows={result.ranking} what={label} />
      <ol className="ranked-items">
        {result.ranking.map((r) => (
          <li key={r.name} className="ranked-item">
            <div className="side-media">
              <ItemView item={r.item} markdown={false} label={`Rank ${r.rank}: ${r.name}`} />
            </div>
            <p>
              <strong>
                {r.rank}. {r.name}
              </strong>{' '}
              · {Math.round(r.score)}
              {r.lower !== null && r.upper !== null && (
                <span className="muted">
                  {' '}
                  ({Math.round(r.lower)} – {Math.round(r.upper)})
                </span>
              )}{' '}
              · {r.votes} votes · win rate {r.winRate === null ? '—' : percent(r.winRate)}
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}

/** /rankings: the flows and the ranking jobs, newest first. */
export function RankingsPage() {
  const [flows] = useLoad(() => jury.call(findFlowsRoute, { query: { amount: 100, page: 1 } }), 'flows');
  const [jobs] = useLoad(
    () => jury.call(findRankingJobsRoute, { query: { amount: 100, page: 1 } }),
    'r-jobs',
  );
  return (
    <section>
      <PageTitle title="Rankings">Rankings</PageTitle>
      <p className="muted">
        Flows and ranking jobs order sets of items by labelers' blind pairwise votes: a flow takes new sets
        (items) over time, a ranking job orders the lists of its definition.
      </p>
      <section className="card wide" aria-labelledby="flows-title">
        <h2 id="flows-title">Flows</h2>
        <Loaded value={flows}>
          {({ data }) =>
            data.length === 0 ? (
              <p className="muted">
                No flows yet: <code>client.flow.createRankingFlow(…)</code> creates one.
              </p>
            ) : (
              <table className="table">
                <caption className="sr-only">Flows, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Instruction</th>
                    <th scope="col">Items</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((f) => (
                    <tr key={f.id}>
                      <td>
                        <Link to={`/flows/${f.id}`}>{f.name}</Link>
                      </td>
                      <td>{f.instruction}</td>
                      <td>{f.itemCount}</td>
                      <td>{formatDate(f.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loaded>
      </section>
      <section className="card wide" aria-labelledby="ranking-jobs-title">
        <h2 id="ranking-jobs-title">Ranking jobs</h2>
        <Loaded value={jobs}>
          {({ data }) =>
            data.length === 0 ? (
              <p className="muted">
                No ranking jobs yet: <code>client.job.createRankingJobDefinition(…)</code>, then assign it to
                an audience.
              </p>
            ) : (
              <table className="table">
                <caption className="sr-only">Ranking jobs, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Progress</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((j) => (
                    <tr key={j.id}>
                      <td>
                        <Link to={`/ranking-jobs/${j.id}`}>{j.name}</Link>
                      </td>
                      <td>
                        <StatusBadge status={j.status} />
                      </td>
                      <td className="progress-cell">
                        <ProgressBar
                          percent={progressPercent(j.progress.responses, j.progress.wantedResponses)}
                          label={`${j.name} progress`}
                        />
                      </td>
                      <td>{formatDate(j.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loaded>
      </section>
    </section>
  );
}

const progressPercent = (done: number, wanted: number) =>
  wanted > 0 ? Math.min(100, (100 * done) / wanted) : 0;

/** /flows/:id: the flow's settings and its items with their status. */
export function FlowPage({ id }: { id: string }) {
  const tick = usePoll();
  const [flow] = useLoad(async () => (await jury.call(getFlowRoute, { params: { id } })).data, id);
  const items = useLatest(
    useLoad(
      async () =>
        (await jury.call(listFlowItemsRoute, { params: { id }, query: { amount: 100, page: 1 } })).data,
      `${id}|${tick}`,
    )[0],
  );
  return (
    <Loaded value={flow}>
      {(f) => (
        <section>
          <PageTitle title={f.name}>{f.name}</PageTitle>
          <p className="muted">
            <Link to="/rankings">Rankings</Link> · “{f.instruction}” · {f.minResponseThreshold} to{' '}
            {f.maxResponseThreshold} responses per item · created {formatDate(f.createdAt)}
          </p>
          <section className="card wide" aria-labelledby="items-title">
            <h2 id="items-title">Items</h2>
            {!items ? (
              <p className="status">Loading…</p>
            ) : items.length === 0 ? (
              <p className="muted">No items yet: flow.createNewFlowBatch(…) adds one.</p>
            ) : (
              <table className="table">
                <caption className="sr-only">Flow items, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Status</th>
                    <th scope="col">Responses</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.id}>
                      <td>
                        <Link to={`/flow-items/${item.id}`}>
                          {item.context ?? `${item.datapoints.length} datapoints`}
                        </Link>
                      </td>
                      <td>
                        <StatusBadge status={item.status} />
                      </td>
                      <td>
                        {item.responseCount} / {item.maxResponseThreshold}
                      </td>
                      <td>{formatDate(item.expiresAt)}</td>
                      <td>{formatDate(item.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </section>
      )}
    </Loaded>
  );
}

/** /flow-items/:id: one item's ranking, live while it runs. */
export function FlowItemPage({ id }: { id: string }) {
  const tick = usePoll();
  const views = useLatest(
    useLoad(async () => {
      const [item, results, matrix] = await Promise.all([
        jury.call(getFlowItemRoute, { params: { id } }),
        jury.call(getFlowItemResultsRoute, { params: { id } }),
        jury.call(getFlowItemWinLossMatrixRoute, { params: { id } }),
      ]);
      return { item: item.data, results: results.data, matrix: matrix.data };
    }, `${id}|${tick}`)[0],
  );
  const [first] = useLoad(async () => (await jury.call(getFlowItemRoute, { params: { id } })).data, id);
  if (!views) return <Loaded value={first}>{() => <p className="status">Loading…</p>}</Loaded>;
  const { item, results, matrix } = views;
  return (
    <section>
      <PageTitle title="Flow item">Flow item</PageTitle>
      <p className="muted">
        <Link to={`/flows/${item.flowId}`}>Its flow</Link> · “{item.instruction}” ·{' '}
        <StatusBadge status={item.status} /> ·{' '}
        <span data-testid="flow-item-responses">{item.responseCount}</span> responses (at least{' '}
        {item.minResponseThreshold}, at most {item.maxResponseThreshold})
        {item.expiresAt ? ` · time to live until ${formatDate(item.expiresAt)}` : ''}
      </p>
      {item.context && <p className="context">{item.context}</p>}
      <section className="card wide" aria-labelledby="ranking-title">
        <h2 id="ranking-title">Ranking</h2>
        <RankedSet result={results} label="Ranking" />
      </section>
      {matrix.models.length > 1 && results.totalVotes > 0 && (
        <section className="card wide" aria-labelledby="matrix-title">
          <h2 id="matrix-title">Wins and losses</h2>
          <WinLossHeatMap matrix={matrix} what="datapoints" />
        </section>
      )}
    </section>
  );
}

/** /ranking-jobs/:id: progress and each list's ranking, live while it runs. */
export function RankingJobPage({ id }: { id: string }) {
  const tick = usePoll();
  const [first] = useLoad(async () => (await jury.call(getRankingJobRoute, { params: { id } })).data, id);
  const views = useLatest(
    useLoad(async () => {
      const [job, results] = await Promise.all([
        jury.call(getRankingJobRoute, { params: { id } }),
        jury.call(getRankingJobResultsRoute, { params: { id } }),
      ]);
      return { job: job.data, results: results.data as RankingJobResults };
    }, `${id}|${tick}`)[0],
  );
  if (!views) return <Loaded value={first}>{() => <p className="status">Loading…</p>}</Loaded>;
  const { job, results } = views;
  return (
    <section>
      <PageTitle title={job.name}>{job.name}</PageTitle>
      <p className="muted">
        <Link to="/rankings">Rankings</Link> · <StatusBadge status={job.status} /> ·{' '}
        {job.progress.completedRankings} of {job.progress.rankings} lists done ·{' '}
        <span data-testid="ranking-job-responses">{job.progress.responses}</span> of{' '}
        {job.progress.wantedResponses} responses · created {formatDate(job.createdAt)}
      </p>
      <ProgressBar
        percent={progressPercent(job.progress.responses, job.progress.wantedResponses)}
        label={`${job.name} progress`}
      />
      {results.rankings.map((r) => (
        <section key={r.index} className="card wide" aria-labelledby={`list-${r.index}`}>
          <h2 id={`list-${r.index}`}>List {r.index + 1}</h2>
          {r.context && <p className="context">{r.context}</p>}
          <RankedSet result={r} label={`List ${r.index + 1}`} />
        </section>
      ))}
    </section>
  );
}
