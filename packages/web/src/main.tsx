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
  if (path === '/label') return <LabelerApp />;
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
