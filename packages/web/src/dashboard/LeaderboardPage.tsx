// A leaderboard: standings as a plot (each model's rating with its 95% interval), the win/loss matrix as a heat map,
// votes per day, a tag filter, and the compared media per prompt with their vote bars. It follows new votes live.
import {
  getLeaderboardActivityRoute,
  getLeaderboardRoute,
  getStandingsRoute,
  getWinLossMatrixRoute,
  type Leaderboard,
  type LeaderboardActivity,
  listMatchupsRoute,
  listPromptsRoute,
  type Matchup,
  type Standings,
  type WinLossMatrix,
} from '@jury/api';
import { rectY, ruleY } from '@observablehq/plot';
import { useEffect, useMemo, useState } from 'react';
import { jury } from '../api.ts';
import { PlotFigure } from '../charts/PlotFigure.tsx';
import { ItemView } from '../labeler/ItemView.tsx';
import { VoteBar } from './CompareResults.tsx';
import { Pager } from './JobsPage.tsx';
import { RatingPlot, WinLossHeatMap } from './RatingCharts.tsx';
import { formatDate, Link, Loaded, PageTitle, percent, useLoad } from './ui.tsx';

const POLL_MS = 3000;
const MATCHUPS_PAGE = 20;

function VotesPerDay({ activity }: { activity: LeaderboardActivity }) {
  const options = useMemo(() => {
    const data = activity.votesPerDay.map((d) => ({ day: new Date(`${d.day}T00:00:00Z`), votes: d.votes }));
    return {
      height: 200,
      x: { label: 'Day', type: 'utc' as const },
      y: { label: 'Votes', grid: true },
      marks: [
        rectY(data, { x: 'day', y: 'votes', fill: '#3b5bdb', interval: 'day', insetLeft: 1, insetRight: 1 }),
        ruleY([0]),
      ],
    };
  }, [activity]);
  const total = activity.votesPerDay.reduce((a, d) => a + d.votes, 0);
  return <PlotFigure options={options} label={`${total} votes over ${activity.votesPerDay.length} days`} />;
}

function MatchupCard({ matchup, markdown }: { matchup: Matchup; markdown: boolean }) {
  const counts = useMemo(
    (): [string, number][] => [
      [matchup.a.name, matchup.a.votes],
      [matchup.b.name, matchup.b.votes],
      ...(matchup.ties > 0 ? [['Tie', matchup.ties] as [string, number]] : []),
    ],
    [matchup],
  );
  const leader = matchup.a.votes === matchup.b.votes ? null : matchup.a.votes > matchup.b.votes ? 'a' : 'b';
  return (
    <article className="result card wide matchup" aria-labelledby={`m-${matchup.id}`}>
      <h3 id={`m-${matchup.id}`}>
        {matchup.a.name} vs {matchup.b.name}
        <span className="muted small">
          {' '}
          · {matchup.identifier} · {matchup.responses} of {matchup.wanted} votes
        </span>
      </h3>
      {matchup.prompt && <p className="context">{matchup.prompt}</p>}
      <div className="pair">
        {(['a', 'b'] as const).map((k) => (
          <figure key={k} className={leader === k ? 'side is-winner' : 'side'}>
            <div className="side-media">
              <ItemView item={matchup[k].item} markdown={markdown} label={`${matchup[k].name}'s answer`} />
            </div>
            <figcaption>
              <span className="option-name">{matchup[k].name}</span> · {matchup[k].votes} vote
              {matchup[k].votes === 1 ? '' : 's'}
            </figcaption>
          </figure>
        ))}
      </div>
      <VoteBar
        counts={counts}
        label={`Votes: ${counts.map(([name, votes]) => `${name} ${votes}`).join(', ')}`}
      />
    </article>
  );
}

function Matchups({
  leaderboardId,
  benchmarkId,
  tick,
}: {
  leaderboardId: string;
  benchmarkId: string;
  tick: number;
}) {
  const [promptId, setPromptId] = useState('');
  const [page, setPage] = useState(1);
  const [prompts] = useLoad(
    async () =>
      (await jury.call(listPromptsRoute, { params: { id: benchmarkId }, query: { amount: 1000, page: 1 } }))
        .data,
    `prompts:${benchmarkId}`,
  );
  const [matchups] = useLoad(
    () =>
      jury.call(listMatchupsRoute, {
        params: { id: leaderboardId },
        query: { promptId: promptId || undefined, amount: MATCHUPS_PAGE, page },
      }),
    `${leaderboardId}|${promptId}|${page}|${tick}`,
  );
  const [shown, setShown] = useState<{ data: Matchup[]; total: number }>();
  useEffect(() => {
    if (matchups.state === 'ok') setShown(matchups.data);
  }, [matchups]);
  return (
    <section className="card wide" aria-labelledby="matchups-title">
      <h2 id="matchups-title">Compared media</h2>
      <div className="field inline">
        <label htmlFor="matchup-prompt">Prompt</label>
        <select
          id="matchup-prompt"
          value={promptId}
          onChange={(e) => {
            setPromptId(e.target.value);
            setPage(1);
          }}
        >
          <option value="">Every prompt</option>
          {prompts.state === 'ok' &&
            prompts.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.identifier}
                {p.prompt && p.prompt !== p.identifier ? `: ${p.prompt.slice(0, 60)}` : ''}
              </option>
            ))}
        </select>
      </div>
      {shown ? (
        <>
          {shown.total === 0 && <p className="muted">No matchups yet.</p>}
          {shown.data.map((m) => (
            <MatchupCard key={m.id} matchup={m} markdown={false} />
          ))}
          <Pager page={page} total={shown.total} size={MATCHUPS_PAGE} onPage={setPage} />
        </>
      ) : (
        <Loaded value={matchups}>{() => null}</Loaded>
      )}
    </section>
  );
}

/** The leaderboard's options in one line: level of detail, responses per matchup, aggregation, tag scope. */
function settingsLine(l: Leaderboard): string {
  const level = typeof l.levelOfDetail === 'number' ? `${l.levelOfDetail} responses` : l.levelOfDetail;
  const parts = [
    `level of detail ${level} per run`,
    `${l.minResponsesPerMatchup} response${l.minResponsesPerMatchup === 1 ? '' : 's'} per matchup`,
    l.voteAggregation === 'majority' ? 'majority vote per matchup' : 'every vote counts',
  ];
  if (l.includedTags.length > 0) parts.push(`only prompts tagged ${l.includedTags.join(', ')}`);
  if (l.excludedTags.length > 0) parts.push(`never prompts tagged ${l.excludedTags.join(', ')}`);
  return parts.join(' · ');
}

/** The benchmark's tags as suggestions of the tag filter, each with its category when it has one. */
function TagOptions({ benchmarkId, id }: { benchmarkId: string; id: string }) {
  const [prompts] = useLoad(
    async () =>
      (await jury.call(listPromptsRoute, { params: { id: benchmarkId }, query: { amount: 1000, page: 1 } }))
        .data,
    `prompts:${benchmarkId}`,
  );
  const tags = new Map<string, string | null>();
  if (prompts.state === 'ok')
    for (const p of prompts.data)
      for (const t of p.structuredTags) if (!tags.get(t.value)) tags.set(t.value, t.category);
  return (
    <datalist id={id}>
      {[...tags].map(([value, category]) => (
        <option key={value} value={value} label={category ? `${category}: ${value}` : value} />
      ))}
    </datalist>
  );
}

/** /leaderboards/:id */
export function LeaderboardPage({ id }: { id: string }) {
  const [tags, setTags] = useState('');
  const [applied, setApplied] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  const [leaderboard] = useLoad(
    async () => (await jury.call(getLeaderboardRoute, { params: { id } })).data,
    id,
  );
  const [views] = useLoad(async () => {
    const query = applied ? { tags: applied } : {};
    const [standings, matrix, activity] = await Promise.all([
      jury.call(getStandingsRoute, { params: { id }, query }),
      jury.call(getWinLossMatrixRoute, { params: { id }, query }),
      jury.call(getLeaderboardActivityRoute, { params: { id } }),
    ]);
    return { standings: standings.data, matrix: matrix.data, activity: activity.data };
  }, `${id}|${applied}|${tick}`);
  // Keep the last views on screen while the next ones load (no flicker every few seconds)
  const [shown, setShown] = useState<{
    standings: Standings;
    matrix: WinLossMatrix;
    activity: LeaderboardActivity;
  }>();
  useEffect(() => {
    if (views.state === 'ok') setShown(views.data);
  }, [views]);
  return (
    <Loaded value={leaderboard}>
      {(l) => (
        <section>
          <PageTitle title={l.name}>{l.name}</PageTitle>
          <p className="muted">
            <Link to={`/benchmarks/${l.benchmarkId}`}>Benchmark</Link> · “{l.instruction}” ·{' '}
            {l.matching ? 'collecting votes' : 'vote budget used'}
            {l.inverseRanking ? ' · inverse ranking (the least preferred first)' : ''}
          </p>
          <p className="muted small" data-testid="leaderboard-settings">
            {settingsLine(l)}
          </p>
          <search>
            <form
              className="filters"
              onSubmit={(e) => {
                e.preventDefault();
                setApplied(tags.trim());
              }}
            >
              <div className="field">
                <label htmlFor="standings-tags">Only prompts tagged (comma-separated)</label>
                <input
                  id="standings-tags"
                  list="standings-tag-options"
                  value={tags}
                  onChange={(e) => setTags(e.target.value)}
                />
                <TagOptions benchmarkId={l.benchmarkId} id="standings-tag-options" />
              </div>
              <button type="submit">Apply</button>
            </form>
          </search>
          {!shown ? (
            <Loaded value={views}>{() => null}</Loaded>
          ) : (
            <>
              <section className="card wide" aria-labelledby="standings-title">
                <h2 id="standings-title">
                  Standings{' '}
                  <span className="muted small" data-testid="total-votes">
                    {shown.standings.totalVotes}
                  </span>
                  {/* from the standings shown, not the filter typed: the line changes when the refit arrives */}
                  <span className="muted small">
                    {' '}
                    {shown.standings.voteAggregation === 'majority' ? 'matchups (majority of each)' : 'votes'}
                    {shown.standings.tags ? ` on prompts tagged ${shown.standings.tags.join(', ')}` : ''}
                  </span>
                </h2>
                {shown.standings.warnings.map((w) => (
                  <p key={w.kind + w.models.join()} className="notice" role="note">
                    {w.message}
                  </p>
                ))}
                {shown.standings.standings.length === 0 ? (
                  <p className="muted">No votes yet.</p>
                ) : (
                  <>
                    <RatingPlot rows={shown.standings.standings} what="Standings" />
                    <table className="table">
                      <caption className="sr-only">Standings, best first</caption>
                      <thead>
                        <tr>
                          <th scope="col">Rank</th>
                          <th scope="col">Model</th>
                          <th scope="col">Rating</th>
                          <th scope="col">95% interval</th>
                          <th scope="col">Rank interval</th>
                          <th scope="col">Votes</th>
                          <th scope="col">Win rate</th>
                        </tr>
                      </thead>
                      <tbody>
                        {shown.standings.standings.map((s) => (
                          <tr key={s.name}>
                            <td>{s.rank}</td>
                            <th scope="row">{s.name}</th>
                            <td>{Math.round(s.score)}</td>
                            <td>
                              {Math.round(s.lower)} – {Math.round(s.upper)}
                            </td>
                            <td>
                              {s.rankLower === s.rankUpper ? s.rankLower : `${s.rankLower} – ${s.rankUpper}`}
                            </td>
                            <td>{s.votes}</td>
                            <td>{s.winRate === null ? '—' : percent(s.winRate)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                )}
              </section>
              {shown.matrix.models.length > 1 && (
                <section className="card wide" aria-labelledby="matrix-title">
                  <h2 id="matrix-title">Wins and losses</h2>
                  <WinLossHeatMap matrix={shown.matrix} what="models" />
                </section>
              )}
              <section className="card wide" aria-labelledby="activity-title">
                <h2 id="activity-title">Votes per day</h2>
                {shown.activity.votesPerDay.length === 0 ? (
                  <p className="muted">No labeler has voted yet.</p>
                ) : (
                  <VotesPerDay activity={shown.activity} />
                )}
              </section>
            </>
          )}
          <Matchups leaderboardId={l.id} benchmarkId={l.benchmarkId} tick={tick} />
          <p className="muted small">Created {formatDate(l.createdAt)}.</p>
        </section>
      )}
    </Loaded>
  );
}
