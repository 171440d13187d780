import { type PlotOptions, plot } from '@observablehq/plot';
import { useEffect, useRef } from 'react';

/**
 * An Observable Plot chart: `options` is a Plot spec (marks from `@observablehq/plot`), drawn into a div and drawn
 * anew whenever it changes, so callers keep it in a `useMemo` over their data. `label` names the chart for screen
 * readers (Plot's `ariaLabel`); the axes and tick labels Plot draws are text they read too.
 */
export function PlotFigure({
  options,
  label,
  className,
}: {
  options: PlotOptions;
  label: string;
  className?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = plot({ ariaLabel: label, ...options });
    // Plot names each mark's <g> ("bar", "x-axis tick"); a name needs a role, so they become groups
    for (const g of chart.querySelectorAll('g[aria-label]:not([role])')) g.setAttribute('role', 'group');
    container.current?.append(chart);
    return () => chart.remove();
  }, [options, label]);
  return <div ref={container} className={className ? `plot-figure ${className}` : 'plot-figure'} />;
}
