import type { JobResults } from '@jury/api';
import { useMemo, useState } from 'react';
import { Pager } from './JobsPage.tsx';

interface Row {
  datapoint: number;
  answer: string;
  country: string | null;
  language: string | null;
  trust: number;
}

/** Every response of the results (their `detailedResults`), one row each. */
function rowsOf(results: JobResults): Row[] {
  if ('summary' in results)
    return results.results.flatMap((r, i) =>
      r.detailedResults.map((d) => ({
        datapoint: i + 1,
        answer: d.votedFor,
        country: d.userDetails.country,
        language: d.userDetails.language,
        trust: d.userDetails.userScores.global,
      })),
    );
  return results.results.data.flatMap((r, i) =>
    r.detailedResults.map((d) => ({
      datapoint: i + 1,
      answer: d.selectedCategory,
      country: d.userDetails.country,
      language: d.userDetails.language,
      trust: d.userDetails.userScore,
    })),
  );
}

const PAGE_SIZE = 50;

export function ResponsesTable({ results }: { results: JobResults }) {
  const rows = useMemo(() => rowsOf(results), [results]);
  const [page, setPage] = useState(1);
  if (rows.length === 0) return <p className="muted">No responses yet.</p>;
  return (
    <>
      <div className="table-scroll">
        <table className="table">
          <caption className="sr-only">
            Responses: datapoint, answer, labeler country, language, trust score
          </caption>
          <thead>
            <tr>
              <th scope="col">Datapoint</th>
              <th scope="col">Answer</th>
              <th scope="col">Country</th>
              <th scope="col">Language</th>
              <th scope="col">Trust score</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r, k) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id of their own and never reorder
              <tr key={k}>
                <td>{r.datapoint}</td>
                <td>{r.answer}</td>
                <td>{r.country ?? '—'}</td>
                <td>{r.language ?? '—'}</td>
                <td>{r.trust.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={page} total={rows.length} size={PAGE_SIZE} onPage={setPage} />
    </>
  );
}
