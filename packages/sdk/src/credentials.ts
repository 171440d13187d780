import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { JuryValidationError } from './errors.ts';

/**
 * One saved client in the credentials file.
 *
 * @example
 * ```ts
 * const entry: CredentialEntry = (await readCredentials()).clients[0]!;
 * console.log(entry.endpoint);
 * ```
 */
export interface CredentialEntry {
  displayName: string;
  clientId: string;
  clientSecret: string;
  /** The Jury server URL this client belongs to, e.g. `http://localhost:8787`. */
  endpoint: string;
  createdAt: string;
  lastUsed: string | null;
}

/**
 * The credentials file: `{ clients: CredentialEntry[] }`.
 *
 * @example
 * ```ts
 * const file: CredentialsFile = await readCredentials();
 * ```
 */
export interface CredentialsFile {
  clients: CredentialEntry[];
}

/**
 * Where saved credentials live: `~/.config/jury/credentials.json` (from the home directory at call time).
 *
 * @example
 * ```ts
 * import { credentialsPath } from '@jury/sdk';
 * console.log(credentialsPath()); // /home/me/.config/jury/credentials.json
 * ```
 */
export function credentialsPath(): string {
  return join(homedir(), '.config', 'jury', 'credentials.json');
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
// The API's own paths, as `jury serve` prints them ("API  http://localhost:8787/api/v1"): the server URL is above.
const API_SUFFIX = /\/api(?:\/v1)?$/;

function isLocalHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127(?:\.\d{1,3}){3}$/.test(h) ||
    h === '[::1]' ||
    h === '0.0.0.0'
  );
}

const badUrl = (message: string, source: string) =>
  new JuryValidationError({
    code: 'VALIDATION_FAILED',
    message,
    details: { issues: [{ path: source, message }] },
  });

/**
 * The Jury server URL a user gave (`JURY_URL`, `new JuryClient({ url })`, `--url`), in the form credentials are
 * keyed by: `http(s)://host[:port][/prefix]` without a trailing slash. A local address without a scheme gets
 * `http://` (`localhost:8787`); the API's own address (`…/api/v1`, as `jury serve` prints it) means the server
 * above it. Anything else that is not an http(s) URL throws a `JuryValidationError` saying what to set.
 *
 * @example
 * ```ts
 * parseServerUrl('localhost:8787');                 // 'http://localhost:8787'
 * parseServerUrl('http://localhost:8787/api/v1/');  // 'http://localhost:8787'
 * parseServerUrl('jury.example.com', 'JURY_URL');   // throws: set JURY_URL=https://jury.example.com
 * ```
 */
export function parseServerUrl(raw: string, source = 'url'): string {
  const given = raw.trim();
  let text = given;
  if (!HAS_SCHEME.test(text)) {
    const host =
      (text.startsWith('[') ? text.slice(0, text.indexOf(']') + 1) : text.split(/[/:?#]/)[0]) ?? '';
    if (!isLocalHost(host))
      throw badUrl(
        `${source}=${given} has no scheme: set ${source}=https://${given} (or http://${given}), the address \`jury serve\` prints.`,
        source,
      );
    text = `http://${text}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(
      `${source}=${given} is not a URL: set it to the server's address, e.g. ${source}=http://localhost:8787.`,
      source,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badUrl(
      `${source}=${given} is not an http(s) URL: set it to the server's address, e.g. ${source}=http://localhost:8787.`,
      source,
    );
  if (url.search || url.hash || url.username || url.password)
    throw badUrl(
      `${source}=${given} has a query, fragment or user name: set it to the server's address only, e.g. ${source}=${url.origin}.`,
      source,
    );
  const path = url.pathname.replace(/\/+$/, '').replace(API_SUFFIX, '');
  return `${url.origin}${path}`;
}

/**
 * A URL in the form credentials are keyed by (see {@link parseServerUrl}); a string that is no server URL is
 * returned without its trailing slashes.
 *
 * @example
 * ```ts
 * normalizeEndpoint('http://localhost:8787/'); // 'http://localhost:8787'
 * normalizeEndpoint('localhost:8787/api/v1');  // 'http://localhost:8787'
 * ```
 */
export function normalizeEndpoint(url: string): string {
  try {
    return parseServerUrl(url);
  } catch {
    return url.replace(/\/+$/, '');
  }
}

function isEntry(v: unknown): v is CredentialEntry {
  const e = v as Record<string, unknown>;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.clientId === 'string' &&
    typeof e.clientSecret === 'string' &&
    typeof e.endpoint === 'string'
  );
}

/**
 * Reads the credentials file; a missing file reads as no clients. Malformed entries are skipped.
 *
 * @example
 * ```ts
 * import { readCredentials } from '@jury/sdk';
 * const { clients } = await readCredentials();
 * for (const c of clients) console.log(c.displayName, c.endpoint);
 * ```
 */
export async function readCredentials(path = credentialsPath()): Promise<CredentialsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { clients: [] };
    throw err;
  }
  return parseCredentials(text, path);
}

/**
 * Synchronous {@link readCredentials}, for constructors.
 *
 * @example
 * ```ts
 * const { clients } = readCredentialsSync();
 * ```
 */
export function readCredentialsSync(path = credentialsPath()): CredentialsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { clients: [] };
    throw err;
  }
  return parseCredentials(text, path);
}

function parseCredentials(text: string, path: string): CredentialsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`The credentials file ${path} is not valid JSON; fix or delete it.`);
  }
  const clients = (json as { clients?: unknown }).clients;
  if (!Array.isArray(clients)) return { clients: [] };
  return {
    clients: clients.filter(isEntry).map((e) => ({
      displayName: typeof e.displayName === 'string' ? e.displayName : e.clientId,
      clientId: e.clientId,
      clientSecret: e.clientSecret,
      endpoint: e.endpoint,
      createdAt: typeof e.createdAt === 'string' ? e.createdAt : new Date(0).toISOString(),
      lastUsed: typeof e.lastUsed === 'string' ? e.lastUsed : null,
    })),
  };
}

/**
 * Writes the whole file atomically (temp file + rename), mode 0600 in a 0700 directory.
 *
 * @example
 * ```ts
 * await writeCredentials({ clients: [] }); // forget every saved client
 * ```
 */
export async function writeCredentials(file: CredentialsFile, path = credentialsPath()): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const tmp = join(dir, `.credentials.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

// Serializes read-modify-write cycles within this process.
let queue: Promise<unknown> = Promise.resolve();
async function update<T>(path: string, fn: (file: CredentialsFile) => T): Promise<T> {
  const run = queue.then(async () => {
    const file = await readCredentials(path);
    const result = fn(file);
    await writeCredentials(file, path);
    return result;
  });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Adds a client to the credentials file, or replaces the entry with the same `clientId`.
 *
 * @example
 * ```ts
 * await saveCredential({
 *   displayName: 'laptop', clientId: 'cli_…', clientSecret: 'jcs_…',
 *   endpoint: 'http://localhost:8787', createdAt: new Date().toISOString(), lastUsed: null,
 * });
 * ```
 */
export async function saveCredential(entry: CredentialEntry, path = credentialsPath()): Promise<void> {
  const normalized = { ...entry, endpoint: normalizeEndpoint(entry.endpoint) };
  await update(path, (file) => {
    const i = file.clients.findIndex((c) => c.clientId === entry.clientId);
    if (i >= 0) file.clients[i] = normalized;
    else file.clients.push(normalized);
  });
}

/**
 * Points a saved client at a new server URL (e.g. after `jury serve --port` changed). Returns whether
 * an entry was changed.
 *
 * @example
 * ```ts
 * await updateCredentialEndpoint('cli_4kq9x2m7p1', 'http://localhost:9000');
 * ```
 */
export async function updateCredentialEndpoint(
  clientId: string,
  endpoint: string,
  path = credentialsPath(),
): Promise<boolean> {
  return update(path, (file) => {
    const e = file.clients.find((c) => c.clientId === clientId);
    if (!e || e.endpoint === normalizeEndpoint(endpoint)) return false;
    e.endpoint = normalizeEndpoint(endpoint);
    return true;
  });
}

/**
 * Records that a saved client was just used; resolution prefers the most recently used entry.
 *
 * @example
 * ```ts
 * await markCredentialUsed('cli_4kq9x2m7p1');
 * ```
 */
export async function markCredentialUsed(
  clientId: string,
  at = new Date(),
  path = credentialsPath(),
): Promise<void> {
  await update(path, (file) => {
    const e = file.clients.find((c) => c.clientId === clientId);
    if (e) e.lastUsed = at.toISOString();
  });
}

/**
 * Removes a client from the credentials file (e.g. after revoking it). Returns whether it was there.
 *
 * @example
 * ```ts
 * await removeCredential('cli_4kq9x2m7p1');
 * ```
 */
export async function removeCredential(clientId: string, path = credentialsPath()): Promise<boolean> {
  return update(path, (file) => {
    const before = file.clients.length;
    file.clients = file.clients.filter((c) => c.clientId !== clientId);
    return file.clients.length !== before;
  });
}

function recency(e: CredentialEntry): string {
  return e.lastUsed ?? e.createdAt;
}

/**
 * The entry `new JuryClient()` would use: among entries for `endpoint` (or all, when no endpoint is
 * given), the most recently used.
 *
 * @example
 * ```ts
 * const entry = pickCredential((await readCredentials()).clients, 'http://localhost:8787');
 * ```
 */
export function pickCredential(clients: CredentialEntry[], endpoint?: string): CredentialEntry | undefined {
  const wanted = endpoint === undefined ? undefined : normalizeEndpoint(endpoint);
  const candidates = clients.filter((c) => wanted === undefined || normalizeEndpoint(c.endpoint) === wanted);
  return candidates.sort((a, b) => (recency(a) < recency(b) ? 1 : recency(a) > recency(b) ? -1 : 0))[0];
}
