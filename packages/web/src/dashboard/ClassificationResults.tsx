import type { Item, ClassificationResults as Results } from '@jury/api';
import { barX, ruleX } from '@observablehq/plot';
import { useMemo, useState } from 'react';
import { PlotFigure } from '../charts/PlotFigure.tsx';
import { ItemView } from '../labeler/ItemView.tsx';
import { Pager } from './JobsPage.tsx';
import { percent } from './ui.tsx';

type Result = Results['results']['data'][number];

function Distribution({ counts, label }: { counts: Record<string, number>; label: string }) {
  const options = useMemo(() => {
    const data = Object.entries(counts).map(([category, votes]) => ({ category, votes }));
    return {
      height: 28 * data.length + 40,
      marginLeft: 120,
      marginRight: 24,
      x: { label: 'Votes', grid: true },
      y: { label: null, domain: data.map((d) => d.category) },
      marks: [
        barX(data, {
          x: 'votes',
          y: 'category',
          fill: '#3b5bdb',
          title: (d: (typeof data)[number]) => `${d.category}: ${d.votes}`,
        }),
        ruleX([0]),
      ],
    };
  }, [counts]);
  return <PlotFigure options={options} label={label} className="distribution" />;
}

/** The category with the most summed trust, or null before any vote. */
const leader = (r: Result) => {
  const [best] = Object.entries(r.summedUserScores).sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : null;
};

function ClassificationDatapoint({
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
  const name = result.originalFileName ?? result.text ?? `Datapoint ${index + 1}`;
  const votes = Object.values(result.aggregatedResults).reduce((a, b) => a + b, 0);
  const top = leader(result);
  const item = items?.[0];
  const summary = Object.entries(result.aggregatedResults)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  return (
    <article className="result card wide" aria-labelledby={`dp-${index}`}>
      <h3 id={`dp-${index}`}>
        Datapoint {index + 1}
        <span className="muted small">
          {' '}
          · {votes} vote{votes === 1 ? '' : 's'} · {top ? `leading: ${top}` : 'no votes yet'}
        </span>
      </h3>
      {result.context && <p className="context">{result.context}</p>}
      <div className="classify-result">
        <div className="side-media">
          {item ? <ItemView item={item} markdown={markdown} label={name} /> : <p className="muted">{name}</p>}
        </div>
        <div>
          <Distribution
            counts={result.aggregatedResults}
            label={`Votes per category for datapoint ${index + 1}: ${summary}`}
          />
          <table className="table compact">
            <caption className="sr-only">Datapoint {index + 1} by category</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Votes</th>
                <th scope="col">Ratio</th>
                <th scope="col">Trust ratio</th>
                {result.confidencePerCategory && <th scope="col">Confidence</th>}
              </tr>
            </thead>
            <tbody>
              {Object.keys(result.aggregatedResults).map((c) => (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  <td>{result.aggregatedResults[c]}</td>
                  <td>{percent(result.aggregatedResultsRatios[c])}</td>
                  <td>{percent(result.summedUserScoresRatios[c])}</td>
                  {result.confidencePerCategory && <td>{percent(result.confidencePerCategory[c])}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </article>
  );
}

const PAGE_SIZE = 20;

/** Classification results: the overall distribution, then each datapoint's distribution and confidence. */
export function ClassificationResults({
  results,
  datapoints,
  markdown,
}: {
  results: Results;
  datapoints: readonly (Item[] | undefined)[];
  markdown: boolean;
}) {
  const [page, setPage] = useState(1);
  const data = results.results.data;
  return (
    <div className="results">
      <h3>All datapoints</h3>
      <Distribution
        counts={results.results.globalAggregatedData}
        label="Votes per category over all datapoints"
      />
      {data.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((result, k) => {
        const index = (page - 1) * PAGE_SIZE + k;
        return (
          <ClassificationDatapoint
            key={index}
            index={index}
            result={result}
            items={datapoints[index]}
            markdown={markdown}
          />
        );
      })}
      <Pager page={page} total={data.length} size={PAGE_SIZE} onPage={setPage} />
    </div>
  );
}
