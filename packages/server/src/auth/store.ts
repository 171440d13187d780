import type { Db } from '../db/database.ts';
import type { AccessTokensTable, ApiClientsTable, OrganizationsTable } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import { type Page, type PageRequest, pageRows } from '../http/pages.ts';

export async function insertOrganization(db: Db, row: OrganizationsTable): Promise<void> {
  await db.insertInto('organizations').values(row).execute();
}

export async function findOrganization(db: Db, id: string): Promise<OrganizationsTable | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrganizationByName(db: Db, name: string): Promise<OrganizationsTable | undefined> {
  return db
    .selectFrom('organizations')
    .selectAll()
    .where('name', '=', name)
    .orderBy('created_at')
    .executeTakeFirst();
}

export async function listOrganizations(db: Db): Promise<OrganizationsTable[]> {
  return db.selectFrom('organizations').selectAll().orderBy('created_at').execute();
}

export async function insertApiClient(db: Db, row: ApiClientsTable): Promise<void> {
  await db.insertInto('api_clients').values(row).execute();
}

export async function findApiClient(db: Db, id: string): Promise<ApiClientsTable | undefined> {
  return db.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listApiClients(db: Db, organizationId?: string): Promise<ApiClientsTable[]> {
  let q = db.selectFrom('api_clients').selectAll();
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  return q.orderBy('created_at', 'desc').orderBy('id').execute();
}

/** One page of the organization's clients, newest first. */
export async function listApiClientsPage(
  db: Db,
  organizationId: string,
  page: PageRequest,
): Promise<Page<ApiClientsTable>> {
  const q = db.selectFrom('api_clients').where('organization_id', '=', organizationId);
  return pageRows(q, (q) => q.selectAll(), page);
}

export async function markApiClientUsed(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('api_clients').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function revokeApiClient(db: Db, id: string, at: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    await tx
      .updateTable('api_clients')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    await tx.deleteFrom('access_tokens').where('client_id', '=', id).execute();
  });
}

export async function insertAccessToken(db: Db, row: AccessTokensTable): Promise<void> {
  await db.insertInto('access_tokens').values(row).execute();
}

/** The token with its client's revocation state, in one query. */
export async function findAccessToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('access_tokens')
    .innerJoin('api_clients', 'api_clients.id', 'access_tokens.client_id')
    .select([
      'access_tokens.client_id',
      'access_tokens.organization_id',
      'access_tokens.expires_at',
      'api_clients.revoked_at',
    ])
    .where('access_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function deleteExpiredTokens(db: Db, now: string): Promise<number> {
  const r = await db.deleteFrom('access_tokens').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
