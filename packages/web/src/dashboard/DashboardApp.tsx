// The requester dashboard: its routes, the session they need, the frame around them. Loaded on demand by
// main.tsx, so the labeler app does not carry it.
import type { Account } from '@jury/api';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api.ts';
import { navigate } from '../router.ts';
import { AudiencePage, AudiencesPage } from './AudiencesPages.tsx';
import { InvitePage, ResetPasswordPage, SetupPage, SignInPage } from './AuthPages.tsx';
import { BenchmarkPage, BenchmarksPage } from './BenchmarksPages.tsx';
import { DefinitionPage, DefinitionsPage } from './DefinitionsPages.tsx';
import { EvaluationRunPage, EvaluationRunsPage } from './EvaluationRunsPages.tsx';
import { JobPage } from './JobPage.tsx';
import { JobsPage } from './JobsPage.tsx';
import { LabelersPage } from './LabelersPage.tsx';
import { Layout, PlainLayout } from './Layout.tsx';
import { LeaderboardPage } from './LeaderboardPage.tsx';
import { ModelPage, ModelsPage, NewModelPage } from './ModelsPages.tsx';
import { FlowItemPage, FlowPage, RankingJobPage, RankingsPage } from './RankingsPages.tsx';
import { ClientsPage, MembersPage } from './SettingsPages.tsx';
import { loadSession, SessionContext } from './session.tsx';
import { NotFoundPage, signInPath } from './ui.tsx';

type Page = (params: string[]) => ReactNode;

/** The signed-in pages, by path pattern; their captures are the params. */
const PAGES: [RegExp, Page][] = [
  [/^\/(?:jobs)?$/, () => <JobsPage />],
  [/^\/jobs\/([^/]+)$/, ([id]) => <JobPage key={id} id={id as string} />],
  [/^\/definitions$/, () => <DefinitionsPage />],
  [/^\/definitions\/([^/]+)$/, ([id]) => <DefinitionPage key={id} id={id as string} />],
  [/^\/audiences$/, () => <AudiencesPage />],
  [/^\/audiences\/([^/]+)$/, ([id]) => <AudiencePage key={id} id={id as string} />],
  [/^\/benchmarks$/, () => <BenchmarksPage />],
  [/^\/benchmarks\/([^/]+)$/, ([id]) => <BenchmarkPage key={id} id={id as string} />],
  [/^\/leaderboards\/([^/]+)$/, ([id]) => <LeaderboardPage key={id} id={id as string} />],
  [/^\/rankings$/, () => <RankingsPage />],
  [/^\/flows\/([^/]+)$/, ([id]) => <FlowPage key={id} id={id as string} />],
  [/^\/flow-items\/([^/]+)$/, ([id]) => <FlowItemPage key={id} id={id as string} />],
  [/^\/ranking-jobs\/([^/]+)$/, ([id]) => <RankingJobPage key={id} id={id as string} />],
  [/^\/labelers$/, () => <LabelersPage />],
  [/^\/settings(?:\/clients)?$/, () => <ClientsPage />],
  [/^\/settings\/members$/, () => <MembersPage />],
  [/^\/models$/, () => <ModelsPage />],
  [/^\/models\/new$/, () => <NewModelPage />],
  [/^\/models\/([^/]+)$/, ([id]) => <ModelPage key={id} id={id as string} />],
  [/^\/evaluation-runs$/, () => <EvaluationRunsPage />],
  [/^\/evaluation-runs\/([^/]+)$/, ([id]) => <EvaluationRunPage key={id} id={id as string} />],
];

function match(path: string): ReactNode | undefined {
  for (const [pattern, page] of PAGES) {
    const found = pattern.exec(path);
    if (found) return page(found.slice(1).map((p) => decodeURIComponent(p)));
  }
  return undefined;
}

export default function DashboardApp({ path }: { path: string }) {
  const [session, setSession] = useState<Account | null | undefined>(undefined);
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    loadSession()
      .then(setSession)
      .catch((err: unknown) => setFailure(errorMessage(err)));
  }, []);
  const signedOut = useCallback(() => setSession(null), []);

  const signedOutPage =
    path === '/sign-in' ? (
      <SignInPage onSignedIn={setSession} />
    ) : path === '/setup' ? (
      <SetupPage onSignedIn={setSession} />
    ) : path === '/invite' ? (
      <InvitePage onSignedIn={setSession} />
    ) : path === '/reset-password' ? (
      <ResetPasswordPage onSignedIn={setSession} />
    ) : undefined;
  if (signedOutPage) return <PlainLayout>{signedOutPage}</PlainLayout>;

  if (failure)
    return (
      <PlainLayout>
        <p className="notice error" role="alert">
          {failure}
        </p>
      </PlainLayout>
    );
  if (session === undefined)
    return (
      <PlainLayout>
        <p className="status" role="status">
          Loading…
        </p>
      </PlainLayout>
    );
  const page = match(path);
  if (!session) {
    if (page) return <RedirectToSignIn />;
    return (
      <PlainLayout>
        <NotFoundPage />
      </PlainLayout>
    );
  }
  return (
    <SessionContext.Provider value={{ session, signedOut }}>
      <Layout path={path}>{page ?? <NotFoundPage />}</Layout>
    </SessionContext.Provider>
  );
}

function RedirectToSignIn() {
  useEffect(() => navigate(signInPath(), { replace: true }), []);
  return null;
}
