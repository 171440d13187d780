import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { Db } from '../db/database.ts';
import { createCache } from '../http/cache.ts';
import type { Clock } from '../http/clock.ts';
import { addressHashSecret } from '../labelers/service.ts';

// Client addresses as the per-address limits see them. An IPv6 client owns a whole /64 (one home or phone gets
// 2^64 addresses), so IPv6 counts by its /64; IPv4-mapped IPv6 is IPv4. Stored only as a keyed hash (HMAC with a
// per-database secret): leases and responses never hold an address.

export interface AddressSubject {
  /** What the limits count by: an IPv4 address or an IPv6 /64. */
  subject: string;
  /** The machine Jury runs on (127.0.0.0/8, ::1): exempt unless limitLoopback. */
  loopback: boolean;
}

/** The limits' subject of a client address; undefined for an unknown one (an in-process request). */
export function addressSubject(address: string): AddressSubject | undefined {
  let a = address.trim().toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
  const family = isIP(a);
  if (family === 4) return { subject: a, loopback: a.startsWith('127.') };
  if (family !== 6) return undefined;
  const groups = expand(a);
  if (groups.every((g, i) => (i < 7 ? g === 0 : g === 1))) return { subject: '::1', loopback: true };
  return {
    subject: `${groups
      .slice(0, 4)
      .map((g) => g.toString(16))
      .join(':')}::/64`,
    loopback: false,
  };
}

/** The eight 16-bit groups of an IPv6 address (isIP said it is one). */
function expand(a: string): number[] {
  const [head = '', tail] = a.split('::');
  const part = (s: string) =>
    (s ? s.split(':') : []).flatMap((g) => (g.includes('.') ? ipv4Groups(g) : [parseInt(g, 16)]));
  const h = part(head);
  const t = tail === undefined ? [] : part(tail);
  return [...h, ...Array.from({ length: 8 - h.length - t.length }, () => 0), ...t];
}

function ipv4Groups(v4: string): number[] {
  const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
  return [(a << 8) | b, (c << 8) | d];
}

export interface AddressKeys {
  /** The keyed hash the per-address limits count by; undefined when the address is exempt or unknown. */
  keyOf(address: string): Promise<string | undefined>;
}

export function createAddressKeys(
  deps: { db: Db; clock: Clock },
  options: { limitLoopback: boolean },
): AddressKeys {
  const known = createCache<string, string>({ max: 50_000 });
  return {
    async keyOf(address) {
      const s = addressSubject(address);
      if (!s || (s.loopback && !options.limitLoopback)) return undefined;
      const hit = known.get(s.subject);
      if (hit) return hit;
      const key = createHmac('sha256', await addressHashSecret(deps))
        .update(`address:${s.subject}`)
        .digest('base64url')
        .slice(0, 22);
      known.set(s.subject, key);
      return key;
    },
  };
}
