import { lazy, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { LabelerApp } from './labeler/LabelerApp.tsx';
import { PreviewPage } from './labeler/PreviewPage.tsx';
import { usePath } from './router.ts';

// The requester dashboard is its own chunk: labelers, who open only /label, never download it
const DashboardApp = lazy(() => import('./dashboard/DashboardApp.tsx'));

function App() {
  const path = usePath().replace(/\/+$/, '') || '/';
  const preview = /^\/label\/preview\/([^/]+)$/.exec(path);
  if (preview?.[1]) return <PreviewPage previewKey={decodeURIComponent(preview[1])} />;
  if (path === '/label') return <LabelerApp key="open" />;
  const invite = /^\/label\/invite\/([^/]+)$/.exec(path);
  if (invite?.[1])
    return <LabelerApp key="invite" entry={{ k: 'invite', token: decodeURIComponent(invite[1]) }} />;
  const study = /^\/label\/study\/([^/]+)$/.exec(path);
  if (study?.[1]) {
    const params = Object.fromEntries(new URLSearchParams(window.location.search));
    return (
      <LabelerApp key="study" entry={{ k: 'study', audienceId: decodeURIComponent(study[1]), params }} />
    );
  }
  return (
    <Suspense
      fallback={
        <p className="status" role="status">
          Loading…
        </p>
      }
    >
      <DashboardApp path={path} />
    </Suspense>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
