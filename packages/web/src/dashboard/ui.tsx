// The dashboard's small shared pieces: links, loading states, the not-found page, copy buttons, progress bars.
import { JuryAuthError, JuryNotFoundError } from '@jury/sdk/client';
import { type AnchorHTMLAttributes, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api.ts';
import { followLink, navigate } from '../router.ts';

/** A link inside the app: followed without a reload. */
export function Link({ to, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  return <a {...rest} href={to} onClick={followLink} />;
}

/** The page's <h1>, also its document title; focused on arrival so screen readers announce the new page. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Jury`;
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}

export type Loading<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; error: unknown };

/** Loads `load()` when `key` changes; `reload` loads again keeping the shown data (no flash of "Loading…"). */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loading<T>, () => Promise<void>] {
  const [value, setValue] = useState<Loading<T>>({ state: 'loading' });
  const current = useRef(load);
  current.current = load;
  const latest = useRef(0);
  const run = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const data = await current.current();
      if (ticket === latest.current) setValue({ state: 'ok', data });
    } catch (error) {
      if (ticket === latest.current) setValue({ state: 'error', error });
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key names what is loaded
  useEffect(() => {
    setValue({ state: 'loading' });
    void run();
  }, [key, run]);
  return [value, run];
}

/** What a failed load shows: the not-found page for a 404 (another organization's data too), else the error. */
export function LoadFailure({ error }: { error: unknown }) {
  if (error instanceof JuryNotFoundError) return <NotFoundPage />;
  if (error instanceof JuryAuthError) {
    navigate(signInPath(), { replace: true });
    return null;
  }
  return (
    <p className="notice error" role="alert">
      {errorMessage(error)}
    </p>
  );
}

/** Renders `children(data)` once loaded; the loading and failure states otherwise. */
export function Loaded<T>({ value, children }: { value: Loading<T>; children: (data: T) => ReactNode }) {
  if (value.state === 'loading')
    return (
      <p className="status" role="status">
        Loading…
      </p>
    );
  if (value.state === 'error') return <LoadFailure error={value.error} />;
  return <>{children(value.data)}</>;
}

/** /sign-in, returning here afterwards. */
export function signInPath(): string {
  const here = window.location.pathname + window.location.search;
  return here === '/' || here.startsWith('/sign-in')
    ? '/sign-in'
    : `/sign-in?next=${encodeURIComponent(here)}`;
}

export function NotFoundPage() {
  return (
    <section className="card not-found">
      <PageTitle title="Not found">Page not found</PageTitle>
      <p>There is nothing here, or it belongs to another organization.</p>
      <p>
        Go to <Link to="/jobs">your jobs</Link> or <a href="/label">label data</a>.
      </p>
    </section>
  );
}

/** A button that copies `text`, saying so in a live region. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied.');
    } catch {
      setCopied('Copying failed: select the text and copy it.');
    }
  };
  return (
    <>
      <button type="button" onClick={() => void copy()}>
        {label}
      </button>
      <span className="muted copy-status" role="status">
        {copied}
      </span>
    </>
  );
}

/** A value shown once or shared, selectable as one block, with a copy button. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = `copy-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
    </div>
  );
}

export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
    >
      <div className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatDate = (iso: string | null | undefined) => (iso ? DATE.format(new Date(iso)) : '—');
export const percent = (ratio: number | undefined) => `${Math.round((ratio ?? 0) * 1000) / 10}%`;

/** A form's failure, announced. */
export function FormError({ error }: { error: unknown }) {
  if (error === undefined) return null;
  return (
    <p className="notice error" role="alert">
      {errorMessage(error)}
    </p>
  );
}
