import type { SecuritySchemeName, UserRole } from '@jury/api';
import type { Context } from 'hono';
import { AppError } from '../http/errors.ts';
import type { AppEnv } from '../http/router.ts';
import type { LabelerRow } from '../labelers/store.ts';

/** An API client (SDK, CLI) acting for its organization with a bearer token. */
export interface ClientPrincipal {
  kind: 'client';
  organizationId: string;
  clientId: string;
}

/** A dashboard user of an organization, signed in with the session cookie (users/principal.ts resolves it). */
export interface UserPrincipal {
  kind: 'user';
  organizationId: string;
  userId: string;
  role: UserRole;
}

/** How a labeler got their session: `open` is the anonymous labeler app; invite links and Prolific add more. */
export type LabelerVia = 'open';

/** A labeler with a session; `labeler` is their row, loaded once by the guard for the handler. */
export interface LabelerPrincipal {
  kind: 'labeler';
  labelerId: string;
  via: LabelerVia;
  labeler: LabelerRow;
}

/** Who is calling: set on the context by the route's guard (see http/guards.ts), absent on open routes. */
export type Principal = ClientPrincipal | UserPrincipal | LabelerPrincipal;

/** What each security scheme resolves to; a scheme added to the contract fails to compile until mapped. */
export interface PrincipalByScheme {
  bearer: ClientPrincipal;
  session: UserPrincipal;
  labelerSession: LabelerPrincipal;
}

/**
 * Turns a request's credential for one scheme into its principal, or throws UNAUTHENTICATED saying what is
 * missing or wrong. The app registers one per scheme it can authenticate (auth/, users/, labelers/).
 */
export type PrincipalResolver<S extends SecuritySchemeName> = (
  c: Context<AppEnv>,
) => Promise<PrincipalByScheme[S]>;
export type PrincipalResolvers = { [S in SecuritySchemeName]?: PrincipalResolver<S> };

/** The caller's organization: an API client or a dashboard user. Labelers (and open routes) are refused. */
export function requireOrganization(c: Context<AppEnv>): ClientPrincipal | UserPrincipal {
  const principal = c.get('principal');
  if (principal?.kind === 'client' || principal?.kind === 'user') return principal;
  throw new AppError('FORBIDDEN', 'This route is for API clients and dashboard users of an organization.');
}

/** The signed-in dashboard user (members, invites, the session itself). */
export function requireUser(c: Context<AppEnv>): UserPrincipal {
  const principal = c.get('principal');
  if (principal?.kind === 'user') return principal;
  throw new AppError('FORBIDDEN', 'This route is for signed-in dashboard users.');
}

/** The labeler of the session. */
export function requireLabeler(c: Context<AppEnv>): LabelerPrincipal {
  const principal = c.get('principal');
  if (principal?.kind === 'labeler') return principal;
  throw new AppError('FORBIDDEN', 'This route is for labelers with a session.');
}
