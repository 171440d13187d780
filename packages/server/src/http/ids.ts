import { createHash, randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

// Ids draw from a pool refilled from the CSPRNG 4 KiB at a time: one randomBytes call per id costs more than
// the id (several per labeling request).
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** A random id with a readable prefix, e.g. `ast_3n0k8q2w5e7r9t1y`. */
export function newId(prefix: string, length = 16): string {
  if (length > POOL_SIZE) throw new RangeError(`id length ${length} is larger than ${POOL_SIZE}`);
  if (poolOffset + length > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let out = `${prefix}_`;
  for (let i = poolOffset; i < poolOffset + length; i++) out += ALPHABET[(pool[i] as number) & 31];
  poolOffset += length;
  return out;
}

/** A high-entropy secret suitable for bearer tokens and client secrets. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Secrets and tokens are stored only as this hash; they have 256 bits of entropy, so a fast hash suffices. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
