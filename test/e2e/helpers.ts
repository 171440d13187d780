import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { isolatedEnv, runProcess, startServe } from '@jury/cli/testing';
import { createPostgresDatabase as createDatabaseNextTo } from '@jury/server/testing';

export { isolatedEnv, JURY_BIN, REPO_ROOT, runJury, type ServeProcess, startServe } from '@jury/cli/testing';

/** The databases every cross-package test runs on: SQLite always, Postgres when TEST_DATABASE_URL is set. */
export const DATABASES: readonly ('sqlite' | 'postgres')[] = process.env.TEST_DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

/** A fresh Postgres database on the TEST_DATABASE_URL server, dropped by `drop()`. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  return createDatabaseNextTo(admin);
}

/** Temp directories removed by `cleanup()`. */
export async function tempDirs() {
  const made: string[] = [];
  return {
    async make(prefix: string) {
      const dir = await mkdtemp(join(tmpdir(), `jury-${prefix}-`));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid RGB PNG of `size`×`size` pixels whose colours depend on `seed` (different seeds, different bytes). */
export function makePng(seed: number, size = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      row[1 + x * 3] = (seed * 37 + x * 11) & 0xff;
      row[2 + x * 3] = (seed * 91 + y * 13) & 0xff;
      row[3 + x * 3] = (seed * 17 + x * y) & 0xff;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The outside world of URL datapoints, on loopback: `/cat.png` … any `/<name>.png` is a small PNG, `/page.html`
 * a web page, `/huge.png` says it is 200 MB, `/gone.png` is a 404. `unreachable` is a closed port.
 */
export async function startMediaServer(): Promise<{
  url: (path: string) => string;
  unreachable: string;
  close: () => Promise<void>;
}> {
  const server = createHttpServer((req, res) => {
    res.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><body>Not the image</body></html>');
    } else if (path === '/huge.png') {
      // Says 200 MB and sends the start: the checker reads the head and hangs up.
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(200 * 1024 * 1024) });
      res.write(makePng(1));
    } else if (path.endsWith('.png') && path !== '/gone.png') {
      const png = makePng(path.length);
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) });
      res.end(png);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const closedPort = await freePort();
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    unreachable: `http://127.0.0.1:${closedPort}/cat.png`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every file under `dir` (recursively), as paths relative to it; [] when it does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Removes JURY_* variables and points HOME at `home` in this process; returns a function that restores both. */
export function isolateProcessEnv(home: string): () => void {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('JURY_')) delete process.env[k];
  process.env.HOME = home;
  return () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  };
}

/** `node <args>` (the Node running the tests) to completion; aborting `signal` stops it. */
export function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal) {
  return runProcess([process.execPath, ...args], { env, timeoutMs, ...(signal ? { signal } : {}) });
}

/**
 * `jury serve --port 0` on `database`, with a home and data directory of its own (`<label>-home`, `<label>-data`)
 * and, for Postgres, a fresh database; what undoes it is pushed onto `cleanups` (run in reverse).
 */
export async function serveOn(
  database: (typeof DATABASES)[number],
  dirs: Awaited<ReturnType<typeof tempDirs>>,
  label: string,
  cleanups: (() => Promise<unknown>)[],
) {
  const home = await dirs.make(`${label}-home`);
  const dataDir = await dirs.make(`${label}-data`);
  const env = isolatedEnv(home);
  const args = ['--port', '0', '--data-dir', dataDir];
  if (database === 'postgres') {
    const pg = await createPostgresDatabase();
    cleanups.push(() => pg.drop());
    args.push('--database-url', pg.url);
  }
  const serve = await startServe(args, env);
  cleanups.push(() => serve.stop());
  return { home, dataDir, env, serve };
}
