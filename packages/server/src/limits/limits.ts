import type { Context } from 'hono';
import type { PrincipalResolver } from '../auth/principal.ts';
import type { Db } from '../db/database.ts';
import { clientInfo } from '../http/client-info.ts';
import type { Clock } from '../http/clock.ts';
import { addressSubject, createAddressKeys } from './address.ts';
import type { LimitsConfig } from './config.ts';
import { createRateLimiter, type RateLimiter } from './limiter.ts';

/**
 * The rate limits of one app (README "Crowd integrity"): each counts in the shared `rate_limits` table. Clients
 * on the server's own machine (loopback) and in-process requests are exempt unless `limitLoopback`.
 */
export interface Limits {
  /**
   * The keyed hash the per-address limits count the request's client by; undefined when exempt (loopback, unless
   * limitLoopback) or unknown (an in-process request).
   */
  addressOf(c: Context): Promise<string | undefined>;
  /** New labeler sessions per address and hour (counted exactly: one write per new session). */
  labelerSessions: RateLimiter;
  /** Labeler API requests per labeler and minute (reserved in batches of a tenth of the limit). */
  labelerRequests: RateLimiter;
  /** POST /connect/token per client id and per address, per minute (counted exactly). */
  tokenByClient: RateLimiter;
  tokenByAddress: RateLimiter;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function createLimits(
  deps: { db: Db; clock: Clock },
  config: LimitsConfig & { trustedProxyHops: number },
): Limits {
  const addresses = createAddressKeys(deps, { limitLoopback: config.limitLoopback });
  let warned = false;
  return {
    async addressOf(c) {
      const { address } = clientInfo(c);
      const key = await addresses.keyOf(address);
      // A proxy on this machine that Jury does not trust makes every client loopback: exempt. Say so, once.
      if (
        !key &&
        !warned &&
        config.trustedProxyHops === 0 &&
        c.req.header('x-forwarded-for') &&
        isLoopback(address)
      ) {
        warned = true;
        console.warn(
          '[jury] requests come through a proxy on this machine (X-Forwarded-For) but --trusted-proxy-hops is 0: every client looks like loopback, which the crowd-integrity limits exempt. Set --trusted-proxy-hops (JURY_TRUSTED_PROXY_HOPS).',
        );
      }
      return key;
    },
    labelerSessions: createRateLimiter(deps, {
      name: 'labeler-sessions',
      limit: config.labelerSessionsPerAddress,
      windowMs: HOUR,
      batch: 1,
      says: 'Too many new labeler sessions from your network address',
    }),
    labelerRequests: createRateLimiter(deps, {
      name: 'labeler-requests',
      limit: config.labelerRequestsPerMinute,
      windowMs: MINUTE,
      batch: Math.ceil(config.labelerRequestsPerMinute / 10),
      says: 'Too many requests from this labeler session',
    }),
    tokenByClient: createRateLimiter(deps, {
      name: 'token-client',
      limit: config.tokenRequestsPerClient,
      windowMs: MINUTE,
      batch: 1,
      says: 'Too many token requests for this client id',
    }),
    tokenByAddress: createRateLimiter(deps, {
      name: 'token-address',
      limit: config.tokenRequestsPerAddress,
      windowMs: MINUTE,
      batch: 1,
      says: 'Too many token requests from your network address',
    }),
  };
}

const isLoopback = (address: string) => addressSubject(address)?.loopback === true;

/** The labeler session resolver, counting each authenticated request against its labeler's limit. */
export function limitedLabelerResolver(
  resolve: PrincipalResolver<'labelerSession'>,
  limits: Limits,
): PrincipalResolver<'labelerSession'> {
  return async (c) => {
    const principal = await resolve(c);
    if (await limits.addressOf(c)) await limits.labelerRequests.consume(principal.labelerId);
    return principal;
  };
}
