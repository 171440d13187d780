import {
  isCookieScheme,
  SECURITY_SCHEMES,
  type SecuritySchemeName,
  USER_ROLES,
  type UserRole,
} from '@jury/api';
import type { Context, MiddlewareHandler } from 'hono';
import { every, some } from 'hono/combine';
import { getCookie } from 'hono/cookie';
import type { PrincipalResolvers } from '../auth/principal.ts';
import { clientInfo } from './client-info.ts';
import { AppError } from './errors.ts';
import type { AppEnv } from './router.ts';

// Guards: middleware that puts the caller's principal on the context or refuses the request. createRouter
// installs each route's guard from its contract's `security` (guardFor), so handlers never check credentials.

export type Guard = MiddlewareHandler<AppEnv>;

/** A route's `security` as the contract declares it (OpenAPI security requirement objects). */
export type DeclaredSecurity = readonly { readonly [scheme: string]: readonly string[] | undefined }[];

/** Makes the app's principal resolvers (one per scheme it can authenticate) available to every guard. */
export function providePrincipalResolvers(resolvers: PrincipalResolvers): Guard {
  return async (c, next) => {
    c.set('principalResolvers', resolvers);
    await next();
  };
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A browser sends cookies with requests other sites make, so a cookie-authenticated write must come from our
 * own pages: Sec-Fetch-Site says so (or it was typed by the user), or Origin is this server's origin.
 */
function sameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site === 'same-origin' || site === 'none') return true;
  const origin = c.req.header('origin');
  return origin !== undefined && origin === clientInfo(c).origin;
}

/** The request carries the scheme's credential (its cookie, or an Authorization header). */
function presents(scheme: SecuritySchemeName, c: Context): boolean {
  const declared = SECURITY_SCHEMES[scheme];
  return declared.type === 'apiKey'
    ? getCookie(c, declared.name) !== undefined
    : !!c.req.header('authorization');
}

/** Authenticates one scheme with the app's resolver for it; cookie-authenticated writes must be same-origin. */
export function schemeGuard(scheme: SecuritySchemeName): Guard {
  const checkOrigin = isCookieScheme(scheme);
  return async (c, next) => {
    if (checkOrigin && UNSAFE_METHODS.has(c.req.method) && presents(scheme, c) && !sameOrigin(c))
      throw new AppError(
        'CSRF_REJECTED',
        `A ${c.req.method} with a session cookie must come from this server's own pages: send Origin: ${clientInfo(c).origin} (browsers do).`,
      );
    const resolve = c.get('principalResolvers')?.[scheme];
    // A scheme the contract declares but this server cannot check yet (the dashboard session before sign-in).
    if (!resolve)
      throw new AppError('UNAUTHENTICATED', `Signing in with ${scheme} is not available on this server yet.`);
    c.set('principal', await resolve(c));
    await next();
  };
}

const RANK: Record<UserRole, number> = Object.fromEntries(
  USER_ROLES.map((role, i) => [role, USER_ROLES.length - i]),
) as Record<UserRole, number>;

/** Passes for a dashboard user with at least `role` (owner > member), after a guard set the principal. */
export function requireRole(role: UserRole): Guard {
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal?.kind !== 'user' || RANK[principal.role] < RANK[role])
      throw new AppError('FORBIDDEN', `This needs the ${role} role in your organization.`);
    await next();
  };
}

interface Alternative {
  guard: Guard;
  /** Whether the request carries this alternative's credential (its failure is then the one to report). */
  presented: (c: Context) => boolean;
}

// Per request: what the alternatives of an anyOf failed with, so its refusal says the most useful thing.
const failures = new WeakMap<Context, { presented?: unknown; missing: string[] }>();

/**
 * Passes when one alternative passes, tried in order (Hono's `some`). When all fail, the failure of a
 * credential the request carried wins (an expired token, a cross-site cookie write); with none carried, the
 * 401 names every way to authenticate.
 */
export function anyOf(...alternatives: Alternative[]): Guard {
  const attempts = alternatives.map(
    ({ guard, presented }): Guard =>
      async (c, next) => {
        try {
          return await guard(c, next);
        } catch (error) {
          const seen = failures.get(c) ?? { missing: [] };
          if (presented(c)) seen.presented ??= error;
          else if (error instanceof AppError) seen.missing.push(error.message);
          failures.set(c, seen);
          throw error;
        }
      },
  );
  const refuse: Guard = async (c) => {
    const seen = failures.get(c);
    if (seen?.presented) throw seen.presented;
    throw new AppError('UNAUTHENTICATED', (seen?.missing ?? []).join(' Or: '));
  };
  return some(...(attempts as MiddlewareHandler[]), refuse as MiddlewareHandler) as Guard;
}

const passThrough: Guard = async (_c, next) => {
  await next();
};

function alternative(requirement: DeclaredSecurity[number], where: string): Alternative {
  const entries = Object.entries(requirement);
  // {} in an OpenAPI security list means "no credential needed" (optional authentication).
  if (entries.length === 0) return { guard: passThrough, presented: () => false };
  const [entry, ...more] = entries;
  if (!entry || more.length > 0)
    throw new Error(`${where}: a security requirement names one scheme (a request has one principal).`);
  const [name, roles = []] = entry;
  if (!(name in SECURITY_SCHEMES)) throw new Error(`${where}: unknown security scheme "${name}".`);
  const scheme = name as SecuritySchemeName;
  for (const role of roles)
    if (scheme !== 'session' || !(USER_ROLES as readonly string[]).includes(role))
      throw new Error(`${where}: "${role}" is not a role of the ${scheme} scheme.`);
  const guard =
    roles.length === 0
      ? schemeGuard(scheme)
      : (every(schemeGuard(scheme), ...roles.map((r) => requireRole(r as UserRole))) as Guard);
  return { guard, presented: (c) => presents(scheme, c) };
}

/**
 * The guard a route's declared `security` asks for: none for an open route, the scheme's guard for one
 * requirement, else any of them. A declaration naming an unknown scheme or role fails at registration.
 */
export function guardFor(security: DeclaredSecurity | undefined, where: string): Guard | undefined {
  if (!security || security.length === 0) return undefined;
  const alternatives = security.map((requirement) => alternative(requirement, where));
  return alternatives.length === 1 ? alternatives[0]?.guard : anyOf(...alternatives);
}
