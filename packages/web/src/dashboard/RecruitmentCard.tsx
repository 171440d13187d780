import {
  type AudienceInvite,
  createAudienceInviteRoute,
  getRecruitmentRoute,
  listAudienceInvitesRoute,
  PROLIFIC_RETURN_URL,
  type Recruitment,
  type RecruitmentMode,
  revokeAudienceInviteRoute,
  setRecruitmentRoute,
} from '@jury/api';
import { type FormEvent, useState } from 'react';
import { jury } from '../api.ts';
import { CopyField, FormError, formatDate, Loaded, useLoad } from './ui.tsx';

const MODE_LABELS: Record<RecruitmentMode, string> = {
  open: 'Open: anyone with the labeling page',
  invite: 'Invite links only',
  study: 'A recruiting site (Prolific, or one that passes ids in the URL)',
};

/** A custom audience's recruitment: the mode, a study's codes and entry URL, invite links. */
export function RecruitmentCard({ audienceId }: { audienceId: string }) {
  const [recruitment, reload] = useLoad(
    async () => (await jury.call(getRecruitmentRoute, { params: { id: audienceId } })).data,
    `recruitment:${audienceId}`,
  );
  return (
    <section className="card wide" aria-labelledby="recruitment-title">
      <h2 id="recruitment-title">Recruitment</h2>
      <Loaded value={recruitment}>
        {(r) => (
          <>
            <RecruitmentForm
              key={`${r.mode}:${r.study?.completionCode ?? ''}`}
              recruitment={r}
              onSaved={reload}
            />
            {r.mode === 'study' && r.entryUrl && <CopyField label="Study URL" value={r.entryUrl} />}
            {r.mode === 'invite' && <Invites audienceId={audienceId} />}
          </>
        )}
      </Loaded>
    </section>
  );
}

function RecruitmentForm({
  recruitment,
  onSaved,
}: {
  recruitment: Recruitment;
  onSaved: () => Promise<void>;
}) {
  const [mode, setMode] = useState<RecruitmentMode>(recruitment.mode);
  const [completionCode, setCompletion] = useState(recruitment.study?.completionCode ?? '');
  const [screenedOutCode, setScreened] = useState(recruitment.study?.screenedOutCode ?? '');
  const [tasks, setTasks] = useState(String(recruitment.study?.tasksPerLabeler ?? ''));
  const [returnUrl, setReturnUrl] = useState(recruitment.study?.returnUrl ?? PROLIFIC_RETURN_URL);
  const [participantParam, setParticipant] = useState(recruitment.study?.participantParam ?? 'PROLIFIC_PID');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const json =
        mode === 'study'
          ? {
              mode,
              study: {
                completionCode,
                screenedOutCode,
                returnUrl,
                participantParam,
                tasksPerLabeler: tasks === '' ? null : Number(tasks),
              },
            }
          : { mode };
      await jury.call(setRecruitmentRoute, { params: { id: recruitment.audienceId }, json });
      await onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor="rec-mode">Who may join</label>
        <select id="rec-mode" value={mode} onChange={(e) => setMode(e.target.value as RecruitmentMode)}>
          {(Object.keys(MODE_LABELS) as RecruitmentMode[]).map((m) => (
            <option key={m} value={m}>
              {MODE_LABELS[m]}
            </option>
          ))}
        </select>
      </div>
      {mode === 'study' && (
        <div className="form row">
          <div className="field">
            <label htmlFor="rec-complete">Completion code</label>
            <input
              id="rec-complete"
              required
              value={completionCode}
              onChange={(e) => setCompletion(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="rec-screened">Screened-out code</label>
            <input
              id="rec-screened"
              required
              value={screenedOutCode}
              onChange={(e) => setScreened(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="rec-tasks">Tasks per participant (empty: until none is left)</label>
            <input
              id="rec-tasks"
              type="number"
              min={1}
              value={tasks}
              onChange={(e) => setTasks(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="rec-pid">Participant id parameter</label>
            <input
              id="rec-pid"
              required
              value={participantParam}
              onChange={(e) => setParticipant(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="rec-return">Return URL ({'{code}'} is replaced)</label>
            <input
              id="rec-return"
              required
              value={returnUrl}
              onChange={(e) => setReturnUrl(e.target.value)}
            />
          </div>
        </div>
      )}
      <button type="submit" className="primary">
        Save recruitment
      </button>
      <FormError error={error} />
    </form>
  );
}

/** The newest invite links shown; the SDK and the API page through all of them. */
const SHOWN_INVITES = 100;

function Invites({ audienceId }: { audienceId: string }) {
  const [invites, reload] = useLoad(
    () =>
      jury.call(listAudienceInvitesRoute, { params: { id: audienceId }, query: { amount: SHOWN_INVITES } }),
    `invites:${audienceId}`,
  );
  const [kind, setKind] = useState<'single' | 'shared'>('single');
  const [maxUses, setMaxUses] = useState('20');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<string>();
  const [error, setError] = useState<unknown>();
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const json = kind === 'shared' ? { kind, maxUses: Number(maxUses), label } : { kind, label };
      const { data } = await jury.call(createAudienceInviteRoute, { params: { id: audienceId }, json });
      setCreated(data.url);
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (invite: AudienceInvite) => {
    setError(undefined);
    try {
      await jury.call(revokeAudienceInviteRoute, { params: { id: audienceId, inviteId: invite.id } });
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h3>Invite links</h3>
      <form className="form row" onSubmit={(e) => void create(e)}>
        <div className="field">
          <label htmlFor="inv-kind">Kind</label>
          <select id="inv-kind" value={kind} onChange={(e) => setKind(e.target.value as 'single' | 'shared')}>
            <option value="single">One person, once</option>
            <option value="shared">Shared, with a cap</option>
          </select>
        </div>
        {kind === 'shared' && (
          <div className="field">
            <label htmlFor="inv-max">Labelers at most</label>
            <input
              id="inv-max"
              type="number"
              min={1}
              required
              value={maxUses}
              onChange={(e) => setMaxUses(e.target.value)}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor="inv-label">Label (for you)</label>
          <input id="inv-label" value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
        <button type="submit" className="primary">
          Create invite link
        </button>
      </form>
      {created && <CopyField label="New invite link (shown once)" value={created} />}
      <FormError error={error} />
      <Loaded value={invites}>
        {({ data: list, total }) =>
          list.length === 0 ? (
            <p className="muted">No invite links yet.</p>
          ) : (
            <>
              {total > list.length && (
                <p className="muted">
                  The newest {list.length} of {total} invite links.
                </p>
              )}
              <table className="table">
                <caption className="sr-only">Invite links, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Label</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Used</th>
                    <th scope="col">State</th>
                    <th scope="col">Created</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((i) => (
                    <tr key={i.id}>
                      <td>{i.label ?? '—'}</td>
                      <td>{i.kind}</td>
                      <td>
                        {i.uses} of {i.maxUses}
                      </td>
                      <td>{i.state}</td>
                      <td>{formatDate(i.createdAt)}</td>
                      <td>
                        {i.state !== 'revoked' && (
                          <button type="button" className="secondary" onClick={() => void revoke(i)}>
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      </Loaded>
    </>
  );
}
