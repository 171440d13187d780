// The run store contract on the in-memory store and on a real SQLite file (two connections, as two processes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryRunStore } from './memory-store.ts';
import { createSqliteFileRunStore } from './sqlite-file-store.ts';
import { runStoreContract } from './store.contract.ts';

runStoreContract('memory', async (now) => ({ store: createMemoryRunStore({ now }), close: () => {} }));

runStoreContract('SQLite file, two connections', async (now) => {
  const dir = mkdtempSync(join(tmpdir(), 'jury-run-store-'));
  const path = join(dir, 'run.sqlite');
  const a = createSqliteFileRunStore({ path, runId: 'r1', now });
  const b = createSqliteFileRunStore({ path, runId: 'r1', now });
  // Alternate the connections, so each rule holds across them, not only within one.
  let turn = 0;
  const pick = () => (turn++ % 2 === 0 ? a : b);
  return {
    store: {
      claim: (id, options) => pick().claim(id, options),
      renew: (id, options) => pick().renew(id, options),
      save: (record, holder) => pick().save(record, holder),
      release: (id, holder) => pick().release(id, holder),
    },
    close: () => {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
