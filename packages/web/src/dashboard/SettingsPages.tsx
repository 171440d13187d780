import {
  type ApiClient,
  type CreatedApiClient,
  type CreatedInvite,
  createApiClientRoute,
  createInviteRoute,
  listApiClientsRoute,
  listInvitesRoute,
  listMembersRoute,
  removeMemberRoute,
  revokeApiClientRoute,
  revokeInviteRoute,
  type User,
} from '@jury/api';
import { type FormEvent, type ReactNode, useState } from 'react';
import { jury } from '../api.ts';
import { useSession } from './session.tsx';
import { CopyField, FormError, formatDate, Link, Loaded, PageTitle, useLoad } from './ui.tsx';

function SettingsFrame({ current, children }: { current: 'clients' | 'members'; children: ReactNode }) {
  return (
    <section>
      <PageTitle title={current === 'clients' ? 'API clients' : 'Members'}>
        Settings · {current === 'clients' ? 'API clients' : 'Members'}
      </PageTitle>
      <nav aria-label="Settings" className="subnav">
        <Link to="/settings/clients" aria-current={current === 'clients' ? 'page' : undefined}>
          API clients
        </Link>
        <Link to="/settings/members" aria-current={current === 'members' ? 'page' : undefined}>
          Members
        </Link>
      </nav>
      {children}
    </section>
  );
}

/** /settings/clients: the SDK's and CLI's credentials (the secret is shown once), revocable. */
export function ClientsPage() {
  const [clients, reload] = useLoad(async () => {
    const all: ApiClient[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await jury.call(listApiClientsRoute, { query: { amount: 500, cursor } });
      all.push(...page.data);
      if (page.nextCursor === null) return all;
      cursor = page.nextCursor;
    }
  }, 'clients');
  const [created, setCreated] = useState<CreatedApiClient>();
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<unknown>();
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      setCreated((await jury.call(createApiClientRoute, { json: { displayName } })).data);
      setDisplayName('');
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string, name: string) => {
    if (!window.confirm(`Revoke ${name}? Its tokens stop working at once.`)) return;
    setError(undefined);
    try {
      await jury.call(revokeApiClientRoute, { params: { id } });
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <SettingsFrame current="clients">
      <section className="card wide" aria-labelledby="new-client-title">
        <h2 id="new-client-title">Create an API client</h2>
        <form className="form row" onSubmit={(e) => void create(e)}>
          <div className="field">
            <label htmlFor="client-name">Name</label>
            <input
              id="client-name"
              required
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          </div>
          <button type="submit" className="primary">
            Create
          </button>
        </form>
        <FormError error={error} />
        {created && (
          <div className="notice created-client" role="status">
            <p>
              <strong>{created.displayName}</strong> created. Copy the secret now: it is shown only once.
            </p>
            <CopyField label="Client ID" value={created.id} />
            <CopyField label="Client secret" value={created.secret} />
            <p className="small">
              In the SDK:{' '}
              <code>
                new JuryClient({'{'} clientId, clientSecret, url {'}'})
              </code>
              , or set <code>JURY_CLIENT_ID</code> and <code>JURY_CLIENT_SECRET</code>.
            </p>
          </div>
        )}
      </section>
      <Loaded value={clients}>
        {(list) => (
          <table className="table">
            <caption className="sr-only">API clients</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <td>{c.displayName}</td>
                  <td>
                    <code>{c.id}</code>
                  </td>
                  <td>{formatDate(c.createdAt)}</td>
                  <td>{formatDate(c.lastUsedAt)}</td>
                  <td>
                    {c.revokedAt ? (
                      `revoked ${formatDate(c.revokedAt)}`
                    ) : (
                      <button type="button" onClick={() => void revoke(c.id, c.displayName)}>
                        Revoke<span className="sr-only"> {c.displayName}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
    </SettingsFrame>
  );
}

/** /settings/members: the organization's users, invitations (a one-time link) and removal (owners). */
export function MembersPage() {
  const { session } = useSession();
  const owner = session.user.role === 'owner';
  const [members, reloadMembers] = useLoad(async () => (await jury.call(listMembersRoute)).data, 'members');
  const [invites, reloadInvites] = useLoad(
    async () => (owner ? (await jury.call(listInvitesRoute)).data : []),
    'invites',
  );
  const [invite, setInvite] = useState<CreatedInvite>();
  const [role, setRole] = useState<'member' | 'owner'>('member');
  const [error, setError] = useState<unknown>();
  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
    }
  };
  const createInvite = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      setInvite((await jury.call(createInviteRoute, { json: { role } })).data);
      await reloadInvites();
    });
  };
  const remove = (user: User) => {
    if (!window.confirm(`Remove ${user.name} (${user.email}) from ${session.organization.name}?`)) return;
    void act(async () => {
      await jury.call(removeMemberRoute, { params: { id: user.id } });
      await reloadMembers();
    });
  };
  return (
    <SettingsFrame current="members">
      <FormError error={error} />
      <Loaded value={members}>
        {(list) => (
          <table className="table">
            <caption className="sr-only">Members of {session.organization.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                {owner && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>{formatDate(u.createdAt)}</td>
                  {owner && (
                    <td>
                      {u.id === session.user.id ? (
                        <span className="muted">you</span>
                      ) : (
                        <button type="button" onClick={() => remove(u)}>
                          Remove<span className="sr-only"> {u.email}</span>
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
      {owner && (
        <section className="card wide" aria-labelledby="invite-title">
          <h2 id="invite-title">Invite someone</h2>
          <form className="form row" onSubmit={createInvite}>
            <div className="field">
              <label htmlFor="invite-role">Role</label>
              <select
                id="invite-role"
                value={role}
                onChange={(e) => setRole(e.target.value as 'member' | 'owner')}
              >
                <option value="member">member</option>
                <option value="owner">owner</option>
              </select>
            </div>
            <button type="submit" className="primary">
              Create an invitation link
            </button>
          </form>
          {invite?.url && (
            <div className="notice" role="status">
              <p>
                Send this link to the person you invite. It works once, until {formatDate(invite.expiresAt)}.
              </p>
              <CopyField label="Invitation link" value={invite.url} />
            </div>
          )}
          <h3>Pending invitations</h3>
          <Loaded value={invites}>
            {(list) =>
              list.length === 0 ? (
                <p className="muted">None.</p>
              ) : (
                <ul className="invites">
                  {list.map((i) => (
                    <li key={i.id}>
                      {i.role}, until {formatDate(i.expiresAt)}{' '}
                      <button
                        type="button"
                        onClick={() =>
                          void act(async () => {
                            await jury.call(revokeInviteRoute, { params: { id: i.id } });
                            await reloadInvites();
                          })
                        }
                      >
                        Revoke<span className="sr-only"> this invitation</span>
                      </button>
                    </li>
                  ))}
                </ul>
              )
            }
          </Loaded>
        </section>
      )}
    </SettingsFrame>
  );
}
