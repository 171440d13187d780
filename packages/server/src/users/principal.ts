import type { PrincipalResolver } from '../auth/principal.ts';
import { readSessionCookie, setSessionCookie } from './cookie.ts';
import { resolveSession, type SessionDeps } from './sessions.ts';

/** The `session` scheme's resolver: the user of the dashboard session cookie, its expiry slid forward. */
export function sessionResolver(deps: SessionDeps): PrincipalResolver<'session'> {
  return async (c) => {
    const token = readSessionCookie(c);
    const { principal, renewedUntil } = await resolveSession(deps, token);
    if (renewedUntil && token) setSessionCookie(c, token, renewedUntil);
    return principal;
  };
}
