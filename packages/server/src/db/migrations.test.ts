// Upgrades of a database that holds rows: a database held at 0005_runtime_leases, filled the way that schema's
// code wrote it, migrated to the latest schema and then served by today's labeling engine; and a failed upgrade
// leaves it as it was. SQLite always; Postgres when TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { createManualClock } from '../http/clock.ts';
import * as labelerStore from '../labelers/store.ts';
import type { LabelingDeps } from '../labeling/engine.ts';
import { nextTask, submitResponse } from '../labeling/sources.ts';
import { type DatabaseHandle, type DialectName, openDatabase } from './database.ts';
import { migrateTo, migrateToLatest } from './migrations.ts';
import { createSqliteDialect } from './sqlite-dialect.ts';

const now = '2026-05-01T12:00:00.000Z';
const earlier = '2026-05-01T11:58:30.250Z';
const live = '2026-05-01T12:00:45.125Z';
const expired = '2026-05-01T11:59:30.750Z';
const org = 'org_upgrade';
const experts = 'aud_upgrade_experts';
const text = (...texts: string[]) => JSON.stringify(texts.map((t) => ({ type: 'text', text: t })));

/** Rows as the code at 0005_runtime_leases wrote them, parents first (foreign keys hold). */
const rowsAt0005: [table: string, rows: Record<string, unknown>[]][] = [
  ['organizations', [{ id: org, name: 'Upgrade Org', created_at: earlier }]],
  [
    'api_clients',
    [
      {
        id: 'cli_upgrade',
        organization_id: org,
        display_name: 'local',
        secret_hash: 'scrypt$not-a-real-hash',
        created_at: earlier,
        last_used_at: earlier,
        revoked_at: null,
      },
    ],
  ],
  [
    'labelers',
    ['lbr_cls', 'lbr_gold', 'lbr_late', 'lbr_cmp'].map((id) => ({
      id,
      kind: 'human',
      country: 'DE',
      language: 'de',
      demographics: null,
      user_score: 0.5,
      created_at: earlier,
      last_seen_at: earlier,
    })),
  ],
  [
    'audiences',
    [
      {
        id: experts,
        organization_id: org,
        name: 'Experts',
        base_audience_id: null,
        filters: null,
        pass_rule: JSON.stringify({ targetAccuracy: 0.75, minExamples: 1 }),
        created_at: earlier,
        deleted_at: null,
      },
    ],
  ],
  [
    'audience_examples',
    [
      {
        id: 'aex_classify',
        audience_id: experts,
        organization_id: org,
        task_type: 'classify',
        instruction: 'What animal is it?',
        data_type: 'text',
        items: text('a purring cat'),
        answer_options: JSON.stringify(['Cat', 'Dog']),
        truth: JSON.stringify(['Cat']),
        context: null,
        media_context: null,
        settings: '[]',
        explanation: 'It purrs.',
        random_correct_probability: 0.5,
        sort_index: 0,
        created_at: earlier,
      },
      {
        id: 'aex_compare',
        audience_id: experts,
        organization_id: org,
        task_type: 'compare',
        instruction: 'Which is right?',
        data_type: 'text',
        items: text('right', 'wrong'),
        answer_options: null,
        truth: JSON.stringify(['right']),
        context: null,
        media_context: null,
        settings: '[]',
        explanation: null,
        random_correct_probability: 0.5,
        sort_index: 1,
        created_at: earlier,
      },
    ],
  ],
  [
    'audience_members',
    [
      ['lbr_cls', 'qualified'],
      ['lbr_gold', 'qualified'],
      ['lbr_late', 'dropped'], // so the experts' job owes them no qualification: they get the compare job's work
    ].map(([labeler_id, state]) => ({
      audience_id: experts,
      labeler_id,
      state,
      answered: 1,
      correct: state === 'qualified' ? 1 : 0,
      user_score: 0.5,
      updated_at: earlier,
    })),
  ],
  [
    'job_definitions',
    [
      { id: 'jdf_cmp', task_type: 'compare', name: 'Compare texts' },
      { id: 'jdf_cls', task_type: 'classify', name: 'Classify animals' },
    ].map((d) => ({ ...d, organization_id: org, latest_revision: 1, created_at: earlier })),
  ],
  [
    'job_definition_revisions',
    [
      {
        definition_id: 'jdf_cmp',
        revision: 1,
        instruction: 'Which text is better?',
        data_type: 'text',
        settings: '[]',
        answer_options: null,
        ab_names: null,
        responses_per_datapoint: 1,
        confidence_threshold: null,
        quorum_threshold: null,
        created_at: earlier,
      },
      {
        definition_id: 'jdf_cls',
        revision: 1,
        instruction: 'What animal is it?',
        data_type: 'text',
        settings: '[]',
        answer_options: JSON.stringify(['Cat', 'Dog']),
        ab_names: null,
        responses_per_datapoint: 2,
        confidence_threshold: null,
        quorum_threshold: null,
        created_at: earlier,
      },
    ],
  ],
  [
    'datapoints',
    [
      { id: 'dpt_cmp1', definition_id: 'jdf_cmp', sort_index: 0, items: text('left cmp1', 'right cmp1') },
      { id: 'dpt_cmp2', definition_id: 'jdf_cmp', sort_index: 1, items: text('left cmp2', 'right cmp2') },
      { id: 'dpt_cls1', definition_id: 'jdf_cls', sort_index: 0, items: text('a barking dog') },
    ].map((d) => ({
      ...d,
      revision: 1,
      organization_id: org,
      context: null,
      media_context: null,
      private_metadata: null,
      created_at: earlier,
    })),
  ],
  [
    'jobs',
    [
      { id: 'job_cmp', definition_id: 'jdf_cmp', audience_id: 'global', name: 'Compare texts' },
      { id: 'job_cls', definition_id: 'jdf_cls', audience_id: experts, name: 'Classify animals' },
    ].map((j) => ({
      ...j,
      organization_id: org,
      revision: 1,
      status: 'running',
      created_at: earlier,
      completed_at: null,
    })),
  ],
  [
    'tasks',
    [
      { id: 'tsk_cmp1', job_id: 'job_cmp', datapoint_id: 'dpt_cmp1' },
      { id: 'tsk_cmp2', job_id: 'job_cmp', datapoint_id: 'dpt_cmp2' },
      { id: 'tsk_cls1', job_id: 'job_cls', datapoint_id: 'dpt_cls1' },
    ].map((t) => ({
      ...t,
      organization_id: org,
      status: 'open',
      responses_count: 0,
      created_at: earlier,
      completed_at: null,
    })),
  ],
  [
    'task_leases',
    [
      {
        id: 'lse_cls_live',
        task_id: 'tsk_cls1',
        job_id: 'job_cls',
        labeler_id: 'lbr_cls',
        presentation: JSON.stringify({ options: ['Dog', 'Cat'] }),
        expires_at: live,
      },
      {
        id: 'lse_cmp_expired',
        task_id: 'tsk_cmp1',
        job_id: 'job_cmp',
        labeler_id: 'lbr_late',
        presentation: JSON.stringify({ order: ['B', 'A'] }),
        expires_at: expired,
      },
      {
        id: 'lse_cmp_live',
        task_id: 'tsk_cmp2',
        job_id: 'job_cmp',
        labeler_id: 'lbr_cmp',
        presentation: JSON.stringify({ order: ['A', 'B'] }),
        expires_at: live,
      },
    ].map((l) => ({ ...l, created_at: earlier })),
  ],
  [
    'gold_leases',
    [
      {
        id: 'lse_gold_expired',
        expires_at: expired,
        presentation: JSON.stringify({ options: ['Dog', 'Cat'] }),
      },
      { id: 'lse_gold_live', expires_at: live, presentation: JSON.stringify({ options: ['Cat', 'Dog'] }) },
    ].map((l) => ({
      ...l,
      example_id: 'aex_classify',
      audience_id: experts,
      job_id: 'job_cls',
      labeler_id: 'lbr_gold',
      created_at: earlier,
    })),
  ],
];

const rowsOf = (table: string) => rowsAt0005.find(([t]) => t === table)?.[1] ?? [];

/** The database at `file` / `url` without migrating it (openDatabase always migrates to the latest). */
// biome-ignore lint/suspicious/noExplicitAny: rows of an older schema than db/schema.ts describes
function openUnmigrated(sqliteFile: string, databaseUrl: string | undefined): Kysely<any> {
  return new Kysely({
    dialect: databaseUrl
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 2 }) })
      : createSqliteDialect(sqliteFile),
  });
}

for (const target of testDatabaseTargets()) {
  describe(`migrations on ${target.name}: a database with rows at 0005 upgraded to the latest`, () => {
    const dialect: DialectName = target.name;
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let handle: DatabaseHandle;
    const db = () => handle.db;

    before(async () => {
      env = await createTestEnvironment(target);
      const sqliteFile = `${env.dataDir}/jury.sqlite`;
      const old = openUnmigrated(sqliteFile, env.databaseUrl);
      try {
        await migrateTo(old, dialect, '0005_runtime_leases');
        for (const [table, rows] of rowsAt0005) await old.insertInto(table).values(rows).execute();
        await migrateToLatest(old, dialect);
      } finally {
        await old.destroy();
      }
      // As the server opens it after an upgrade (nothing left to migrate).
      handle = await openDatabase({ databaseUrl: env.databaseUrl, sqliteFile });
    });
    after(async () => {
      await handle?.close();
      await env?.cleanup();
    });

    it('copies every task and gold lease into leases, with its kind, item, job, labeler and times', async () => {
      const columns = [
        'id',
        'kind',
        'item_id',
        'job_id',
        'labeler_id',
        'presentation',
        'created_at',
        'expires_at',
      ];
      const byId = (a: { id: unknown }, b: { id: unknown }) => String(a.id).localeCompare(String(b.id));
      const expected = [
        ...rowsOf('task_leases').map((l) => ({ ...l, kind: 'task', item_id: l.task_id })),
        ...rowsOf('gold_leases').map((l) => ({ ...l, kind: 'gold', item_id: l.example_id })),
      ].map(
        (l: Record<string, unknown>) => Object.fromEntries(columns.map((c) => [c, l[c]])) as { id: unknown },
      );
      const leases = await db().selectFrom('leases').selectAll().execute();
      assert.equal(leases.length, 5);
      // The columns 0006 made (later migrations add their own, e.g. 0016's address_hash).
      const made = leases.map(
        (l) =>
          Object.fromEntries(columns.map((c) => [c, (l as Record<string, unknown>)[c]])) as { id: unknown },
      );
      assert.deepEqual(made.sort(byId), expected.sort(byId));
      const tables = (await db().introspection.getTables()).map((t) => t.name);
      assert.ok(tables.includes('leases'));
      assert.ok(!tables.includes('task_leases'), 'task_leases is dropped');
      assert.ok(!tables.includes('gold_leases'), 'gold_leases is dropped');
    });

    it("renames task type 'classify' to 'classification' and leaves compare rows alone", async () => {
      const definitions = await db()
        .selectFrom('job_definitions')
        .select(['id', 'task_type'])
        .orderBy('id')
        .execute();
      assert.deepEqual(definitions, [
        { id: 'jdf_cls', task_type: 'classification' },
        { id: 'jdf_cmp', task_type: 'compare' },
      ]);
      const examples = await db()
        .selectFrom('audience_examples')
        .select(['id', 'task_type'])
        .orderBy('id')
        .execute();
      assert.deepEqual(examples, [
        { id: 'aex_classify', task_type: 'classification' },
        { id: 'aex_compare', task_type: 'compare' },
      ]);
    });

    describe('served by the labeling engine', () => {
      const clock = createManualClock(new Date(now));
      const deps = (): LabelingDeps => ({ db: db(), clock, leaseMs: 60_000, goldRate: 0 });
      const labeler = async (id: string) => {
        const row = await labelerStore.findLabeler(db(), id);
        assert.ok(row, id);
        return row;
      };

      it('serves a live migrated task lease again to its labeler, as it was shown, and accepts the answer', async () => {
        const me = await labeler('lbr_cls');
        const next = await nextTask(deps(), me);
        assert.equal(next.kind, 'task');
        if (next.kind !== 'task') return;
        assert.deepEqual(
          [next.leaseId, next.jobId, next.expiresAt, next.taskType],
          ['lse_cls_live', 'job_cls', live, 'classification'],
        );
        assert.deepEqual(next.answerOptions, ['Dog', 'Cat'], "the lease's presentation, not a new shuffle");
        assert.deepEqual(
          next.items.map((i) => ('text' in i ? i.text : undefined)),
          ['a barking dog'],
        );
        const answered = await submitResponse(deps(), me, {
          leaseId: 'lse_cls_live',
          answer: { category: 'Dog' },
        });
        assert.equal(answered.taskCompleted, false);
        const response = await db()
          .selectFrom('responses')
          .select(['task_id', 'labeler_id', 'answer', 'presentation'])
          .where('id', '=', answered.id)
          .executeTakeFirstOrThrow();
        assert.deepEqual(response, {
          task_id: 'tsk_cls1',
          labeler_id: 'lbr_cls',
          answer: JSON.stringify({ category: 'Dog' }),
          presentation: JSON.stringify({ options: ['Dog', 'Cat'] }),
        });
      });

      it('serves a live migrated gold lease again and grades its answer into gold_answers', async () => {
        const me = await labeler('lbr_gold');
        const next = await nextTask(deps(), me);
        assert.equal(next.kind, 'task');
        if (next.kind !== 'task') return;
        assert.deepEqual(
          [next.leaseId, next.jobId, next.expiresAt, next.taskType, next.answerOptions],
          ['lse_gold_live', 'job_cls', live, 'classification', ['Cat', 'Dog']],
        );
        const answered = await submitResponse(deps(), me, {
          leaseId: 'lse_gold_live',
          answer: { category: 'Cat' },
        });
        const gold = await db()
          .selectFrom('gold_answers')
          .select(['example_id', 'labeler_id', 'correct'])
          .where('id', '=', answered.id)
          .executeTakeFirstOrThrow();
        assert.deepEqual(gold, { example_id: 'aex_classify', labeler_id: 'lbr_gold', correct: 1 });
      });

      it('counts live migrated leases in claims and replaces an expired one', async () => {
        // tsk_cmp2 is held (1 response per datapoint) by lbr_cmp's live lease: the only claimable task is tsk_cmp1.
        const me = await labeler('lbr_late');
        const next = await nextTask(deps(), me);
        assert.equal(next.kind, 'task');
        if (next.kind !== 'task') return;
        assert.equal(next.jobId, 'job_cmp');
        assert.notEqual(next.leaseId, 'lse_cmp_expired');
        assert.deepEqual(next.items.map((i) => ('text' in i ? i.text : undefined)).sort(), [
          'left cmp1',
          'right cmp1',
        ]);
        const mine = await db()
          .selectFrom('leases')
          .select(['id', 'item_id'])
          .where('labeler_id', '=', me.id)
          .execute();
        assert.deepEqual(mine, [{ id: next.leaseId, item_id: 'tsk_cmp1' }], 'the expired lease is gone');
      });
    });
  });
}

for (const target of testDatabaseTargets()) {
  describe(`migrations on ${target.name}: a failed upgrade`, () => {
    it('leaves the database at 0005 when 0006 cannot copy a lease (all or nothing)', async () => {
      const env = await createTestEnvironment(target);
      const sqliteFile = `${env.dataDir}/jury.sqlite`;
      const old = openUnmigrated(sqliteFile, env.databaseUrl);
      try {
        await migrateTo(old, target.name, '0005_runtime_leases');
        for (const [table, rows] of rowsAt0005) {
          // A gold lease under a task lease's id: the copy into leases (one primary key) fails half-way.
          const clash =
            table === 'gold_leases' ? rows.map((r, i) => (i ? r : { ...r, id: 'lse_cls_live' })) : rows;
          await old.insertInto(table).values(clash).execute();
        }
        await assert.rejects(
          migrateToLatest(old, target.name),
          /Database migration 0006_labeling_leases failed/,
        );
        const tables = (await old.introspection.getTables()).map((t) => t.name);
        assert.ok(tables.includes('task_leases') && tables.includes('gold_leases'));
        assert.ok(!tables.includes('leases'), 'no half-made leases table');
        const applied = await old.selectFrom('kysely_migration').select('name').orderBy('name').execute();
        assert.equal(applied.at(-1)?.name, '0005_runtime_leases');
        const kept = await old.selectFrom('task_leases').select('id').execute();
        assert.equal(kept.length, rowsOf('task_leases').length);
        // The next start, once the clash is gone, upgrades it.
        await old.deleteFrom('gold_leases').where('id', '=', 'lse_cls_live').execute();
        await migrateToLatest(old, target.name);
        const leases = await old.selectFrom('leases').select('id').execute();
        assert.equal(leases.length, rowsOf('task_leases').length + rowsOf('gold_leases').length - 1);
      } finally {
        await old.destroy();
        await env.cleanup();
      }
    });
  });
}
