import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// Passwords are stored as scrypt strings in the PHC format, `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64, no
// padding): the parameters travel with the hash, so raising the cost later leaves old hashes verifiable.

/** log2 of N: 2^15 × r 8 × 128 bytes = 32 MiB of memory per hash, which is what makes guessing costly. */
const LOG_N = 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// A stored string is trusted only this far: a tampered one asking for more memory is refused, not computed.
const MAX_LOG_N = 17;
const MAX_R = 16;
const MAX_P = 4;

const FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 2 * 128 * 2 ** logN * r * p };
  return new Promise((resolve, reject) =>
    // NFC: the same password typed on two keyboards (composed or decomposed accents) is the same password.
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');

/** A new random salt and the scrypt hash of `password`, as one self-describing string. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, LOG_N, R, P);
  return `$scrypt$ln=${LOG_N},r=${R},p=${P}$${b64(salt)}$${b64(key)}`;
}

/**
 * Whether `password` matches a string from hashPassword, compared in constant time. A malformed or tampered
 * string (unknown format, out-of-range parameters, altered salt or hash) never matches.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (!match) return false;
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (logN < 10 || logN > MAX_LOG_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return false;
  const salt = Buffer.from(match[4] as string, 'base64');
  const expected = Buffer.from(match[5] as string, 'base64');
  if (salt.length < SALT_BYTES || expected.length !== KEY_BYTES) return false;
  const key = await derive(password, salt, logN, r, p);
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time a real verification takes, for a sign-in whose email is unknown: the answer then takes as
 * long as a wrong password's, so its timing does not tell which emails have accounts.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
  return false;
}
