import { SESSION_COOKIE } from '@jury/api';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { clientInfo } from '../http/client-info.ts';

// The dashboard session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on other sites' subrequests
// and posts; the CSRF guard covers the rest), Secure when the request reached us (or a trusted proxy) over https.

const secure = (c: Context) => clientInfo(c).https;

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function setSessionCookie(c: Context, token: string, expiresAt: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: secure(c),
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(c) });
}
