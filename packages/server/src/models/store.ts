import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { nameContains } from '../db/name-contains.ts';
import type { ModelsTable } from '../db/schema.ts';
import { type PageRequest, pageRows } from '../http/pages.ts';

// SQL of the models room: the models table (live rows have deleted_at null).

export async function insertModel(db: Db, row: ModelsTable): Promise<void> {
  await db.insertInto('models').values(row).execute();
}

/** A live model of the organization. */
export async function findOwnModel(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('models')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** A live model the organization may see: its own, or another's public one. */
export async function findVisibleModel(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('models')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where((e) => e.or([e('organization_id', '=', organizationId), e('visibility', '=', 'public')]))
    .executeTakeFirst();
}

export async function findModelByName(db: Db, organizationId: string, name: string) {
  return db
    .selectFrom('models')
    .select(['id', 'name'])
    .where('organization_id', '=', organizationId)
    .where('name', '=', name)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export type ModelSortColumn = 'name' | 'created_at' | 'parameter_count';

export async function findModels(
  db: Db,
  organizationId: string,
  query: {
    name?: string | undefined;
    owner: 'mine' | 'others' | 'any';
    visibility?: string | undefined;
    sort: { column: ModelSortColumn; direction: 'asc' | 'desc' };
  } & PageRequest,
) {
  let q = db.selectFrom('models').where('deleted_at', 'is', null);
  if (query.owner === 'mine') q = q.where('organization_id', '=', organizationId);
  else if (query.owner === 'others')
    q = q.where('organization_id', '!=', organizationId).where('visibility', '=', 'public');
  else q = q.where((e) => e.or([e('organization_id', '=', organizationId), e('visibility', '=', 'public')]));
  if (query.visibility) q = q.where('visibility', '=', query.visibility);
  if (query.name) q = q.where(nameContains(query.name));
  const { column, direction } = query.sort;
  if (column === 'created_at') return pageRows(q, (q) => q.selectAll(), query, { direction });
  return pageRows(
    q,
    (q) => {
      // Models without a parameter count sort last either way.
      let ordered = q.selectAll();
      if (column === 'parameter_count') ordered = ordered.orderBy(sql`parameter_count is null`);
      return ordered
        .orderBy(column === 'name' ? sql`lower(name)` : sql.ref(column), direction)
        .orderBy('id', direction);
    },
    query,
    { positional: `${column}:${direction}` },
  );
}

export async function updateModel(
  db: Db,
  id: string,
  set: Partial<Omit<ModelsTable, 'id' | 'organization_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('models').set(set).where('id', '=', id).execute();
}
