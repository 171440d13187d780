import {
  acceptInviteRoute,
  completeSetupRoute,
  createInviteRoute,
  getSessionRoute,
  getSetupRoute,
  listInvitesRoute,
  listMembersRoute,
  lookupInviteRoute,
  removeMemberRoute,
  resetPasswordRoute,
  revokeInviteRoute,
  signInRoute,
  signOutRoute,
} from '@jury/api';
import type { Context } from 'hono';
import { requireUser } from '../auth/principal.ts';
import { createRouter } from '../http/router.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './cookie.ts';
import type { UserDeps } from './service.ts';
import * as service from './service.ts';
import { endSession } from './sessions.ts';

/** Sets the cookie of a session just started, and keeps the answer out of caches. */
function signedIn(c: Context, session: { token: string; expiresAt: string }) {
  setSessionCookie(c, session.token, session.expiresAt);
  c.header('Cache-Control', 'no-store');
}

export function userRoutes(deps: UserDeps) {
  const app = createRouter();

  app.openapi(getSetupRoute, async (c) => c.json({ data: { needed: await service.setupNeeded(deps) } }, 200));

  app.openapi(completeSetupRoute, async (c) => {
    const { account, session } = await service.completeSetup(deps, c.req.valid('json'));
    signedIn(c, session);
    return c.json({ data: account }, 201);
  });

  app.openapi(signInRoute, async (c) => {
    const { account, session } = await service.signIn(deps, c.req.valid('json'));
    signedIn(c, session);
    return c.json({ data: account }, 200);
  });

  app.openapi(getSessionRoute, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ data: await service.getAccount(deps, requireUser(c)) }, 200);
  });

  app.openapi(signOutRoute, async (c) => {
    await endSession(deps, readSessionCookie(c));
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  app.openapi(listMembersRoute, async (c) =>
    c.json({ data: await service.listMembers(deps, requireUser(c).organizationId) }, 200),
  );

  app.openapi(removeMemberRoute, async (c) => {
    await service.removeMember(deps, requireUser(c).organizationId, c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(createInviteRoute, async (c) => {
    const { role } = c.req.valid('json');
    const origin = new URL(c.req.url).origin;
    const data = await service.createInvite(deps, requireUser(c).organizationId, { role, origin });
    c.header('Cache-Control', 'no-store');
    return c.json({ data }, 201);
  });

  app.openapi(listInvitesRoute, async (c) =>
    c.json({ data: await service.listInvites(deps, requireUser(c).organizationId) }, 200),
  );

  app.openapi(revokeInviteRoute, async (c) => {
    await service.revokeInvite(deps, requireUser(c).organizationId, c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(lookupInviteRoute, async (c) =>
    c.json({ data: await service.lookupInvite(deps, c.req.valid('query').token) }, 200),
  );

  app.openapi(acceptInviteRoute, async (c) => {
    const { account, session } = await service.acceptInvite(deps, c.req.valid('json'));
    signedIn(c, session);
    return c.json({ data: account }, 201);
  });

  app.openapi(resetPasswordRoute, async (c) => {
    const { account, session } = await service.resetPassword(deps, c.req.valid('json'));
    signedIn(c, session);
    return c.json({ data: account }, 200);
  });

  return app;
}
