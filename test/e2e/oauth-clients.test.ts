// OAuth 2.0 clients nobody here wrote get tokens in their default settings, and see a wrong secret as
// `invalid_client`: simple-oauth2 (HTTP Basic by default), openid-client (client_secret_post by default, and
// Basic), and Python's requests-oauthlib (Basic) when the machine has it. Also RFC 6750's challenge on 401s
// and the RFC 8414 metadata document.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { runProcess } from '@jury/cli/testing';
import { type RunningServer, startServer } from '@jury/server';
import { createTestEnvironment } from '@jury/server/testing';
import * as openid from 'openid-client';
import { ClientCredentials } from 'simple-oauth2';

describe('third-party OAuth clients', () => {
  let env: Awaited<ReturnType<typeof createTestEnvironment>>;
  let server: RunningServer;
  let id = '';
  let secret = '';
  let url = '';

  before(async () => {
    env = await createTestEnvironment({ name: 'sqlite', databaseUrl: undefined });
    server = await startServer({ port: 0, dataDir: env.dataDir, backgroundTasks: false });
    url = server.url;
    id = server.bootstrap!.client.id;
    secret = server.bootstrap!.secret;
  });
  after(async () => {
    await server.close();
    await env.cleanup();
  });

  const works = async (token: string) => {
    const res = await fetch(`${url}/api/v1/clients`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, await res.text());
  };

  it('simple-oauth2 5 in its defaults (client_secret_basic)', async () => {
    const config = (clientSecret: string) => ({
      client: { id, secret: clientSecret },
      auth: { tokenHost: url, tokenPath: '/connect/token' },
    });
    const token = await new ClientCredentials(config(secret)).getToken({});
    await works(token.token.access_token as string);
    await assert.rejects(new ClientCredentials(config('jcs_wrong')).getToken({}), (err: unknown) => {
      const e = err as { output?: { statusCode: number }; data?: { payload?: { error?: string } } };
      assert.equal(e.output?.statusCode, 401);
      assert.equal(e.data?.payload?.error, 'invalid_client');
      return true;
    });
  });

  it('openid-client 6 by RFC 8414 discovery, in client_secret_post (its default) and client_secret_basic', async () => {
    const discover = (clientSecret: string, auth?: openid.ClientAuth) =>
      openid.discovery(new URL(url), id, clientSecret, auth, {
        algorithm: 'oauth2',
        execute: [openid.allowInsecureRequests], // loopback http in a test
      });
    for (const auth of [undefined, openid.ClientSecretBasic(secret)]) {
      const config = await discover(secret, auth);
      assert.equal(config.serverMetadata().token_endpoint, `${url}/connect/token`);
      const token = await openid.clientCredentialsGrant(config);
      await works(token.access_token);
    }
    for (const auth of [undefined, openid.ClientSecretBasic('jcs_wrong')]) {
      const config = await discover('jcs_wrong', auth);
      await assert.rejects(openid.clientCredentialsGrant(config), (err: unknown) => {
        // Posted secret: the RFC 6749 body; Basic: the Basic challenge (RFC 6749 §5.2), carrying the error too.
        const e = err as { error?: string; status?: number; cause?: { parameters?: { error?: string } }[] };
        assert.equal(e.error ?? e.cause?.[0]?.parameters?.error, 'invalid_client');
        assert.equal(e.status, 401);
        return true;
      });
    }
  });

  it("requests-oauthlib's default path (BackendApplicationClient, Basic)", async (t) => {
    const python = ['python3', '/usr/bin/python3'].find(
      (p) => spawnSync(p, ['-c', 'import requests_oauthlib'], { stdio: 'ignore' }).status === 0,
    );
    if (!python) {
      t.skip(
        'no python3 with requests-oauthlib on this machine (Debian: apt-get install python3-requests-oauthlib; .ci/run installs it)',
      );
      return;
    }
    const script = `
import sys
from oauthlib.oauth2 import BackendApplicationClient, InvalidClientError
from requests_oauthlib import OAuth2Session
url, cid, secret = sys.argv[1:4]
token = OAuth2Session(client=BackendApplicationClient(client_id=cid)).fetch_token(
    token_url=url + "/connect/token", client_id=cid, client_secret=secret)
print(token["access_token"])
try:
    OAuth2Session(client=BackendApplicationClient(client_id=cid)).fetch_token(
        token_url=url + "/connect/token", client_id=cid, client_secret="jcs_wrong")
    print("wrong secret accepted")
except InvalidClientError:
    print("invalid_client")
`;
    // Asynchronously: the server answering it runs in this process.
    const run = await runProcess([python, '-c', script, url, id, secret], {
      env: { ...process.env, OAUTHLIB_INSECURE_TRANSPORT: '1' }, // loopback http in a test
      timeoutMs: 60_000,
    });
    assert.equal(run.code, 0, run.stderr);
    const [token, wrong] = run.stdout.trim().split('\n');
    await works(token!);
    assert.equal(wrong, 'invalid_client');
  });

  it('the token route: Basic or the form, not both; RFC 6749 errors; no-store on every answer', async () => {
    const basic = (i: string, s: string) =>
      `Basic ${Buffer.from(`${encodeURIComponent(i)}:${encodeURIComponent(s)}`).toString('base64')}`;
    const post = (headers: Record<string, string>, fields: Record<string, string>) =>
      fetch(`${url}/connect/token`, { method: 'POST', headers, body: new URLSearchParams(fields) });
    const grant = { grant_type: 'client_credentials' };

    const ok = await post({ authorization: basic(id, secret) }, grant);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('cache-control'), 'no-store');
    const both = await post(
      { authorization: basic(id, secret) },
      { ...grant, client_id: id, client_secret: secret },
    );
    assert.equal(both.status, 400);
    assert.equal(((await both.json()) as { error: string }).error, 'invalid_request');
    // A wrong Basic header beside correct form credentials is refused, never ignored.
    const wrongBasic = await post(
      { authorization: basic(id, 'jcs_wrong') },
      { ...grant, client_id: id, client_secret: secret },
    );
    assert.equal(wrongBasic.status, 400);
    const wrong = await post({ authorization: basic(id, 'jcs_wrong') }, grant);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('cache-control'), 'no-store');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm="jury", error="invalid_client"/);
    const body = (await wrong.json()) as { error: string; error_description: string; request_id: string };
    assert.equal(body.error, 'invalid_client');
    assert.match(body.error_description, /wrong secret/);
    assert.match(body.request_id, /^req_/);
    const json = await fetch(`${url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...grant, client_id: id, client_secret: secret }),
    });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as { error: string }).error, 'invalid_request');
    assert.equal(json.headers.get('cache-control'), 'no-store');
  });

  it('a 401 on the API names its Bearer challenge (RFC 6750 §3)', async () => {
    const none = await fetch(`${url}/api/v1/clients`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="jury"');
    const bad = await fetch(`${url}/api/v1/clients`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /^Bearer realm="jury", error="invalid_token"/);
  });
});
