// Pairwise rankings as pictures, shared by leaderboards, flow items and ranking jobs: ratings with their intervals,
// and the win/loss matrix as a heat map.
import type { WinLossMatrix } from '@jury/api';
import { cell, dot, ruleY, text } from '@observablehq/plot';
import { useMemo } from 'react';
import { PlotFigure } from '../charts/PlotFigure.tsx';

export interface RatingRow {
  name: string;
  rank: number;
  score: number;
  lower: number | null;
  upper: number | null;
}

/** Each row's rating as a dot on its 95% interval, best first (rows without an interval show the dot only). */
export function RatingPlot({ rows, what }: { rows: readonly RatingRow[]; what: string }) {
  const standings = rows;
  const options = useMemo(() => {
    const order = standings.map((s) => s.name);
    return {
      height: 40 + 32 * standings.length,
      marginLeft: 140,
      x: { label: 'Rating (Elo scale), 95% interval', grid: true },
      y: { label: null, domain: order },
      marks: [
        ruleY(
          standings.filter((s) => s.lower !== null && s.upper !== null),
          { y: 'name', x1: 'lower', x2: 'upper', stroke: '#3b5bdb', strokeWidth: 3 },
        ),
        dot(standings, { y: 'name', x: 'score', fill: '#c2410c', r: 5 }),
      ],
    };
  }, [standings]);
  const interval = (s: RatingRow) =>
    s.lower === null || s.upper === null ? '' : ` (${Math.round(s.lower)} to ${Math.round(s.upper)})`;
  const label = standings.map((s) => `${s.rank}. ${s.name} ${Math.round(s.score)}${interval(s)}`).join('; ');
  return <PlotFigure options={options} label={`${what}: ${label}`} className="standings-plot" />;
}

/** Each cell: the row's wins over the column (ties half each), coloured by the share. */
export function WinLossHeatMap({ matrix, what }: { matrix: WinLossMatrix; what: string }) {
  const options = useMemo(() => {
    const data = matrix.models.flatMap((winner, i) =>
      matrix.models.flatMap((loser, j) => {
        const votes = matrix.votes[i]?.[j] ?? 0;
        if (i === j || votes === 0) return [];
        const wins = matrix.wins[i]?.[j] ?? 0;
        return [{ winner, loser, rate: wins / votes, label: `${Math.round(wins)}/${votes}` }];
      }),
    );
    return {
      height: 60 + 40 * matrix.models.length,
      marginLeft: 140,
      marginBottom: 60,
      x: { label: 'against', domain: matrix.models, tickRotate: -30 },
      y: { label: 'wins of', domain: matrix.models },
      color: {
        type: 'linear' as const,
        scheme: 'BuRd' as const,
        domain: [1, 0] as [number, number],
        legend: true,
      },
      marks: [
        cell(data, { x: 'loser', y: 'winner', fill: 'rate', inset: 1 }),
        text(data, {
          x: 'loser',
          y: 'winner',
          text: 'label',
          fill: (d: { rate: number }) => (Math.abs(d.rate - 0.5) > 0.3 ? 'white' : 'black'),
        }),
      ],
    };
  }, [matrix]);
  return (
    <PlotFigure
      options={options}
      label={`Win/loss matrix of ${matrix.models.length} ${what}: each cell is the row's wins over the column`}
      className="win-loss"
    />
  );
}
