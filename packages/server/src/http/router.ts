import { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal, PrincipalResolvers } from '../auth/principal.ts';
import { AppError } from './errors.ts';
import { guardFor } from './guards.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by the route's guard; read it through requireOrganization / requireLabeler (auth/principal.ts). */
    principal: Principal | undefined;
    principalResolvers: PrincipalResolvers;
  };
}

/**
 * Every feature's router: each route registered with `openapi` gets the guard its contract's `security`
 * declares, ahead of validation and the handler; validation failures leave as VALIDATION_FAILED with the
 * issues listed.
 */
export function createRouter() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const issues = result.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
        code: i.code,
        ...('keys' in i && Array.isArray(i.keys) ? { keys: i.keys } : {}),
      }));
      const first = issues[0];
      const where = result.target === 'json' || result.target === 'form' ? 'body' : result.target;
      const message = first
        ? `Invalid ${where}: ${first.path ? `${first.path}: ` : ''}${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`
        : `Invalid ${where}.`;
      // Thrown, not answered: the error handler gives every error its form (the token route's is OAuth's).
      throw new AppError('VALIDATION_FAILED', message, { target: where, issues });
    },
  });
  const register = app.openapi;
  app.openapi = ((route, handler, hook) => {
    const guard = guardFor(route.security, `${route.method.toUpperCase()} ${route.path}`);
    if (!guard) return register(route, handler, hook);
    const own = route.middleware === undefined ? [] : [route.middleware].flat();
    return register({ ...route, middleware: [guard, ...own] }, handler, hook);
  }) as typeof app.openapi;
  return app;
}
