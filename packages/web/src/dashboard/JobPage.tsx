import {
  getJobDefinitionRoute,
  getJobResultsRoute,
  getJobRoute,
  type Job,
  type JobDefinition,
  type JobResults,
  pauseJobRoute,
  resumeJobRoute,
} from '@jury/api';
import { useEffect, useState } from 'react';
import { jury } from '../api.ts';
import { useAudienceNames } from './audience-names.ts';
import { loadResultItems } from './datapoints.ts';
import { StatusBadge } from './JobsPage.tsx';
import { ResponsesTable } from './ResponsesTable.tsx';
import { ShareLabelerLink } from './Share.tsx';
import { dashboardTaskType } from './task-types/index.ts';
import { FormError, formatDate, Link, Loaded, PageTitle, ProgressBar, useLoad } from './ui.tsx';

/** How often a running job's progress is read again. */
const POLL_MS = 1500;
const LIVE: readonly Job['status'][] = ['created', 'running'];

/** /jobs/:id: live progress, pause/resume, results as pictures, responses, downloads. */
export function JobPage({ id }: { id: string }) {
  const [job, reloadJob] = useLoad(async () => (await jury.call(getJobRoute, { params: { id } })).data, id);
  const live = job.state === 'ok' && LIVE.includes(job.data.status);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void reloadJob(), POLL_MS);
    return () => clearInterval(timer);
  }, [live, reloadJob]);
  return <Loaded value={job}>{(data) => <JobView job={data} onChange={reloadJob} />}</Loaded>;
}

function JobView({ job, onChange }: { job: Job; onChange(): Promise<void> }) {
  const audiences = useAudienceNames();
  const [definition] = useLoad(
    async () => (await jury.call(getJobDefinitionRoute, { params: { id: job.definitionId } })).data,
    job.definitionId,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const toggle = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await jury.call(job.status === 'paused' ? resumeJobRoute : pauseJobRoute, { params: { id: job.id } });
      await onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const { progress } = job;
  return (
    <>
      <PageTitle title={job.name}>{job.name}</PageTitle>
      <p className="meta">
        <StatusBadge status={job.status} /> {job.type} · audience{' '}
        <Link to={job.audienceId === 'global' ? '/audiences' : `/audiences/${job.audienceId}`}>
          {audiences.get(job.audienceId) ?? job.audienceId}
        </Link>{' '}
        · definition <Link to={`/definitions/${job.definitionId}`}>revision {job.revision}</Link> · created{' '}
        {formatDate(job.createdAt)}
        {job.completedAt && ` · completed ${formatDate(job.completedAt)}`}
      </p>
      <section className="card wide" aria-labelledby="progress-title">
        <h2 id="progress-title">Progress</h2>
        <ProgressBar percent={progress.completionPercentage} label="Job progress" />
        <p className="progress-text" aria-live="polite">
          <span data-testid="completed-tasks">{progress.completedTasks}</span> of {progress.totalTasks}{' '}
          datapoints done · <span data-testid="response-count">{progress.responses}</span> responses ·{' '}
          {Math.round(progress.completionPercentage)}%
        </p>
        {progress.stalled && (
          <p className="notice warning" role="status">
            <strong>Stalled since {formatDate(progress.stalled.since)}:</strong> {progress.stalled.reason}
          </p>
        )}
        {(job.status === 'running' || job.status === 'paused') && (
          <div className="actions">
            <button type="button" onClick={() => void toggle()} disabled={busy}>
              {job.status === 'paused' ? 'Resume' : 'Pause'}
            </button>
            <span className="muted small">
              {job.status === 'paused' ? 'Labelers get no tasks of this job while it is paused.' : ''}
            </span>
          </div>
        )}
        <FormError error={error} />
      </section>
      <Downloads jobId={job.id} />
      <Loaded value={definition}>{(def) => <JobResultsSection job={job} definition={def} />}</Loaded>
      <ShareLabelerLink what="job" />
    </>
  );
}

function Downloads({ jobId }: { jobId: string }) {
  const base = `/api/v1/jobs/${encodeURIComponent(jobId)}/results`;
  return (
    <section className="card wide" aria-labelledby="downloads-title">
      <h2 id="downloads-title">Download results</h2>
      <ul className="downloads">
        <li>
          <a href={`${base}.csv`} download={`${jobId}-results.csv`}>
            CSV
          </a>{' '}
          <span className="muted small">one row per datapoint</span>
        </li>
        <li>
          <a href={`${base}.jsonl`} download={`${jobId}-results.jsonl`}>
            JSONL
          </a>{' '}
          <span className="muted small">one JSON object per datapoint</span>
        </li>
        <li>
          <a href={base} download={`${jobId}-results.json`}>
            JSON
          </a>{' '}
          <span className="muted small">what the API and the SDK's getResults() answer</span>
        </li>
      </ul>
    </section>
  );
}

/** How far to trust the results: responses flagged (counted at a lower weight) or excluded, and why. */
function IntegrityLine({ integrity }: { integrity: JobResults['integrity'] }) {
  const part = (what: string, counts: { total: number; byReason: Record<string, number> }, more = '') => {
    const reasons = Object.entries(counts.byReason).map(
      ([reason, n]) => `${reason.replaceAll('_', ' ')}: ${n}`,
    );
    return counts.total > 0 ? `${counts.total} ${what} (${reasons.join(', ')})${more}` : `0 ${what}`;
  };
  const text = [
    `${integrity.responses} responses`,
    part('flagged', integrity.flagged, ', weighed less'),
    part('excluded', integrity.excluded),
  ].join(' · ');
  return (
    <p className="integrity-line">
      <span className="muted">Integrity:</span> {text}
    </p>
  );
}

function JobResultsSection({ job, definition }: { job: Job; definition: JobDefinition }) {
  const [tab, setTab] = useState<'results' | 'responses'>('results');
  const [shown, setShown] = useState<JobResults>();
  // Read again when responses arrive: the results follow the progress without a reload
  const [results] = useLoad(
    async () => (await jury.call(getJobResultsRoute, { params: { id: job.id } })).data,
    `${job.id}:${job.progress.responses}:${job.status}`,
  );
  // Each result's media; read again while some datapoint has none yet (its first response names them)
  const [items, reloadItems] = useLoad(() => loadResultItems(job.id, definition.id), job.id);
  const known = items.state === 'ok' ? items.data.filter(Boolean).length : 0;
  const taskType = dashboardTaskType(job.type);
  const total = shown ? taskType.resultCount(shown) : 0;
  useEffect(() => {
    if (job.progress.responses > 0 && known < total) void reloadItems();
  }, [job.progress.responses, known, total, reloadItems]);
  const points = items.state === 'ok' ? items.data : [];
  useEffect(() => {
    if (results.state === 'ok') setShown(results.data);
  }, [results]);
  const markdown = definition.settings.includes('Markdown');
  return (
    <section className="card wide" aria-labelledby="results-title">
      <h2 id="results-title">Results</h2>
      <p className="instruction-line">
        <span className="muted">Instruction:</span> {definition.instruction}
      </p>
      {shown ? <IntegrityLine integrity={shown.integrity} /> : null}
      <div className="tabs" role="tablist" aria-label="Results views">
        {(['results', 'responses'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`panel-${t}`}
            onClick={() => setTab(t)}
          >
            {t === 'results' ? 'By datapoint' : 'Responses'}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {shown ? (
          tab === 'responses' ? (
            <ResponsesTable jobId={job.id} responses={job.progress.responses} />
          ) : (
            <taskType.Results results={shown} datapoints={points} markdown={markdown} />
          )
        ) : (
          <Loaded value={results}>{() => null}</Loaded>
        )}
      </div>
    </section>
  );
}
