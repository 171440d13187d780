import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { systemClock } from '../http/clock.ts';
import { bootstrapLocalOrganization, listOrganizations } from './service.ts';

for (const target of testDatabaseTargets()) {
  test(`[${target.name}] processes starting at once on an empty database create one local organization`, async (t) => {
    const env = await createTestEnvironment(target);
    t.after(() => env.cleanup());
    const sqliteFile = `${env.dataDir}/jury.db`;
    // On Postgres four pools stand for four processes. SQLite serves one process (docs/deploy.md), and node:sqlite
    // blocks the thread while it waits for a lock, so there the four starts share one handle.
    const handles: DatabaseHandle[] = [];
    for (let i = 0; i < (target.databaseUrl ? 4 : 1); i++)
      handles.push(await openDatabase({ databaseUrl: env.databaseUrl, sqliteFile }));
    t.after(() => Promise.all(handles.map((h) => h.close())));
    const starts = [0, 1, 2, 3].map((i) => handles[i % handles.length] as DatabaseHandle);
    const results = await Promise.all(
      starts.map((h) => bootstrapLocalOrganization({ db: h.db, clock: systemClock })),
    );
    assert.equal(results.filter((r) => r !== undefined).length, 1, 'one start creates the credentials');
    assert.equal((await listOrganizations(starts[0]!.db)).length, 1);
    assert.equal(await bootstrapLocalOrganization({ db: starts[0]!.db, clock: systemClock }), undefined);
  });
}
