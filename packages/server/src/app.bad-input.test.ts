/**
 * Bad input gets a clear error with a stable code and loses nothing. Runs over real HTTP on loopback,
 * on SQLite always and on Postgres when TEST_DATABASE_URL is set.
 *
 * | #  | Case                                              | Status | Code                   |
 * |----|---------------------------------------------------|--------|------------------------|
 * | 1  | malformed JSON body                               | 400    | BAD_REQUEST            |
 * | 2  | wrong type in a field                             | 400    | VALIDATION_FAILED      |
 * | 3  | unknown field                                     | 400    | VALIDATION_FAILED      |
 * | 4  | missing required field                            | 400    | VALIDATION_FAILED      |
 * | 5  | JSON route sent as text/plain                     | 415    | UNSUPPORTED_MEDIA_TYPE |
 * | 6  | oversize JSON body                                | 413    | PAYLOAD_TOO_LARGE      |
 * | 7  | oversize upload (Content-Length declared)         | 413    | PAYLOAD_TOO_LARGE      |
 * | 8  | oversize upload (chunked, no Content-Length)      | 413    | PAYLOAD_TOO_LARGE      |
 * | 9  | upload that is not image/video/audio              | 415    | UNSUPPORTED_MEDIA_TYPE |
 * | 10 | empty upload                                      | 400    | VALIDATION_FAILED      |
 * | 11 | unknown asset id                                  | 404    | NOT_FOUND              |
 * | 12 | another organization's asset id (metadata)        | 404    | NOT_FOUND              |
 * | 13 | another organization's asset id (content)         | 404    | NOT_FOUND              |
 * | 14 | no Authorization header                           | 401    | UNAUTHENTICATED        |
 * | 15 | malformed Authorization header                    | 401    | UNAUTHENTICATED        |
 * | 16 | unknown bearer token                              | 401    | UNAUTHENTICATED        |
 * | 17 | expired bearer token                              | 401    | UNAUTHENTICATED        |
 * | 18 | token of a revoked client                         | 401    | UNAUTHENTICATED        |
 * | 19 | token request with a wrong secret                 | 401    | invalid_client         |
 * | 20 | token request with an unknown client id           | 401    | invalid_client         |
 * | 21 | token request for a revoked client                | 401    | invalid_client         |
 * | 22 | token request with another grant type             | 400    | unsupported_grant_type |
 * | 23 | token request missing client_secret               | 401    | invalid_client         |
 * | 24 | unknown route                                     | 404    | NOT_FOUND              |
 * | 25 | URL asset that is not http(s)                     | 400    | VALIDATION_FAILED      |
 * | 26 | URL asset whose kind cannot be told               | 415    | UNSUPPORTED_MEDIA_TYPE |
 * | 27 | media path that is not a sha256                   | 400    | VALIDATION_FAILED      |
 * | 28 | byte range outside the content                    | 416    | RANGE_NOT_SATISFIABLE  |
 * | 29 | revoking another organization's client            | 404    | NOT_FOUND              |
 * | 30 | unknown query parameter on upload                 | 400    | VALIDATION_FAILED      |
 * | 31 | media by hash without a requester                 | 401    | UNAUTHENTICATED        |
 * | 32 | another organization's media by hash              | 404    | NOT_FOUND              |
 * | 33 | labeler media reference that is not base64url     | 400    | VALIDATION_FAILED      |
 * | 34 | labeler media reference never sealed here         | 404    | NOT_FOUND              |
 * | 35 | resolving a media reference never sealed here     | 404    | NOT_FOUND              |
 * | 36 | resolving a malformed media reference             | 400    | VALIDATION_FAILED      |
 * The token route's errors are RFC 6749's (`{ error, error_description, request_id }`, lower case); the rest
 * are `{ error: { code, message, requestId } }`. Afterwards: the good asset is intact, no partial blob or temp file is left, and nothing else was stored.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../test/environment.ts';
import { buildClient, buildCredentials, requestToken } from '../test/factories.ts';
import { revokeApiClient } from './auth/service.ts';
import { createManualClock } from './http/clock.ts';
import { type RunningServer, startServer } from './server.ts';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082',
  'hex',
);

interface Case {
  name: string;
  status: number;
  code: string;
  request: () => Promise<Response>;
}

for (const target of testDatabaseTargets()) {
  describe(`bad input on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    const clock = createManualClock(new Date());
    let base = '';
    let token = '';
    let otherToken = '';
    let assetId = '';
    let assetSha = '';
    let a: { id: string; secret: string };
    let revoked: { id: string; secret: string };
    let otherClientId = '';

    const tokenFor = (clientId: string, secret: string) => requestToken(base, { clientId, secret });
    const authed = (path: string, init: RequestInit = {}, bearer = token) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${bearer}`, ...(init.headers ?? {}) },
      });
    const json = (path: string, body: string, type = 'application/json') =>
      authed(path, { method: 'POST', body, headers: { 'content-type': type } });
    const grant = (fields: Record<string, string>) =>
      fetch(`${base}/connect/token`, { method: 'POST', body: new URLSearchParams(fields) });

    before(async () => {
      env = await createTestEnvironment(target);
      server = await startServer({
        port: 0,
        dataDir: env.dataDir,
        databaseUrl: env.databaseUrl,
        clock,
        config: { maxJsonBytes: 4096, maxUploadBytes: 64 * 1024, tokenTtlSeconds: 600 },
      });
      base = server.url;
      const deps = { db: server.database.db, clock };
      const boot = server.bootstrap!;
      a = { id: boot.client.id, secret: boot.secret };
      token = await tokenFor(a.id, a.secret);
      const other = await buildCredentials({ url: base, ...deps });
      otherClientId = other.clientId;
      otherToken = other.token;
      const rev = await buildClient(deps, { organizationId: boot.organization.id, displayName: 'to revoke' });
      revoked = { id: rev.clientId, secret: rev.secret };
      const up = await authed('/api/v1/assets?fileName=dot.png', {
        method: 'POST',
        body: PNG,
        headers: { 'content-type': 'application/octet-stream' },
      });
      const body = (await up.json()) as { data: { id: string; sha256: string } };
      assetId = body.data.id;
      assetSha = body.data.sha256;
    });
    after(async () => {
      await server.close();
      await env.cleanup();
    });

    const cases: Case[] = [
      {
        name: 'malformed JSON body',
        status: 400,
        code: 'BAD_REQUEST',
        request: () => json('/api/v1/clients', '{"displayName": '),
      },
      {
        name: 'wrong type in a field',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => json('/api/v1/clients', '{"displayName": 5}'),
      },
      {
        name: 'unknown field',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => json('/api/v1/clients', '{"displayName":"x","admin":true}'),
      },
      {
        name: 'missing required field',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => json('/api/v1/clients', '{}'),
      },
      {
        name: 'JSON route sent as text/plain',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        request: () => json('/api/v1/clients', '{"displayName":"x"}', 'text/plain'),
      },
      {
        name: 'oversize JSON body',
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        request: () => json('/api/v1/clients', JSON.stringify({ displayName: 'x'.repeat(10_000) })),
      },
      {
        name: 'oversize upload (Content-Length declared)',
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        request: () =>
          authed('/api/v1/assets', {
            method: 'POST',
            body: Buffer.concat([PNG, Buffer.alloc(100 * 1024)]),
            headers: { 'content-type': 'application/octet-stream' },
          }),
      },
      {
        name: 'oversize upload (chunked, no Content-Length)',
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        request: () => {
          const chunks = [PNG, ...Array.from({ length: 10 }, () => Buffer.alloc(10 * 1024))];
          const body = new ReadableStream({
            pull(controller) {
              const next = chunks.shift();
              if (next) controller.enqueue(next);
              else controller.close();
            },
          });
          return authed('/api/v1/assets', {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/octet-stream' },
            duplex: 'half',
          } as RequestInit);
        },
      },
      {
        name: 'upload that is not image/video/audio',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        request: () =>
          authed('/api/v1/assets?fileName=notes.txt', {
            method: 'POST',
            body: 'just some text, not media',
            headers: { 'content-type': 'application/octet-stream' },
          }),
      },
      {
        name: 'empty upload',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () =>
          authed('/api/v1/assets', {
            method: 'POST',
            body: new Uint8Array(0),
            headers: { 'content-type': 'application/octet-stream' },
          }),
      },
      {
        name: 'unknown asset id',
        status: 404,
        code: 'NOT_FOUND',
        request: () => authed('/api/v1/assets/ast_doesnotexist'),
      },
      {
        name: "another organization's asset id (metadata)",
        status: 404,
        code: 'NOT_FOUND',
        request: () => authed(`/api/v1/assets/${assetId}`, {}, otherToken),
      },
      {
        name: "another organization's asset id (content)",
        status: 404,
        code: 'NOT_FOUND',
        request: () => authed(`/api/v1/assets/${assetId}/content`, {}, otherToken),
      },
      {
        name: 'no Authorization header',
        status: 401,
        code: 'UNAUTHENTICATED',
        request: () => fetch(`${base}/api/v1/clients`),
      },
      {
        name: 'malformed Authorization header',
        status: 401,
        code: 'UNAUTHENTICATED',
        request: () => fetch(`${base}/api/v1/clients`, { headers: { authorization: 'Token abc' } }),
      },
      {
        name: 'unknown bearer token',
        status: 401,
        code: 'UNAUTHENTICATED',
        request: () => authed('/api/v1/clients', {}, 'jat_made_up'),
      },
      {
        name: 'expired bearer token',
        status: 401,
        code: 'UNAUTHENTICATED',
        request: async () => {
          const t = await tokenFor(a.id, a.secret);
          clock.advance(601_000);
          try {
            return await authed('/api/v1/clients', {}, t);
          } finally {
            clock.advance(-601_000);
          }
        },
      },
      {
        name: 'token of a revoked client',
        status: 401,
        code: 'UNAUTHENTICATED',
        request: async () => {
          const extra = await buildClient(
            { db: server.database.db, clock },
            { organizationId: server.bootstrap!.organization.id, displayName: 'short-lived' },
          );
          const t = await tokenFor(extra.clientId, extra.secret);
          await revokeApiClient({ db: server.database.db, clock }, undefined, extra.clientId);
          return authed('/api/v1/clients', {}, t);
        },
      },
      {
        name: 'token request with a wrong secret',
        status: 401,
        code: 'invalid_client',
        request: () =>
          grant({ grant_type: 'client_credentials', client_id: a.id, client_secret: 'jcs_wrong' }),
      },
      {
        name: 'token request with an unknown client id',
        status: 401,
        code: 'invalid_client',
        request: () =>
          grant({ grant_type: 'client_credentials', client_id: 'cli_nobody', client_secret: 'x' }),
      },
      {
        name: 'token request for a revoked client',
        status: 401,
        code: 'invalid_client',
        request: async () => {
          await revokeApiClient({ db: server.database.db, clock }, undefined, revoked.id);
          return grant({
            grant_type: 'client_credentials',
            client_id: revoked.id,
            client_secret: revoked.secret,
          });
        },
      },
      {
        name: 'token request with another grant type',
        status: 400,
        code: 'unsupported_grant_type',
        request: () => grant({ grant_type: 'password', client_id: a.id, client_secret: a.secret }),
      },
      {
        name: 'token request missing client_secret',
        status: 401,
        code: 'invalid_client',
        request: () => grant({ grant_type: 'client_credentials', client_id: a.id }),
      },
      {
        name: 'unknown route',
        status: 404,
        code: 'NOT_FOUND',
        request: () => authed('/api/v1/nothing-here'),
      },
      {
        name: 'URL asset that is not http(s)',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => json('/api/v1/assets/url', '{"url":"ftp://example.com/a.png"}'),
      },
      {
        name: 'URL asset that does not answer',
        status: 422,
        code: 'URL_UNREACHABLE',
        // Port 9 (discard) is closed on loopback: refused at once, no outside network involved.
        request: () => json('/api/v1/assets/url', '{"url":"http://127.0.0.1:9/download?id=7"}'),
      },
      {
        name: 'media path that is not a sha256',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => authed('/media/not-a-hash'),
      },
      {
        name: 'byte range outside the content',
        status: 416,
        code: 'RANGE_NOT_SATISFIABLE',
        request: () => authed(`/media/${assetSha}`, { headers: { range: 'bytes=5000-6000' } }),
      },
      {
        name: "revoking another organization's client",
        status: 404,
        code: 'NOT_FOUND',
        request: () => authed(`/api/v1/clients/${otherClientId}`, { method: 'DELETE' }),
      },
      {
        name: 'unknown query parameter on upload',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () =>
          authed('/api/v1/assets?overwrite=1', {
            method: 'POST',
            body: PNG,
            headers: { 'content-type': 'application/octet-stream' },
          }),
      },
      {
        name: 'media by hash without a requester',
        status: 401,
        code: 'UNAUTHENTICATED',
        request: () => fetch(`${base}/media/${assetSha}`),
      },
      {
        name: "another organization's media by hash",
        status: 404,
        code: 'NOT_FOUND',
        request: () => authed(`/media/${assetSha}`, {}, otherToken),
      },
      {
        name: 'labeler media reference that is not base64url',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => fetch(`${base}/api/v1/labeler/media/${'%21'.repeat(40)}`),
      },
      {
        name: 'labeler media reference this server never sealed',
        status: 404,
        code: 'NOT_FOUND',
        request: () => fetch(`${base}/api/v1/labeler/media/${'A'.repeat(64)}`),
      },
      {
        name: 'resolving a media reference this server never sealed',
        status: 404,
        code: 'NOT_FOUND',
        request: () => authed(`/api/v1/media-references/${'A'.repeat(64)}`),
      },
      {
        name: 'resolving a malformed media reference',
        status: 400,
        code: 'VALIDATION_FAILED',
        request: () => authed('/api/v1/media-references/short'),
      },
    ];

    for (const [i, c] of cases.entries()) {
      it(`#${i + 1} ${c.name} → ${c.status} ${c.code}`, async () => {
        const res = await c.request();
        const raw = (await res.json()) as
          | { error: { code: string; message: string; requestId: string } }
          | { error: string; error_description: string; request_id: string };
        const body =
          typeof raw.error === 'string'
            ? {
                code: raw.error,
                message: (raw as { error_description: string }).error_description,
                requestId: (raw as { request_id: string }).request_id,
              }
            : raw.error;
        assert.equal(res.status, c.status, JSON.stringify(raw));
        assert.equal(body.code, c.code);
        assert.ok(body.message.length > 10, 'the message says what went wrong');
        assert.match(body.requestId, /^req_/);
        assert.equal(res.headers.get('x-request-id'), body.requestId);
      });
    }

    it('loses nothing: the good asset is intact, no partial or temp file is left, nothing else was stored', async () => {
      const res = await authed(`/api/v1/assets/${assetId}/content`);
      assert.equal(res.status, 200);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
      const shards = await readdir(join(env.dataDir, 'blobs'));
      const blobs = (await Promise.all(shards.map((s) => readdir(join(env.dataDir, 'blobs', s))))).flat();
      assert.deepEqual(blobs, [assetSha]);
      assert.deepEqual(await readdir(join(env.dataDir, 'tmp')), []);
      const rows = await server.database.db.selectFrom('assets').select('id').execute();
      assert.deepEqual(
        rows.map((r) => r.id),
        [assetId],
      );
    });
  });
}
