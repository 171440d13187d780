// Prompt tags: values (what filters and a leaderboard's scope match) with optional categories (how the dashboard
// groups them), and the scope rule of a leaderboard's included and excluded tags.
import type { StructuredTag, TagInput } from '@jury/api';
import type { BenchmarkPromptsTable } from '../db/schema.ts';

/** Tags as given → one `{ value, category }` per value (the first category given for a value wins). */
export function structuredTags(input: readonly TagInput[] | null | undefined): StructuredTag[] {
  const out = new Map<string, StructuredTag>();
  for (const t of input ?? []) {
    const tag =
      typeof t === 'string' ? { value: t, category: null } : { value: t.value, category: t.category ?? null };
    if (!out.has(tag.value)) out.set(tag.value, tag);
  }
  return [...out.values()];
}

/** The stored columns of a prompt's tags. */
export function tagColumns(tags: readonly StructuredTag[]) {
  return { tags: JSON.stringify(tags.map((t) => t.value)), structured_tags: JSON.stringify(tags) };
}

/** A prompt's tags with categories (prompts from before categories have none). */
export function tagsOfPrompt(row: Pick<BenchmarkPromptsTable, 'tags' | 'structured_tags'>): StructuredTag[] {
  if (row.structured_tags !== null) return JSON.parse(row.structured_tags) as StructuredTag[];
  return (JSON.parse(row.tags) as string[]).map((value) => ({ value, category: null }));
}

/** A prompt is used iff it has one of `included` (when any are given) and none of `excluded`; values only. */
export function inTagScope(
  values: readonly string[],
  included: readonly string[],
  excluded: readonly string[],
): boolean {
  if (included.length > 0 && !values.some((v) => included.includes(v))) return false;
  return !values.some((v) => excluded.includes(v));
}
