import { getLabelerPreviewRoute, type LabelerAnswer, type LabelerPreview } from '@jury/api';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage, jury } from '../api.ts';
import { TaskView } from './TaskView.tsx';
import { TASK_TYPE_VIEWS } from './task-types/index.ts';

/** /label/preview/{key}: what labelers will see, datapoint by datapoint; nothing is recorded. */
export function PreviewPage({ previewKey }: { previewKey: string }) {
  const [preview, setPreview] = useState<LabelerPreview>();
  const [error, setError] = useState<string>();
  const [index, setIndex] = useState(0);
  const [chosen, setChosen] = useState<LabelerAnswer>();

  useEffect(() => {
    jury
      .call(getLabelerPreviewRoute, { params: { key: previewKey } })
      .then(({ data }) => setPreview(data))
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [previewKey]);

  const count = preview?.tasks.length ?? 0;
  const go = useCallback(
    (to: number) => {
      setChosen(undefined);
      setIndex(Math.max(0, Math.min(count - 1, to)));
    },
    [count],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'PageDown' || e.key === ']') go(index + 1);
      else if (e.key === 'PageUp' || e.key === '[') go(index - 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, index]);

  const task = preview?.tasks[index];
  return (
    <div className="labeler">
      <header className="topbar">
        <span className="brand">
          Jury <span>preview</span>
        </span>
        {preview && (
          <span className="muted">
            {preview.name} · revision {preview.revision}
          </span>
        )}
      </header>
      <main>
        <p className="qualification-banner">Preview: this is what labelers see. Answers are not recorded.</p>
        {error && (
          <div className="card">
            <h2>Cannot show this preview</h2>
            <p className="error" role="alert">
              {error}
            </p>
          </div>
        )}
        {!error && !preview && <p className="status">Loading…</p>}
        {preview && count === 0 && <p className="status">This definition has no datapoints.</p>}
        {task && (
          <>
            <nav className="pager" aria-label="Datapoints">
              <button
                type="button"
                className="secondary"
                disabled={index === 0}
                onClick={() => go(index - 1)}
              >
                ← Previous
              </button>
              <span>
                Datapoint {index + 1} of {count}
              </span>
              <button
                type="button"
                className="secondary"
                disabled={index >= count - 1}
                onClick={() => go(index + 1)}
              >
                Next →
              </button>
            </nav>
            {!task.settings.noShuffle && (
              <p className="muted" data-testid="order-note">
                {TASK_TYPE_VIEWS[task.taskType].orderNote}
              </p>
            )}
            <TaskView key={index} task={task} marks={{ chosen }} onAnswer={setChosen} />
            <p className="notice" role="status">
              {chosen
                ? `This answer would be recorded as ${TASK_TYPE_VIEWS[task.taskType].describeAnswer(chosen, task)}.`
                : 'Pick an answer to see how it would be recorded.'}
            </p>
          </>
        )}
      </main>
    </div>
  );
}
