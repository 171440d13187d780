// Endpoint header values are secrets: AES-256-GCM at rest, bound to their model's id, never returned (masked).
// The key is the operator's JURY_SECRETS_KEY when set (then a database dump alone reveals nothing), else one
// generated on first use and kept in server_settings like the labeler cookie secret (it then guards against
// leaks of the models table, not of the whole database).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { cachePerDatabase } from '../http/cache.ts';
import type { Clock } from '../http/clock.ts';
import { ensureSetting } from '../labelers/store.ts';

const SETTING = 'model_secrets_key';
const VERSION = 'v1';

/** The key as the operator gives it: 32 bytes in base64, base64url or hex; anything else throws. */
export function parseSecretsKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64url');
  if (key.length !== 32)
    throw new Error(
      `JURY_SECRETS_KEY must be 32 bytes in base64 or hex (got ${key.length} bytes); make one with: openssl rand -base64 32`,
    );
  return key;
}

/** A short, non-secret name of a key, stored with each ciphertext so a wrong key is named as such. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('jury-model-secrets:').update(key).digest('hex').slice(0, 8);
}

const generated = cachePerDatabase<typeof SETTING, Promise<Buffer>>({ max: 1 });

/** The operator's key, else the database's (generated once, shared by every process on the database). */
export function secretsKey(deps: { db: Db; clock: Clock; secretsKey?: Buffer | undefined }): Promise<Buffer> {
  if (deps.secretsKey) return Promise.resolve(deps.secretsKey);
  const cache = generated(deps.db);
  let key = cache.get(SETTING);
  if (!key) {
    key = ensureSetting(
      deps.db,
      SETTING,
      randomBytes(32).toString('base64url'),
      deps.clock.now().toISOString(),
    ).then((v) => Buffer.from(v, 'base64url'));
    key.catch(() => cache.delete(SETTING));
    cache.set(SETTING, key);
  }
  return key;
}

/** `v1.<key id>.<iv>.<tag>.<ciphertext>` of the headers' JSON; `modelId` is authenticated with it. */
export function encryptHeaders(key: Buffer, modelId: string, headers: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(modelId));
  const data = Buffer.concat([cipher.update(JSON.stringify(headers), 'utf8'), cipher.final()]);
  const b = (x: Buffer) => x.toString('base64url');
  return [VERSION, keyIdOf(key), b(iv), b(cipher.getAuthTag()), b(data)].join('.');
}

/** The headers back; a ciphertext of another key or model, or altered, throws saying which. */
export function decryptHeaders(key: Buffer, modelId: string, stored: string): Record<string, string> {
  const [version, keyId, iv, tag, data] = stored.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined)
    throw new Error(`model ${modelId}: endpoint headers are not in the ${VERSION} format`);
  if (keyId !== keyIdOf(key))
    throw new Error(
      `model ${modelId}: endpoint headers were encrypted with another key (id ${keyId}, this server's is ${keyIdOf(key)}); start the server with the JURY_SECRETS_KEY used then`,
    );
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(modelId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
  return JSON.parse(text) as Record<string, string>;
}

/**
 * A header value as the API shows it: an auth scheme stays readable, a long secret keeps its first 3 and last 4
 * characters (`Bearer sk-…1234`), anything shorter than 24 characters is `••••`.
 */
export function maskSecret(value: string): string {
  const scheme = /^(Bearer|Basic|Token|Bot|ApiKey|Key)\s+(.*)$/i.exec(value);
  const [prefix, secret] = scheme ? [`${scheme[1]} `, scheme[2] ?? ''] : ['', value];
  const masked = secret.length >= 24 ? `${secret.slice(0, 3)}…${secret.slice(-4)}` : '••••';
  return `${prefix}${masked}`;
}

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, maskSecret(value)]));
}
