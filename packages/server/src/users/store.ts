import type { Db } from '../db/database.ts';
import type { UserSessionsTable, UsersTable, UserTokensTable } from '../db/schema.ts';

export async function insertUser(db: Db, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function findUser(db: Db, id: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Users of one organization (or of all), oldest first. */
export async function listUsers(db: Db, organizationId?: string): Promise<UsersTable[]> {
  let q = db.selectFrom('users').selectAll();
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function hasUsers(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function countOwners(db: Db, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updatePasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

/** The user, their sessions and the links made for them. */
export async function deleteUser(db: Db, id: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('user_id', '=', id).execute();
  await db.deleteFrom('user_tokens').where('user_id', '=', id).execute();
  await db.deleteFrom('users').where('id', '=', id).execute();
}

export async function insertSession(db: Db, row: UserSessionsTable): Promise<void> {
  await db.insertInto('user_sessions').values(row).execute();
}

/** The session with its user, in one query. */
export async function findSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .select(['user_sessions.expires_at', 'users.id as user_id', 'users.organization_id', 'users.role'])
    .where('user_sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function extendSession(db: Db, tokenHash: string, expiresAt: string): Promise<void> {
  await db
    .updateTable('user_sessions')
    .set({ expires_at: expiresAt })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('user_id', '=', userId).execute();
}

export async function insertToken(db: Db, row: UserTokensTable): Promise<void> {
  await db.insertInto('user_tokens').values(row).execute();
}

export async function findToken(
  db: Db,
  kind: UserTokensTable['kind'],
  tokenHash: string,
): Promise<UserTokensTable | undefined> {
  return db
    .selectFrom('user_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** Deletes the link and returns it, so two uses of one link cannot both succeed. */
export async function takeToken(
  db: Db,
  kind: UserTokensTable['kind'],
  tokenHash: string,
): Promise<UserTokensTable | undefined> {
  return db
    .deleteFrom('user_tokens')
    .where('token_hash', '=', tokenHash)
    .where('kind', '=', kind)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes every link of a kind (all setup links once the owner exists), returning them. */
export async function takeTokensOfKind(db: Db, kind: UserTokensTable['kind']): Promise<UserTokensTable[]> {
  return db.deleteFrom('user_tokens').where('kind', '=', kind).returningAll().execute();
}

/** An organization's invites not yet expired, newest first. */
export async function listInvites(db: Db, organizationId: string, now: string): Promise<UserTokensTable[]> {
  return db
    .selectFrom('user_tokens')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('kind', '=', 'invite')
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Deletes one invite of the organization; false when there was none. */
export async function deleteInvite(db: Db, organizationId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('user_tokens')
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .where('kind', '=', 'invite')
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Expired sessions and links can never be used again; returns how many rows went. */
export async function deleteExpired(db: Db, now: string): Promise<number> {
  const sessions = await db.deleteFrom('user_sessions').where('expires_at', '<', now).executeTakeFirst();
  const tokens = await db.deleteFrom('user_tokens').where('expires_at', '<', now).executeTakeFirst();
  return Number(sessions.numDeletedRows) + Number(tokens.numDeletedRows);
}
