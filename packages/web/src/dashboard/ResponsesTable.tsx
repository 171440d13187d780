import { listJobResponsesRoute } from '@jury/api';
import { useState } from 'react';
import { jury } from '../api.ts';
import { Pager } from './JobsPage.tsx';
import { formatDate, Loaded, useLoad } from './ui.tsx';

const PAGE_SIZE = 50;

/**
 * The job's responses one by one, oldest first: the answer, the labeler's country, language and trust score, and
 * whether it is flagged (counted at the flagged weight) or left out of the results.
 */
export function ResponsesTable({ jobId, responses }: { jobId: string; responses: number }) {
  const [page, setPage] = useState(1);
  const [rows] = useLoad(
    () => jury.call(listJobResponsesRoute, { params: { id: jobId }, query: { amount: PAGE_SIZE, page } }),
    `${jobId}:${page}:${responses}`,
  );
  return (
    <Loaded value={rows}>
      {({ data, total }) =>
        total === 0 ? (
          <p className="muted">No responses yet.</p>
        ) : (
          <>
            <div className="table-scroll">
              <table className="table">
                <caption className="sr-only">
                  Responses: datapoint, answer, labeler country, language, trust score, flags, time
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Datapoint</th>
                    <th scope="col">Answer</th>
                    <th scope="col">Country</th>
                    <th scope="col">Language</th>
                    <th scope="col">Trust score</th>
                    <th scope="col">Flags</th>
                    <th scope="col">Answered</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((r) => (
                    <tr key={r.id}>
                      <td>{r.datapoint.index + 1}</td>
                      <td>{r.votedFor}</td>
                      <td>{r.labeler.country ?? '—'}</td>
                      <td>{r.labeler.language ?? '—'}</td>
                      <td>{r.labeler.trustScore.toFixed(3)}</td>
                      <td>{flagsOf(r)}</td>
                      <td>{formatDate(r.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={page} total={total} size={PAGE_SIZE} onPage={setPage} />
          </>
        )
      }
    </Loaded>
  );
}

/** What the Flags column says: left out of the results (and why), flagged (and why), or a dash. */
function flagsOf(r: { flaggedReason: string | null; excluded: string | null }): string {
  const parts: string[] = [];
  if (r.excluded) parts.push(`left out: ${r.excluded.replaceAll('_', ' ')}`);
  if (r.flaggedReason) parts.push(`flagged: ${r.flaggedReason.replaceAll('_', ' ')}`);
  return parts.length > 0 ? parts.join('; ') : '—';
}
