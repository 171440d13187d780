import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { JuryClient, resolveConnection } from './client.ts';
import {
  type CredentialEntry,
  credentialsPath,
  markCredentialUsed,
  normalizeEndpoint,
  parseServerUrl,
  pickCredential,
  readCredentials,
  removeCredential,
  saveCredential,
  updateCredentialEndpoint,
} from './credentials.ts';
import { JuryCredentialsError, JuryValidationError } from './errors.ts';

const JURY_ENV = ['JURY_CLIENT_ID', 'JURY_CLIENT_SECRET', 'JURY_URL'];

function entry(over: Partial<CredentialEntry>): CredentialEntry {
  return {
    displayName: 'test',
    clientId: 'cli_file',
    clientSecret: 'jcs_file',
    endpoint: 'http://localhost:8787',
    createdAt: '2026-01-01T00:00:00.000Z',
    lastUsed: null,
    ...over,
  };
}

describe('credentials file and resolution', () => {
  let home: string;
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'jury-home-'));
    for (const k of [...JURY_ENV, 'HOME']) saved[k] = process.env[k];
    for (const k of JURY_ENV) delete process.env[k];
    process.env.HOME = home;
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(home, { recursive: true, force: true });
  });

  test('the file lives under $HOME/.config/jury, mode 0600 in a 0700 directory', async () => {
    assert.equal(credentialsPath(), join(home, '.config', 'jury', 'credentials.json'));
    assert.deepEqual(await readCredentials(), { clients: [] });
    await saveCredential(entry({ endpoint: 'http://localhost:8787/' }));
    assert.equal(statSync(credentialsPath()).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, '.config', 'jury')).mode & 0o777, 0o700);
    const { clients } = await readCredentials();
    assert.equal(clients.length, 1);
    assert.equal(clients[0]?.endpoint, 'http://localhost:8787');
  });

  test('save replaces by clientId; endpoint, lastUsed and removal update one entry', async () => {
    await saveCredential(entry({ clientId: 'a' }));
    await saveCredential(entry({ clientId: 'b' }));
    await saveCredential(entry({ clientId: 'a', displayName: 'renamed' }));
    assert.equal(await updateCredentialEndpoint('b', 'http://127.0.0.1:9000'), true);
    assert.equal(await updateCredentialEndpoint('b', 'http://127.0.0.1:9000/'), false);
    assert.equal(await updateCredentialEndpoint('zzz', 'http://x'), false);
    await markCredentialUsed('a', new Date('2026-05-05T00:00:00Z'));
    let { clients } = await readCredentials();
    assert.deepEqual(
      clients.map((c) => [c.clientId, c.displayName, c.endpoint, c.lastUsed]),
      [
        ['a', 'renamed', 'http://localhost:8787', '2026-05-05T00:00:00.000Z'],
        ['b', 'test', 'http://127.0.0.1:9000', null],
      ],
    );
    assert.equal(await removeCredential('a'), true);
    assert.equal(await removeCredential('a'), false);
    ({ clients } = await readCredentials());
    assert.deepEqual(
      clients.map((c) => c.clientId),
      ['b'],
    );
  });

  test('concurrent updates in one process do not lose writes', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => saveCredential(entry({ clientId: `c${i}` }))));
    assert.equal((await readCredentials()).clients.length, 20);
  });

  test('a malformed file gives a clear error', async () => {
    await saveCredential(entry({}));
    writeFileSync(credentialsPath(), '{ nope');
    await assert.rejects(readCredentials(), /not valid JSON; fix or delete it/);
    assert.throws(
      () => new JuryClient(),
      (err: unknown) =>
        err instanceof JuryCredentialsError && /not valid JSON; fix or delete it/.test(err.message),
    );
  });

  test('pickCredential: the entry for the URL, else the most recently used', () => {
    const clients = [
      entry({ clientId: 'old', lastUsed: '2026-01-02T00:00:00Z' }),
      entry({ clientId: 'new', createdAt: '2026-03-01T00:00:00Z' }),
      entry({ clientId: 'other', endpoint: 'http://jury.example:9000', lastUsed: '2026-01-01T00:00:00Z' }),
    ];
    assert.equal(pickCredential(clients)?.clientId, 'new');
    assert.equal(pickCredential(clients, 'http://jury.example:9000/')?.clientId, 'other');
    assert.equal(pickCredential(clients, 'http://localhost:8787')?.clientId, 'new');
    assert.equal(pickCredential(clients, 'http://nowhere'), undefined);
  });

  test('resolution order: arguments > environment > file; empty env strings count as unset', async () => {
    await saveCredential(entry({ endpoint: 'http://127.0.0.1:9999' }));
    // file only: the entry's endpoint gives the URL
    assert.deepEqual(resolveConnection(), {
      url: 'http://127.0.0.1:9999',
      clientId: 'cli_file',
      clientSecret: 'jcs_file',
      source: 'credentials-file',
    });
    // empty environment values are ignored
    process.env.JURY_CLIENT_ID = '';
    process.env.JURY_CLIENT_SECRET = '';
    process.env.JURY_URL = '';
    assert.equal(resolveConnection().source, 'credentials-file');
    // environment beats the file
    process.env.JURY_CLIENT_ID = 'cli_env';
    process.env.JURY_CLIENT_SECRET = 'jcs_env';
    process.env.JURY_URL = 'http://127.0.0.1:7000/';
    assert.deepEqual(resolveConnection(), {
      url: 'http://127.0.0.1:7000',
      clientId: 'cli_env',
      clientSecret: 'jcs_env',
      source: 'environment',
    });
    // arguments beat the environment (the URL too)
    assert.deepEqual(resolveConnection({ clientId: 'cli_arg', clientSecret: 'jcs_arg', url: 'http://h:1' }), {
      url: 'http://h:1',
      clientId: 'cli_arg',
      clientSecret: 'jcs_arg',
      source: 'arguments',
    });
    // an argument URL with file credentials picks the file entry for that URL
    delete process.env.JURY_CLIENT_ID;
    delete process.env.JURY_CLIENT_SECRET;
    delete process.env.JURY_URL;
    assert.equal(resolveConnection({ url: 'http://127.0.0.1:9999' }).clientId, 'cli_file');
    // JURY_URL alone selects the file entry for that URL, and errors clearly when there is none
    process.env.JURY_URL = 'http://127.0.0.1:1234';
    assert.throws(
      () => resolveConnection(),
      (err: unknown) =>
        err instanceof JuryCredentialsError &&
        err.code === 'NO_CREDENTIALS' &&
        /No Jury credentials for http:\/\/127\.0\.0\.1:1234/.test(err.message) &&
        /entries for http:\/\/127\.0\.0\.1:9999/.test(err.message),
    );
  });

  test('with no arguments, no environment and no file, the error says what to do', () => {
    assert.throws(
      () => new JuryClient(),
      (err: unknown) =>
        err instanceof JuryCredentialsError &&
        /jury serve/.test(err.message) &&
        /jury credentials create --save/.test(err.message),
    );
  });

  test('half a pair is an error, not a silent fallback', () => {
    assert.throws(() => resolveConnection({ clientId: 'x' }), /Pass both clientId and clientSecret/);
    process.env.JURY_CLIENT_SECRET = 's';
    assert.throws(() => resolveConnection(), /Set both JURY_CLIENT_ID and JURY_CLIENT_SECRET/);
    // an argument id may pair with an environment secret
    assert.equal(resolveConnection({ clientId: 'x' }).clientSecret, 's');
  });

  test('default URL is http://localhost:8787', () => {
    assert.equal(resolveConnection({ clientId: 'a', clientSecret: 'b' }).url, 'http://localhost:8787');
  });

  test('JURY_URL without a scheme, or as the API address the banner prints, finds the saved client', async () => {
    await saveCredential(entry({ clientId: 'cli_local', endpoint: 'http://localhost:8787' }));
    for (const url of [
      'localhost:8787',
      'localhost:8787/',
      'http://localhost:8787/api/v1',
      'http://localhost:8787/api/v1/',
      'http://localhost:8787/api',
      ' http://localhost:8787 ',
    ]) {
      process.env.JURY_URL = url;
      const resolved = resolveConnection();
      assert.equal(resolved.url, 'http://localhost:8787', url);
      assert.equal(resolved.clientId, 'cli_local', url);
    }
    process.env.JURY_URL = '127.0.0.1:9';
    assert.throws(() => resolveConnection(), /No Jury credentials for http:\/\/127\.0\.0\.1:9:/);
  });

  test('a server URL that cannot be meant says what to set', () => {
    const cases: [string, RegExp][] = [
      [
        'jury.example.com:8787',
        /^JURY_URL=jury\.example\.com:8787 has no scheme: set JURY_URL=https:\/\/jury\.example\.com:8787 \(or http:\/\/jury\.example\.com:8787\)/,
      ],
      ['ftp://localhost:8787', /JURY_URL=ftp:\/\/localhost:8787 is not an http\(s\) URL/],
      ['http://', /JURY_URL=http:\/\/ is not a URL: set it to the server's address/],
      [
        'http://localhost:8787/?x=1',
        /has a query, fragment or user name: set it to .*JURY_URL=http:\/\/localhost:8787/,
      ],
    ];
    for (const [url, message] of cases) {
      process.env.JURY_URL = url;
      assert.throws(
        () => resolveConnection({ clientId: 'a', clientSecret: 'b' }),
        (err: unknown) => err instanceof JuryValidationError && message.test(err.message),
        url,
      );
    }
    delete process.env.JURY_URL;
    assert.throws(() => new JuryClient({ url: 'jury.example.com' }), /url=jury\.example\.com has no scheme/);
  });

  test('parseServerUrl keeps a path prefix (a server behind a proxy) and local hosts of every form', () => {
    assert.equal(parseServerUrl('https://example.com/jury/'), 'https://example.com/jury');
    assert.equal(parseServerUrl('https://example.com/jury/api/v1'), 'https://example.com/jury');
    assert.equal(parseServerUrl('[::1]:8787'), 'http://[::1]:8787');
    assert.equal(parseServerUrl('127.0.0.5:80/'), 'http://127.0.0.5');
    assert.equal(parseServerUrl('app.localhost:3000'), 'http://app.localhost:3000');
    assert.equal(normalizeEndpoint('localhost:8787'), 'http://localhost:8787');
    assert.equal(normalizeEndpoint('not a url/'), 'not a url');
  });

  test('unknown constructor options are an error naming the closest one', () => {
    assert.throws(
      () => new JuryClient({ clientID: 'a', clientSecret: 'b' } as never),
      /Unknown option 'clientID' for new JuryClient; did you mean 'clientId'\?/,
    );
  });
});
