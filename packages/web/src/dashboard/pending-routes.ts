// The accounts and dashboard-read routes of the wire contract (notes: CONTRACT9) that @jury/api does not declare
// yet, as bare routes with their agreed shapes; each is replaced by its @jury/api route object as it lands.
import type { UserRole } from '@jury/api';
import type { Route } from '@jury/sdk/client';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: string;
}
export interface SessionInfo {
  user: SessionUser;
  organization: { id: string; name: string };
}
export interface Invite {
  id: string;
  url?: string;
  role: UserRole;
  expiresAt: string;
}

/** Untyped until the contract declares it: `call` answers `unknown`, read through the types above. */
const bare = (method: string, path: string): Route => ({ method, path });

export const getSetupRoute = bare('get', '/api/v1/setup');
export const completeSetupRoute = bare('post', '/api/v1/setup');
export const getSessionRoute = bare('get', '/api/v1/session');
export const createSessionRoute = bare('post', '/api/v1/session');
export const deleteSessionRoute = bare('delete', '/api/v1/session');
export const listMembersRoute = bare('get', '/api/v1/members');
export const removeMemberRoute = bare('delete', '/api/v1/members/{id}');
export const createInviteRoute = bare('post', '/api/v1/invites');
export const listInvitesRoute = bare('get', '/api/v1/invites');
export const deleteInviteRoute = bare('delete', '/api/v1/invites/{id}');
export const lookupInviteRoute = bare('get', '/api/v1/invites/lookup');
export const acceptInviteRoute = bare('post', '/api/v1/invites/accept');

// Asked for in the contract, not built yet: a definition's datapoints in results order, its revisions.
export const listDatapointsRoute = bare('get', '/api/v1/job-definitions/{id}/datapoints');
export const listRevisionsRoute = bare('get', '/api/v1/job-definitions/{id}/revisions');
