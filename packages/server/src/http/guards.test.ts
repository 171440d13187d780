import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRoute } from '@hono/zod-openapi';
import { SESSION_COOKIE, type SecurityRequirement, USER_ROLES, type UserRole, z } from '@jury/api';
import { getCookie } from 'hono/cookie';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { type PrincipalResolvers, requireOrganization } from '../auth/principal.ts';
import { type RunningServer, startServer } from '../server.ts';
import { AppError, handleError } from './errors.ts';
import { providePrincipalResolvers } from './guards.ts';
import { createRouter } from './router.ts';

// Guards come from the contract: a route declares `security`, createRouter installs the guard, and the
// handlers below never look at a credential. The dashboard session has no resolver in the app yet (no users
// table), so these tests register one, as the dashboard will: cookie `jury_session=<userId>:<role>`.

const ORIGIN = 'http://jury.test';

const resolvers: PrincipalResolvers = {
  bearer: async (c) => {
    if (c.req.header('authorization') === 'Bearer good')
      return { kind: 'client', organizationId: 'org_a', clientId: 'cli_a' };
    throw new AppError('UNAUTHENTICATED', 'bad token');
  },
  session: async (c) => {
    const [userId, role] = (getCookie(c, SESSION_COOKIE) ?? '').split(':');
    if (!userId || !USER_ROLES.includes(role as UserRole))
      throw new AppError('UNAUTHENTICATED', 'no session');
    return { kind: 'user', organizationId: 'org_a', userId, role: role as UserRole };
  },
};

function appWith(
  security: SecurityRequirement[] | undefined,
  method: 'get' | 'post' = 'get',
  registered = resolvers,
) {
  const app = createRouter();
  app.use('*', providePrincipalResolvers(registered));
  const route = createRoute({
    method,
    path: '/thing',
    ...(security ? { security } : {}),
    responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.object({}) } } } },
  });
  app.openapi(route, (c) => {
    const principal = c.get('principal');
    return c.json(
      { kind: principal?.kind ?? 'none', org: principal ? requireOrganization(c).organizationId : null },
      200,
    );
  });
  app.onError(handleError);
  return app;
}

async function call(app: ReturnType<typeof appWith>, headers: Record<string, string> = {}, method = 'GET') {
  const res = await app.request(`${ORIGIN}/thing`, { method, headers });
  const body = (await res.json()) as { kind?: string; error?: { code: string; message: string } };
  return { status: res.status, body };
}

describe('guards from the contract', () => {
  it('guards a route by its declared security, with no code in the handler', async () => {
    const app = appWith([{ bearer: [] }]);
    assert.deepEqual(await call(app, { authorization: 'Bearer good' }), {
      status: 200,
      body: { kind: 'client', org: 'org_a' },
    });
    const refused = await call(app);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error?.code, 'UNAUTHENTICATED');
    assert.equal(
      (await call(app, { cookie: `${SESSION_COOKIE}=u1:owner` })).status,
      401,
      'a session is not a token',
    );
  });

  it('leaves a route without security open', async () => {
    assert.deepEqual(await call(appWith(undefined)), { status: 200, body: { kind: 'none', org: null } });
  });

  it('accepts either of two schemes when both are declared', async () => {
    const app = appWith([{ bearer: [] }, { session: [] }]);
    assert.equal((await call(app, { authorization: 'Bearer good' })).body.kind, 'client');
    assert.equal((await call(app, { cookie: `${SESSION_COOKIE}=u1:member` })).body.kind, 'user');
    const none = await call(app);
    assert.equal(none.status, 401);
    assert.equal(none.body.error?.message, 'bad token Or: no session', 'names every way in');
    const expired = await call(app, { authorization: 'Bearer old' });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error?.message, 'bad token', "the presented credential's failure wins");
  });

  it('requires a role when the requirement names one (owner > member)', async () => {
    const ownersOnly = appWith([{ session: ['owner'] }]);
    assert.equal((await call(ownersOnly, { cookie: `${SESSION_COOKIE}=u1:owner` })).status, 200);
    const member = await call(ownersOnly, { cookie: `${SESSION_COOKIE}=u2:member` });
    assert.equal(member.status, 403);
    assert.equal(member.body.error?.code, 'FORBIDDEN');
    const members = appWith([{ session: ['member'] }]);
    assert.equal((await call(members, { cookie: `${SESSION_COOKIE}=u1:owner` })).status, 200);
    const tokenOrOwner = appWith([{ bearer: [] }, { session: ['owner'] }]);
    assert.equal((await call(tokenOrOwner, { authorization: 'Bearer good' })).status, 200);
    assert.equal(
      (await call(tokenOrOwner, { cookie: `${SESSION_COOKIE}=u2:member` })).body.error?.code,
      'FORBIDDEN',
    );
  });

  it('answers 401 for a declared scheme the app has no resolver for (the dashboard session today)', async () => {
    const app = appWith([{ session: [] }], 'get', { bearer: resolvers.bearer });
    const r = await call(app, { cookie: `${SESSION_COOKIE}=u1:owner` });
    assert.equal(r.status, 401);
    assert.equal(r.body.error?.code, 'UNAUTHENTICATED');
  });

  it('checks the origin of cookie-authenticated writes only', async () => {
    const app = appWith([{ bearer: [] }, { session: [] }], 'post');
    const cookie = `${SESSION_COOKIE}=u1:owner`;
    const rejected: Record<string, string>[] = [
      { origin: 'https://evil.test' },
      {},
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of rejected) {
      const r = await call(app, { cookie, ...headers }, 'POST');
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal(r.body.error?.code, 'CSRF_REJECTED');
    }
    const accepted: Record<string, string>[] = [
      { origin: ORIGIN },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
    ];
    for (const headers of accepted)
      assert.equal((await call(app, { cookie, ...headers }, 'POST')).status, 200, JSON.stringify(headers));
    const bearer = await call(app, { authorization: 'Bearer good', origin: 'https://evil.test' }, 'POST');
    assert.equal(bearer.status, 200, 'a bearer token is never sent by a browser on its own');
    const read = appWith([{ session: [] }]);
    assert.equal(
      (await call(read, { cookie, origin: 'https://evil.test' })).status,
      200,
      'reads are not checked',
    );
  });

  it('refuses declarations it cannot enforce when the route is registered', () => {
    assert.throws(() => appWith([{ nope: [] } as SecurityRequirement]), /unknown security scheme "nope"/);
    assert.throws(
      () => appWith([{ bearer: ['owner'] } as SecurityRequirement]),
      /not a role of the bearer scheme/,
    );
    assert.throws(() => appWith([{ bearer: [], session: [] }]), /names one scheme/);
  });
});

for (const target of testDatabaseTargets()) {
  describe(`labeler API writes across sites on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    before(async () => {
      env = await createTestEnvironment(target);
      server = await startServer({ port: 0, dataDir: env.dataDir, databaseUrl: env.databaseUrl });
    });
    after(async () => {
      await server.close();
      await env.cleanup();
    });

    it('rejects a cross-site labeler POST, accepts a same-origin one, and leaves bearer requests alone', async () => {
      const session = await fetch(`${server.url}/api/v1/labeler/session`, {
        method: 'POST',
        headers: { origin: server.url },
      });
      assert.equal(session.status, 201);
      const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const put = (headers: Record<string, string>) =>
        fetch(`${server.url}/api/v1/labeler/me`, {
          method: 'PUT',
          headers: { cookie, 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ country: 'DE', language: 'de' }),
        });
      const crossSite = await put({ origin: 'https://evil.test' });
      assert.equal(crossSite.status, 403);
      assert.equal(((await crossSite.json()) as { error: { code: string } }).error.code, 'CSRF_REJECTED');
      const me = await fetch(`${server.url}/api/v1/labeler/me`, { headers: { cookie } });
      assert.equal(
        ((await me.json()) as { data: { country: string | null } }).data.country,
        null,
        'nothing changed',
      );
      const answer = await fetch(`${server.url}/api/v1/labeler/responses`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: 'https://evil.test' },
        body: JSON.stringify({ leaseId: 'lse_0000000000000000', answer: { choice: 'A' } }),
      });
      assert.equal(answer.status, 403);
      assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'CSRF_REJECTED');
      assert.equal((await put({ origin: server.url })).status, 200);
      assert.equal((await put({ 'sec-fetch-site': 'same-origin' })).status, 200);

      const boot = server.bootstrap;
      assert.ok(boot);
      const token = (await (
        await fetch(`${server.url}/connect/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: boot.client.id,
            client_secret: boot.secret,
          }),
        })
      ).json()) as { access_token: string };
      const created = await fetch(`${server.url}/api/v1/audiences`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token.access_token}`,
          'content-type': 'application/json',
          origin: 'https://evil.test',
        },
        body: JSON.stringify({ name: 'Cross-site but bearer' }),
      });
      assert.equal(created.status, 201, await created.text());
    });
  });
}
