import {
  type Account,
  type CreatedInvite,
  type Invite,
  type InviteLookup,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RULE,
  type User,
  type UserRole,
} from '@jury/api';
import type { UserPrincipal } from '../auth/principal.ts';
import { findOrganization, listOrganizations } from '../auth/service.ts';
import type { Db } from '../db/database.ts';
import type { UsersTable, UserTokensTable } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { hashSecret, newId, newSecret } from '../http/ids.ts';
import { hashPassword, verifyDummyPassword, verifyPassword } from './passwords.ts';
import { startSession } from './sessions.ts';
import * as store from './store.ts';

export interface UserDeps {
  db: Db;
  clock: Clock;
}

const DAY_MS = 24 * 3600 * 1000;
/** How long each kind of one-time link stays valid. */
const LINK_TTL_MS: Record<UserTokensTable['kind'], number> = {
  setup: 7 * DAY_MS,
  invite: 7 * DAY_MS,
  password_reset: DAY_MS,
};
const LINK_PATH: Record<UserTokensTable['kind'], string> = {
  setup: '/setup',
  invite: '/invite',
  password_reset: '/reset-password',
};

export function presentUser(row: UsersTable): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.created_at };
}

function presentInvite(row: UserTokensTable): Invite {
  return { id: row.id, role: row.role ?? 'member', createdAt: row.created_at, expiresAt: row.expires_at };
}

/** The page a one-time link opens, on the server at `origin`. */
export function linkUrl(origin: string, kind: UserTokensTable['kind'], token: string): string {
  return `${origin.replace(/\/+$/, '')}${LINK_PATH[kind]}?token=${encodeURIComponent(token)}`;
}

/** Emails compare without case or surrounding spaces (Ada@Example.com signs in as ada@example.com). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The password rule for input that did not come through the API's schema (the CLI). */
export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH)
    throw new AppError('VALIDATION_FAILED', PASSWORD_RULE);
}

export async function accountOf(deps: Pick<UserDeps, 'db'>, user: UsersTable): Promise<Account> {
  const organization = await findOrganization(deps.db, user.organization_id);
  if (!organization) throw notFound('Organization', user.organization_id);
  return { user: presentUser(user), organization: { id: organization.id, name: organization.name } };
}

/** The signed-in user's account (GET /api/v1/session). */
export async function getAccount(deps: Pick<UserDeps, 'db'>, principal: UserPrincipal): Promise<Account> {
  const user = await store.findUser(deps.db, principal.userId);
  if (!user) throw new AppError('UNAUTHENTICATED', 'This user was removed; sign in again.');
  return accountOf(deps, user);
}

async function newLink(
  deps: UserDeps,
  row: Pick<UserTokensTable, 'kind' | 'organization_id' | 'user_id' | 'role'>,
): Promise<{ token: string; row: UserTokensTable }> {
  const token = newSecret('jul');
  const now = deps.clock.now();
  const full: UserTokensTable = {
    ...row,
    id: newId(row.kind === 'invite' ? 'inv' : 'lnk'),
    token_hash: hashSecret(token),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + LINK_TTL_MS[row.kind]).toISOString(),
  };
  await store.insertToken(deps.db, full);
  return { token, row: full };
}

const invalidLink = (what: string) =>
  new AppError('INVALID_LINK', `This ${what} link is unknown, already used or expired; ask for a new one.`);

function live(row: UserTokensTable | undefined, deps: UserDeps): row is UserTokensTable {
  return row !== undefined && row.expires_at > deps.clock.now().toISOString();
}

async function insertNewUser(
  deps: UserDeps,
  input: { organizationId: string; email: string; name: string; role: UserRole; passwordHash: string },
): Promise<UsersTable> {
  const email = normalizeEmail(input.email);
  if (await store.findUserByEmail(deps.db, email))
    throw new AppError('CONFLICT', `An account with the email ${email} exists already; sign in instead.`);
  const row: UsersTable = {
    id: newId('usr'),
    organization_id: input.organizationId,
    email,
    name: input.name.trim(),
    role: input.role,
    password_hash: input.passwordHash,
    created_at: deps.clock.now().toISOString(),
  };
  await store.insertUser(deps.db, row);
  return row;
}

/** Whether the local organization still waits for its first owner (no user exists yet). */
export async function setupNeeded(deps: Pick<UserDeps, 'db'>): Promise<boolean> {
  return !(await store.hasUsers(deps.db));
}

/**
 * While no user exists: a one-time setup link's token for the first owner of the local (oldest) organization,
 * else undefined. Each start makes a new one (only hashes are stored, so an earlier one cannot be shown again).
 */
export async function issueSetupToken(deps: UserDeps): Promise<string | undefined> {
  if (!(await setupNeeded(deps))) return undefined;
  const [local] = await listOrganizations(deps.db);
  if (!local) return undefined;
  const { token } = await newLink(deps, {
    kind: 'setup',
    organization_id: local.id,
    user_id: null,
    role: 'owner',
  });
  return token;
}

/** The first owner, from the setup link; every setup link stops working. Returns the new session too. */
export async function completeSetup(
  deps: UserDeps,
  input: { token: string; email: string; name: string; password: string },
) {
  const passwordHash = await hashPassword(input.password);
  const user = await withTransaction(deps.db, async (db) => {
    const tx = { ...deps, db };
    const links = await store.takeTokensOfKind(db, 'setup');
    const mine = links.find((l) => l.token_hash === hashSecret(input.token));
    if (!live(mine, deps) || !(await setupNeeded(tx))) throw invalidLink('setup');
    return insertNewUser(tx, { ...input, organizationId: mine.organization_id, role: 'owner', passwordHash });
  });
  return { account: await accountOf(deps, user), session: await startSession(deps, user.id) };
}

/**
 * Email and password → a new session. An unknown email and a wrong password get the same error after the
 * same work (a dummy hash is verified), so neither the answer nor its timing tells which emails exist.
 */
export async function signIn(deps: UserDeps, input: { email: string; password: string }) {
  const user = await store.findUserByEmail(deps.db, normalizeEmail(input.email));
  const ok = user
    ? await verifyPassword(input.password, user.password_hash)
    : await verifyDummyPassword(input.password);
  if (!user || !ok) throw new AppError('INVALID_CREDENTIALS', 'Wrong email or password.');
  return { account: await accountOf(deps, user), session: await startSession(deps, user.id) };
}

export async function listMembers(deps: Pick<UserDeps, 'db'>, organizationId: string): Promise<User[]> {
  return (await store.listUsers(deps.db, organizationId)).map(presentUser);
}

/** Removes a user of the caller's organization and ends their sessions; an organization keeps one owner. */
export async function removeMember(deps: UserDeps, organizationId: string, userId: string): Promise<void> {
  await withTransaction(deps.db, async (db) => {
    const user = await store.findUser(db, userId);
    if (!user || user.organization_id !== organizationId) throw notFound('User', userId);
    if (user.role === 'owner' && (await store.countOwners(db, organizationId)) <= 1)
      throw new AppError(
        'CONFLICT',
        'This is the last owner of the organization; make another owner first (invite one with role owner).',
      );
    await store.deleteUser(db, userId);
  });
}

/** A one-time invite link into the organization, valid for 7 days; only its hash is stored. */
export async function createInvite(
  deps: UserDeps,
  organizationId: string,
  input: { role: UserRole; origin: string },
): Promise<CreatedInvite> {
  const { token, row } = await newLink(deps, {
    kind: 'invite',
    organization_id: organizationId,
    user_id: null,
    role: input.role,
  });
  return { ...presentInvite(row), url: linkUrl(input.origin, 'invite', token) };
}

export async function listInvites(deps: UserDeps, organizationId: string): Promise<Invite[]> {
  return (await store.listInvites(deps.db, organizationId, deps.clock.now().toISOString())).map(
    presentInvite,
  );
}

export async function revokeInvite(deps: UserDeps, organizationId: string, id: string): Promise<void> {
  if (!(await store.deleteInvite(deps.db, organizationId, id))) throw notFound('Invite', id);
}

/** What an invite link is for, before accepting it. */
export async function lookupInvite(deps: UserDeps, token: string): Promise<InviteLookup> {
  const row = await store.findToken(deps.db, 'invite', hashSecret(token));
  if (!live(row, deps)) throw invalidLink('invite');
  const organization = await findOrganization(deps.db, row.organization_id);
  if (!organization) throw invalidLink('invite');
  return { organization: { name: organization.name }, role: row.role ?? 'member', expiresAt: row.expires_at };
}

/** Creates the invited user (the link is used up) and signs them in. */
export async function acceptInvite(
  deps: UserDeps,
  input: { token: string; email: string; name: string; password: string },
) {
  const passwordHash = await hashPassword(input.password);
  const user = await withTransaction(deps.db, async (db) => {
    const link = await store.takeToken(db, 'invite', hashSecret(input.token));
    if (!live(link, deps)) throw invalidLink('invite');
    return insertNewUser(
      { ...deps, db },
      { ...input, organizationId: link.organization_id, role: link.role ?? 'member', passwordHash },
    );
  });
  return { account: await accountOf(deps, user), session: await startSession(deps, user.id) };
}

/** An operator's account for someone (`jury users create`). */
export async function createUser(
  deps: UserDeps,
  input: { organizationId: string; email: string; name: string; role: UserRole; password: string },
): Promise<User> {
  checkPassword(input.password);
  if (!(await findOrganization(deps.db, input.organizationId)))
    throw notFound('Organization', input.organizationId);
  const passwordHash = await hashPassword(input.password);
  return presentUser(
    await withTransaction(deps.db, (db) => insertNewUser({ ...deps, db }, { ...input, passwordHash })),
  );
}

export async function findUserByEmail(deps: Pick<UserDeps, 'db'>, email: string) {
  return store.findUserByEmail(deps.db, normalizeEmail(email));
}

export async function listUsers(deps: Pick<UserDeps, 'db'>): Promise<(User & { organizationId: string })[]> {
  return (await store.listUsers(deps.db)).map((row) => ({
    ...presentUser(row),
    organizationId: row.organization_id,
  }));
}

/** Sets a user's password (an operator's reset); their sessions end. */
export async function setPassword(deps: UserDeps, userId: string, password: string): Promise<void> {
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  await withTransaction(deps.db, async (db) => {
    await store.updatePasswordHash(db, userId, passwordHash);
    await store.deleteSessionsOf(db, userId);
  });
}

/** A one-time link (24 h) with which the user sets a new password. */
export async function createPasswordReset(deps: UserDeps, user: UsersTable, origin: string): Promise<string> {
  const { token } = await newLink(deps, {
    kind: 'password_reset',
    organization_id: user.organization_id,
    user_id: user.id,
    role: null,
  });
  return linkUrl(origin, 'password_reset', token);
}

/** A new password from a reset link: the link is used up, every other session of the user ends, a new one starts. */
export async function resetPassword(deps: UserDeps, input: { token: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  const user = await withTransaction(deps.db, async (db) => {
    const link = await store.takeToken(db, 'password_reset', hashSecret(input.token));
    const user = live(link, deps) && link.user_id ? await store.findUser(db, link.user_id) : undefined;
    if (!user) throw invalidLink('password reset');
    await store.updatePasswordHash(db, user.id, passwordHash);
    await store.deleteSessionsOf(db, user.id);
    return user;
  });
  return { account: await accountOf(deps, user), session: await startSession(deps, user.id) };
}
