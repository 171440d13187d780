import { testDatabaseTargets } from '../../test/environment.ts';
import { runStoreContract } from './store-contract.ts';

for (const target of testDatabaseTargets()) runStoreContract(target);
