import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { errorResponses } from '@jury/api';
import type { MiddlewareHandler } from 'hono';
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
    const own = route.middleware === undefined ? [] : [route.middleware].flat();
    const middleware = [...(guard ? [guard] : []), knownQueryKeys(route), ...own];
    return register(
      { ...route, responses: withValidationFailed(route.responses), middleware },
      handler,
      hook,
    );
  }) as typeof app.openapi;
  return app;
}

/** The query keys a route's contract declares (none when it has no query schema). */
function declaredQueryKeys(route: RouteConfig): Set<string> {
  const query = route.request?.query as { shape?: Record<string, unknown> } | undefined;
  if (query && !query.shape)
    throw new Error(`${route.method} ${route.path}: a query schema must be an object`);
  return new Set(Object.keys(query?.shape ?? {}));
}

/**
 * One rule for unknown query keys on every route, before validation: VALIDATION_FAILED naming them (a
 * cache-busting key too), whether or not the route takes a query.
 */
function knownQueryKeys(route: RouteConfig): MiddlewareHandler {
  const known = declaredQueryKeys(route);
  return async (c, next) => {
    const unknown = Object.keys(c.req.queries()).filter((key) => !known.has(key));
    if (unknown.length > 0) {
      const message = `Unknown query key${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`;
      throw new AppError('VALIDATION_FAILED', `Invalid query: ${message}`, {
        target: 'query',
        issues: [{ path: '', message, code: 'unrecognized_keys', keys: unknown }],
      });
    }
    await next();
  };
}

/** Every route may answer VALIDATION_FAILED (an unknown query key), so every route documents it. */
function withValidationFailed(responses: RouteConfig['responses']): RouteConfig['responses'] {
  const existing = responses[400] as { description: string } | undefined;
  const added = errorResponses('VALIDATION_FAILED')[400]!;
  if (!existing) return { ...responses, 400: added };
  if (existing.description.includes('**VALIDATION_FAILED**')) return responses;
  return {
    ...responses,
    400: { ...existing, description: `${existing.description}\n\n${added.description}` },
  };
}
