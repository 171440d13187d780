import { z } from '@hono/zod-openapi';

export { z };

/** `find*` listing convention: name contains, page size and page (1-based), newest first. */
export const listQuerySchema = z
  .object({
    name: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: 'Only resources whose name contains this text' }),
    amount: z.coerce.number().int().min(1).max(500).default(10).openapi({ description: 'Page size' }),
    page: z.coerce.number().int().min(1).default(1).openapi({ description: '1-based page number' }),
  })
  .strict();

export function idParamSchema(name: string, example: string) {
  return z
    .object({
      id: z
        .string()
        .min(1)
        .max(100)
        .openapi({ param: { name: 'id', in: 'path' }, example }),
    })
    .openapi(name);
}

export function dataEnvelope<T extends z.ZodType>(schema: T) {
  return z.object({ data: schema });
}

export function listEnvelope<T extends z.ZodType>(schema: T) {
  return z.object({
    data: z.array(schema),
    page: z.number().int(),
    amount: z.number().int(),
    total: z.number().int(),
  });
}

export const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-23T15:00:00.000Z' });
