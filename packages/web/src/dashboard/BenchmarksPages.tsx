// Model Ranking Insights in the dashboard: the benchmarks, and one benchmark's prompts, models and leaderboards.
import {
  findBenchmarksRoute,
  getBenchmarkRoute,
  listLeaderboardsRoute,
  listParticipantsRoute,
  listPromptsRoute,
} from '@jury/api';
import { useState } from 'react';
import { jury } from '../api.ts';
import { ItemView } from '../labeler/ItemView.tsx';
import { Pager } from './JobsPage.tsx';
import { formatDate, Link, Loaded, PageTitle, useLoad } from './ui.tsx';

const PAGE_SIZE = 50;

/** /benchmarks: newest first, filtered by name. */
export function BenchmarksPage() {
  const [name, setName] = useState('');
  const [page, setPage] = useState(1);
  const [benchmarks] = useLoad(
    () => jury.call(findBenchmarksRoute, { query: { name: name || undefined, amount: PAGE_SIZE, page } }),
    `${name}|${page}`,
  );
  return (
    <section>
      <PageTitle title="Benchmarks">Benchmarks</PageTitle>
      <p className="muted">
        A benchmark is a set of prompts; models answer each prompt with media, and its leaderboards rank the
        models by labelers' blind pairwise votes.
      </p>
      <search className="filters">
        <div className="field">
          <label htmlFor="benchmark-name">Name contains</label>
          <input
            id="benchmark-name"
            type="search"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setPage(1);
            }}
          />
        </div>
      </search>
      <Loaded value={benchmarks}>
        {({ data, total }) =>
          total === 0 && !name ? (
            <div className="card empty">
              <p>No benchmarks yet.</p>
              <p>
                Create one with the SDK (<code>client.mri.createNewBenchmark(…)</code>) or{' '}
                <code>POST /api/v1/benchmarks</code>.
              </p>
            </div>
          ) : (
            <>
              <table className="table">
                <caption className="sr-only">Benchmarks, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Prompts</th>
                    <th scope="col">Models</th>
                    <th scope="col">Leaderboards</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((b) => (
                    <tr key={b.id}>
                      <td>
                        <Link to={`/benchmarks/${b.id}`}>{b.name}</Link>
                      </td>
                      <td>{b.promptCount}</td>
                      <td>{b.participantCount}</td>
                      <td>{b.leaderboardCount}</td>
                      <td>{formatDate(b.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {total === 0 && <p className="muted">No benchmark matches.</p>}
              <Pager page={page} total={total} size={PAGE_SIZE} onPage={setPage} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

/** /benchmarks/:id: its leaderboards, models and prompts. */
export function BenchmarkPage({ id }: { id: string }) {
  const [benchmark] = useLoad(async () => (await jury.call(getBenchmarkRoute, { params: { id } })).data, id);
  const [parts] = useLoad(async () => {
    const query = { amount: 1000, page: 1 };
    const [leaderboards, participants, prompts] = await Promise.all([
      jury.call(listLeaderboardsRoute, { params: { id }, query }),
      jury.call(listParticipantsRoute, { params: { id }, query }),
      jury.call(listPromptsRoute, { params: { id }, query }),
    ]);
    return { leaderboards: leaderboards.data, participants: participants.data, prompts: prompts.data };
  }, `parts:${id}`);
  return (
    <Loaded value={benchmark}>
      {(b) => (
        <section>
          <PageTitle title={b.name}>{b.name}</PageTitle>
          <p className="muted">
            <Link to="/benchmarks">Benchmarks</Link> · {b.promptCount} prompts · {b.participantCount} models ·
            created {formatDate(b.createdAt)}
          </p>
          <Loaded value={parts}>
            {({ leaderboards, participants, prompts }) => (
              <>
                <section className="card wide" aria-labelledby="leaderboards-title">
                  <h2 id="leaderboards-title">Leaderboards</h2>
                  {leaderboards.length === 0 ? (
                    <p className="muted">
                      No leaderboard yet: create one with benchmark.createLeaderboard(…).
                    </p>
                  ) : (
                    <table className="table">
                      <caption className="sr-only">Leaderboards</caption>
                      <thead>
                        <tr>
                          <th scope="col">Name</th>
                          <th scope="col">Instruction</th>
                          <th scope="col">Votes</th>
                          <th scope="col">Matchmaking</th>
                        </tr>
                      </thead>
                      <tbody>
                        {leaderboards.map((l) => (
                          <tr key={l.id}>
                            <td>
                              <Link to={`/leaderboards/${l.id}`}>{l.name}</Link>
                            </td>
                            <td>{l.instruction}</td>
                            <td>{l.votes}</td>
                            <td>{l.matching ? 'collecting votes' : 'budget used'}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </section>
                <section className="card wide" aria-labelledby="models-title">
                  <h2 id="models-title">Models</h2>
                  {participants.length === 0 ? (
                    <p className="muted">No model yet: add one with benchmark.evaluateModel(…).</p>
                  ) : (
                    <table className="table">
                      <caption className="sr-only">Models</caption>
                      <thead>
                        <tr>
                          <th scope="col">Name</th>
                          <th scope="col">Status</th>
                          <th scope="col">Media</th>
                          <th scope="col">Added</th>
                        </tr>
                      </thead>
                      <tbody>
                        {participants.map((p) => (
                          <tr key={p.id}>
                            <td>{p.name}</td>
                            <td>
                              <span className={`badge status-${p.status}`}>{p.status}</span>
                            </td>
                            <td>{p.mediaCount}</td>
                            <td>{formatDate(p.createdAt)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </section>
                <section className="card wide" aria-labelledby="prompts-title">
                  <h2 id="prompts-title">Prompts</h2>
                  <table className="table">
                    <caption className="sr-only">Prompts, in the order they were added</caption>
                    <thead>
                      <tr>
                        <th scope="col">Identifier</th>
                        <th scope="col">Prompt</th>
                        <th scope="col">Asset</th>
                        <th scope="col">Tags</th>
                      </tr>
                    </thead>
                    <tbody>
                      {prompts.map((p) => (
                        <tr key={p.id}>
                          <td>
                            <code>{p.identifier}</code>
                          </td>
                          <td>{p.prompt ?? '—'}</td>
                          <td className="thumb">
                            {p.promptAsset ? (
                              <ItemView
                                item={p.promptAsset}
                                markdown={false}
                                label={`Asset of ${p.identifier}`}
                              />
                            ) : (
                              '—'
                            )}
                          </td>
                          <td>
                            {p.structuredTags
                              .map((t) => (t.category ? `${t.category}: ${t.value}` : t.value))
                              .join(', ') || '—'}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              </>
            )}
          </Loaded>
        </section>
      )}
    </Loaded>
  );
}
