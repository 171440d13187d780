import type { DataType, Item, ItemInput } from '@jury/api';
import type { Db } from '../db/database.ts';
import { AppError, notFound } from '../http/errors.ts';
import { presentAsset } from './service.ts';

// Stay well under SQLite's and Postgres' bound-parameter limits.
const LOOKUP_CHUNK = 500;

/**
 * Resolves item inputs (`{ text }` | `{ assetId, name }`) into stored items, in order. Asset ids must belong to
 * `organizationId` (another organization's asset is NOT_FOUND); the input kind must match `dataType`.
 * One query per 500 distinct assets, so callers resolving many datapoints should pass all their items at once.
 * `label(index)` names an input in error messages (default "item N", 1-based).
 */
export async function resolveItems(
  db: Db,
  organizationId: string,
  inputs: readonly ItemInput[],
  dataType: DataType,
  label: (index: number) => string = (i) => `item ${i + 1}`,
): Promise<Item[]> {
  inputs.forEach((input, i) => {
    const isText = 'text' in input;
    if (dataType === 'text' && !isText) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${label(i)} is an asset but dataType is "text"; send { text } items or set dataType "media".`,
      );
    }
    if (dataType === 'media' && isText) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${label(i)} is a text but dataType is "media"; send { assetId, name } items or set dataType "text".`,
      );
    }
  });
  const ids = [...new Set(inputs.flatMap((input) => ('assetId' in input ? [input.assetId] : [])))];
  const assets = new Map<string, ReturnType<typeof presentAsset>>();
  for (let start = 0; start < ids.length; start += LOOKUP_CHUNK) {
    const chunk = ids.slice(start, start + LOOKUP_CHUNK);
    const rows = await db
      .selectFrom('assets')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) assets.set(row.id, presentAsset(row));
  }
  return inputs.map((input): Item => {
    if ('text' in input) return { type: 'text', text: input.text };
    const asset = assets.get(input.assetId);
    if (!asset) throw notFound('Asset', input.assetId);
    return { type: 'asset', assetId: asset.id, url: asset.url, kind: asset.kind, name: input.name };
  });
}
