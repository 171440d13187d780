// The run store contract on the database store, SQLite and (with TEST_DATABASE_URL) Postgres, plus the cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../../test/environment.ts';
import { type DatabaseHandle, openDatabase } from '../../db/database.ts';
import { newId } from '../../http/ids.ts';
import { runStoreContract } from '../runner/store.contract.ts';
import { createDbResponseCache, createDbRunStore } from './item-store.ts';

for (const target of testDatabaseTargets()) {
  describe(`database run store on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let handle: DatabaseHandle;
    before(async () => {
      env = await createTestEnvironment(target);
      handle = await openDatabase({ databaseUrl: env.databaseUrl, sqliteFile: `${env.dataDir}/jury.sqlite` });
    });
    after(async () => {
      await handle.close();
      await env.cleanup();
    });

    // Each case gets its own run id: the same tables, nothing shared.
    runStoreContract(target.name, async (now) => ({
      store: createDbRunStore({ db: handle.db, runId: newId('evr'), now }),
      close: () => {},
    }));

    it('keeps a cached response and replaces it on set', async () => {
      const cache = createDbResponseCache(handle.db, () => new Date());
      assert.equal(await cache.get('k'), undefined);
      const value = {
        raw: '{"a":1}',
        answer: 'A',
        inputTokens: 3,
        outputTokens: 1,
        tokensEstimated: false,
        latencyMs: 5,
      };
      await cache.set('k', value);
      assert.deepEqual(await cache.get('k'), value);
      await cache.set('k', { ...value, answer: 'B' });
      assert.equal((await cache.get('k'))?.answer, 'B');
    });
  });
}
