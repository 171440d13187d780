import { signOutRoute } from '@jury/api';
import type { ReactNode } from 'react';
import { jury } from '../api.ts';
import { navigate } from '../router.ts';
import { ServerHealth } from './ServerHealth.tsx';
import { useSession } from './session.tsx';
import { Link } from './ui.tsx';

const SECTIONS = [
  { to: '/jobs', label: 'Jobs', match: /^\/(jobs(\/|$)|$)/ },
  { to: '/definitions', label: 'Definitions', match: /^\/definitions(\/|$)/ },
  { to: '/audiences', label: 'Audiences', match: /^\/audiences(\/|$)/ },
  { to: '/benchmarks', label: 'Benchmarks', match: /^\/(benchmarks|leaderboards)(\/|$)/ },
  { to: '/models', label: 'Models', match: /^\/(models|evaluation-runs)(\/|$)/ },
  { to: '/rankings', label: 'Rankings', match: /^\/(rankings|flows|flow-items|ranking-jobs)(\/|$)/ },
  { to: '/labelers', label: 'Labelers', match: /^\/labelers(\/|$)/ },
  { to: '/settings/clients', label: 'Settings', match: /^\/settings(\/|$)/ },
];

/** The signed-in frame: skip link, navigation, who is signed in to which organization, sign-out. */
export function Layout({ path, children }: { path: string; children: ReactNode }) {
  const { session, signedOut } = useSession();
  const signOut = async () => {
    await jury.call(signOutRoute).catch(() => undefined);
    signedOut();
    navigate('/sign-in');
  };
  return (
    <div className="dashboard">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <Link className="brand" to="/jobs">
          Jury <span>dashboard</span>
        </Link>
        <nav aria-label="Dashboard">
          <ul className="nav">
            {SECTIONS.map((s) => (
              <li key={s.to}>
                <Link to={s.to} aria-current={s.match.test(path) ? 'page' : undefined}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {session.user.name} <span className="muted">({session.user.role})</span> ·{' '}
            <span className="org">{session.organization.name}</span>
          </span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="content" className="dashboard-main">
        {children}
      </main>
    </div>
  );
}

/** The frame of the signed-out pages (sign-in, setup, invite). */
export function PlainLayout({ children }: { children: ReactNode }) {
  return (
    <div className="dashboard">
      <header className="topbar">
        <a className="brand" href="/">
          Jury
        </a>
      </header>
      <main id="content">{children}</main>
      <footer className="plain-footer">
        <ServerHealth />
        <p className="small">
          <a href="/label">Label data</a> · <a href="/api/reference">API reference</a>
        </p>
      </footer>
    </div>
  );
}
