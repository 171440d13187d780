// Models in the dashboard: the list ("Add model" first, sortable by score too, filterable, each with its aggregate
// and latest score per evaluation), the add form, and a model's page (details, limits and costs, its scores over
// time; for its owners the endpoint with masked headers, its editor and the live test).
import {
  createModelRoute,
  deleteModelRoute,
  type EndpointPatch,
  type EndpointTestResult,
  findModelScoresRoute,
  getModelRoute,
  MODEL_SCORE_SORTS,
  type Model,
  type ModelScoreSort,
  type ModelWithScores,
  testModelEndpointRoute,
  testNewEndpointRoute,
  type UpdateModel,
  updateModelRoute,
} from '@jury/api';
import { type FormEvent, type ReactNode, useState } from 'react';
import { jury } from '../api.ts';
import { navigate } from '../router.ts';
import { formatScore } from './EvaluationRunsPages.tsx';
import { Pager } from './JobsPage.tsx';
import { ModelScoresSection } from './ModelScores.tsx';
import { FormError, formatDate, Link, Loaded, PageTitle, useLoad } from './ui.tsx';

const PAGE_SIZE = 50;
const SORT_LABELS: Record<ModelScoreSort, string> = {
  '-score': 'Best score first',
  score: 'Lowest score first',
  name: 'Name (A–Z)',
  '-name': 'Name (Z–A)',
  createdAt: 'Oldest first',
  '-createdAt': 'Newest first',
  parameterCount: 'Fewest parameters',
  '-parameterCount': 'Most parameters',
};

const count = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const formatCount = (n: number | null) => (n === null ? '—' : count.format(n));
const usd = (n: number | null) => (n === null ? '—' : `$${n}`);

/** /models: "Add model" first, then the models you can see as cards. */
export function ModelsPage() {
  const [name, setName] = useState('');
  const [owner, setOwner] = useState<'any' | 'mine' | 'others'>('any');
  const [sort, setSort] = useState<ModelScoreSort>('-score');
  const [page, setPage] = useState(1);
  const [models] = useLoad(
    () =>
      jury.call(findModelScoresRoute, {
        query: { name: name || undefined, owner, sort, amount: PAGE_SIZE, page },
      }),
    `${name}|${owner}|${sort}|${page}`,
  );
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };
  return (
    <section>
      <PageTitle title="Models">Models</PageTitle>
      <p className="muted">
        Models registered by their HTTP endpoint, to be run on evaluations: yours, and the public ones of
        other organizations on this server. The aggregate score counts the built-in evaluations and your
        organization's trusted ones. <Link to="/evaluation-runs">Evaluation runs</Link>
      </p>
      <search className="filters">
        <div className="field">
          <label htmlFor="model-name">Name contains</label>
          <input
            id="model-name"
            type="search"
            value={name}
            onChange={(e) => reset(setName)(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="model-owner">Owner</label>
          <select
            id="model-owner"
            value={owner}
            onChange={(e) => reset(setOwner)(e.target.value as typeof owner)}
          >
            <option value="any">Any</option>
            <option value="mine">Your organization</option>
            <option value="others">Other organizations</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="model-sort">Sort by</label>
          <select
            id="model-sort"
            value={sort}
            onChange={(e) => reset(setSort)(e.target.value as ModelScoreSort)}
          >
            {MODEL_SCORE_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
      </search>
      <Loaded value={models}>
        {({ data, total }) => (
          <>
            <ul className="model-cards" aria-label="Models">
              <li className="model-card add">
                <Link to="/models/new">
                  <span aria-hidden="true">+</span> Add model
                </Link>
              </li>
              {data.map(({ model: m, aggregate, latest }) => (
                <li key={m.id} className="model-card">
                  <h2>
                    <Link to={`/models/${m.id}`}>{m.name}</Link>
                  </h2>
                  <p className="muted">
                    {m.owned ? 'Your organization' : m.organizationName} ·{' '}
                    <span className="badge">{m.visibility}</span>
                    {m.publiclyRunnable ? ' · publicly runnable' : ''}
                  </p>
                  <p>
                    {[
                      m.publisher,
                      m.parameterCount !== null ? `${formatCount(m.parameterCount)} parameters` : null,
                    ]
                      .filter(Boolean)
                      .join(' · ') || <span className="muted">No details</span>}
                  </p>
                  <CardScores aggregate={aggregate} latest={latest} />
                </li>
              ))}
            </ul>
            {total === 0 && (
              <p className="muted">{name || owner !== 'any' ? 'No model matches.' : 'No models yet.'}</p>
            )}
            <Pager page={page} total={total} size={PAGE_SIZE} onPage={setPage} />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** A card's scores: the aggregate, then the latest score per evaluation (best first). */
function CardScores({ aggregate, latest }: Pick<ModelWithScores, 'aggregate' | 'latest'>) {
  return (
    <div className="card-scores">
      <p>
        <strong className="score-value">{formatScore(aggregate.score)}</strong>{' '}
        <span className="muted">aggregate score</span>
      </p>
      {latest.length > 0 && (
        <ul className="plain-list small" aria-label="Latest score per evaluation">
          {latest.map((l) => (
            <li key={l.evaluationId}>
              {l.evaluation} {l.version}: {formatScore(l.score)}
              {l.counted ? '' : <span className="muted"> (does not count)</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// ---- Forms

interface Field {
  id: string;
  label: string;
  value: string;
  set(v: string): void;
  type?: string;
  hint?: string;
  required?: boolean;
  placeholder?: string;
  autoComplete?: string;
}

/** A labelled input (or, with `rows`, a textarea) with an optional hint read with it. */
function TextField({
  id,
  label,
  value,
  set,
  type = 'text',
  hint,
  required,
  placeholder,
  autoComplete,
  rows,
}: Field & { rows?: number }) {
  const shared = {
    id,
    value,
    'aria-describedby': hint ? `${id}-hint` : undefined,
    onChange: (e: { target: { value: string } }) => set(e.target.value),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {rows ? (
        <textarea {...shared} rows={rows} spellCheck={false} />
      ) : (
        <input
          {...shared}
          type={type}
          required={required}
          placeholder={placeholder}
          autoComplete={autoComplete ?? 'off'}
          step={type === 'number' ? 'any' : undefined}
        />
      )}
      {hint && (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      )}
    </div>
  );
}

const TextArea = (props: Field & { rows?: number }) => <TextField rows={5} {...props} />;

/** A form's text as a number or null (empty); the server checks the rest. */
const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));
/** A JSON field as parsed JSON, or the raw text (the server's validation then says what is wrong). */
function jsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
const textOf = (n: number | null) => (n === null ? '' : String(n));

interface DetailsDraft {
  name: string;
  description: string;
  publisher: string;
  architecture: string;
  parameterCount: string;
  visibility: 'private' | 'public';
  publiclyRunnable: boolean;
  requestsPerMinute: string;
  tokensPerMinute: string;
  contextWindowTokens: string;
  perThousandInputTokens: string;
  perThousandOutputTokens: string;
  perInstanceHour: string;
}

function draftOf(m?: Model): DetailsDraft {
  return {
    name: m?.name ?? '',
    description: m?.description ?? '',
    publisher: m?.publisher ?? '',
    architecture: m?.architecture ?? '',
    parameterCount: textOf(m?.parameterCount ?? null),
    visibility: m?.visibility ?? 'private',
    publiclyRunnable: m?.publiclyRunnable ?? false,
    requestsPerMinute: textOf(m?.limits.requestsPerMinute ?? null),
    tokensPerMinute: textOf(m?.limits.tokensPerMinute ?? null),
    contextWindowTokens: textOf(m?.limits.contextWindowTokens ?? null),
    perThousandInputTokens: textOf(m?.costs.perThousandInputTokens ?? null),
    perThousandOutputTokens: textOf(m?.costs.perThousandOutputTokens ?? null),
    perInstanceHour: textOf(m?.costs.perInstanceHour ?? null),
  };
}

function detailsBody(d: DetailsDraft) {
  const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    name: d.name,
    description: orNull(d.description),
    publisher: orNull(d.publisher),
    architecture: orNull(d.architecture),
    parameterCount: numberOrNull(d.parameterCount),
    visibility: d.visibility,
    publiclyRunnable: d.publiclyRunnable,
    limits: {
      requestsPerMinute: numberOrNull(d.requestsPerMinute),
      tokensPerMinute: numberOrNull(d.tokensPerMinute),
      contextWindowTokens: numberOrNull(d.contextWindowTokens),
    },
    costs: {
      perThousandInputTokens: numberOrNull(d.perThousandInputTokens),
      perThousandOutputTokens: numberOrNull(d.perThousandOutputTokens),
      perInstanceHour: numberOrNull(d.perInstanceHour),
    },
  };
}

function DetailsFields({
  draft,
  set,
  prefix,
}: {
  draft: DetailsDraft;
  set(d: DetailsDraft): void;
  prefix: string;
}) {
  const field = (key: keyof DetailsDraft, label: string, extra: Partial<Field> = {}) => (
    <TextField
      id={`${prefix}-${key}`}
      label={label}
      value={String(draft[key])}
      set={(v) => set({ ...draft, [key]: v })}
      {...extra}
    />
  );
  const runnable = (checked: boolean) => {
    // The seed's confirmation: others' runs are at the owner's cost.
    if (
      checked &&
      !window.confirm(
        'Let every organization on this server run evaluations on this model? You cover the cost of every request.',
      )
    )
      return;
    set({ ...draft, publiclyRunnable: checked });
  };
  return (
    <>
      {field('name', 'Name', { required: true, hint: 'Unique in your organization.' })}
      <TextArea
        id={`${prefix}-description`}
        label="Description"
        value={draft.description}
        rows={2}
        set={(v) => set({ ...draft, description: v })}
      />
      <div className="form row">
        {field('publisher', 'Publisher')}
        {field('architecture', 'Architecture')}
        {field('parameterCount', 'Parameters', { type: 'number', placeholder: '8000000000' })}
      </div>
      <fieldset>
        <legend>Visibility</legend>
        <div className="form row">
          <div className="field">
            <label htmlFor={`${prefix}-visibility`}>Who sees it</label>
            <select
              id={`${prefix}-visibility`}
              value={draft.visibility}
              onChange={(e) => {
                const visibility = e.target.value as DetailsDraft['visibility'];
                set({
                  ...draft,
                  visibility,
                  publiclyRunnable: visibility === 'private' ? false : draft.publiclyRunnable,
                });
              }}
            >
              <option value="private">Private: your organization only</option>
              <option value="public">Public: every organization on this server</option>
            </select>
          </div>
          <div className="field inline">
            <input
              id={`${prefix}-runnable`}
              type="checkbox"
              checked={draft.publiclyRunnable}
              disabled={draft.visibility === 'private'}
              aria-describedby={`${prefix}-runnable-hint`}
              onChange={(e) => runnable(e.target.checked)}
            />
            <label htmlFor={`${prefix}-runnable`}>Publicly runnable</label>
            <small id={`${prefix}-runnable-hint`} className="muted">
              Other organizations may run evaluations on it, at your cost (public models only).
            </small>
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>Limits (optional)</legend>
        <div className="form row">
          {field('requestsPerMinute', 'Requests per minute', { type: 'number' })}
          {field('tokensPerMinute', 'Tokens per minute', {
            type: 'number',
            hint: '4 characters a token, request and response.',
          })}
          {field('contextWindowTokens', 'Context window (tokens)', { type: 'number' })}
        </div>
      </fieldset>
      <fieldset>
        <legend>Costs in USD (optional)</legend>
        <div className="form row">
          {field('perThousandInputTokens', 'Per 1,000 input tokens', { type: 'number' })}
          {field('perThousandOutputTokens', 'Per 1,000 output tokens', { type: 'number' })}
          {field('perInstanceHour', 'Per instance hour', { type: 'number' })}
        </div>
      </fieldset>
    </>
  );
}

/** /models/new: the details, and the endpoint as the openai-chat preset or a custom request. */
export function NewModelPage() {
  const [draft, setDraft] = useState(draftOf());
  const [kind, setKind] = useState<'openai-chat' | 'custom'>('openai-chat');
  const [url, setUrl] = useState('');
  const [modelName, setModelName] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [headers, setHeaders] = useState('{}');
  const [bodyTemplate, setBodyTemplate] = useState('{\n  "prompt": "%PROMPT%"\n}');
  const [responsePath, setResponsePath] = useState('["json", "text"]');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const endpointInput = () =>
    kind === 'openai-chat'
      ? { preset: 'openai-chat' as const, url, model: modelName, ...(apiKey ? { apiKey } : {}) }
      : {
          url,
          headers: jsonOr(headers) as Record<string, string>,
          bodyTemplate,
          responsePath: jsonOr(responsePath) as string[],
        };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    const { name, ...details } = detailsBody(draft);
    try {
      const { data } = await jury.call(createModelRoute, {
        json: { name, ...details, endpoint: endpointInput() },
      });
      navigate(`/models/${data.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <section>
      <PageTitle title="Add a model">Add a model</PageTitle>
      <p className="muted">
        <Link to="/models">Models</Link> · Evaluations POST each task to the endpoint as JSON; after adding
        it, test it on its page.
      </p>
      <form className="form card wide" onSubmit={(e) => void submit(e)}>
        <DetailsFields draft={draft} set={setDraft} prefix="new" />
        <fieldset>
          <legend>Endpoint</legend>
          <div className="radio">
            <input
              id="kind-preset"
              type="radio"
              name="kind"
              checked={kind === 'openai-chat'}
              onChange={() => setKind('openai-chat')}
            />
            <label htmlFor="kind-preset">
              OpenAI-compatible chat completions (vLLM, llama.cpp, Ollama, OpenAI…)
            </label>
          </div>
          <div className="radio">
            <input
              id="kind-custom"
              type="radio"
              name="kind"
              checked={kind === 'custom'}
              onChange={() => setKind('custom')}
            />
            <label htmlFor="kind-custom">Custom request</label>
          </div>
          <TextField
            id="new-url"
            label="Endpoint URL"
            value={url}
            set={setUrl}
            type="url"
            required
            placeholder={
              kind === 'openai-chat'
                ? 'http://127.0.0.1:8000/v1/chat/completions'
                : 'https://this.is.my/model/endpoint'
            }
          />
          {kind === 'openai-chat' ? (
            <div className="form row">
              <TextField
                id="new-model"
                label="Model name on the server"
                value={modelName}
                set={setModelName}
                required
                placeholder="llama3"
              />
              <TextField
                id="new-api-key"
                label="API key (optional)"
                value={apiKey}
                set={setApiKey}
                type="password"
                autoComplete="new-password"
                hint="Sent as Authorization: Bearer …; stored encrypted, shown masked."
              />
            </div>
          ) : (
            <>
              <TextArea
                id="new-headers"
                label="Headers (JSON object)"
                value={headers}
                set={setHeaders}
                rows={3}
                hint="Values are stored encrypted and shown masked."
              />
              <TextArea
                id="new-body"
                label="Body template (JSON)"
                value={bodyTemplate}
                set={setBodyTemplate}
                hint="%PROMPT% inside a string is replaced by the task."
              />
              <TextField
                id="new-path"
                label="Response path (JSON list)"
                value={responsePath}
                set={setResponsePath}
                hint='e.g. ["json", "choices", 0, "text"]; [] takes the raw body.'
              />
            </>
          )}
        </fieldset>
        <FormError error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Add model
        </button>
      </form>
      <section className="card wide" aria-label="Test before adding">
        <EndpointTest
          label="Send test request"
          send={async (prompt) =>
            (await jury.call(testNewEndpointRoute, { json: { prompt, endpoint: endpointInput() } })).data
          }
        />
      </section>
    </section>
  );
}

// ---- A model's page

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** /models/:id: details, limits, costs; for its owners the endpoint, its editor and the live test. */
export function ModelPage({ id }: { id: string }) {
  const [model, reload] = useLoad(async () => (await jury.call(getModelRoute, { params: { id } })).data, id);
  return (
    <Loaded value={model}>
      {(m) => (
        <section>
          <PageTitle title={m.name}>{m.name}</PageTitle>
          <p className="muted">
            <Link to="/models">Models</Link> · {m.owned ? 'your organization' : m.organizationName} ·{' '}
            <span className="badge">{m.visibility}</span>
            {m.publiclyRunnable ? ' · publicly runnable' : ''} · added {formatDate(m.createdAt)}
          </p>
          {m.description && <p>{m.description}</p>}
          <section className="card wide" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <dl className="stats model-stats">
              <Stat label="Publisher">{m.publisher ?? '—'}</Stat>
              <Stat label="Architecture">{m.architecture ?? '—'}</Stat>
              <Stat label="Parameters">{formatCount(m.parameterCount)}</Stat>
              <Stat label="Requests per minute">{m.limits.requestsPerMinute ?? 'no limit'}</Stat>
              <Stat label="Tokens per minute">{m.limits.tokensPerMinute ?? 'no limit'}</Stat>
              <Stat label="Context window">{m.limits.contextWindowTokens ?? 'no limit'}</Stat>
              <Stat label="Per 1,000 input tokens">{usd(m.costs.perThousandInputTokens)}</Stat>
              <Stat label="Per 1,000 output tokens">{usd(m.costs.perThousandOutputTokens)}</Stat>
              <Stat label="Per instance hour">{usd(m.costs.perInstanceHour)}</Stat>
            </dl>
            {m.owned && <EditDetails model={m} onSaved={reload} />}
          </section>
          <ModelScoresSection modelId={m.id} />
          {m.owned && m.endpoint ? (
            <EndpointSection model={m} endpoint={m.endpoint} onSaved={reload} />
          ) : (
            <p className="muted">Only its organization sees, edits and tests its endpoint.</p>
          )}
          {m.owned && <DeleteModel model={m} />}
        </section>
      )}
    </Loaded>
  );
}

function EditDetails({ model, onSaved }: { model: Model; onSaved(): Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(() => draftOf(model));
  const [error, setError] = useState<unknown>();
  if (!open)
    return (
      <button
        type="button"
        onClick={() => {
          setDraft(draftOf(model));
          setOpen(true);
        }}
      >
        Edit
      </button>
    );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await jury.call(updateModelRoute, {
        params: { id: model.id },
        json: detailsBody(draft) as UpdateModel,
      });
      setOpen(false);
      await onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="form" aria-label="Edit details" onSubmit={(e) => void submit(e)}>
      <DetailsFields draft={draft} set={setDraft} prefix="edit" />
      <FormError error={error} />
      <div className="actions">
        <button type="submit" className="primary">
          Save details
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type Endpoint = NonNullable<Model['endpoint']>;

function EndpointSection({
  model,
  endpoint,
  onSaved,
}: {
  model: Model;
  endpoint: Endpoint;
  onSaved(): Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState(endpoint.url);
  const [replace, setReplace] = useState<Record<string, string>>({});
  const [remove, setRemove] = useState<Record<string, boolean>>({});
  const [newName, setNewName] = useState('');
  const [newValue, setNewValue] = useState('');
  const [bodyTemplate, setBodyTemplate] = useState(endpoint.bodyTemplate);
  const [responsePath, setResponsePath] = useState(JSON.stringify(endpoint.responsePath));
  const [error, setError] = useState<unknown>();

  const start = () => {
    setUrl(endpoint.url);
    setReplace({});
    setRemove({});
    setNewName('');
    setNewValue('');
    setBodyTemplate(endpoint.bodyTemplate);
    setResponsePath(JSON.stringify(endpoint.responsePath));
    setEditing(true);
  };
  /** The edits as a patch: only what changed (a header value typed replaces it, a ticked one goes). */
  const patch = (): EndpointPatch => {
    const headers: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(replace)) if (value !== '') headers[name] = value;
    for (const [name, gone] of Object.entries(remove)) if (gone) headers[name] = null;
    if (newName.trim()) headers[newName.trim()] = newValue;
    return {
      ...(url !== endpoint.url ? { url } : {}),
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(bodyTemplate !== endpoint.bodyTemplate ? { bodyTemplate } : {}),
      ...(responsePath !== JSON.stringify(endpoint.responsePath)
        ? { responsePath: jsonOr(responsePath) as string[] }
        : {}),
    };
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const changes = patch();
    if (Object.keys(changes).length === 0) return setEditing(false);
    try {
      await jury.call(updateModelRoute, { params: { id: model.id }, json: { endpoint: changes } });
      setEditing(false);
      await onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card wide" aria-labelledby="endpoint-title">
      <h2 id="endpoint-title">Endpoint</h2>
      {!editing ? (
        <>
          <dl className="endpoint-view">
            <dt>URL</dt>
            <dd>
              <code>{endpoint.url}</code>
            </dd>
            <dt>Headers</dt>
            <dd>
              {Object.keys(endpoint.headers).length === 0 ? (
                'none'
              ) : (
                <ul className="plain-list">
                  {Object.entries(endpoint.headers).map(([n, v]) => (
                    <li key={n}>
                      <code>
                        {n}: {v}
                      </code>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Body template</dt>
            <dd>
              <pre className="code-block">{endpoint.bodyTemplate}</pre>
            </dd>
            <dt>Response path</dt>
            <dd>
              <code>{JSON.stringify(endpoint.responsePath)}</code>
            </dd>
          </dl>
          <button type="button" onClick={start}>
            Edit endpoint
          </button>
        </>
      ) : (
        <form className="form" aria-label="Edit endpoint" onSubmit={(e) => void save(e)}>
          <TextField id="ep-url" label="Endpoint URL" type="url" required value={url} set={setUrl} />
          <fieldset>
            <legend>Headers</legend>
            <p className="muted small">
              Values are secrets: type a new value to replace one; leave it empty to keep it.
            </p>
            {Object.entries(endpoint.headers).map(([name, masked]) => (
              <div key={name} className="form row header-row">
                <TextField
                  id={`ep-header-${name}`}
                  label={`${name} (now ${masked})`}
                  type="password"
                  autoComplete="new-password"
                  value={replace[name] ?? ''}
                  set={(v) => setReplace({ ...replace, [name]: v })}
                />
                <div className="field inline">
                  <input
                    id={`ep-remove-${name}`}
                    type="checkbox"
                    checked={remove[name] ?? false}
                    onChange={(e) => setRemove({ ...remove, [name]: e.target.checked })}
                  />
                  <label htmlFor={`ep-remove-${name}`}>Remove {name}</label>
                </div>
              </div>
            ))}
            <div className="form row">
              <TextField id="ep-new-name" label="Add header: name" value={newName} set={setNewName} />
              <TextField
                id="ep-new-value"
                label="Value"
                type="password"
                autoComplete="new-password"
                value={newValue}
                set={setNewValue}
              />
            </div>
          </fieldset>
          <TextArea
            id="ep-body"
            label="Body template (JSON)"
            value={bodyTemplate}
            set={setBodyTemplate}
            rows={8}
            hint="%PROMPT% inside a string is replaced by the task."
          />
          <TextField
            id="ep-path"
            label="Response path (JSON list)"
            value={responsePath}
            set={setResponsePath}
            hint='e.g. ["json", "choices", 0, "message", "content"]; [] takes the raw body.'
          />
          <FormError error={error} />
          <div className="actions">
            <button type="submit" className="primary">
              Save endpoint
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <EndpointTest
        label={editing ? 'Send test request (unsaved edits)' : 'Send test request'}
        send={async (prompt) => {
          const changes = editing ? patch() : {};
          const json = { prompt, ...(Object.keys(changes).length ? { endpoint: changes } : {}) };
          return (await jury.call(testModelEndpointRoute, { params: { id: model.id }, json })).data;
        }}
      />
    </section>
  );
}

/** The wizard's steps 4 and 5: one real request (with the unsaved edits), its raw response and the answer. */
function EndpointTest({ send, label }: { send(prompt: string): Promise<EndpointTestResult>; label: string }) {
  const [prompt, setPrompt] = useState('Say hello in one word.');
  const [result, setResult] = useState<EndpointTestResult>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      setResult(await send(prompt));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="test-title" className="endpoint-test">
      <h3 id="test-title">Test the endpoint</h3>
      <form className="form row" onSubmit={(e) => void run(e)}>
        <TextField id="test-prompt" label="Prompt" value={prompt} set={setPrompt} required />
        <button type="submit" disabled={busy}>
          {label}
        </button>
      </form>
      <FormError error={error} />
      <div role="status" aria-live="polite">
        {busy && <p className="status">Waiting for the endpoint…</p>}
        {result && !busy && (
          <div className="test-result">
            <p>
              <span className={`badge ${result.ok ? 'status-completed' : 'status-failed'}`}>
                {result.ok ? 'Answered' : 'Failed'}
              </span>{' '}
              status {result.status ?? 'none'} · {Math.round(result.latencyMs)} ms
            </p>
            {result.ok ? (
              <p>
                Extracted answer: <strong className="test-answer">{result.answer}</strong>
              </p>
            ) : (
              <p className="notice error">
                {result.error?.message}
                {result.error?.transient ? ' (a run would retry this)' : ''}
              </p>
            )}
            <h4>Raw response{result.response.truncated ? ' (truncated)' : ''}</h4>
            <pre className="code-block test-raw">{result.response.body || '(empty)'}</pre>
          </div>
        )}
      </div>
    </section>
  );
}

function DeleteModel({ model }: { model: Model }) {
  const [error, setError] = useState<unknown>();
  const remove = async () => {
    if (!window.confirm(`Delete the model ${model.name}?`)) return;
    try {
      await jury.call(deleteModelRoute, { params: { id: model.id } });
      navigate('/models');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card wide" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete</h2>
      <p className="muted">It is no longer listed and its name is free again.</p>
      <button type="button" onClick={() => void remove()}>
        Delete model
      </button>
      <FormError error={error} />
    </section>
  );
}
