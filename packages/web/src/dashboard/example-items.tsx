// The items of a qualification example in the browser form: texts, or files uploaded as assets of the organization.
import type { ItemInput } from '@jury/api';
import { uploadAssetRoute } from '@jury/api';
import { jury } from '../api.ts';

export type DataType = 'text' | 'media';

export interface ItemDraft {
  text: string;
  file: File | null;
}
export const emptyItem = (): ItemDraft => ({ text: '', file: null });

export async function itemInput(draft: ItemDraft, dataType: DataType): Promise<ItemInput> {
  if (dataType === 'text') return { text: draft.text };
  if (!draft.file) throw new Error('Choose a file for each item.');
  const { data } = await jury.call(uploadAssetRoute, {
    query: { fileName: draft.file.name },
    body: draft.file,
  });
  return { assetId: data.id, name: draft.file.name };
}

export const itemName = (draft: ItemDraft, dataType: DataType) =>
  dataType === 'text' ? draft.text : (draft.file?.name ?? '');

export function ItemField({
  id,
  label,
  dataType,
  draft,
  onChange,
}: {
  id: string;
  label: string;
  dataType: DataType;
  draft: ItemDraft;
  onChange(d: ItemDraft): void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {dataType === 'text' ? (
        <textarea
          id={id}
          required
          rows={2}
          value={draft.text}
          onChange={(e) => onChange({ ...draft, text: e.target.value })}
        />
      ) : (
        <input
          id={id}
          type="file"
          required
          accept="image/*,video/*,audio/*"
          onChange={(e) => onChange({ ...draft, file: e.target.files?.[0] ?? null })}
        />
      )}
    </div>
  );
}
