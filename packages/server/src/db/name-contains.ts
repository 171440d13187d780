import { sql } from 'kysely';

/** Case-insensitive "name contains this literal text" on both dialects (% and _ are not wildcards here). */
export function nameContains(text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(name) like ${pattern} escape '\\'`;
}
