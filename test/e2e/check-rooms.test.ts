// `npm run check` runs packages/server/scripts/check-rooms.ts: a room naming another room's table fails it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT, tempDirs } from './helpers.ts';

const SCRIPT = join(REPO_ROOT, 'packages/server/scripts/check-rooms.ts');

const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });

describe('check-rooms', () => {
  const dirs = tempDirs();
  after(async () => (await dirs).cleanup());

  it('passes on packages/server/src (known exceptions listed in the script)', () => {
    const r = run();
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });

  it('fails with file:line when a room names another room’s table, in Kysely calls or SQL text', async () => {
    const src = await (await dirs).make('jury-rooms-');
    const files: Record<string, string> = {
      'jobs/store.ts': [
        "// Comments may say selectFrom('audiences') or from audiences.",
        "export const a = (db) => db.selectFrom('audiences as a').selectAll().execute();",
        "export const b = (db) => db.selectFrom('jobs').innerJoin('tasks', 'tasks.job_id', 'jobs.id');",
      ].join('\n'),
      'labeling/claims.ts': [
        'export const c = `select m.state',
        '  from "audience_members" as m`;',
        "export const d = 'delete from leases';",
      ].join('\n'),
      'audiences/store.ts': "export const e = (db) => db.insertInto('audience_examples');",
      'db/migrations.ts':
        "export const f = (db) => db.schema.createTable('audiences'); db.selectFrom('audiences');",
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(src, file)), { recursive: true });
      await writeFile(join(src, file), text);
    }
    const r = run('--src', src);
    assert.equal(r.status, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(
      lines[0] ?? '',
      /^packages\/server\/src\/jobs\/store\.ts:2: jobs\/ names the table audiences, which belongs to audiences\/; call a function of packages\/server\/src\/audiences\/ instead/,
    );
    assert.match(
      lines[1] ?? '',
      /^packages\/server\/src\/labeling\/claims\.ts:2: labeling\/ names the table audience_members/,
    );
  });
});
