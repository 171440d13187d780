// Seeding the built-in evaluations from two server processes at once stores each version once, whole. SQLite
// always, Postgres with TEST_DATABASE_URL. Real processes: node:sqlite is synchronous, so two handles in one
// process would block each other's event loop while one waits for the other's lock.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { openDatabase } from '../db/database.ts';

const run = promisify(execFile);
const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
const SEED = `
const { openDatabase } = await import(${module('../db/database.ts')});
const { ensureBuiltIns } = await import(${module('./builtins.ts')});
const { systemClock } = await import(${module('../http/clock.ts')});
const handle = await openDatabase({ databaseUrl: process.env.SEED_DATABASE_URL || undefined, sqliteFile: process.env.SEED_SQLITE_FILE });
await ensureBuiltIns({ db: handle.db, clock: systemClock });
await handle.close();
`;

for (const target of testDatabaseTargets())
  it(`two processes seeding at once store every built-in version once on ${target.name}`, async () => {
    const env = await createTestEnvironment(target);
    const sqliteFile = `${env.dataDir}/jury.sqlite`;
    // Migrated first, as a server's start does before anything asks for evaluations.
    const handle = await openDatabase({ databaseUrl: env.databaseUrl, sqliteFile });
    try {
      const seed = () =>
        run(process.execPath, ['--input-type=module', '-e', SEED], {
          env: { ...process.env, SEED_DATABASE_URL: env.databaseUrl ?? '', SEED_SQLITE_FILE: sqliteFile },
        });
      const started = performance.now();
      await Promise.all([seed(), seed()]);
      console.log(
        `[evaluations] ${target.name}: two processes seeding at once ${Math.round(performance.now() - started)} ms (with their start)`,
      );
      const versions = await handle.db
        .selectFrom('evaluation_versions')
        .select(['id', 'free_form_count', 'multiple_choice_count'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        versions.map((v) => [v.id, Number(v.free_form_count) + Number(v.multiple_choice_count)]),
        [
          ['evv_mixeval-hard_2024-06-01', 1000],
          ['evv_mixeval-hard_2024-08-11', 1000],
          ['evv_mixeval_2024-06-01', 4000],
          ['evv_mixeval_2024-08-11', 3995],
        ],
      );
      const items = await handle.db
        .selectFrom('evaluation_items')
        .select(['version_id', (e) => e.fn.countAll<number>().as('n')])
        .groupBy('version_id')
        .orderBy('version_id')
        .execute();
      assert.deepEqual(
        items.map((r) => Number(r.n)),
        [1000, 1000, 4000, 3995],
      );
    } finally {
      await handle.close();
      await env.cleanup();
    }
  });
