import {
  type Audience,
  type AudienceExample,
  type AudienceMember,
  createAudienceRoute,
  DEFAULT_PASS_RULE,
  findAudiencesRoute,
  GLOBAL_AUDIENCE_ID,
  getAudienceRoute,
  getAudienceStatsRoute,
  listAudienceExamplesRoute,
  listAudienceMembersRoute,
} from '@jury/api';
import { type FormEvent, useState } from 'react';
import { jury } from '../api.ts';
import { ItemView } from '../labeler/ItemView.tsx';
import { navigate } from '../router.ts';
import { ExampleForm } from './ExampleForm.tsx';
import { Pager } from './JobsPage.tsx';
import { RecruitmentCard } from './RecruitmentCard.tsx';
import { ShareLabelerLink } from './Share.tsx';
import { dashboardTaskType } from './task-types/index.ts';
import { FormError, formatDate, Link, Loaded, PageTitle, percent, useLoad } from './ui.tsx';

const PAGE_SIZE = 50;

function describeAudience(a: Audience): string {
  if (a.kind === 'global') return 'every labeler';
  if (a.kind === 'filtered') return `filtered from ${a.baseAudienceId}`;
  const rule = a.passRule ?? DEFAULT_PASS_RULE;
  return `qualify with ${percent(rule.targetAccuracy)} right of at least ${rule.minExamples} examples`;
}

/** /audiences: the organization's audiences and a form to create one. */
export function AudiencesPage() {
  const [page, setPage] = useState(1);
  const [audiences] = useLoad(
    () => jury.call(findAudiencesRoute, { query: { amount: PAGE_SIZE, page } }),
    String(page),
  );
  return (
    <section>
      <PageTitle title="Audiences">Audiences</PageTitle>
      <p>
        Who answers a job. <strong>Global</strong> is every labeler; a custom audience admits the labelers who
        pass its qualification examples.
      </p>
      <Loaded value={audiences}>
        {({ data, total }) => (
          <>
            <table className="table">
              <caption className="sr-only">Audiences, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Admits</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>
                    <Link to={`/audiences/${GLOBAL_AUDIENCE_ID}`}>Global</Link>
                  </td>
                  <td>global</td>
                  <td>every labeler</td>
                  <td>—</td>
                </tr>
                {data.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <Link to={`/audiences/${a.id}`}>{a.name}</Link>
                    </td>
                    <td>{a.kind}</td>
                    <td>{describeAudience(a)}</td>
                    <td>{formatDate(a.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager page={page} total={total} size={PAGE_SIZE} onPage={setPage} />
          </>
        )}
      </Loaded>
      <CreateAudience />
    </section>
  );
}

function CreateAudience() {
  const [name, setName] = useState('');
  const [accuracy, setAccuracy] = useState(String(DEFAULT_PASS_RULE.targetAccuracy * 100));
  const [minExamples, setMinExamples] = useState(String(DEFAULT_PASS_RULE.minExamples));
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const { data } = await jury.call(createAudienceRoute, {
        json: {
          name,
          passRule: { targetAccuracy: Number(accuracy) / 100, minExamples: Number(minExamples) },
        },
      });
      navigate(`/audiences/${data.id}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card wide" aria-labelledby="create-audience-title">
      <h2 id="create-audience-title">Create an audience</h2>
      <form className="form row" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="aud-name">Name</label>
          <input id="aud-name" required value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="aud-accuracy">Accuracy to qualify (%)</label>
          <input
            id="aud-accuracy"
            type="number"
            min={0}
            max={100}
            required
            value={accuracy}
            onChange={(e) => setAccuracy(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="aud-min">Examples at least</label>
          <input
            id="aud-min"
            type="number"
            min={1}
            max={1000}
            required
            value={minExamples}
            onChange={(e) => setMinExamples(e.target.value)}
          />
        </div>
        <button type="submit" className="primary">
          Create
        </button>
      </form>
      <FormError error={error} />
    </section>
  );
}

/** A custom or filtered audience's members (the global audience has no membership: everyone is in it). */
async function loadMembers(audience: Audience): Promise<AudienceMember[] | null> {
  if (audience.kind === 'global') return null;
  return (await jury.call(listAudienceMembersRoute, { params: { id: audience.id }, query: { amount: 500 } }))
    .data;
}

/** /audiences/:id: its rule, qualification statistics, examples with truths, members, the labeler link. */
export function AudiencePage({ id }: { id: string }) {
  const [audience] = useLoad(async () => (await jury.call(getAudienceRoute, { params: { id } })).data, id);
  return <Loaded value={audience}>{(a) => <AudienceView audience={a} />}</Loaded>;
}

function AudienceView({ audience }: { audience: Audience }) {
  const custom = audience.kind === 'custom';
  const [stats, reloadStats] = useLoad(
    async () => (await jury.call(getAudienceStatsRoute, { params: { id: audience.id } })).data,
    audience.id,
  );
  const [examples, reloadExamples] = useLoad(
    async () =>
      custom
        ? (
            await jury.call(listAudienceExamplesRoute, {
              params: { id: audience.id },
              query: { amount: 500 },
            })
          ).data
        : [],
    audience.id,
  );
  const [members] = useLoad(() => loadMembers(audience), `members:${audience.id}`);
  const name = audience.kind === 'global' ? 'Global' : audience.name;
  return (
    <>
      <PageTitle title={name}>{name}</PageTitle>
      <p className="meta">
        {audience.kind} · {describeAudience(audience)}
        {audience.createdAt && ` · created ${formatDate(audience.createdAt)}`}
      </p>
      <section className="card wide" aria-labelledby="qual-title">
        <h2 id="qual-title">Qualification</h2>
        <Loaded value={stats}>
          {(s) => (
            <>
              <dl className="stats">
                <div>
                  <dt>Qualifying</dt>
                  <dd>{s.members.qualifying}</dd>
                </div>
                <div>
                  <dt>Qualified</dt>
                  <dd>{s.members.qualified}</dd>
                </div>
                <div>
                  <dt>Dropped</dt>
                  <dd>{s.members.dropped}</dd>
                </div>
                <div>
                  <dt>Examples</dt>
                  <dd>{s.examples}</dd>
                </div>
              </dl>
              {!s.ready && (
                <p className="notice warning" role="status">
                  Nobody can qualify yet: add at least{' '}
                  {audience.passRule?.minExamples ?? DEFAULT_PASS_RULE.minExamples} examples.
                </p>
              )}
            </>
          )}
        </Loaded>
      </section>
      {custom && (
        <section className="card wide" aria-labelledby="examples-title">
          <h2 id="examples-title">Examples</h2>
          <Loaded value={examples}>
            {(list) =>
              list.length === 0 ? <p className="muted">No examples yet.</p> : <ExampleList examples={list} />
            }
          </Loaded>
          <ExampleForm
            audienceId={audience.id}
            onAdded={() => {
              void reloadExamples();
              void reloadStats();
            }}
          />
        </section>
      )}
      {custom && <RecruitmentCard audienceId={audience.id} />}
      <section className="card wide" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <Loaded value={members}>
          {(list) =>
            list === null ? (
              <p className="muted">Every labeler is in the global audience, with their global trust score.</p>
            ) : list.length === 0 ? (
              <p className="muted">No labeler has joined yet.</p>
            ) : (
              <table className="table">
                <caption className="sr-only">Members with their state and trust score</caption>
                <thead>
                  <tr>
                    <th scope="col">Labeler</th>
                    <th scope="col">State</th>
                    <th scope="col">Trust score</th>
                    <th scope="col">Country, language</th>
                    <th scope="col">Examples right</th>
                    <th scope="col">Gold checks right</th>
                    <th scope="col">Why dropped</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((m) => (
                    <tr key={m.labelerId}>
                      <td>
                        <code>{m.labelerId}</code>
                      </td>
                      <td>{m.state}</td>
                      <td>{m.trustScore.toFixed(3)}</td>
                      <td>
                        {m.country ?? '—'}, {m.language ?? '—'}
                      </td>
                      <td>
                        {m.qualification.correct} of {m.qualification.answered}
                      </td>
                      <td>
                        {m.gold.correct} of {m.gold.answered}
                      </td>
                      <td>{m.dropReason ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loaded>
      </section>
      <ShareLabelerLink what="audience" />
    </>
  );
}

function ExampleList({ examples }: { examples: AudienceExample[] }) {
  return (
    <ol className="examples">
      {examples.map((ex) => (
        <li key={ex.id} className="example">
          <p>
            <strong>{ex.taskType}</strong>
            {ex.purpose === 'gold' ? ' (gold check, secret)' : ''}: {ex.instruction}
          </p>
          <div className="pair">
            {ex.items.map((item, k) => {
              const name = item.type === 'text' ? item.text : item.name;
              const right = ex.truth.includes(name);
              const caption = dashboardTaskType(ex.taskType).exampleItemCaption(ex, right);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: an example's items keep their order
                <figure key={k} className={right && caption ? 'side is-winner' : 'side'}>
                  <div className="side-media">
                    <ItemView
                      item={item}
                      markdown={ex.settings.includes('Markdown')}
                      label={`Example item: ${name}`}
                    />
                  </div>
                  {caption && <figcaption>{caption}</figcaption>}
                </figure>
              );
            })}
          </div>
          {ex.answerOptions && (
            <p>
              Options: {ex.answerOptions.join(', ')} · <strong>right: {ex.truth.join(', ')}</strong>
            </p>
          )}
          {ex.explanation && <p className="muted">Explanation: {ex.explanation}</p>}
        </li>
      ))}
    </ol>
  );
}
