import { LABELER_COOKIE } from '@jury/api';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { clientInfo } from '../http/client-info.ts';

const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

export function readLabelerCookie(c: Context): string | undefined {
  return getCookie(c, LABELER_COOKIE);
}

/** The signed labeler session cookie: HttpOnly, SameSite=Lax, Secure over https, for a year. */
export function setLabelerCookie(c: Context, value: string): void {
  setCookie(c, LABELER_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: COOKIE_MAX_AGE_SECONDS,
    secure: clientInfo(c).https,
  });
}
