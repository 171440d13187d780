import type {
  LabelerAnswer,
  LabelerProfile,
  LabelerQualificationResult,
  LabelerQualificationTask,
  LabelerTaskView,
  LabelerWorkTask,
} from '@jury/api';
import {
  acceptAudienceInviteRoute,
  createLabelerSessionRoute,
  enterStudyRoute,
  nextLabelerTaskRoute,
  nextStudyStepRoute,
  submitLabelerResponseRoute,
  submitQualificationAnswerRoute,
} from '@jury/api';
import { JuryAuthError, JuryConflictError, JuryError, JuryNotFoundError } from '@jury/sdk/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, jury, serverNow } from '../api.ts';
import { navigate } from '../router.ts';
import { Countdown } from './Countdown.tsx';
import { ProfileForm } from './ProfileForm.tsx';
import { TaskView } from './TaskView.tsx';
import { TASK_TYPE_VIEWS } from './task-types/index.ts';

type Phase =
  | { k: 'starting' }
  | { k: 'failed'; message: string }
  | { k: 'refused'; message: string }
  | { k: 'profile'; profile: LabelerProfile; editing: boolean }
  | { k: 'work'; profile: LabelerProfile };

/**
 * How the labeler arrived: `/label` (an open session), `/label/invite/<token>` (an invite link), or
 * `/label/study/<audienceId>?…` (a recruiting site's entry URL, its ids in `params`).
 */
export type LabelerEntry =
  | { k: 'open' }
  | { k: 'invite'; token: string }
  | { k: 'study'; audienceId: string; params: Record<string, string> };

/** An entry link that cannot let the labeler in (4xx): a page saying so, not work. */
const refused = (error: unknown) => error instanceof JuryError && [400, 404, 410].includes(error.status);

/** /label: session (open, invite link or study entry) → profile → qualification examples → tasks. */
export function LabelerApp({ entry = { k: 'open' } }: { entry?: LabelerEntry }) {
  const [phase, setPhase] = useState<Phase>({ k: 'starting' });
  const started = useRef(false);

  const start = useCallback(async () => {
    setPhase({ k: 'starting' });
    try {
      let profile: LabelerProfile;
      if (entry.k === 'invite') {
        await jury.call(acceptAudienceInviteRoute, { params: { token: entry.token } });
        // In: the invite's audience now admits this session; the open app takes it from here.
        navigate('/label', { replace: true });
        return;
      }
      if (entry.k === 'study')
        profile = (
          await jury.call(enterStudyRoute, {
            params: { id: entry.audienceId },
            json: { params: entry.params },
          })
        ).data.labeler;
      else profile = (await jury.call(createLabelerSessionRoute, { json: {} })).data;
      setPhase(profile.profileComplete ? { k: 'work', profile } : { k: 'profile', profile, editing: false });
    } catch (error) {
      setPhase({ k: refused(error) ? 'refused' : 'failed', message: errorMessage(error) });
    }
  }, [entry]);
  const studyId = entry.k === 'study' ? entry.audienceId : undefined;

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void start();
  }, [start]);

  return (
    <div className="labeler">
      <header className="topbar">
        <a className="brand" href="/label">
          Jury <span>labeling</span>
        </a>
        {phase.k === 'work' && (
          <button
            type="button"
            className="link-button"
            onClick={() => setPhase({ k: 'profile', profile: phase.profile, editing: true })}
          >
            Your profile
          </button>
        )}
      </header>
      <main>
        {phase.k === 'starting' && <p className="status">Starting…</p>}
        {phase.k === 'refused' && (
          <div className="card">
            <h2>This link does not let you in</h2>
            <p className="error" role="alert">
              {phase.message}
            </p>
            <p className="muted">No work is waiting for you here; check the link you were given.</p>
          </div>
        )}
        {phase.k === 'failed' && (
          <div className="card">
            <h2>Cannot start labeling</h2>
            <p className="error" role="alert">
              {phase.message}
            </p>
            <button type="button" className="primary" onClick={() => void start()}>
              Try again
            </button>
          </div>
        )}
        {phase.k === 'profile' && (
          <ProfileForm
            profile={phase.profile}
            onSaved={(profile) => setPhase({ k: 'work', profile })}
            onCancel={phase.editing ? () => setPhase({ k: 'work', profile: phase.profile }) : undefined}
          />
        )}
        {phase.k === 'work' && (
          <WorkLoop
            studyId={studyId}
            onSessionLost={() => void start()}
            onProfileNeeded={() => setPhase({ k: 'profile', profile: phase.profile, editing: false })}
          />
        )}
      </main>
    </div>
  );
}

type Current =
  | { k: 'loading' }
  | { k: 'error'; message: string }
  | { k: 'none'; retryAfterMs: number }
  | { k: 'finished'; outcome: 'completed' | 'screened_out'; code: string; redirectUrl: string }
  | { k: 'task'; task: LabelerWorkTask; deadline: number }
  | {
      k: 'qualification';
      task: LabelerQualificationTask;
      chosen?: LabelerAnswer;
      result?: LabelerQualificationResult;
    };

const MIN_POLL_MS = 1000;
const MAX_POLL_MS = 30_000;
const EXPIRY_MARGIN_MS = 1200;

/** A 401 means the session cookie is gone (cleared, or signed with another key): start a new session. */
const sessionLost = (error: unknown) => error instanceof JuryAuthError;
/** A 404 or 409 on an answer: the lease or example is gone (expired, or answered elsewhere). */
const gone = (error: unknown): error is Error =>
  error instanceof JuryNotFoundError || error instanceof JuryConflictError;

/** The next work: the open loop asks tasks/next, a study participant the study's next step. */
async function fetchNext(studyId: string | undefined) {
  if (studyId === undefined) {
    const res = await jury.send(nextLabelerTaskRoute);
    return { now: serverNow(res), step: { step: 'work' as const, work: (await res.json()).data } };
  }
  const res = await jury.send(nextStudyStepRoute, { params: { id: studyId } });
  return { now: serverNow(res), step: (await res.json()).data };
}

function WorkLoop({
  studyId,
  onSessionLost,
  onProfileNeeded,
}: {
  studyId: string | undefined;
  onSessionLost: () => void;
  onProfileNeeded: () => void;
}) {
  const [current, setCurrent] = useState<Current>({ k: 'loading' });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ text: string; kind: 'info' | 'error' }>();
  const [answered, setAnswered] = useState(0);
  const loading = useRef(false);
  const lost = useRef(onSessionLost);
  lost.current = onSessionLost;
  const needsProfile = useRef(onProfileNeeded);
  needsProfile.current = onProfileNeeded;

  const load = useCallback(async () => {
    if (loading.current) return;
    loading.current = true;
    try {
      const { now, step } = await fetchNext(studyId);
      if (step.step === 'profile') return needsProfile.current();
      if (step.step === 'finished') {
        setCurrent({ k: 'finished', ...step });
        // Back to the recruiting site with the code (the page also shows the code and the link).
        window.location.assign(step.redirectUrl);
        return;
      }
      const data = step.work;
      if (data.kind === 'none') setCurrent({ k: 'none', retryAfterMs: data.retryAfterMs });
      else if (data.kind === 'task')
        setCurrent({
          k: 'task',
          task: data,
          // The Date header has whole seconds: count one less so the app never outlives the lease.
          deadline: Date.now() + (Date.parse(data.expiresAt) - now) - 1000,
        });
      else setCurrent({ k: 'qualification', task: data });
    } catch (error) {
      if (sessionLost(error)) lost.current();
      else setCurrent({ k: 'error', message: errorMessage(error) });
    } finally {
      loading.current = false;
    }
  }, [studyId]);

  useEffect(() => {
    void load();
  }, [load]);

  // Nothing to do: ask again after the server's hint, and at once when the tab comes back.
  useEffect(() => {
    if (current.k !== 'none') return;
    const delay = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, current.retryAfterMs));
    const timer = window.setTimeout(() => void load(), delay);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [current, load]);

  const answerTask = async (task: LabelerWorkTask, answer: LabelerAnswer) => {
    setBusy(true);
    try {
      await jury.call(submitLabelerResponseRoute, { json: { leaseId: task.leaseId, answer } });
      setAnswered((n) => n + 1);
      setNotice({ text: 'Answer saved.', kind: 'info' });
      setCurrent({ k: 'loading' }); // the answered task leaves the screen at once
      await load();
    } catch (error) {
      if (sessionLost(error)) onSessionLost();
      else if (gone(error)) {
        // The lease is gone (expired, or answered elsewhere): this task cannot take the answer any more.
        setNotice({ text: `${error.message} Here is the next task.`, kind: 'error' });
        await load();
      } else setNotice({ text: errorMessage(error), kind: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const answerExample = async (task: LabelerQualificationTask, answer: LabelerAnswer) => {
    setBusy(true);
    setNotice(undefined);
    try {
      const { data } = await jury.call(submitQualificationAnswerRoute, {
        json: { exampleId: task.exampleId, audienceId: task.audienceId, answer },
      });
      setCurrent({ k: 'qualification', task, chosen: answer, result: data });
    } catch (error) {
      if (sessionLost(error)) onSessionLost();
      else if (gone(error)) {
        setNotice({ text: error.message, kind: 'error' });
        await load();
      } else setNotice({ text: errorMessage(error), kind: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    setNotice(undefined);
    setCurrent({ k: 'loading' });
    void load();
  };

  return (
    <>
      <div className="statusbar" aria-live="polite">
        <span>{answered} answered this session</span>
        {current.k === 'task' && (
          <span>
            Time left{' '}
            <Countdown
              deadline={current.deadline}
              onExpire={() => {
                setNotice({
                  text: 'Time ran out on that task, so it may go to someone else. Here is the next one.',
                  kind: 'error',
                });
                setCurrent({ k: 'loading' });
                // The countdown ends up to a second early (see deadline); ask once the server's lease is over too.
                window.setTimeout(() => void load(), EXPIRY_MARGIN_MS);
              }}
            />
          </span>
        )}
        {current.k === 'qualification' && (
          <span>
            Qualification example{' '}
            {current.result ? current.result.membership.answered : current.task.progress.answered + 1} of{' '}
            {current.task.progress.total}
          </span>
        )}
      </div>
      {notice && (
        <p
          className={notice.kind === 'error' ? 'notice error' : 'notice'}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          {notice.text}
        </p>
      )}
      {current.k === 'loading' && <p className="status">Loading the next task…</p>}
      {current.k === 'error' && (
        <div className="card">
          <h2>Something went wrong</h2>
          <p className="error" role="alert">
            {current.message}
          </p>
          <button type="button" className="primary" onClick={next}>
            Try again
          </button>
        </div>
      )}
      {current.k === 'finished' && (
        <div className="card">
          <h2>{current.outcome === 'completed' ? 'All done, thank you!' : 'Thank you for your time'}</h2>
          <p>
            Taking you back to the study site. If nothing happens,{' '}
            <a href={current.redirectUrl}>continue here</a> (code <code>{current.code}</code>).
          </p>
        </div>
      )}
      {current.k === 'none' && (
        <div className="card empty">
          <h2>No tasks right now</h2>
          <p className="muted">
            Thanks for helping! New tasks appear here by themselves; keep this page open or come back later.
          </p>
          <button type="button" className="secondary" onClick={next}>
            Check now
          </button>
        </div>
      )}
      {current.k === 'qualification' && (
        <>
          {!current.result && (
            <p className="qualification-banner">
              A few practice examples first: they show whether this work suits you.
            </p>
          )}
          <TaskView
            key={current.task.exampleId}
            task={current.task}
            disabled={busy || current.result !== undefined}
            marks={
              current.result?.truth ? { chosen: current.chosen, truth: current.result.truth } : undefined
            }
            onAnswer={(answer) => void answerExample(current.task, answer)}
          />
          {current.result && <Feedback result={current.result} onContinue={next} />}
        </>
      )}
      {current.k === 'task' && (
        <TaskView
          key={current.task.leaseId}
          task={current.task}
          disabled={busy}
          onAnswer={(answer) => void answerTask(current.task, answer)}
        />
      )}
      {(current.k === 'task' || (current.k === 'qualification' && !current.result)) && (
        <Shortcuts task={current.task} />
      )}
    </>
  );
}

function Feedback({ result, onContinue }: { result: LabelerQualificationResult; onContinue: () => void }) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  const { membership: m } = result;
  // Without feedback (the audience's choice) nothing tells whether the answer was right, only the final state.
  const graded = result.correct !== null;
  const tally = m.correct === null ? '' : ` (${m.correct} of ${m.answered} right)`;
  const grade = result.correct ? 'is-correct' : 'is-incorrect';
  return (
    <section className={`feedback ${graded ? grade : 'is-recorded'}`} aria-live="assertive">
      <h3>{graded ? (result.correct ? 'Correct' : 'Not quite') : 'Answer recorded'}</h3>
      {result.explanation && <p>{result.explanation}</p>}
      {m.state === 'qualified' && <p>You passed the qualification{tally}. Real tasks come next.</p>}
      {m.state === 'dropped' && (
        <p>
          That was the last example:{' '}
          {m.correct === null ? 'your answers are' : `${m.correct} of ${m.answered} right is`} not enough for
          this work. We will look for other tasks for you.
        </p>
      )}
      <button ref={button} type="button" className="primary" onClick={onContinue}>
        Continue
      </button>
    </section>
  );
}

function Shortcuts({ task }: { task: LabelerTaskView }) {
  const { Shortcuts: Keys } = TASK_TYPE_VIEWS[task.taskType];
  return (
    <p className="shortcuts muted">
      Keyboard: <Keys task={task} />
    </p>
  );
}
