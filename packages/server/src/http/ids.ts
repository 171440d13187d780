import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A random id with a readable prefix, e.g. `ast_3n0k8q2w5e7r9t1y`. */
export function newId(prefix: string, length = 16): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}

/** A high-entropy secret suitable for bearer tokens and client secrets. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Secrets and tokens are stored only as this hash; they have 256 bits of entropy, so a fast hash suffices. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
