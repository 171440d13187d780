import { after, before, describe } from 'node:test';
import { createTestEnvironment, type TestDatabaseTarget } from '../../test/environment.ts';
import { assetStoreContract } from '../assets/store.contract.ts';
import { audienceStoreContract } from '../audiences/store.contract.ts';
import { authStoreContract } from '../auth/store.contract.ts';
import { evaluationStoreContract } from '../evaluations/store.contract.ts';
import { flowStoreContract } from '../flows/store.contract.ts';
import { jobStoreContract } from '../jobs/store.contract.ts';
import { labelingStoreContract } from '../labeling/store.contract.ts';
import { limitsStoreContract } from '../limits/store.contract.ts';
import { modelStoreContract } from '../models/store.contract.ts';
import { runtimeStoreContract } from '../runtime/store.contract.ts';
import { userStoreContract } from '../users/store.contract.ts';
import { type DatabaseHandle, openDatabase } from './database.ts';
import { transactionContract } from './transaction.contract.ts';

/** What each feature's store contract receives: the open database, valid for the suite's duration. */
export type GetDb = () => DatabaseHandle;

/**
 * The storage contract: every store function behaves the same on SQLite and Postgres.
 * Each feature adds its cases in `<feature>/store.contract.ts`.
 */
export function runStoreContract(target: TestDatabaseTarget): void {
  describe(`storage contract on ${target.name}`, () => {
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
    const getDb: GetDb = () => handle;
    transactionContract(getDb);
    authStoreContract(getDb);
    userStoreContract(getDb);
    assetStoreContract(getDb);
    audienceStoreContract(getDb);
    jobStoreContract(getDb);
    labelingStoreContract(getDb);
    runtimeStoreContract(getDb);
    flowStoreContract(getDb);
    evaluationStoreContract(getDb);
    modelStoreContract(getDb);
    limitsStoreContract(getDb);
  });
}
