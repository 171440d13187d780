import { z } from './common.ts';

// Items are the things a labeler looks at: a datapoint's items (compare: 2; classify: 1), media contexts,
// and qualification examples' datapoints. Requests carry item *inputs*; the server resolves them into
// stored items (asset rows looked up in the caller's organization) and responses carry stored items.

export const DATA_TYPES = ['media', 'text'] as const;
export type DataType = (typeof DATA_TYPES)[number];

export const dataTypeSchema = z
  .enum(DATA_TYPES)
  .openapi({ description: '"media": items are uploaded/registered assets; "text": items are texts' });

/** A text item as sent by a client. */
export const textItemInputSchema = z
  .object({ text: z.string().min(1, 'a text item cannot be empty').max(20_000) })
  .strict()
  .openapi('TextItemInput');

/**
 * A media item as sent by a client: an asset of the caller's organization (uploaded with `POST /api/v1/assets`
 * or registered with `POST /api/v1/assets/url`) plus the name the requester knows it by (the URL, or the
 * local file's basename) — that name is the option id in results and what a compare truth refers to.
 */
export const assetItemInputSchema = z
  .object({
    assetId: z.string().min(1).max(100).openapi({ example: 'ast_7d1k2m9q0x' }),
    name: z.string().min(1).max(2000).openapi({ example: 'cat.jpg' }),
  })
  .strict()
  .openapi('AssetItemInput');

/** One item in a request: `{ text }` or `{ assetId, name }`. */
export const itemInputSchema = z.union([textItemInputSchema, assetItemInputSchema]).openapi('ItemInput');
export type ItemInput = z.infer<typeof itemInputSchema>;
export type TextItemInput = z.infer<typeof textItemInputSchema>;
export type AssetItemInput = z.infer<typeof assetItemInputSchema>;

/** A stored (resolved) item, as it appears in responses and in the database's JSON columns. */
export const itemSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({
      type: z.literal('asset'),
      assetId: z.string(),
      url: z.string().openapi({ description: 'Where labelers load it from' }),
      kind: z.enum(['image', 'video', 'audio']),
      name: z.string().openapi({ description: 'The name the requester gave (URL or file basename)' }),
    }),
  ])
  .openapi('Item');
export type Item = z.infer<typeof itemSchema>;

/** The name an item is known by in truths and results: its text, or the requester's name for an asset. */
export function itemName(item: Item | ItemInput): string {
  return 'text' in item ? item.text : item.name;
}
