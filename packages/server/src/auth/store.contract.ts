import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GetDb } from '../db/store-contract.ts';
import { hashSecret } from '../http/ids.ts';
import * as store from './store.ts';

export function authStoreContract(getDb: GetDb): void {
  describe('auth store', () => {
    const t0 = '2026-03-01T10:00:00.000Z';
    const org = { id: 'org_contract_a', name: 'Contract A', created_at: t0 };
    const client = {
      id: 'cli_contract_a',
      organization_id: org.id,
      display_name: 'A client',
      secret_hash: hashSecret('s'),
      created_at: t0,
      last_used_at: null,
      revoked_at: null,
    };

    it('round-trips organizations and clients with ISO timestamps and nulls', async () => {
      const { db } = getDb();
      await store.insertOrganization(db, org);
      await store.insertApiClient(db, client);
      assert.deepEqual(await store.findOrganization(db, org.id), org);
      assert.deepEqual(await store.findApiClient(db, client.id), client);
      assert.equal(await store.findApiClient(db, 'cli_missing'), undefined);
      assert.deepEqual(await store.findOrganizationByName(db, 'Contract A'), org);
    });

    it('lists clients of one organization only, newest first', async () => {
      const { db } = getDb();
      await store.insertOrganization(db, { id: 'org_contract_b', name: 'Contract B', created_at: t0 });
      await store.insertApiClient(db, { ...client, id: 'cli_contract_b', organization_id: 'org_contract_b' });
      await store.insertApiClient(db, {
        ...client,
        id: 'cli_contract_a2',
        created_at: '2026-03-02T10:00:00.000Z',
      });
      const ids = (await store.listApiClients(db, org.id)).map((c) => c.id);
      assert.deepEqual(ids, ['cli_contract_a2', 'cli_contract_a']);
    });

    it('rejects a client of an unknown organization (foreign key)', async () => {
      const { db } = getDb();
      await assert.rejects(
        store.insertApiClient(db, { ...client, id: 'cli_orphan', organization_id: 'org_nope' }),
      );
    });

    it('finds a token with its client revocation, and revoking deletes the tokens', async () => {
      const { db } = getDb();
      const token = {
        token_hash: hashSecret('tok'),
        client_id: client.id,
        organization_id: org.id,
        created_at: t0,
        expires_at: '2026-03-01T11:00:00.000Z',
      };
      await store.insertAccessToken(db, token);
      assert.deepEqual(await store.findAccessToken(db, token.token_hash), {
        client_id: client.id,
        organization_id: org.id,
        expires_at: token.expires_at,
        revoked_at: null,
      });
      await store.markApiClientUsed(db, client.id, '2026-03-01T10:30:00.000Z');
      assert.equal((await store.findApiClient(db, client.id))?.last_used_at, '2026-03-01T10:30:00.000Z');
      await store.revokeApiClient(db, client.id, '2026-03-01T10:45:00.000Z');
      assert.equal(await store.findAccessToken(db, token.token_hash), undefined);
      assert.equal((await store.findApiClient(db, client.id))?.revoked_at, '2026-03-01T10:45:00.000Z');
    });

    it('deletes only expired tokens', async () => {
      const { db } = getDb();
      const base = { client_id: 'cli_contract_a2', organization_id: org.id, created_at: t0 };
      await store.insertAccessToken(db, {
        ...base,
        token_hash: hashSecret('old'),
        expires_at: '2026-03-01T09:00:00.000Z',
      });
      await store.insertAccessToken(db, {
        ...base,
        token_hash: hashSecret('new'),
        expires_at: '2026-03-01T12:00:00.000Z',
      });
      assert.equal(await store.deleteExpiredTokens(db, '2026-03-01T10:00:00.000Z'), 1);
      assert.ok(await store.findAccessToken(db, hashSecret('new')));
    });
  });
}
