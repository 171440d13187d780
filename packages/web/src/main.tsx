import { createRoot } from 'react-dom/client';
import { Dashboard } from './Dashboard.tsx';
import { LabelerApp } from './labeler/LabelerApp.tsx';
import { PreviewPage } from './labeler/PreviewPage.tsx';
import { usePath } from './router.ts';

function NotFound() {
  return (
    <main className="labeler">
      <div className="card">
        <h2>Page not found</h2>
        <p>
          Try <a href="/label">labeling</a> or the <a href="/">start page</a>.
        </p>
      </div>
    </main>
  );
}

function App() {
  const path = usePath().replace(/\/+$/, '') || '/';
  const preview = /^\/label\/preview\/([^/]+)$/.exec(path);
  if (preview?.[1]) return <PreviewPage previewKey={decodeURIComponent(preview[1])} />;
  if (path === '/label') return <LabelerApp />;
  if (path === '/') return <Dashboard />;
  return <NotFound />;
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
