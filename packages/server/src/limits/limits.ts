import type { PrincipalResolver } from '../auth/principal.ts';
import type { Db } from '../db/database.ts';
import { clientInfo } from '../http/client-info.ts';
import type { Clock } from '../http/clock.ts';
import { type AddressKeys, createAddressKeys } from './address.ts';
import type { LimitsConfig } from './config.ts';
import { createRateLimiter, type RateLimiter } from './limiter.ts';

/**
 * The rate limits of one app (README "Crowd integrity"): each counts in the shared `rate_limits` table. Clients
 * on the server's own machine (loopback) and in-process requests are exempt unless `limitLoopback`.
 */
export interface Limits {
  addresses: AddressKeys;
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

export function createLimits(deps: { db: Db; clock: Clock }, config: LimitsConfig): Limits {
  return {
    addresses: createAddressKeys(deps, { limitLoopback: config.limitLoopback }),
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

/** The labeler session resolver, counting each authenticated request against its labeler's limit. */
export function limitedLabelerResolver(
  resolve: PrincipalResolver<'labelerSession'>,
  limits: Limits,
): PrincipalResolver<'labelerSession'> {
  return async (c) => {
    const principal = await resolve(c);
    if (await limits.addresses.keyOf(clientInfo(c).address))
      await limits.labelerRequests.consume(principal.labelerId);
    return principal;
  };
}
