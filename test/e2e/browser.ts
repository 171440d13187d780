/**
 * The one way browser tests get a Chromium, so that `npm install && npm test` passes on a machine with no browser:
 * - the system's (CHROMIUM_PATH, else /usr/bin/chromium) when there is one;
 * - else the build shipped inside the npm package @sparticuz/chromium (a dev dependency, no download at install),
 *   unpacked once per package version into the temp dir, with the NSS libraries it ships.
 * JURY_TEST_BROWSER=bundled hides the system Chromium (CI proves the fresh-machine path with it);
 * JURY_TEST_BROWSER=system requires the system one.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { type BrowserContext, chromium } from 'playwright-core';

/** DESIGN.md §2: the flags that work on these machines (the closed network refuses Chromium's background calls). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type BrowserPreference = 'auto' | 'system' | 'bundled';

export interface FoundChromium {
  source: 'system' | 'bundled';
  executablePath: string;
  /** The browser's environment (the bundled build finds its libraries through LD_LIBRARY_PATH). */
  env: Record<string, string>;
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export function browserPreference(value = process.env.JURY_TEST_BROWSER): BrowserPreference {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'system' || value === 'bundled') return value;
  throw new Error(`JURY_TEST_BROWSER=${value}: expected auto, system or bundled`);
}

/** The Chromium the tests will drive, by `preference` (default: JURY_TEST_BROWSER). */
export async function findChromium(preference = browserPreference()): Promise<FoundChromium> {
  if (preference !== 'bundled') {
    const system = process.env.CHROMIUM_PATH || SYSTEM_CHROMIUM;
    if (existsSync(system)) return { source: 'system', executablePath: system, env: processEnv() };
    if (preference === 'system' || process.env.CHROMIUM_PATH)
      throw new Error(
        `no Chromium at ${system} (unset JURY_TEST_BROWSER and CHROMIUM_PATH to use the bundled one)`,
      );
  }
  return bundledChromium();
}

/**
 * A headless Chromium context on a fresh profile (`profileDir`, else a temp dir removed when the context closes).
 */
export async function launchBrowser(
  options: { profileDir?: string; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const found = await findChromium();
  const ownProfile = options.profileDir === undefined;
  const profileDir = options.profileDir ?? (await mkdtemp(join(tmpdir(), 'jury-chromium-profile-')));
  try {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: found.executablePath,
      args: CHROMIUM_ARGS,
      env: found.env,
      headless: true,
      viewport: options.viewport ?? { width: 1100, height: 800 },
    });
    // Chromium may still be writing the profile as 'close' fires: retry, and never fail a test over a temp dir
    if (ownProfile)
      context.on(
        'close',
        () => void rm(profileDir, { recursive: true, force: true, maxRetries: 5 }).catch(() => {}),
      );
    return context;
  } catch (error) {
    if (ownProfile) await rm(profileDir, { recursive: true, force: true });
    throw new Error(`cannot start ${found.source} Chromium ${found.executablePath}`, { cause: error });
  }
}

async function bundledChromium(): Promise<FoundChromium> {
  const packageDir = dirname(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))));
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const dir = join(tmpdir(), `jury-chromium-${version}`);
  const executablePath = join(dir, 'chromium');
  const libDir = join(dir, 'lib');
  await mkdir(dir, { recursive: true });
  // each piece is unpacked beside its final name and renamed into place, so concurrent test files never see half
  if (!existsSync(libDir)) await unpackTar(join(packageDir, 'bin/al2023.tar.br'), dir, 'lib');
  if (!existsSync(executablePath)) await unpackFile(join(packageDir, 'bin/chromium.br'), executablePath);
  const env = processEnv();
  env.LD_LIBRARY_PATH = [libDir, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { source: 'bundled', executablePath, env };
}

async function unpackFile(archive: string, target: string): Promise<void> {
  const partial = `${target}.${process.pid}.partial`;
  await pipeline(
    createReadStream(archive),
    createBrotliDecompress(),
    createWriteStream(partial, { mode: 0o755 }),
  );
  await rename(partial, target);
}

/**
 * Extracts the folder `name` of a brotli-compressed tar into `dir` (system tar: it is on every Linux). The tar is
 * decompressed to a file first: tar may stop reading at the end-of-archive blocks, and a pipe then closes early.
 */
async function unpackTar(archive: string, dir: string, name: string): Promise<void> {
  const partial = join(dir, `${name}.${process.pid}.partial`);
  const tarFile = `${partial}.tar`;
  await mkdir(partial, { recursive: true });
  try {
    await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tarFile));
    const code = await new Promise<number | null>((resolve, reject) => {
      const tar = spawn('tar', ['-x', '-f', tarFile, '-C', partial], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      tar.on('error', reject);
      tar.on('close', resolve);
    });
    if (code !== 0) throw new Error(`tar exited with ${code} unpacking ${archive}`);
    try {
      await rename(join(partial, name), join(dir, name));
    } catch (error) {
      if (!existsSync(join(dir, name))) throw error; // else another test process got there first
    }
  } finally {
    await rm(partial, { recursive: true, force: true });
    await rm(tarFile, { force: true });
  }
}

function processEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}
