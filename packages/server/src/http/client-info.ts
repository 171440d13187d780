// Who sent a request, as far as we can believe it: behind `trustedProxyHops` reverse proxies the scheme and
// the client address come from X-Forwarded-Proto / X-Forwarded-For (the entry the nearest trusted proxy
// added); with no trusted proxy those headers are ignored, since any client can send them.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';

export interface ClientInfo {
  /** The request reached us (or our trusted proxy) over https: cookies get `Secure`. */
  https: boolean;
  /** The origin the browser sees (scheme and host), for the CSRF check. */
  origin: string;
  /** The client's address ('unknown' for in-process requests without a socket). */
  address: string;
}

function lastEntries(header: string | undefined, hops: number): string | undefined {
  if (!header) return undefined;
  const entries = header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.length >= hops ? entries[entries.length - hops] : entries[0];
}

export function readClientInfo(c: Context, trustedProxyHops: number): ClientInfo {
  const url = new URL(c.req.url);
  let socketAddress = 'unknown';
  try {
    socketAddress = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request in tests: no socket
  }
  if (trustedProxyHops === 0)
    return { https: url.protocol === 'https:', origin: url.origin, address: socketAddress };
  const proto = lastEntries(c.req.header('x-forwarded-proto'), 1) ?? url.protocol.replace(':', '');
  const host = lastEntries(c.req.header('x-forwarded-host'), 1) ?? url.host;
  return {
    https: proto === 'https',
    origin: `${proto}://${host}`,
    address: lastEntries(c.req.header('x-forwarded-for'), trustedProxyHops) ?? socketAddress,
  };
}

/** Reads the client info once per request; `clientInfo(c)` returns it. */
export function provideClientInfo(trustedProxyHops: number): MiddlewareHandler {
  return async (c, next) => {
    c.set('clientInfo' as never, readClientInfo(c, trustedProxyHops) as never);
    await next();
  };
}

export function clientInfo(c: Context): ClientInfo {
  return (c.get('clientInfo' as never) as ClientInfo | undefined) ?? readClientInfo(c, 0);
}
