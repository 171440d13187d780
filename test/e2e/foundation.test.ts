import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { credentialsPath, JuryClient, JuryNotFoundError, readCredentials } from '@jury/sdk';
import {
  createPostgresDatabase,
  DATABASES,
  freePort,
  isolatedEnv,
  isolateProcessEnv,
  listFiles,
  makePng,
  runJury,
  type ServeProcess,
  startServe,
  tempDirs,
} from './helpers.ts';

// The "done when": `jury serve` as a process, `new JuryClient()` from the credentials file only,
// an image and its duplicate stored once and read back, and a second organization that cannot see it.
for (const database of DATABASES) {
  describe(`foundation end to end (${database})`, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let home: string;
    let dataDir: string;
    let work: string;
    let serve: ServeProcess;
    let dbArgs: string[] = [];
    let dropDatabase: (() => Promise<void>) | undefined;
    let restoreEnv: () => void = () => {};
    let imageAssetId = '';

    before(async () => {
      dirs = await tempDirs();
      home = await dirs.make('home');
      dataDir = await dirs.make('data');
      work = await dirs.make('work');
      if (database === 'postgres') {
        const pg = await createPostgresDatabase();
        dropDatabase = pg.drop;
        dbArgs = ['--database-url', pg.url];
      }
      const port = await freePort();
      serve = await startServe(['--port', String(port), '--data-dir', dataDir, ...dbArgs], isolatedEnv(home));
      restoreEnv = isolateProcessEnv(home);
    });

    after(async () => {
      restoreEnv();
      await serve?.stop();
      await dropDatabase?.();
      await dirs?.cleanup();
    });

    test('the first start prints the addresses and saves the local client (0600) with the server URL', async () => {
      const out = serve.output();
      assert.match(out, new RegExp(`Dashboard\\s+${serve.url}/`));
      assert.match(out, new RegExp(`Labeler\\s+${serve.url}/label`));
      assert.match(
        out,
        new RegExp(`API\\s+${serve.url}/api/v1\\s+\\(reference: ${serve.url}/api/reference\\)`),
      );
      assert.match(out, database === 'postgres' ? /PostgreSQL/ : /embedded database/);
      assert.equal(credentialsPath(), join(home, '.config', 'jury', 'credentials.json'));
      const { clients } = await readCredentials();
      assert.equal(clients.length, 1);
      assert.equal(clients[0]?.endpoint, serve.url);
      assert.match(clients[0]?.clientId ?? '', /^cli_/);
      assert.equal((await stat(credentialsPath())).mode & 0o777, 0o600);
    });

    test('new JuryClient() with no arguments gets a token from the credentials file', async () => {
      const client = new JuryClient();
      assert.equal(client.credentialSource, 'credentials-file');
      assert.equal(client.url, serve.url);
      assert.match(await client.getToken(), /\S{20,}/);
      const { clients } = await readCredentials();
      assert.ok(clients[0]?.lastUsed, 'lastUsed is recorded');
    });

    test('an image and its duplicate are stored once and read back (also by range from /media)', async () => {
      const client = new JuryClient();
      const bytes = makePng(1, 16);
      const sha = createHash('sha256').update(bytes).digest('hex');
      const original = join(work, 'cat.png');
      const duplicate = join(work, 'same-cat-again.png');
      await writeFile(original, bytes);
      await writeFile(duplicate, bytes);

      const first = await client.assets.upload(original);
      const second = await client.assets.upload(duplicate);
      assert.equal(second.id, first.id);
      assert.equal(first.kind, 'image');
      assert.equal(first.mimeType, 'image/png');
      assert.equal(first.sha256, sha);
      assert.equal(first.size, bytes.length);
      const blobs = await listFiles(join(dataDir, 'blobs'));
      assert.deepEqual(
        blobs.map((b) => b.split('/').pop()),
        [sha],
        'exactly one blob file',
      );

      assert.deepEqual((await client.assets.get(first.id)).id, first.id);
      assert.deepEqual(Buffer.from(await client.assets.content(first.id)), bytes);

      // Media by hash are the owner's (a requester of the organization); labelers get references.
      assert.equal((await fetch(`${serve.url}/media/${sha}`)).status, 401);
      const auth = { authorization: `Bearer ${await client.getToken()}` };
      const ranged = await fetch(`${serve.url}/media/${sha}`, { headers: { ...auth, range: 'bytes=0-9' } });
      assert.equal(ranged.status, 206);
      assert.equal(ranged.headers.get('content-range'), `bytes 0-9/${bytes.length}`);
      assert.equal(ranged.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), bytes.subarray(0, 10));
      const whole = await fetch(`${serve.url}/media/${sha}`, { headers: auth });
      assert.equal(whole.status, 200);
      assert.deepEqual(Buffer.from(await whole.arrayBuffer()), bytes);
      imageAssetId = first.id;
    });

    test('a second organization cannot see it: 404 NOT_FOUND, never 403', async () => {
      assert.ok(imageAssetId, 'the upload test ran');
      const created = await runJury(
        ['credentials', 'create', '--new-organization', 'Other', '--json', '--data-dir', dataDir, ...dbArgs],
        isolatedEnv(home),
      );
      assert.equal(created.code, 0, created.stderr);
      const other = JSON.parse(created.stdout) as {
        clientId: string;
        clientSecret: string;
        organizationName: string;
      };
      assert.equal(other.organizationName, 'Other');
      const outsider = new JuryClient({
        clientId: other.clientId,
        clientSecret: other.clientSecret,
        url: serve.url,
      });
      for (const attempt of [
        () => outsider.assets.get(imageAssetId),
        () => outsider.assets.content(imageAssetId),
      ]) {
        await assert.rejects(attempt, (err: unknown) => {
          assert.ok(err instanceof JuryNotFoundError, String(err));
          assert.equal(err.code, 'NOT_FOUND');
          assert.equal(err.status, 404);
          assert.match(err.requestId ?? '', /\S/);
          return true;
        });
      }
      // The same bytes uploaded by the other organization become its own asset; the blob is still stored once.
      const bytes = await readFile(join(work, 'cat.png'));
      await writeFile(join(work, 'other.png'), bytes);
      const theirs = await outsider.assets.upload(join(work, 'other.png'));
      assert.notEqual(theirs.id, imageAssetId);
      assert.equal((await listFiles(join(dataDir, 'blobs'))).length, 1);
      // The owner still sees only its own asset.
      assert.equal((await new JuryClient().assets.get(imageAssetId)).id, imageAssetId);
      await assert.rejects(new JuryClient().assets.get(theirs.id), JuryNotFoundError);
    });

    test('a restart on another port keeps new JuryClient() working (the saved endpoint follows)', async () => {
      assert.equal(await serve.stop(), 0, serve.output());
      assert.match(serve.output(), /shutting down/);
      const port = await freePort();
      serve = await startServe(['--port', String(port), '--data-dir', dataDir, ...dbArgs], isolatedEnv(home));
      assert.doesNotMatch(serve.output(), /First start/);
      assert.match(serve.output(), /now points at/);
      const client = new JuryClient();
      assert.equal(client.url, serve.url);
      assert.equal((await client.assets.get(imageAssetId)).id, imageAssetId);
    });
  });
}
