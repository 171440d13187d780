// A page for test/e2e/plot-figure-browser.test.ts: a compare datapoint's votes as bars through PlotFigure, rendered
// (and rendered again, and removed) by the test through window.renderVotes.
import { barY } from '@observablehq/plot';
import { useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { PlotFigure } from './PlotFigure.tsx';

type Votes = Record<string, number>;

function VoteBars({ votes }: { votes: Votes }) {
  const options = useMemo(
    () => ({
      marks: [
        barY(
          Object.entries(votes).map(([option, count]) => ({ option, count })),
          { x: 'option', y: 'count', fill: '#3b5bdb' },
        ),
      ],
    }),
    [votes],
  );
  return <PlotFigure options={options} label="Votes per option" />;
}

const root = createRoot(document.getElementById('root') as HTMLElement);
(window as unknown as { renderVotes(votes: Votes | null): void }).renderVotes = (votes) =>
  root.render(votes ? <VoteBars votes={votes} /> : null);
