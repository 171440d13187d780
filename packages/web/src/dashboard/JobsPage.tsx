import { JOB_STATUSES, type JobStatus, listJobsRoute } from '@jury/api';
import { useState } from 'react';
import { jury } from '../api.ts';
import { useAudienceNames } from './audience-names.ts';
import { formatDate, Link, Loaded, PageTitle, ProgressBar, useLoad } from './ui.tsx';

const PAGE_SIZE = 50;

export function StatusBadge({ status }: { status: JobStatus }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

/** /jobs: newest first, filtered by name (server side) and status. */
export function JobsPage() {
  const [name, setName] = useState('');
  const [status, setStatus] = useState<JobStatus | ''>('');
  const [page, setPage] = useState(1);
  const audiences = useAudienceNames();
  const [jobs] = useLoad(
    () =>
      jury.call(listJobsRoute, {
        query: { name: name || undefined, status: status || undefined, amount: PAGE_SIZE, page },
      }),
    `${name}|${status}|${page}`,
  );
  return (
    <section>
      <PageTitle title="Jobs">Jobs</PageTitle>
      <search className="filters">
        <div className="field">
          <label htmlFor="job-name">Name contains</label>
          <input
            id="job-name"
            type="search"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setPage(1);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="job-status">Status</label>
          <select
            id="job-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as JobStatus | '');
              setPage(1);
            }}
          >
            <option value="">Any</option>
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </search>
      <Loaded value={jobs}>
        {({ data, total }) => {
          if (total === 0 && !name && !status)
            return (
              <div className="card empty">
                <p>No jobs yet.</p>
                <p>
                  Create one from a <Link to="/definitions">job definition</Link>, or with the SDK:{' '}
                  <code>definition.assignToAudience(audience)</code>. API clients for the SDK are in{' '}
                  <Link to="/settings/clients">Settings</Link>.
                </p>
              </div>
            );
          return (
            <>
              <table className="table">
                <caption className="sr-only">Jobs, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Progress</th>
                    <th scope="col">Audience</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((job) => (
                    <tr key={job.id}>
                      <td>
                        <Link to={`/jobs/${job.id}`}>{job.name}</Link>
                        <div className="muted small">{job.type}</div>
                      </td>
                      <td>
                        <StatusBadge status={job.status} />
                      </td>
                      <td className="progress-cell">
                        <ProgressBar
                          percent={job.progress.completionPercentage}
                          label={`${job.name} progress`}
                        />
                        <span className="small">
                          {job.progress.completedTasks} / {job.progress.totalTasks} datapoints
                        </span>
                      </td>
                      <td>{audiences.get(job.audienceId) ?? job.audienceId}</td>
                      <td>{formatDate(job.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {total === 0 && <p className="muted">No job matches.</p>}
              <Pager page={page} total={total} size={PAGE_SIZE} onPage={setPage} />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

export function Pager({
  page,
  total,
  size,
  onPage,
}: {
  page: number;
  total: number;
  size: number;
  onPage(p: number): void;
}) {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages === 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
