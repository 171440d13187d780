import { type MouseEvent, useEffect, useState } from 'react';

const CHANGE = 'jury:navigate';

/** The current pathname, updated on back/forward (popstate) and on {@link navigate}. */
export function usePath(): string {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return path;
}

/** Goes to a path of the app without reloading (`replace` for redirects, so Back skips them). */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}) {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(CHANGE));
}

/** An <a onClick> that navigates in the app for a plain left click and leaves modified clicks to the browser. */
export function followLink(event: MouseEvent<HTMLAnchorElement>) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = event.currentTarget.getAttribute('href');
  if (!href?.startsWith('/') || event.currentTarget.target || event.currentTarget.hasAttribute('download'))
    return;
  event.preventDefault();
  navigate(href);
}
