import { createRoute } from '@hono/zod-openapi';
import { z } from './common.ts';

export const healthSchema = z
  .object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), version: z.string() })
  .openapi('Health');

export const healthRoute = createRoute({
  operationId: 'getHealth',
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness and database check',
  responses: { 200: { description: 'Healthy', content: { 'application/json': { schema: healthSchema } } } },
});
