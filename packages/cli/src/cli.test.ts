import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPostgresDatabase } from '@jury/server/testing';
import { isolatedEnv, type ProcessResult, runJury, startServe } from '../test/processes.ts';
import { type CommandSpec, PROGRAM } from './commands.ts';

const jury = (args: string[], home: string) => runJury(args, isolatedEnv(home));
/** Starts `jury serve --port 0`, waits for its addresses, and returns how to stop it (SIGINT, as Ctrl-C). */
async function serve(args: string[], home: string) {
  const server = await startServe(['--port', '0', ...args], isolatedEnv(home));
  return { ...server, stop: (signal: NodeJS.Signals = 'SIGINT') => server.stop(signal) };
}

async function credentialsFile(home: string) {
  const path = join(home, '.config', 'jury', 'credentials.json');
  return {
    path,
    json: JSON.parse(await readFile(path, 'utf8')) as {
      clients: { clientId: string; clientSecret: string; endpoint: string; displayName: string }[];
    },
  };
}

function leafCommands(spec: CommandSpec, prefix: string[] = []): [string[], CommandSpec][] {
  if (!spec.commands) return [[prefix, spec]];
  return spec.commands.flatMap((c) => leafCommands(c, [...prefix, c.name]));
}

describe('jury --help is generated from the option table', () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'jury-cli-home-'));
  });
  after(() => rm(home, { recursive: true, force: true }));

  test('every command, option, default and env fallback in the table appears in --help', async () => {
    const top = await jury(['--help'], home);
    assert.equal(top.code, 0);
    const topText = top.stdout.replace(/\s+/g, ' ');
    for (const c of PROGRAM.commands)
      assert.ok(topText.includes(`${c.name}`) && topText.includes(c.description));
    for (const [path, spec] of leafCommands(PROGRAM)) {
      const help = await jury([...path, '--help'], home);
      assert.equal(help.code, 0, path.join(' '));
      const text = help.stdout.replace(/\s+/g, ' ');
      assert.match(text, new RegExp(`Usage: jury ${path.join(' ')}`));
      for (const opt of spec.options ?? []) {
        assert.ok(text.includes(opt.flags), `${path.join(' ')}: ${opt.flags}`);
        if (opt.env) assert.ok(text.includes(`env: ${opt.env}`), `${opt.flags} env`);
        if (opt.default !== undefined)
          assert.ok(text.includes(`default: ${JSON.stringify(opt.default)}`), `${opt.flags} default`);
      }
      for (const arg of spec.arguments ?? []) assert.ok(text.includes(arg.name));
    }
  });

  test('bad input to flags is refused with a clear message', async () => {
    const r = await jury(['serve', '--port', 'eighty'], home);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--port <number>.*Not an integer/);
    const unknown = await jury(['credentials', 'frobnicate'], home);
    assert.notEqual(unknown.code, 0);
  });

  test('simulate --url is read as the SDK reads JURY_URL (scheme optional on local hosts)', async () => {
    const ftp = await jury(['simulate', '--url', 'ftp://example.org', '--duration', '1'], home);
    assert.notEqual(ftp.code, 0);
    assert.match(ftp.stderr, /--url=ftp:\/\/example\.org is not an http\(s\) URL/);
    assert.doesNotMatch(ftp.stderr, /\n\s+at /);
    const port = await closedPort();
    const bare = await jury(['simulate', '--url', `localhost:${port}`, '--duration', '1'], home);
    assert.notEqual(bare.code, 0);
    assert.match(bare.stderr, new RegExp(`http://localhost:${port}`), bare.stderr);
    assert.doesNotMatch(bare.stderr, /null|\n\s+at /, bare.stderr);
  });
});

/** A loopback port nobody listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** One line on stderr, no stack trace, exit code 1. */
function assertOneLineFailure(r: ProcessResult) {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at |unexpected error/, r.stderr);
}

describe('jury serve: start-up failures are one line saying what to do', () => {
  let home: string;
  let dataDir: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'jury-cli-home-'));
    dataDir = await mkdtemp(join(tmpdir(), 'jury-cli-data-'));
  });
  after(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a taken port names the port and how to pick another; no client is created for nobody', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = await jury(['serve', '--port', String(port), '--data-dir', dataDir], home);
      assertOneLineFailure(r);
      assert.match(r.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already taken`));
      assert.match(r.stderr, /--port 9000 or PORT=9000/);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
    assert.equal(existsSync(join(home, '.config', 'jury', 'credentials.json')), false);
    // The first start that succeeds is still the first start: it creates and saves the local client.
    const server = await serve(['--data-dir', dataDir], home);
    assert.match(server.output(), /First start/);
    assert.equal(await server.stop(), 0);
  });

  test('a bad --database-url names the address (never the password) and the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const cases: [string, RegExp][] = [
      [
        `postgres://jury:s3cret-pw@127.0.0.1:${port}/jury`,
        new RegExp(`database postgres://jury:\\*\\*\\*@127\\.0\\.0\\.1:${port}/jury: connection refused`),
      ],
      ['mysql://jury:s3cret-pw@localhost/jury', /mysql:\/\/jury:\*\*\*@localhost\/jury: unsupported scheme/],
      ['postgres://jury:s3cret-pw@no-such-host.invalid/jury', /no-such-host\.invalid is not known/],
      ['not a url s3cret-pw', /not a URL|unsupported scheme/],
    ];
    const admin = process.env.TEST_DATABASE_URL;
    if (admin) {
      const wrongPassword = new URL(admin);
      wrongPassword.username = 'jury_no_such_role';
      wrongPassword.password = 's3cret-pw';
      cases.push([wrongPassword.toString(), /authentication failed/]);
      const missing = new URL(admin);
      missing.pathname = '/jury_no_such_database';
      cases.push([missing.toString(), /"jury_no_such_database" does not exist/]);
    }
    for (const [url, expected] of cases) {
      const r = await jury(['serve', '--port', '0', '--data-dir', dataDir, '--database-url', url], home);
      assertOneLineFailure(r);
      assert.match(r.stderr, /^jury: Cannot open the database /, url);
      assert.match(r.stderr, expected, url);
      if (!url.startsWith('not a url')) assert.doesNotMatch(r.stderr, /s3cret-pw/, url);
    }
  });
});

const DATABASES = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

for (const database of DATABASES) {
  describe(`jury serve and jury credentials (${database})`, () => {
    let home: string;
    let dataDir: string;
    let storage: string[];
    let dropDb: (() => Promise<void>) | undefined;

    before(async () => {
      home = await mkdtemp(join(tmpdir(), 'jury-cli-home-'));
      dataDir = await mkdtemp(join(tmpdir(), 'jury-cli-data-'));
      storage = ['--data-dir', dataDir];
      if (database === 'postgres') {
        const pgDb = await createPostgresDatabase(process.env.TEST_DATABASE_URL as string);
        storage.push('--database-url', pgDb.url);
        dropDb = () => pgDb.drop();
      }
    });
    after(async () => {
      await dropDb?.();
      await rm(home, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    });

    test('credentials commands before the first start say what to do', async () => {
      if (database === 'sqlite') {
        const r = await jury(['credentials', 'list', ...storage], home);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /No Jury database at .*jury serve/);
      }
      const create = await jury(['credentials', 'create', ...storage], home);
      assert.equal(create.code, 1);
      assert.match(create.stderr, /jury serve|No Jury database/);
    });

    test('serve: first start saves the local client; SIGINT shuts down cleanly', async () => {
      const server = await serve(storage, home);
      assert.match(server.output(), /First start/);
      assert.match(server.output(), /Set up the owner: http:\/\/localhost:\d+\/setup\?token=jul_/);
      const { json, path } = await credentialsFile(home);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal(json.clients.length, 1);
      assert.equal(json.clients[0]?.endpoint, server.url);
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(await server.stop('SIGINT'), 0);
      assert.match(server.output(), /SIGINT: shutting down…\nStopped\./);
    });

    test('create (printed once, saved with --save), list, revoke', async () => {
      const created = await jury(
        ['credentials', 'create', '--name', 'robot', '--save', '--url', 'http://127.0.0.1:9999/', ...storage],
        home,
      );
      assert.equal(created.code, 0, created.stderr);
      const id = /JURY_CLIENT_ID=(cli_\S+)/.exec(created.stdout)?.[1];
      const secret = /JURY_CLIENT_SECRET=(\S+)/.exec(created.stdout)?.[1];
      assert.ok(id && secret);
      assert.match(created.stdout, /in organization "Local organization"/);
      assert.match(created.stdout, /shown only this once/);
      const { json } = await credentialsFile(home);
      const saved = json.clients.find((c) => c.clientId === id);
      assert.deepEqual(
        [saved?.clientSecret, saved?.endpoint, saved?.displayName],
        [secret, 'http://127.0.0.1:9999', 'robot'],
      );

      const other = await jury(
        ['credentials', 'create', '--new-organization', 'Other', '--json', ...storage],
        home,
      );
      assert.equal(other.code, 0, other.stderr);
      const otherJson = JSON.parse(other.stdout) as { clientId: string; organizationName: string };
      assert.equal(otherJson.organizationName, 'Other');
      const inOther = await jury(
        ['credentials', 'create', '--organization', 'Other', '--json', ...storage],
        home,
      );
      assert.equal(inOther.code, 0, inOther.stderr);

      const list = await jury(['credentials', 'list', ...storage], home);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /CLIENT ID\s+NAME\s+ORGANIZATION/);
      assert.match(list.stdout, new RegExp(`${id}\\s+robot\\s+Local organization.*active\\s+yes`));
      assert.equal(list.stdout.trim().split('\n').length, 5, 'header + local + robot + two in Other');
      assert.doesNotMatch(list.stdout, /jcs_/, 'no secrets in listings');
      const onlyOther = await jury(
        ['credentials', 'list', '--organization', 'Other', '--json', ...storage],
        home,
      );
      assert.equal((JSON.parse(onlyOther.stdout) as unknown[]).length, 2);

      const revoked = await jury(['credentials', 'revoke', id, ...storage], home);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.match(
        revoked.stdout,
        /Revoked client [\s\S]*Removed it from ~\/\.config\/jury\/credentials\.json/,
      );
      assert.equal(
        (await credentialsFile(home)).json.clients.find((c) => c.clientId === id),
        undefined,
      );
      const after = await jury(['credentials', 'list', ...storage], home);
      assert.match(after.stdout, new RegExp(`${id}\\s+robot.*revoked`));
    });

    test('users create (a link to set the password, or --password-stdin), list, reset-password', async () => {
      const users = (args: string[], input?: string) =>
        runJury(['users', ...args, ...storage], isolatedEnv(home), { input });
      const ada = await users([
        'create',
        '--email',
        'Ada@Example.com',
        '--name',
        'Ada Lovelace',
        '--role',
        'owner',
        '--url',
        'http://127.0.0.1:9999',
      ]);
      assert.equal(ada.code, 0, ada.output);
      assert.match(
        ada.stdout,
        /Created owner ada@example.com \(usr_\S+\) in organization "Local organization"/,
      );
      const link = /(http:\/\/127\.0\.0\.1:9999\/reset-password\?token=\S+)/.exec(ada.stdout)?.[1];
      assert.ok(link, ada.stdout);
      const bob = await users(
        ['create', '--email', 'bob@example.com', '--name', 'Bob', '--password-stdin'],
        'a long enough password\n',
      );
      assert.equal(bob.code, 0, bob.output);
      assert.doesNotMatch(bob.stdout, /reset-password/);

      const list = await users(['list']);
      assert.match(list.stdout, /USER ID\s+EMAIL\s+NAME\s+ROLE\s+ORGANIZATION/);
      assert.match(list.stdout, /ada@example.com\s+Ada Lovelace\s+owner\s+Local organization/);
      assert.match(list.stdout, /bob@example.com\s+Bob\s+member/);
      const listed = JSON.parse((await users(['list', '--json'])).stdout) as { email: string }[];
      assert.deepEqual(listed.map((u) => u.email).sort(), ['ada@example.com', 'bob@example.com']);

      // Bob signs in with the piped password; after an operator's reset, with the new one only
      const server = await serve(storage, home);
      assert.doesNotMatch(server.output(), /Set up the owner/, 'no setup link once a user exists');
      const signIn = (password: string) =>
        fetch(`${server.url}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: server.url },
          body: JSON.stringify({ email: 'bob@example.com', password }),
        }).then((r) => r.status);
      assert.equal(await signIn('a long enough password'), 200);
      const reset = await users(
        ['reset-password', 'BOB@example.com', '--password-stdin'],
        'the next password',
      );
      assert.equal(reset.code, 0, reset.output);
      assert.equal(await signIn('a long enough password'), 401);
      assert.equal(await signIn('the next password'), 200);
      const resetLink = await users(['reset-password', 'bob@example.com', '--url', server.url]);
      const token = new URL(
        /(http\S+reset-password\S+)/.exec(resetLink.stdout)?.[1] as string,
      ).searchParams.get('token');
      const viaLink = await fetch(`${server.url}/api/v1/password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ token, password: 'chosen by bob' }),
      });
      assert.equal(viaLink.status, 200);
      assert.equal(await signIn('chosen by bob'), 200);
      assert.equal(await server.stop(), 0);

      for (const [args, input, message] of [
        [['create', '--email', 'ada@example.com', '--name', 'Ada'], undefined, /exists already/],
        [['create', '--name', 'No Email'], undefined, /--email is required/],
        [
          ['create', '--email', 'c@example.com', '--name', 'C', '--role', 'admin'],
          undefined,
          /expected owner or member/,
        ],
        [
          ['create', '--email', 'd@example.com', '--name', 'D', '--password-stdin'],
          'short',
          /needs at least \d+ characters/,
        ],
        [['reset-password', 'nobody@example.com'], undefined, /No dashboard user nobody@example.com/],
      ] as const) {
        const r = await users([...args], input);
        assert.equal(r.code, 1, `${args.join(' ')}: ${r.output}`);
        assert.match(r.stderr, message);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      }
    });

    test('mistakes are refused clearly', async () => {
      const both = await jury(
        ['credentials', 'create', '--organization', 'a', '--new-organization', 'b', ...storage],
        home,
      );
      assert.equal(both.code, 1);
      assert.match(both.stderr, /either --organization or --new-organization/);
      const unknownOrg = await jury(['credentials', 'create', '--organization', 'Nope', ...storage], home);
      assert.equal(unknownOrg.code, 1);
      assert.match(unknownOrg.stderr, /No organization "Nope". Known: Local organization/);
      const unknownClient = await jury(['credentials', 'revoke', 'cli_nope', ...storage], home);
      assert.equal(unknownClient.code, 1);
      assert.match(unknownClient.stderr, /No client cli_nope/);
      const missingArg = await jury(['credentials', 'revoke', ...storage], home);
      assert.notEqual(missingArg.code, 0);
      assert.match(missingArg.stderr, /missing required argument 'clientId'/);
    });

    test('a later start points saved clients at the new URL, or says how to save one', async () => {
      const first = await serve(storage, home);
      assert.doesNotMatch(first.output(), /First start/);
      const { json } = await credentialsFile(home);
      const local = json.clients.find((c) => c.displayName.startsWith('Local client'));
      assert.equal(local?.endpoint, first.url);
      assert.equal(await first.stop('SIGTERM'), 0, first.output());

      await unlink(join(home, '.config', 'jury', 'credentials.json'));
      const second = await serve(storage, home);
      assert.match(
        second.output(),
        /No client of this server is saved .*jury credentials create --save --url/,
      );
      assert.equal(await second.stop(), 0);
    });
  });
}
