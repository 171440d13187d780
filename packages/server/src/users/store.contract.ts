import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as auth from '../auth/store.ts';
import type { UsersTable, UserTokensTable } from '../db/schema.ts';
import type { GetDb } from '../db/store-contract.ts';
import { hashSecret } from '../http/ids.ts';
import * as store from './store.ts';

export function userStoreContract(getDb: GetDb): void {
  describe('users store', () => {
    const t0 = '2026-03-01T10:00:00.000Z';
    const org = { id: 'org_contract_users', name: 'Users org', created_at: t0 };
    const owner: UsersTable = {
      id: 'usr_contract_owner',
      organization_id: org.id,
      email: 'owner@example.com',
      name: 'Owner',
      role: 'owner',
      password_hash: '$scrypt$x',
      created_at: t0,
    };
    const member: UsersTable = {
      ...owner,
      id: 'usr_contract_member',
      email: 'member@example.com',
      role: 'member',
      created_at: '2026-03-01T11:00:00.000Z',
    };
    const link = (over: Partial<UserTokensTable>): UserTokensTable => ({
      id: 'inv_contract',
      token_hash: hashSecret('invite'),
      kind: 'invite',
      organization_id: org.id,
      user_id: null,
      role: 'member',
      created_at: t0,
      expires_at: '2026-03-08T10:00:00.000Z',
      ...over,
    });

    it('round-trips users, finds them by email, lists oldest first and counts owners', async () => {
      const { db } = getDb();
      assert.equal(await store.hasUsers(db), false);
      await auth.insertOrganization(db, org);
      await store.insertUser(db, member);
      await store.insertUser(db, owner);
      assert.equal(await store.hasUsers(db), true);
      assert.deepEqual(await store.findUser(db, owner.id), owner);
      assert.deepEqual(await store.findUserByEmail(db, 'member@example.com'), member);
      assert.equal(await store.findUserByEmail(db, 'nobody@example.com'), undefined);
      assert.deepEqual(
        (await store.listUsers(db, org.id)).map((u) => u.id),
        [owner.id, member.id],
      );
      assert.equal(await store.countOwners(db, org.id), 1);
      await store.updatePasswordHash(db, member.id, '$scrypt$y');
      assert.equal((await store.findUser(db, member.id))?.password_hash, '$scrypt$y');
    });

    it('refuses a second user with the same email', async () => {
      const { db } = getDb();
      await assert.rejects(store.insertUser(db, { ...member, id: 'usr_contract_dup' }));
    });

    it('finds a session with its user, extends and deletes it', async () => {
      const { db } = getDb();
      const session = {
        token_hash: hashSecret('session'),
        user_id: member.id,
        created_at: t0,
        expires_at: '2026-03-15T10:00:00.000Z',
      };
      await store.insertSession(db, session);
      assert.deepEqual(await store.findSession(db, session.token_hash), {
        expires_at: session.expires_at,
        user_id: member.id,
        organization_id: org.id,
        role: 'member',
      });
      await store.extendSession(db, session.token_hash, '2026-03-16T10:00:00.000Z');
      assert.equal((await store.findSession(db, session.token_hash))?.expires_at, '2026-03-16T10:00:00.000Z');
      await store.deleteSession(db, session.token_hash);
      assert.equal(await store.findSession(db, session.token_hash), undefined);
    });

    it('takes a link once, lists live invites, deletes one invite of its organization only', async () => {
      const { db } = getDb();
      await store.insertToken(db, link({}));
      await store.insertToken(
        db,
        link({ id: 'inv_contract_old', token_hash: hashSecret('old'), expires_at: t0 }),
      );
      assert.deepEqual(
        (await store.listInvites(db, org.id, '2026-03-02T00:00:00.000Z')).map((i) => i.id),
        ['inv_contract'],
      );
      assert.deepEqual(await store.findToken(db, 'invite', hashSecret('invite')), link({}));
      assert.equal(await store.findToken(db, 'setup', hashSecret('invite')), undefined);
      assert.deepEqual(await store.takeToken(db, 'invite', hashSecret('invite')), link({}));
      assert.equal(await store.takeToken(db, 'invite', hashSecret('invite')), undefined);
      assert.equal(await store.deleteInvite(db, 'org_other', 'inv_contract_old'), false);
      assert.equal(await store.deleteInvite(db, org.id, 'inv_contract_old'), true);
    });

    it('takes every link of a kind, and purges what expired', async () => {
      const { db } = getDb();
      for (const [i, expires] of ['2026-03-01T09:00:00.000Z', '2026-03-09T00:00:00.000Z'].entries())
        await store.insertToken(
          db,
          link({
            id: `lnk_setup_${i}`,
            token_hash: hashSecret(`s${i}`),
            kind: 'setup',
            role: 'owner',
            expires_at: expires,
          }),
        );
      assert.equal((await store.takeTokensOfKind(db, 'setup')).length, 2);
      await store.insertToken(db, link({ id: 'inv_exp', token_hash: hashSecret('e'), expires_at: t0 }));
      await store.insertSession(db, {
        token_hash: hashSecret('expired'),
        user_id: member.id,
        created_at: t0,
        expires_at: t0,
      });
      assert.equal(await store.deleteExpired(db, '2026-03-02T00:00:00.000Z'), 2);
    });

    it('deletes a user with their sessions and reset links', async () => {
      const { db } = getDb();
      await store.insertSession(db, {
        token_hash: hashSecret('member session'),
        user_id: member.id,
        created_at: t0,
        expires_at: '2026-03-15T10:00:00.000Z',
      });
      await store.insertToken(
        db,
        link({
          id: 'lnk_reset',
          token_hash: hashSecret('reset'),
          kind: 'password_reset',
          user_id: member.id,
          role: null,
        }),
      );
      await store.deleteUser(db, member.id);
      assert.equal(await store.findUser(db, member.id), undefined);
      assert.equal(await store.findSession(db, hashSecret('member session')), undefined);
      assert.equal(await store.findToken(db, 'password_reset', hashSecret('reset')), undefined);
    });
  });
}
