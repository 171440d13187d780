import {
  createJobRoute,
  createPreviewRoute,
  findAudiencesRoute,
  GLOBAL_AUDIENCE_ID,
  getJobDefinitionRoute,
  type JobDefinition,
  type JobDefinitionPreview,
  listJobDefinitionsRoute,
  listJobsRoute,
  listRevisionsRoute,
} from '@jury/api';
import { JuryNotFoundError } from '@jury/sdk/client';
import { type FormEvent, useState } from 'react';
import { jury } from '../api.ts';
import { ItemView } from '../labeler/ItemView.tsx';
import { navigate } from '../router.ts';
import { loadDatapoints } from './datapoints.ts';
import { Pager } from './JobsPage.tsx';
import { CopyField, FormError, formatDate, Link, Loaded, PageTitle, useLoad } from './ui.tsx';

const PAGE_SIZE = 50;

/** /definitions: what to ask about which datapoints; newest first, filtered by name. */
export function DefinitionsPage() {
  const [name, setName] = useState('');
  const [page, setPage] = useState(1);
  const [definitions] = useLoad(
    () => jury.call(listJobDefinitionsRoute, { query: { name: name || undefined, amount: PAGE_SIZE, page } }),
    `${name}|${page}`,
  );
  return (
    <section>
      <PageTitle title="Job definitions">Job definitions</PageTitle>
      <search className="filters">
        <div className="field">
          <label htmlFor="def-name">Name contains</label>
          <input
            id="def-name"
            type="search"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setPage(1);
            }}
          />
        </div>
      </search>
      <Loaded value={definitions}>
        {({ data, total }) =>
          total === 0 ? (
            <div className="card empty">
              <p>
                No job definitions yet. Create them with the SDK (
                <code>jury.jobs.createCompareJobDefinition(…)</code>
                ); they appear here.
              </p>
            </div>
          ) : (
            <>
              <table className="table">
                <caption className="sr-only">Job definitions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Datapoints</th>
                    <th scope="col">Revision</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <Link to={`/definitions/${d.id}`}>{d.name}</Link>
                      </td>
                      <td>{d.type}</td>
                      <td>{d.datapointCount}</td>
                      <td>{d.revision}</td>
                      <td>{formatDate(d.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager page={page} total={total} size={PAGE_SIZE} onPage={setPage} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

async function loadRevisions(definition: JobDefinition): Promise<JobDefinition[]> {
  try {
    return (await jury.call(listRevisionsRoute, { params: { id: definition.id } })).data;
  } catch (error) {
    if (error instanceof JuryNotFoundError) return [definition];
    throw error;
  }
}

/** /definitions/:id: the task, its revisions and datapoints, a preview, assigning it to an audience. */
export function DefinitionPage({ id }: { id: string }) {
  const [definition] = useLoad(
    async () => (await jury.call(getJobDefinitionRoute, { params: { id } })).data,
    id,
  );
  return <Loaded value={definition}>{(d) => <DefinitionView definition={d} />}</Loaded>;
}

function DefinitionView({ definition }: { definition: JobDefinition }) {
  const [revisions] = useLoad(() => loadRevisions(definition), `${definition.id}:${definition.revision}`);
  const [datapoints] = useLoad(() => loadDatapoints(definition.id), definition.id);
  const [jobs] = useLoad(
    async () =>
      (await jury.call(listJobsRoute, { query: { amount: 100 } })).data.filter(
        (j) => j.definitionId === definition.id,
      ),
    `jobs:${definition.id}`,
  );
  const markdown = definition.settings.includes('Markdown');
  return (
    <>
      <PageTitle title={definition.name}>{definition.name}</PageTitle>
      <p className="meta">
        {definition.type} · {definition.datapointCount} datapoints · {definition.responsesPerDatapoint}{' '}
        responses per datapoint · revision {definition.revision} · created {formatDate(definition.createdAt)}
      </p>
      <section className="card wide" aria-labelledby="task-title">
        <h2 id="task-title">Task</h2>
        <p>{definition.instruction}</p>
        {definition.answerOptions && <p>Answer options: {definition.answerOptions.join(', ')}</p>}
        {definition.settings.length > 0 && (
          <p className="muted">Settings: {definition.settings.join(', ')}</p>
        )}
        <p className="muted">
          Stops{' '}
          {definition.confidenceThreshold
            ? `at ${definition.confidenceThreshold} confidence`
            : definition.quorumThreshold
              ? `when ${definition.quorumThreshold} responses agree`
              : `after ${definition.responsesPerDatapoint} responses`}
          .
        </p>
        <Preview definitionId={definition.id} />
      </section>
      <Assign definition={definition} />
      <section className="card wide" aria-labelledby="jobs-title">
        <h2 id="jobs-title">Jobs of this definition</h2>
        <Loaded value={jobs}>
          {(list) =>
            list.length === 0 ? (
              <p className="muted">Not assigned yet.</p>
            ) : (
              <ul>
                {list.map((j) => (
                  <li key={j.id}>
                    <Link to={`/jobs/${j.id}`}>{j.name}</Link> ({j.status}, revision {j.revision})
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
      <section className="card wide" aria-labelledby="revisions-title">
        <h2 id="revisions-title">Revisions</h2>
        <Loaded value={revisions}>
          {(list) => (
            <table className="table compact">
              <caption className="sr-only">Revisions, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Instruction</th>
                  <th scope="col">Responses per datapoint</th>
                  <th scope="col">Settings</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={r.revision}>
                    <td>{r.revision}</td>
                    <td>{r.instruction}</td>
                    <td>{r.responsesPerDatapoint}</td>
                    <td>{r.settings.join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Loaded>
      </section>
      <section className="card wide" aria-labelledby="datapoints-title">
        <h2 id="datapoints-title">Datapoints</h2>
        <Loaded value={datapoints}>
          {(list) =>
            list === null ? (
              <p className="muted">
                {definition.datapointCount} datapoints; their media show on the results of its jobs.
              </p>
            ) : (
              <ol className="datapoints">
                {list.slice(0, 100).map((dp, i) => (
                  <li key={dp.id}>
                    {dp.context && <p className="context">{dp.context}</p>}
                    <div className="pair">
                      {dp.items.map((item, k) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: a datapoint's items keep their order
                        <div className="side-media" key={k}>
                          <ItemView
                            item={item}
                            markdown={markdown}
                            label={`Datapoint ${i + 1}, item ${k + 1}${item.type === 'asset' ? `: ${item.name}` : ''}`}
                          />
                        </div>
                      ))}
                    </div>
                  </li>
                ))}
              </ol>
            )
          }
        </Loaded>
      </section>
    </>
  );
}

function Preview({ definitionId }: { definitionId: string }) {
  const [preview, setPreview] = useState<JobDefinitionPreview>();
  const [error, setError] = useState<unknown>();
  const create = async () => {
    setError(undefined);
    try {
      setPreview((await jury.call(createPreviewRoute, { params: { id: definitionId } })).data);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="preview">
      <button type="button" onClick={() => void create()}>
        Create a preview link
      </button>
      <FormError error={error} />
      {preview && (
        <>
          <CopyField label="Preview link" value={preview.url} />
          <p className="small">
            <a href={preview.url} target="_blank" rel="noreferrer">
              Open the preview
            </a>{' '}
            <span className="muted">
              (the labeler's view; answers are not recorded; until {formatDate(preview.expiresAt)})
            </span>
          </p>
        </>
      )}
    </div>
  );
}

function Assign({ definition }: { definition: JobDefinition }) {
  const [audiences] = useLoad(
    async () => (await jury.call(findAudiencesRoute, { query: { amount: 500 } })).data,
    'audiences',
  );
  const [audienceId, setAudienceId] = useState(GLOBAL_AUDIENCE_ID);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await jury.call(createJobRoute, {
        json: { definitionId: definition.id, audienceId, name: name.trim() || undefined },
      });
      navigate(`/jobs/${data.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <section className="card wide" aria-labelledby="assign-title">
      <h2 id="assign-title">Assign to an audience</h2>
      <form className="form row" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="assign-audience">Audience</label>
          <select id="assign-audience" value={audienceId} onChange={(e) => setAudienceId(e.target.value)}>
            <option value={GLOBAL_AUDIENCE_ID}>Global (every labeler)</option>
            {audiences.state === 'ok' &&
              audiences.data.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="assign-name">Job name (optional)</label>
          <input
            id="assign-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={definition.name}
          />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          Start the job
        </button>
      </form>
      <FormError error={error} />
    </section>
  );
}
