import { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../auth/service.ts';
import { errorBody } from './errors.ts';

export interface AppEnv {
  Variables: { requestId: string; principal: Principal };
}

/** Every feature's router: validation failures leave as VALIDATION_FAILED with the issues listed. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
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
      return c.json(errorBody(c, 'VALIDATION_FAILED', message, { target: where, issues }), 400);
    },
  });
}

export type Router = ReturnType<typeof createRouter>;
