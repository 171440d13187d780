// The auth routes (token grant, API clients) through the SDK's typed client over `app.request`: in-process, no
// socket, as Hono's testClient does with `hc`. The server may not depend on the SDK, so this route test lives
// here. Runs on SQLite always and on Postgres when TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createApiClientRoute,
  getJobRoute,
  listApiClientsRoute,
  revokeApiClientRoute,
  tokenRoute,
} from '@jury/api';
import {
  createHttpClient,
  type FetchLike,
  JuryAuthError,
  JuryNotFoundError,
  JuryValidationError,
} from '@jury/sdk/client';
import {
  auth,
  createApp,
  createDiskBlobStore,
  createManualClock,
  type DatabaseHandle,
  DEFAULT_CONFIG,
  openDatabase,
} from '@jury/server';
import { createTestEnvironment, testDatabaseTargets } from '@jury/server/testing';

for (const target of testDatabaseTargets()) {
  describe(`auth routes through the typed client over app.request on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let database: DatabaseHandle;
    let inProcess: FetchLike;
    const clock = createManualClock(new Date('2026-11-23T15:00:00Z'));
    const owner = { id: '', secret: '' };
    const stranger = { id: '', secret: '' };

    before(async () => {
      env = await createTestEnvironment(target);
      database = await openDatabase({
        databaseUrl: env.databaseUrl,
        sqliteFile: join(env.dataDir, 'jury.sqlite'),
      });
      const deps = { db: database.db, clock };
      const app = createApp({
        ...deps,
        dialect: database.dialect,
        blobs: createDiskBlobStore(env.dataDir),
        config: DEFAULT_CONFIG,
      });
      inProcess = (url, init) => app.request(url, init);
      for (const [who, name] of [
        [owner, 'Owner org'],
        [stranger, 'Other org'],
      ] as const) {
        const org = await auth.createOrganization(deps, name);
        const created = await auth.createApiClient(deps, { organizationId: org.id, displayName: name });
        who.id = created.client.id;
        who.secret = created.secret;
      }
    });
    after(async () => {
      await database?.close();
      await env?.cleanup();
    });

    const anonymous = () => createHttpClient({ baseUrl: 'http://localhost', fetch: inProcess });
    const grant = (clientId: string, clientSecret: string) =>
      anonymous().call(tokenRoute, {
        form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
      });
    /** The client with a bearer token, the way JuryClient adds it: in the transport. */
    const bearer = async (who: { id: string; secret: string }) => {
      const { access_token } = await grant(who.id, who.secret);
      return createHttpClient({
        baseUrl: 'http://localhost',
        fetch: (url, init) =>
          inProcess(url, {
            ...init,
            headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${access_token}` },
          }),
      });
    };

    it('grants a bearer token for the right secret only', async () => {
      const token = await grant(owner.id, owner.secret);
      assert.equal(token.token_type, 'Bearer');
      assert.ok(token.expires_in > 0);
      await assert.rejects(grant(owner.id, 'jcs_wrong'), (err: unknown) => {
        assert.ok(err instanceof JuryAuthError);
        assert.equal(err.code, 'INVALID_CLIENT');
        assert.equal(err.status, 401);
        assert.match(err.requestId ?? '', /^req_/);
        return true;
      });
      await assert.rejects(
        anonymous().call(tokenRoute, {
          form: { grant_type: 'password', client_id: owner.id, client_secret: owner.secret },
        }),
        (err: unknown) => err instanceof JuryValidationError && err.code === 'UNSUPPORTED_GRANT_TYPE',
      );
    });

    it('creates, lists and revokes API clients; a revoked client gets no token', async () => {
      const http = await bearer(owner);
      const { data: created } = await http.call(createApiClientRoute, { json: { displayName: 'CI robot' } });
      assert.match(created.secret, /^jcs_/);
      const listed = await http.call(listApiClientsRoute);
      assert.ok(listed.data.some((c) => c.id === created.id && c.revokedAt === null));
      const { data: revoked } = await http.call(revokeApiClientRoute, { params: { id: created.id } });
      assert.equal(revoked.id, created.id);
      assert.notEqual(revoked.revokedAt, null);
      await assert.rejects(
        grant(created.id, created.secret),
        (err: unknown) => err instanceof JuryAuthError && err.code === 'INVALID_CLIENT',
      );
    });

    it("another organization's client and job are not found; no token is UNAUTHENTICATED", async () => {
      const http = await bearer(stranger);
      await assert.rejects(
        http.call(revokeApiClientRoute, { params: { id: owner.id } }),
        (err: unknown) => err instanceof JuryNotFoundError && err.status === 404,
      );
      await assert.rejects(
        http.call(getJobRoute, { params: { id: 'job_missing' } }),
        (err: unknown) => err instanceof JuryNotFoundError && err.code === 'NOT_FOUND',
      );
      await assert.rejects(
        anonymous().call(listApiClientsRoute),
        (err: unknown) => err instanceof JuryAuthError && err.code === 'UNAUTHENTICATED',
      );
    });
  });
}
