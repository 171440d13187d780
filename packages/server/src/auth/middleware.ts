import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/router.ts';
import { type AuthDeps, authenticate } from './service.ts';

/** Requester API guard: resolves the bearer token to a principal for the route. */
export function requireRequester(deps: Pick<AuthDeps, 'db' | 'clock'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('principal', await authenticate(deps, c.req.header('authorization')));
    await next();
  };
}
