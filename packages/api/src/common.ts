import { z } from '@hono/zod-openapi';

export { z };

/** The paging keys of every list: page size, and the opaque cursor of the envelope's `nextCursor`. */
export function pageKeys(amountDefault = 10, amountMax = 500) {
  return {
    amount: z.coerce
      .number()
      .int()
      .min(1)
      .max(amountMax)
      .default(amountDefault)
      .openapi({ description: 'Page size' }),
    cursor: z.string().min(1).max(500).optional().openapi({
      description: "Where the page starts: the previous page's `nextCursor` (absent for the first page)",
    }),
    page: z.coerce.number().int().min(1).optional().openapi({
      deprecated: true,
      description:
        '1-based page number (deprecated: rows created between two pages shift them; use `cursor`). Not with `cursor`.',
    }),
  };
}

export const pageQuerySchema = z.object(pageKeys()).strict();

/** `find*` listing convention: name contains, then the paging keys; newest first. */
export const listQuerySchema = pageQuerySchema
  .extend({
    name: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: 'Only resources whose name contains this text' }),
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
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'The `cursor` of the next page; null on the last page' }),
    amount: z.number().int(),
    total: z.number().int(),
    page: z.number().int().nullable().openapi({
      deprecated: true,
      description: 'The page number asked for with `page`; null with `cursor`',
    }),
  });
}

/** A list's envelope as clients read it. */
export type ListPage<T> = {
  data: T[];
  nextCursor: string | null;
  amount: number;
  total: number;
  page: number | null;
};

export const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-23T15:00:00.000Z' });
