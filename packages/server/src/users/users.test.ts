/**
 * Dashboard accounts over real HTTP, on each database: the setup link, sign-in, the session cookie on the same
 * `/api/v1` routes the SDK uses, CSRF on cookie writes, invites, removal, password reset, another organization's
 * 404, and what is stored (scrypt hashes, hashed session tokens).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { buildOrganization } from '../../test/factories.ts';
import { systemClock } from '../http/clock.ts';
import { type RunningServer, startServer } from '../server.ts';
import * as users from './service.ts';

// Response bodies are JSON the tests inspect freely.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = any;

const OWNER = { name: 'Olga Owner', email: 'Olga@Example.com', password: 'correct horse battery' };

for (const target of testDatabaseTargets()) {
  describe(`dashboard accounts on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    const start = () =>
      startServer({ port: 0, dataDir: env.dataDir, databaseUrl: env.databaseUrl, backgroundTasks: false });
    const send = async (
      method: string,
      path: string,
      options: { cookie?: string; body?: unknown; origin?: string | null } = {},
    ): Promise<{ status: number; body: Json; cookie: string | undefined; setCookie: string }> => {
      const headers: Record<string, string> = {};
      if (options.cookie) headers.cookie = options.cookie;
      if (options.origin !== null) headers.origin = options.origin ?? server.url;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const r = await fetch(`${server.url}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await r.text();
      const setCookie = r.headers.get('set-cookie') ?? '';
      const cookie = /jury_session=[^;]+/.exec(setCookie)?.[0];
      return { status: r.status, body: text ? JSON.parse(text) : null, cookie, setCookie };
    };
    let ownerCookie = '';

    before(async () => {
      env = await createTestEnvironment(target);
      server = await start();
    });
    after(async () => {
      await server.close();
      await env.cleanup();
    });

    it('the first start prints a setup link that creates the owner once; later starts print none', async () => {
      assert.equal((await send('GET', '/api/v1/setup')).body.data.needed, true);
      assert.ok(server.setupUrl);
      const token = new URL(server.setupUrl).searchParams.get('token') as string;
      assert.equal(new URL(server.setupUrl).pathname, '/setup');

      const wrong = await send('POST', '/api/v1/setup', { body: { ...OWNER, token: `${token}x` } });
      assert.equal(wrong.status, 410, JSON.stringify(wrong.body));
      assert.equal(wrong.body.error.code, 'INVALID_LINK');
      const short = await send('POST', '/api/v1/setup', { body: { ...OWNER, password: 'short', token } });
      assert.equal(short.status, 400);
      assert.equal(short.body.error.code, 'VALIDATION_FAILED');

      const made = await send('POST', '/api/v1/setup', { body: { ...OWNER, token } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.equal(made.body.data.user.email, 'olga@example.com', 'emails are kept in lower case');
      assert.equal(made.body.data.user.role, 'owner');
      assert.match(made.setCookie, /HttpOnly/i);
      assert.match(made.setCookie, /SameSite=Lax/i);
      assert.ok(made.cookie);
      ownerCookie = made.cookie;

      const twice = await send('POST', '/api/v1/setup', { body: { ...OWNER, token } });
      assert.equal(twice.body.error.code, 'INVALID_LINK');
      assert.equal((await send('GET', '/api/v1/setup')).body.data.needed, false);
      await server.close();
      server = await start();
      assert.equal(server.setupUrl, undefined, 'no setup link once an owner exists');
    });

    it('stores a scrypt hash and a hashed session token, never the secrets', async () => {
      const row = await server.database.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'olga@example.com')
        .executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^\$scrypt\$ln=15,r=8,p=1\$/);
      assert.ok(!row.password_hash.includes(OWNER.password));
      const token = ownerCookie.split('=')[1] as string;
      const sessions = await server.database.db.selectFrom('user_sessions').selectAll().execute();
      assert.ok(sessions.length >= 1);
      assert.ok(sessions.every((s) => !JSON.stringify(s).includes(token)));
    });

    it('signs in by email and password; a wrong password and an unknown email get the same error', async () => {
      const wrong = await send('POST', '/api/v1/session', {
        body: { email: OWNER.email, password: 'not the password' },
      });
      const unknown = await send('POST', '/api/v1/session', {
        body: { email: 'nobody@example.com', password: OWNER.password },
      });
      assert.equal(wrong.status, 401);
      assert.deepEqual(
        [wrong.body.error.code, wrong.body.error.message],
        [unknown.body.error.code, unknown.body.error.message],
      );
      assert.equal(wrong.body.error.code, 'INVALID_CREDENTIALS');
      const ok = await send('POST', '/api/v1/session', {
        body: { email: 'OLGA@example.com', password: OWNER.password },
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      ownerCookie = ok.cookie as string;
      const me = await send('GET', '/api/v1/session', { cookie: ownerCookie });
      assert.equal(me.body.data.user.name, OWNER.name);
    });

    it('the session reaches the same /api/v1 routes as a bearer token; cookie writes from elsewhere are refused', async () => {
      assert.equal((await send('GET', '/api/v1/jobs')).status, 401);
      const jobs = await send('GET', '/api/v1/jobs', { cookie: ownerCookie });
      assert.equal(jobs.status, 200);
      const created = await send('POST', '/api/v1/clients', {
        cookie: ownerCookie,
        body: { displayName: 'Notebook' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.ok(created.body.data.secret);
      for (const origin of ['https://evil.example', null]) {
        const foreign = await send('POST', '/api/v1/clients', {
          cookie: ownerCookie,
          origin,
          body: { displayName: 'planted' },
        });
        assert.equal(foreign.status, 403, `origin ${origin}`);
        assert.equal(foreign.body.error.code, 'CSRF_REJECTED');
      }
      const names = (await send('GET', '/api/v1/clients', { cookie: ownerCookie })).body.data.map(
        (c: Json) => c.displayName,
      );
      assert.ok(names.includes('Notebook'));
      assert.ok(!names.includes('planted'));
    });

    it('owners invite members with a one-time link, members cannot invite, removal ends their sessions', async () => {
      const invite = await send('POST', '/api/v1/invites', { cookie: ownerCookie, body: { role: 'member' } });
      assert.equal(invite.status, 201, JSON.stringify(invite.body));
      const token = new URL(invite.body.data.url).searchParams.get('token') as string;
      const lookup = await send('GET', `/api/v1/invites/lookup?token=${encodeURIComponent(token)}`);
      assert.equal(lookup.body.data.role, 'member');
      const pending = await send('GET', '/api/v1/invites', { cookie: ownerCookie });
      assert.deepEqual(
        pending.body.data.map((i: Json) => i.id),
        [invite.body.data.id],
      );
      assert.ok(!JSON.stringify(pending.body).includes(token), 'links are not stored');

      const account = { token, name: 'Max Member', email: 'max@example.com', password: 'another secret' };
      const accepted = await send('POST', '/api/v1/invites/accept', { body: account });
      assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
      const memberCookie = accepted.cookie as string;
      const again = await send('POST', '/api/v1/invites/accept', {
        body: { ...account, email: 'max2@example.com' },
      });
      assert.equal(again.body.error.code, 'INVALID_LINK');

      const byMember = await send('POST', '/api/v1/invites', {
        cookie: memberCookie,
        body: { role: 'owner' },
      });
      assert.equal(byMember.status, 403);
      assert.equal(byMember.body.error.code, 'FORBIDDEN');
      assert.equal((await send('GET', '/api/v1/jobs', { cookie: memberCookie })).status, 200);

      const members = (await send('GET', '/api/v1/members', { cookie: ownerCookie })).body.data;
      const owner = members.find((u: Json) => u.role === 'owner');
      const member = members.find((u: Json) => u.email === 'max@example.com');
      const lastOwner = await send('DELETE', `/api/v1/members/${owner.id}`, { cookie: ownerCookie });
      assert.equal(lastOwner.status, 409);
      assert.equal(lastOwner.body.error.code, 'CONFLICT');
      assert.equal(
        (await send('DELETE', `/api/v1/members/${member.id}`, { cookie: ownerCookie })).status,
        204,
      );
      assert.equal((await send('GET', '/api/v1/jobs', { cookie: memberCookie })).status, 401);

      const revoked = await send('POST', '/api/v1/invites', {
        cookie: ownerCookie,
        body: { role: 'member' },
      });
      assert.equal(
        (await send('DELETE', `/api/v1/invites/${revoked.body.data.id}`, { cookie: ownerCookie })).status,
        204,
      );
      const revokedToken = new URL(revoked.body.data.url).searchParams.get('token') as string;
      const late = await send('GET', `/api/v1/invites/lookup?token=${encodeURIComponent(revokedToken)}`);
      assert.equal(late.body.error.code, 'INVALID_LINK');
    });

    it("another organization's user gets a 404 for this organization's data", async () => {
      const deps = { db: server.database.db, clock: systemClock };
      const other = await buildOrganization(deps, { name: 'Other org' });
      await users.createUser(deps, {
        organizationId: other.id,
        email: 'sam@other.example',
        name: 'Sam',
        role: 'owner',
        password: 'stranger danger 42',
      });
      const sam = await send('POST', '/api/v1/session', {
        body: { email: 'sam@other.example', password: 'stranger danger 42' },
      });
      const mine = await send('POST', '/api/v1/audiences', {
        cookie: ownerCookie,
        body: { name: 'Experts' },
      });
      assert.equal(mine.status, 201, JSON.stringify(mine.body));
      const seen = await send('GET', `/api/v1/audiences/${mine.body.data.id}`, {
        cookie: sam.cookie as string,
      });
      assert.equal(seen.status, 404);
      assert.equal(seen.body.error.code, 'NOT_FOUND');
      const theirMembers = (await send('GET', '/api/v1/members', { cookie: sam.cookie as string })).body.data;
      assert.deepEqual(
        theirMembers.map((u: Json) => u.email),
        ['sam@other.example'],
      );
    });

    it("an operator's reset link sets a new password once and ends the user's other sessions", async () => {
      const deps = { db: server.database.db, clock: systemClock };
      const row = await users.findUserByEmail(deps, OWNER.email);
      assert.ok(row);
      const link = await users.createPasswordReset(deps, row, server.url);
      assert.equal(new URL(link).pathname, '/reset-password');
      const token = new URL(link).searchParams.get('token') as string;
      const reset = await send('POST', '/api/v1/password-reset', {
        body: { token, password: 'a brand new password' },
      });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.equal((await send('GET', '/api/v1/session', { cookie: ownerCookie })).status, 401);
      assert.equal((await send('GET', '/api/v1/session', { cookie: reset.cookie as string })).status, 200);
      const twice = await send('POST', '/api/v1/password-reset', {
        body: { token, password: 'yet another one' },
      });
      assert.equal(twice.body.error.code, 'INVALID_LINK');
      const old = await send('POST', '/api/v1/session', {
        body: { email: OWNER.email, password: OWNER.password },
      });
      assert.equal(old.body.error.code, 'INVALID_CREDENTIALS');
      const signOut = await send('DELETE', '/api/v1/session', { cookie: reset.cookie as string });
      assert.equal(signOut.status, 204);
      assert.equal((await send('GET', '/api/v1/session', { cookie: reset.cookie as string })).status, 401);
    });
  });
}
