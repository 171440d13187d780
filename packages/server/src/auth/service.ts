import { timingSafeEqual } from 'node:crypto';
import type { ApiClient } from '@jury/api';
import type { Db } from '../db/database.ts';
import type { ApiClientsTable } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { hashSecret, newId, newSecret } from '../http/ids.ts';
import { mapPage, type Page, type PageRequest } from '../http/pages.ts';
import { claimSetting } from '../labelers/store.ts';
import type { ClientPrincipal, PrincipalResolver } from './principal.ts';
import * as store from './store.ts';

export interface AuthDeps {
  db: Db;
  clock: Clock;
  /** Lifetime of issued access tokens. */
  tokenTtlSeconds: number;
}

export function presentApiClient(row: ApiClientsTable): ApiClient {
  return {
    id: row.id,
    displayName: row.display_name,
    organizationId: row.organization_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export async function createOrganization(deps: Pick<AuthDeps, 'db' | 'clock'>, name: string) {
  const row = { id: newId('org'), name, created_at: deps.clock.now().toISOString() };
  await store.insertOrganization(deps.db, row);
  return row;
}

/** Creates a client; the secret is returned once and only its hash is kept. */
export async function createApiClient(
  deps: Pick<AuthDeps, 'db' | 'clock'>,
  input: { organizationId: string; displayName: string },
): Promise<{ client: ApiClient; secret: string }> {
  if (!(await store.findOrganization(deps.db, input.organizationId)))
    throw notFound('Organization', input.organizationId);
  const secret = newSecret('jcs');
  const row: ApiClientsTable = {
    id: newId('cli'),
    organization_id: input.organizationId,
    display_name: input.displayName,
    secret_hash: hashSecret(secret),
    created_at: deps.clock.now().toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await store.insertApiClient(deps.db, row);
  return { client: presentApiClient(row), secret };
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** OAuth 2.0 client-credentials grant. */
export async function issueToken(
  deps: AuthDeps,
  input: { grantType: string; clientId: string; clientSecret: string },
) {
  if (input.grantType !== 'client_credentials') {
    throw new AppError(
      'UNSUPPORTED_GRANT_TYPE',
      `grant_type "${input.grantType}" is not supported; use client_credentials.`,
    );
  }
  const client = await store.findApiClient(deps.db, input.clientId);
  if (!client || !sameHash(client.secret_hash, hashSecret(input.clientSecret))) {
    throw new AppError(
      'INVALID_CLIENT',
      'Unknown client id or wrong secret. Check JURY_CLIENT_ID / JURY_CLIENT_SECRET or run `jury credentials create --save`.',
    );
  }
  if (client.revoked_at)
    throw new AppError(
      'INVALID_CLIENT',
      `Client ${client.id} was revoked; create a new one with \`jury credentials create\`.`,
    );
  const now = deps.clock.now();
  const token = newSecret('jat');
  await store.insertAccessToken(deps.db, {
    token_hash: hashSecret(token),
    client_id: client.id,
    organization_id: client.organization_id,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + deps.tokenTtlSeconds * 1000).toISOString(),
  });
  await store.markApiClientUsed(deps.db, client.id, now.toISOString());
  return { access_token: token, token_type: 'Bearer' as const, expires_in: deps.tokenTtlSeconds };
}

/** Resolves a bearer token to its organization; every failure is UNAUTHENTICATED with the reason. */
export async function authenticate(
  deps: Pick<AuthDeps, 'db' | 'clock'>,
  authorization: string | undefined,
): Promise<ClientPrincipal> {
  if (!authorization)
    throw new AppError(
      'UNAUTHENTICATED',
      'Missing Authorization header; send "Authorization: Bearer <token>" from POST /connect/token.',
    );
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1])
    throw new AppError('UNAUTHENTICATED', 'Malformed Authorization header; expected "Bearer <token>".');
  const row = await store.findAccessToken(deps.db, hashSecret(match[1]));
  if (!row)
    throw new AppError(
      'UNAUTHENTICATED',
      'Unknown or revoked access token; request a new one from POST /connect/token.',
    );
  if (row.revoked_at) throw new AppError('UNAUTHENTICATED', 'The client of this token was revoked.');
  if (row.expires_at <= deps.clock.now().toISOString())
    throw new AppError(
      'UNAUTHENTICATED',
      'The access token expired; request a new one from POST /connect/token.',
    );
  return { kind: 'client', organizationId: row.organization_id, clientId: row.client_id };
}

/** The `bearer` scheme's resolver: the Authorization header's access token. */
export function bearerResolver(deps: Pick<AuthDeps, 'db' | 'clock'>): PrincipalResolver<'bearer'> {
  return (c) => authenticate(deps, c.req.header('authorization'));
}

export async function listApiClients(
  deps: Pick<AuthDeps, 'db'>,
  organizationId: string,
): Promise<ApiClient[]> {
  return (await store.listApiClients(deps.db, organizationId)).map(presentApiClient);
}

export async function pageApiClients(
  deps: Pick<AuthDeps, 'db'>,
  organizationId: string,
  page: PageRequest,
): Promise<Page<ApiClient>> {
  return mapPage(await store.listApiClientsPage(deps.db, organizationId, page), presentApiClient);
}

export async function revokeApiClient(
  deps: Pick<AuthDeps, 'db' | 'clock'>,
  organizationId: string | undefined,
  clientId: string,
) {
  const row = await store.findApiClient(deps.db, clientId);
  if (!row || (organizationId && row.organization_id !== organizationId)) throw notFound('Client', clientId);
  await store.revokeApiClient(deps.db, clientId, deps.clock.now().toISOString());
  return presentApiClient((await store.findApiClient(deps.db, clientId)) ?? row);
}

export const LOCAL_ORGANIZATION_NAME = 'Local organization';

/**
 * First start: with no organization yet, create the local one and a client for it.
 * Returns the new credentials, or undefined when the database was already set up.
 */
export async function bootstrapLocalOrganization(deps: Pick<AuthDeps, 'db' | 'clock'>) {
  if ((await store.listOrganizations(deps.db)).length > 0) return undefined;
  // Several processes may start at once on an empty database: the one that claims the marker creates it.
  return withTransaction(deps.db, async (trx) => {
    const at = deps.clock.now().toISOString();
    if (!(await claimSetting(trx, 'local_organization_bootstrapped', at, at))) return undefined;
    if ((await store.listOrganizations(trx)).length > 0) return undefined;
    const inTrx = { db: trx, clock: deps.clock };
    const org = await createOrganization(inTrx, LOCAL_ORGANIZATION_NAME);
    const { client, secret } = await createApiClient(inTrx, {
      organizationId: org.id,
      displayName: 'Local client (created by jury serve)',
    });
    return { organization: org, client, secret };
  });
}

export { findApiClient, findOrganization, findOrganizationByName, listOrganizations } from './store.ts';
