// The signed-out pages: sign-in, the owner's setup (from the link `jury serve` prints), invite acceptance and a
// new password from a reset link (`jury users reset-password`).
import {
  type Account,
  acceptInviteRoute,
  completeSetupRoute,
  getSetupRoute,
  type InviteLookup,
  lookupInviteRoute,
  PASSWORD_MIN_LENGTH,
  resetPasswordRoute,
  signInRoute,
} from '@jury/api';
import { type FormEvent, useEffect, useState } from 'react';
import { jury } from '../api.ts';
import { navigate } from '../router.ts';
import { FormError, formatDate, Link, Loaded, PageTitle, useLoad } from './ui.tsx';

const tokenParam = () => new URLSearchParams(window.location.search).get('token') ?? '';

/** Where to go after signing in: the `next` page of this app, else the jobs. */
function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next') ?? '';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/jobs';
}

function useSubmit(onDone: (s: Account) => void, send: () => Promise<{ data: Account }>) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onDone((await send()).data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

function Field({
  label,
  name,
  type = 'text',
  value,
  onChange,
  autoComplete,
  minLength,
}: {
  label: string;
  name: string;
  type?: string;
  value: string;
  onChange(v: string): void;
  autoComplete: string;
  minLength?: number;
}) {
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <input
        id={`f-${name}`}
        name={name}
        type={type}
        required
        value={value}
        minLength={minLength}
        autoComplete={autoComplete}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

export function SignInPage({ onSignedIn }: { onSignedIn(s: Account): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [setupNeeded, setSetupNeeded] = useState(false);
  useEffect(() => {
    jury
      .call(getSetupRoute)
      .then((b) => setSetupNeeded(b.data.needed))
      .catch(() => undefined);
  }, []);
  const { error, busy, submit } = useSubmit(
    (s) => {
      onSignedIn(s);
      navigate(nextPath(), { replace: true });
    },
    () => jury.call(signInRoute, { json: { email, password } }),
  );
  return (
    <section className="card narrow">
      <PageTitle title="Sign in">Sign in to Jury</PageTitle>
      {setupNeeded && (
        <p className="notice">
          No owner is set up yet: open the setup link that <code>jury serve</code> printed when it started.
        </p>
      )}
      <form className="form" onSubmit={(e) => void submit(e)}>
        <Field
          label="Email"
          name="email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
        />
        <Field
          label="Password"
          name="password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        <FormError error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}

/** The account form of setup and invite acceptance: name, email, a new password. */
function AccountForm({
  submitLabel,
  send,
  onSignedIn,
}: {
  submitLabel: string;
  send(account: { email: string; name: string; password: string }): Promise<{ data: Account }>;
  onSignedIn(s: Account): void;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useSubmit(
    (s) => {
      onSignedIn(s);
      navigate('/jobs', { replace: true });
    },
    () => send({ email, name, password }),
  );
  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <Field label="Your name" name="name" value={name} onChange={setName} autoComplete="name" />
      <Field
        label="Email"
        name="email"
        type="email"
        value={email}
        onChange={setEmail}
        autoComplete="username"
      />
      <Field
        label={`Password (at least ${PASSWORD_MIN_LENGTH} characters)`}
        name="password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
      />
      <FormError error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

export function SetupPage({ onSignedIn }: { onSignedIn(s: Account): void }) {
  const token = tokenParam();
  const [setup] = useLoad(async () => (await jury.call(getSetupRoute)).data, 'setup');
  return (
    <section className="card narrow">
      <PageTitle title="Set up Jury">Set up the owner</PageTitle>
      <Loaded value={setup}>
        {({ needed }) =>
          !needed ? (
            <p>
              The owner is already set up. <Link to="/sign-in">Sign in</Link> instead.
            </p>
          ) : !token ? (
            <p className="notice error" role="alert">
              This link has no setup token: open the link <code>jury serve</code> printed, as it is.
            </p>
          ) : (
            <>
              <p>Create the owner of this server's organization. You sign in with this email and password.</p>
              <AccountForm
                submitLabel="Create the owner"
                onSignedIn={onSignedIn}
                send={(account) => jury.call(completeSetupRoute, { json: { token, ...account } })}
              />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

export function InvitePage({ onSignedIn }: { onSignedIn(s: Account): void }) {
  const token = tokenParam();
  const [invite] = useLoad(
    async (): Promise<InviteLookup> => (await jury.call(lookupInviteRoute, { query: { token } })).data,
    `invite:${token}`,
  );
  return (
    <section className="card narrow">
      <PageTitle title="Accept the invitation">Join an organization</PageTitle>
      {invite.state === 'error' ? (
        <p className="notice error" role="alert">
          This invitation is not valid: it was used, revoked or has expired. Ask for a new link.
        </p>
      ) : (
        <Loaded value={invite}>
          {(found) => (
            <>
              <p>
                You are invited to <strong>{found.organization.name}</strong> as{' '}
                {found.role === 'owner' ? 'an' : 'a'} {found.role}. The link works once, until{' '}
                {formatDate(found.expiresAt)}.
              </p>
              <AccountForm
                submitLabel="Create my account"
                onSignedIn={onSignedIn}
                send={(account) => jury.call(acceptInviteRoute, { json: { token, ...account } })}
              />
            </>
          )}
        </Loaded>
      )}
    </section>
  );
}

/** /reset-password?token=…: a new password from the link `jury users reset-password` printed. */
export function ResetPasswordPage({ onSignedIn }: { onSignedIn(s: Account): void }) {
  const token = tokenParam();
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useSubmit(
    (s) => {
      onSignedIn(s);
      navigate('/jobs', { replace: true });
    },
    () => jury.call(resetPasswordRoute, { json: { token, password } }),
  );
  return (
    <section className="card narrow">
      <PageTitle title="Set a new password">Set a new password</PageTitle>
      {!token ? (
        <p className="notice error" role="alert">
          This link has no reset token: open the link <code>jury users reset-password</code> printed, as it
          is.
        </p>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)}>
          <Field
            label={`New password (at least ${PASSWORD_MIN_LENGTH} characters)`}
            name="password"
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="new-password"
            minLength={PASSWORD_MIN_LENGTH}
          />
          <FormError error={error} />
          <button type="submit" className="primary" disabled={busy}>
            Set the password and sign in
          </button>
        </form>
      )}
    </section>
  );
}
