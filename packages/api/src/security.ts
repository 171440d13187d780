/**
 * How callers prove who they are: the named security schemes, declared once. A route's `security` lists
 * OpenAPI security requirement objects over these names: the list is "any of", the schemes inside one object
 * are "all of", and a scheme's array holds the roles it needs (OpenAPI 3.1 allows role names for non-OAuth
 * schemes). The server installs each route's guard from this declaration; no handler checks credentials.
 */

/** The labeler session cookie (signed, HttpOnly), set by POST /api/v1/labeler/session. */
export const LABELER_COOKIE = 'jury_labeler';
/** The dashboard session cookie (HttpOnly, SameSite=Lax), set by POST /api/v1/session, /setup and /invites/accept. */
export const SESSION_COOKIE = 'jury_session';

/** A dashboard user's role in their organization; `owner` can do everything a `member` can. */
export const USER_ROLES = ['owner', 'member'] as const;
export type UserRole = (typeof USER_ROLES)[number];

type SecurityScheme =
  | {
      type: 'oauth2';
      description: string;
      flows: { clientCredentials: { tokenUrl: string; scopes: Record<string, string> } };
    }
  | { type: 'apiKey'; in: 'cookie'; name: string; description: string };

export const SECURITY_SCHEMES = {
  bearer: {
    type: 'oauth2',
    description:
      'An API client (SDK, CLI): "Authorization: Bearer <token>" with a token from POST /connect/token (OAuth 2.0 client-credentials grant).',
    flows: { clientCredentials: { tokenUrl: '/connect/token', scopes: {} } },
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'A signed-in dashboard user: the HttpOnly session cookie set by POST /api/v1/session (email and password). Writes need a same-origin request (Origin or Sec-Fetch-Site).',
  },
  labelerSession: {
    type: 'apiKey',
    in: 'cookie',
    name: LABELER_COOKIE,
    description:
      'Signed HttpOnly labeler session cookie, set by POST /api/v1/labeler/session. Writes need a same-origin request (Origin or Sec-Fetch-Site).',
  },
} as const satisfies Record<string, SecurityScheme>;

export type SecuritySchemeName = keyof typeof SECURITY_SCHEMES;

/** The roles each scheme's requirement may name: only dashboard users have roles. */
export interface SchemeRoles {
  bearer: never;
  session: UserRole;
  labelerSession: never;
}

/** One OpenAPI security requirement object: every scheme named must pass (with its roles, if any). */
export type SecurityRequirement = { [S in SecuritySchemeName]?: SchemeRoles[S][] };

/** Whether a scheme's credential is a cookie (browsers send it by themselves, so writes need a CSRF check). */
export function isCookieScheme(name: SecuritySchemeName): boolean {
  const scheme: SecurityScheme = SECURITY_SCHEMES[name];
  return scheme.type === 'apiKey' && scheme.in === 'cookie';
}

/** The requester API: an API client's bearer token, or a dashboard user's session (one API for SDK and dashboard). */
export const requesterSecurity: SecurityRequirement[] = [{ bearer: [] }, { session: [] }];
/** Dashboard-only routes (members, invites, the session itself): a signed-in user, never an API client. */
export const userSecurity: SecurityRequirement[] = [{ session: [] }];
/** What only an organization's owners may do (invite, remove members). */
export const ownerSecurity: SecurityRequirement[] = [{ session: ['owner'] }];
/** The labeler API: the labeler session cookie, never a bearer token. */
export const labelerSecurity: SecurityRequirement[] = [{ labelerSession: [] }];
