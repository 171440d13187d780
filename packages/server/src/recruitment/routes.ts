import {
  acceptAudienceInviteRoute,
  createAudienceInviteRoute,
  enterStudyRoute,
  getRecruitmentRoute,
  listAudienceInvitesRoute,
  revokeAudienceInviteRoute,
  setRecruitmentRoute,
} from '@jury/api';
import type { Context } from 'hono';
import { requireOrganization } from '../auth/principal.ts';
import type { Db } from '../db/database.ts';
import { clientInfo } from '../http/client-info.ts';
import type { Clock } from '../http/clock.ts';
import { createRouter } from '../http/router.ts';
import { readLabelerCookie, setLabelerCookie } from '../labelers/cookie.ts';
import * as labelers from '../labelers/service.ts';
import type { Limits } from '../limits/limits.ts';
import * as service from './service.ts';

export interface RecruitmentRouteDeps {
  db: Db;
  clock: Clock;
  limits: Limits;
}

/** Recruitment of an audience (requesters) and the labelers' ways in: invite links, a study's entry URL. */
export function recruitmentRoutes(deps: RecruitmentRouteDeps) {
  const app = createRouter();
  const origin = (c: Context) => clientInfo(c).origin;

  app.openapi(getRecruitmentRoute, async (c) => {
    const { organizationId } = requireOrganization(c);
    const data = await service.getRecruitment(deps, organizationId, c.req.valid('param').id, origin(c));
    return c.json({ data }, 200);
  });

  app.openapi(setRecruitmentRoute, async (c) => {
    const { organizationId } = requireOrganization(c);
    const id = c.req.valid('param').id;
    const data = await service.setRecruitment(deps, organizationId, id, c.req.valid('json'), origin(c));
    return c.json({ data }, 200);
  });

  app.openapi(createAudienceInviteRoute, async (c) => {
    const { organizationId } = requireOrganization(c);
    const id = c.req.valid('param').id;
    const data = await service.createInvite(deps, organizationId, id, c.req.valid('json'), origin(c));
    c.header('Cache-Control', 'no-store');
    return c.json({ data }, 201);
  });

  app.openapi(listAudienceInvitesRoute, async (c) => {
    const { organizationId } = requireOrganization(c);
    const { id } = c.req.valid('param');
    return c.json(await service.listInvites(deps, organizationId, id, c.req.valid('query')), 200);
  });

  app.openapi(revokeAudienceInviteRoute, async (c) => {
    const { organizationId } = requireOrganization(c);
    const { id, inviteId } = c.req.valid('param');
    await service.revokeInvite(deps, organizationId, id, inviteId);
    return c.body(null, 204);
  });

  /** The labeler of a valid session cookie, else undefined after counting a new session against the address. */
  async function sessionOrNew(c: Context): Promise<string | undefined> {
    const id = await labelers.verifyLabelerCookie(deps, readLabelerCookie(c));
    if (id) return id;
    const address = await deps.limits.addressOf(c);
    if (address) await deps.limits.labelerSessions.consume(address);
    return undefined;
  }

  async function respond(c: Context, entered: service.Entered, cookieFor: string | undefined) {
    if (entered.labeler.id !== cookieFor)
      setLabelerCookie(c, await labelers.signLabelerCookie(deps, entered.labeler.id));
    c.header('Cache-Control', 'no-store');
    return { audienceId: entered.audienceId, labeler: labelers.presentLabeler(entered.labeler) };
  }

  app.openapi(acceptAudienceInviteRoute, async (c) => {
    const current = await sessionOrNew(c);
    const entered = await service.acceptInvite(deps, c.req.valid('param').token, current);
    return c.json({ data: await respond(c, entered, current) }, 200);
  });

  app.openapi(enterStudyRoute, async (c) => {
    const current = await labelers.verifyLabelerCookie(deps, readLabelerCookie(c));
    const { id } = c.req.valid('param');
    const { params } = c.req.valid('json');
    // A returning participant is no new session; only a first entry counts against the address.
    const entered = await service.enterStudy(deps, id, params, async () => {
      const address = await deps.limits.addressOf(c);
      if (address) await deps.limits.labelerSessions.consume(address);
    });
    return c.json({ data: await respond(c, entered, current) }, 200);
  });

  return app;
}
