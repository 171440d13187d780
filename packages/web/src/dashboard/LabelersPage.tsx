import { getLabelerStatsRoute, type LabelerStats } from '@jury/api';
import { rectY, ruleY } from '@observablehq/plot';
import { useMemo } from 'react';
import { jury } from '../api.ts';
import { PlotFigure } from '../charts/PlotFigure.tsx';
import { Loaded, PageTitle, useLoad } from './ui.tsx';

const loadStats = async () => (await jury.call(getLabelerStatsRoute, { query: { days: 30 } })).data;

function TrustHistogram({ bins }: { bins: LabelerStats['trustScores'] }) {
  const options = useMemo(
    () => ({
      height: 240,
      x: { label: 'Trust score', domain: [0, 1] as [number, number] },
      y: { label: 'Labelers', grid: true },
      marks: [
        rectY(bins, { x1: 'from', x2: 'to', y: 'count', fill: '#3b5bdb', insetLeft: 1, insetRight: 1 }),
        ruleY([0]),
      ],
    }),
    [bins],
  );
  const total = bins.reduce((a, b) => a + b.count, 0);
  return <PlotFigure options={options} label={`Trust scores of ${total} labelers, as a histogram`} />;
}

function AnswersOverTime({ days }: { days: LabelerStats['answersPerDay'] }) {
  const options = useMemo(() => {
    const data = days.map((d) => ({ day: new Date(`${d.day}T00:00:00Z`), answers: d.answers }));
    return {
      height: 240,
      x: { label: 'Day', type: 'utc' as const },
      y: { label: 'Answers', grid: true },
      marks: [
        rectY(data, {
          x: 'day',
          y: 'answers',
          fill: '#3b5bdb',
          interval: 'day',
          insetLeft: 1,
          insetRight: 1,
        }),
        ruleY([0]),
      ],
    };
  }, [days]);
  return <PlotFigure options={options} label={`Answers per day over ${days.length} days`} />;
}

/** /labelers: how trusted the organization's labelers are, and how much they answered when. */
export function LabelersPage() {
  const [stats] = useLoad(loadStats, 'labeler-stats');
  return (
    <section>
      <PageTitle title="Labelers">Labelers</PageTitle>
      <Loaded value={stats}>
        {(s) => (
          <>
            <p>
              {s.labelers} labeler{s.labelers === 1 ? ' has' : 's have'} answered your organization's jobs.
            </p>
            <section className="card wide" aria-labelledby="trust-title">
              <h2 id="trust-title">Trust scores</h2>
              <p className="muted">
                A labeler's trust score weighs their answers in results; it rises with right answers to
                qualification examples.
              </p>
              {s.trustScores.some((b) => b.count > 0) ? (
                <TrustHistogram bins={s.trustScores} />
              ) : (
                <p>No labeler has answered your jobs yet.</p>
              )}
            </section>
            <section className="card wide" aria-labelledby="answers-title">
              <h2 id="answers-title">Answers per day, last 30 days</h2>
              {s.answersPerDay.some((d) => d.answers > 0) ? (
                <AnswersOverTime days={s.answersPerDay} />
              ) : (
                <p>No answers yet.</p>
              )}
            </section>
          </>
        )}
      </Loaded>
    </section>
  );
}
