import type { UserPrincipal } from '../auth/principal.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../http/clock.ts';
import { AppError } from '../http/errors.ts';
import { hashSecret, newSecret } from '../http/ids.ts';
import * as store from './store.ts';

export interface SessionDeps {
  db: Db;
  clock: Clock;
}

/** A session ends after this long unused; every use slides it forward. */
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
/** The sliding expiry is written at most this often per session (it would otherwise cost a write per request). */
const RENEW_EVERY_MS = 3600 * 1000;

/** A new session for the user: the token goes into the cookie, only its hash into the database. */
export async function startSession(deps: SessionDeps, userId: string) {
  const now = deps.clock.now();
  const token = newSecret('jus');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await store.insertSession(deps.db, {
    token_hash: hashSecret(token),
    user_id: userId,
    created_at: now.toISOString(),
    expires_at: expiresAt,
  });
  return { token, expiresAt };
}

/**
 * The user of a session cookie's token, or UNAUTHENTICATED with the reason. `renewedUntil` is set when the
 * expiry slid forward, so the caller sends the cookie again with the new lifetime.
 */
export async function resolveSession(
  deps: SessionDeps,
  token: string | undefined,
): Promise<{ principal: UserPrincipal; renewedUntil?: string }> {
  if (!token) throw new AppError('UNAUTHENTICATED', 'Not signed in: sign in with POST /api/v1/session.');
  const tokenHash = hashSecret(token);
  const row = await store.findSession(deps.db, tokenHash);
  if (!row)
    throw new AppError('UNAUTHENTICATED', 'This session ended (signed out or removed); sign in again.');
  const now = deps.clock.now().getTime();
  const expiresAt = new Date(row.expires_at).getTime();
  if (expiresAt <= now) throw new AppError('UNAUTHENTICATED', 'Your session expired; sign in again.');
  const principal: UserPrincipal = {
    kind: 'user',
    organizationId: row.organization_id,
    userId: row.user_id,
    role: row.role,
  };
  if (now + SESSION_TTL_MS - expiresAt < RENEW_EVERY_MS) return { principal };
  const renewedUntil = new Date(now + SESSION_TTL_MS).toISOString();
  await store.extendSession(deps.db, tokenHash, renewedUntil);
  return { principal, renewedUntil };
}

/** Signing out: the session's row goes, so its cookie no longer authenticates anywhere. */
export async function endSession(deps: Pick<SessionDeps, 'db'>, token: string | undefined): Promise<void> {
  if (token) await store.deleteSession(deps.db, hashSecret(token));
}
