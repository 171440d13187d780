// The SDK's one error builder against a real server's error responses: the class, code, status and request id
// a caller sees for the codes requesters meet most.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  errorFromResponse,
  JuryAuthError,
  type JuryError,
  JuryNotFoundError,
  JuryValidationError,
} from '@jury/sdk';
import { type RunningServer, startServer } from '@jury/server';
import { createTestEnvironment, requestToken } from '@jury/server/testing';

describe('SDK errors from real server responses', () => {
  let env: Awaited<ReturnType<typeof createTestEnvironment>>;
  let server: RunningServer;
  let token = '';
  before(async () => {
    env = await createTestEnvironment({ name: 'sqlite', databaseUrl: undefined });
    server = await startServer({ port: 0, dataDir: env.dataDir, backgroundTasks: false });
    const boot = server.bootstrap!;
    token = await requestToken(server.url, { clientId: boot.client.id, secret: boot.secret });
  });
  after(async () => {
    await server?.close();
    await env?.cleanup();
  });

  async function errorOf(path: string, init: RequestInit = {}): Promise<JuryError> {
    const res = await fetch(`${server.url}${path}`, init);
    assert.ok(!res.ok, `${path} → ${res.status}`);
    const err = errorFromResponse(res.status, await res.text(), res.headers);
    assert.equal(err.status, res.status);
    assert.equal(err.requestId, res.headers.get('x-request-id'));
    return err;
  }
  const bearer = () => ({ authorization: `Bearer ${token}` });

  it('NOT_FOUND builds JuryNotFoundError', async () => {
    const err = await errorOf('/api/v1/assets/ast_missing', {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.ok(err instanceof JuryNotFoundError);
    assert.equal(err.code, 'NOT_FOUND');
  });

  it('UNAUTHENTICATED and INVALID_CLIENT build JuryAuthError', async () => {
    const missing = await errorOf('/api/v1/clients');
    assert.ok(missing instanceof JuryAuthError);
    assert.equal(missing.code, 'UNAUTHENTICATED');
    const wrong = await errorOf('/connect/token', {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: server.bootstrap!.client.id,
        client_secret: 'jcs_wrong',
      }),
    });
    assert.ok(wrong instanceof JuryAuthError);
    assert.equal(wrong.code, 'INVALID_CLIENT');
  });

  it('VALIDATION_FAILED builds JuryValidationError with the issues as details', async () => {
    const err = await errorOf('/api/v1/audiences', {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: '' }),
    });
    assert.ok(err instanceof JuryValidationError);
    assert.equal(err.code, 'VALIDATION_FAILED');
    assert.ok(err.details, 'the validation issues');
  });
});
