import type { Item, CompareResults as Results } from '@jury/api';
import { barX, ruleX, stackX } from '@observablehq/plot';
import { useMemo, useState } from 'react';
import { PlotFigure } from '../charts/PlotFigure.tsx';
import { ItemView } from '../labeler/ItemView.tsx';
import { Pager } from './JobsPage.tsx';
import { percent } from './ui.tsx';

type Result = Results['results'][number];

/** Side colours (A blue, B orange, then Both/Neither greys): distinct for colour-blind readers too. */
export const OPTION_COLOURS = ['#3b5bdb', '#c2410c', '#868e96', '#495057'];
const SIDES = ['A', 'B', 'Both', 'Neither'];

/** How clear the vote was: the gap between the two sides' trust-weighted shares (1 unanimous, 0 a tie). */
export const clarity = (r: Result) => {
  const [a = 0, b = 0] = Object.values(r.summedUserScoresRatios);
  return Math.abs(a - b);
};

/** A stacked bar of votes per option (A, B, then Both/Neither), e.g. one datapoint's or one matchup's. */
export function VoteBar({ counts, label }: { counts: readonly [string, number][]; label: string }) {
  const options = useMemo(() => {
    const data = counts.map(([option, votes], k) => ({ side: SIDES[k] ?? option, option, votes }));
    return {
      height: 64,
      marginTop: 8,
      marginLeft: 8,
      marginRight: 16,
      x: { label: 'Votes', grid: false },
      color: { domain: data.map((d) => d.side), range: OPTION_COLOURS },
      marks: [
        barX(
          data,
          stackX({ x: 'votes', fill: 'side', title: (d: (typeof data)[number]) => `${d.side}: ${d.votes}` }),
        ),
        ruleX([0]),
      ],
    };
  }, [counts]);
  return <PlotFigure options={options} label={label} className="vote-bar" />;
}

function CompareDatapoint({
  index,
  result,
  items,
  markdown,
}: {
  index: number;
  result: Result;
  items: Item[] | undefined;
  markdown: boolean;
}) {
  const names = Object.keys(result.aggregatedResults);
  const counts = useMemo(() => Object.entries(result.aggregatedResults), [result]);
  const votes = Object.values(result.aggregatedResults).reduce((a, b) => a + b, 0);
  const summary = names.map((n, k) => `${SIDES[k]} ${result.aggregatedResults[n]}`).join(', ');
  return (
    <article className="result card wide" aria-labelledby={`dp-${index}`}>
      <h3 id={`dp-${index}`}>
        Datapoint {index + 1}
        <span className="muted small">
          {' '}
          · {votes} vote{votes === 1 ? '' : 's'} ·{' '}
          {result.winner ? `winner: ${result.winner}` : 'no winner yet'}
        </span>
      </h3>
      {result.context && <p className="context">{result.context}</p>}
      <div className="pair">
        {names.slice(0, 2).map((name, k) => {
          const item = items?.[k];
          const won = result.winner_index === k;
          return (
            <figure key={name} className={won ? 'side is-winner' : 'side'}>
              <div className="side-media">
                {item ? (
                  <ItemView item={item} markdown={markdown} label={`Option ${SIDES[k]}: ${name}`} />
                ) : (
                  <p className="muted">{name}</p>
                )}
              </div>
              <figcaption>
                <span className="side-tag" style={{ background: OPTION_COLOURS[k] }}>
                  {SIDES[k]}
                </span>{' '}
                <span className="option-name">{name}</span>
                {won && <strong className="winner-tag"> Winner</strong>}
              </figcaption>
            </figure>
          );
        })}
      </div>
      <VoteBar counts={counts} label={`Votes for datapoint ${index + 1}: ${summary}`} />
      <table className="table compact">
        <caption className="sr-only">Datapoint {index + 1} by option</caption>
        <thead>
          <tr>
            <th scope="col">Option</th>
            <th scope="col">Votes</th>
            <th scope="col">Ratio</th>
            <th scope="col">Summed trust</th>
            <th scope="col">Trust ratio</th>
          </tr>
        </thead>
        <tbody>
          {names.map((n, k) => (
            <tr key={n}>
              <th scope="row">
                {SIDES[k]} · {n}
              </th>
              <td>{result.aggregatedResults[n]}</td>
              <td>{percent(result.aggregatedResultsRatios[n])}</td>
              <td>{(result.summedUserScores[n] ?? 0).toFixed(3)}</td>
              <td>{percent(result.summedUserScoresRatios[n])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

type Order = 'datapoint' | 'clearest' | 'closest';
const PAGE_SIZE = 20;

/** Compare results: per datapoint the two media side by side, the vote bar, winner, ratios and summed trust. */
export function CompareResults({
  results,
  datapoints,
  markdown,
}: {
  results: Results;
  datapoints: readonly (Item[] | undefined)[];
  markdown: boolean;
}) {
  const [order, setOrder] = useState<Order>('datapoint');
  const [page, setPage] = useState(1);
  const rows = useMemo(() => {
    const indexed = results.results.map((result, index) => ({ result, index }));
    if (order === 'clearest') indexed.sort((x, y) => clarity(y.result) - clarity(x.result));
    if (order === 'closest') indexed.sort((x, y) => clarity(x.result) - clarity(y.result));
    return indexed;
  }, [results, order]);
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return (
    <div className="results">
      <p>
        A won {results.summary.A_wins_total} and B won {results.summary.B_wins_total} of{' '}
        {results.results.length} datapoints (winner by summed trust scores).
      </p>
      <div className="field inline">
        <label htmlFor="result-order">Sort by</label>
        <select
          id="result-order"
          value={order}
          onChange={(e) => {
            setOrder(e.target.value as Order);
            setPage(1);
          }}
        >
          <option value="datapoint">Datapoint order</option>
          <option value="clearest">Clearest vote first</option>
          <option value="closest">Closest vote first</option>
        </select>
      </div>
      {shown.map(({ result, index }) => (
        <CompareDatapoint
          key={index}
          index={index}
          result={result}
          items={datapoints[index]}
          markdown={markdown}
        />
      ))}
      <Pager page={page} total={rows.length} size={PAGE_SIZE} onPage={setPage} />
    </div>
  );
}
