import { useEffect, useState } from 'react';
import { errorMessage } from './api.ts';

interface Health {
  status: string;
  database: string;
  version: string;
}

/** `/`: a minimal requester landing page until the dashboard is built. */
export function Dashboard() {
  const [health, setHealth] = useState<Health>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    fetch('/healthz')
      .then(async (r) => {
        if (!r.ok) throw new Error(`The server answered ${r.status}.`);
        setHealth((await r.json()) as Health);
      })
      .catch((err: unknown) => setError(errorMessage(err)));
  }, []);
  return (
    <div className="labeler">
      <header className="topbar">
        <span className="brand">Jury</span>
      </header>
      <main>
        <div className="card">
          <h2>Jury</h2>
          <p>Evaluate AI models by human judgment, on your own machine.</p>
          <ul className="links">
            <li>
              <a href="/label">Label data</a> — the labeler app: answer compare and classification tasks.
            </li>
            <li>
              <a href="/api/reference">API reference</a> — every endpoint, for the SDK and your own tools.
            </li>
          </ul>
          <p className="muted" role="status">
            {health
              ? `Server ${health.status}: version ${health.version}, ${health.database} database.`
              : error
                ? `Server health unknown: ${error}`
                : 'Checking the server…'}
          </p>
        </div>
      </main>
    </div>
  );
}
