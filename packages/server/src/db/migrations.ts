import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely/migration';
import type { DialectName } from './database.ts';

// One migration set for both dialects; `ts` picks the timestamp type each dialect does well.
function migrations(dialect: DialectName): Record<string, Migration> {
  const ts = dialect === 'postgres' ? 'timestamptz' : 'text';
  return {
    '0001_foundation': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('organizations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('api_clients')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('last_used_at', ts)
          .addColumn('revoked_at', ts)
          .execute();
        await db.schema.createIndex('api_clients_org').on('api_clients').column('organization_id').execute();
        await db.schema
          .createTable('access_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull().references('api_clients.id'))
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('expires_at', ts, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('access_tokens_client').on('access_tokens').column('client_id').execute();
        await db.schema
          .createTable('assets')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('mime_type', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text')
          .addColumn('size', 'bigint')
          .addColumn('file_name', 'text')
          .addColumn('url', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        // Dedup: one asset per content (or URL) per organization.
        await db.schema
          .createIndex('assets_org_sha')
          .on('assets')
          .columns(['organization_id', 'sha256'])
          .unique()
          .execute();
        await db.schema
          .createIndex('assets_org_url')
          .on('assets')
          .columns(['organization_id', 'url'])
          .unique()
          .execute();
        await db.schema.createIndex('assets_sha').on('assets').column('sha256').execute();
      },
    },
    '0002_labeling': {
      async up(db: Kysely<any>) {
        const table = (name: string) => db.schema.createTable(name);
        await table('audiences')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('base_audience_id', 'text')
          .addColumn('filters', 'text')
          .addColumn('pass_rule', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('deleted_at', ts)
          .execute();
        await db.schema
          .createIndex('audiences_org')
          .on('audiences')
          .columns(['organization_id', 'created_at'])
          .execute();
        await table('audience_examples')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('audience_id', 'text', (c) => c.notNull().references('audiences.id'))
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('task_type', 'text', (c) => c.notNull())
          .addColumn('instruction', 'text', (c) => c.notNull())
          .addColumn('data_type', 'text', (c) => c.notNull())
          .addColumn('items', 'text', (c) => c.notNull())
          .addColumn('answer_options', 'text')
          .addColumn('truth', 'text', (c) => c.notNull())
          .addColumn('context', 'text')
          .addColumn('media_context', 'text')
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('explanation', 'text')
          .addColumn('random_correct_probability', 'double precision', (c) => c.notNull())
          .addColumn('sort_index', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('audience_examples_audience')
          .on('audience_examples')
          .columns(['audience_id', 'sort_index'])
          .execute();
        await table('labelers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('country', 'text')
          .addColumn('language', 'text')
          .addColumn('demographics', 'text')
          .addColumn('user_score', 'double precision', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('last_seen_at', ts, (c) => c.notNull())
          .execute();
        await table('audience_members')
          .addColumn('audience_id', 'text', (c) => c.notNull().references('audiences.id'))
          .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('answered', 'integer', (c) => c.notNull())
          .addColumn('correct', 'integer', (c) => c.notNull())
          .addColumn('user_score', 'double precision', (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .addPrimaryKeyConstraint('audience_members_pk', ['audience_id', 'labeler_id'])
          .execute();
        await db.schema
          .createIndex('audience_members_labeler')
          .on('audience_members')
          .column('labeler_id')
          .execute();
        await table('example_answers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('example_id', 'text', (c) => c.notNull().references('audience_examples.id'))
          .addColumn('audience_id', 'text', (c) => c.notNull().references('audiences.id'))
          .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('correct', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addUniqueConstraint('example_answers_once', ['example_id', 'labeler_id'])
          .execute();
        await table('job_definitions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('task_type', 'text', (c) => c.notNull())
          .addColumn('latest_revision', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('job_definitions_org')
          .on('job_definitions')
          .columns(['organization_id', 'created_at'])
          .execute();
        await table('job_definition_revisions')
          .addColumn('definition_id', 'text', (c) => c.notNull().references('job_definitions.id'))
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('instruction', 'text', (c) => c.notNull())
          .addColumn('data_type', 'text', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('answer_options', 'text')
          .addColumn('ab_names', 'text')
          .addColumn('responses_per_datapoint', 'integer', (c) => c.notNull())
          .addColumn('confidence_threshold', 'double precision')
          .addColumn('quorum_threshold', 'integer')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addPrimaryKeyConstraint('job_definition_revisions_pk', ['definition_id', 'revision'])
          .execute();
        await table('datapoints')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('definition_id', 'text', (c) => c.notNull().references('job_definitions.id'))
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('sort_index', 'integer', (c) => c.notNull())
          .addColumn('items', 'text', (c) => c.notNull())
          .addColumn('context', 'text')
          .addColumn('media_context', 'text')
          .addColumn('private_metadata', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('datapoints_definition')
          .on('datapoints')
          .columns(['definition_id', 'revision', 'sort_index'])
          .execute();
        await table('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('definition_id', 'text', (c) => c.notNull().references('job_definitions.id'))
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('audience_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('completed_at', ts)
          .execute();
        await db.schema
          .createIndex('jobs_org')
          .on('jobs')
          .columns(['organization_id', 'created_at'])
          .execute();
        await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'audience_id']).execute();
        await table('tasks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
          .addColumn('datapoint_id', 'text', (c) => c.notNull().references('datapoints.id'))
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('responses_count', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('completed_at', ts)
          .addUniqueConstraint('tasks_job_datapoint', ['job_id', 'datapoint_id'])
          .execute();
        await db.schema
          .createIndex('tasks_open')
          .on('tasks')
          .columns(['job_id', 'status', 'responses_count'])
          .execute();
        await table('task_leases')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
          .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
          .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
          .addColumn('presentation', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('expires_at', ts, (c) => c.notNull())
          .addUniqueConstraint('task_leases_once', ['task_id', 'labeler_id'])
          .execute();
        await db.schema
          .createIndex('task_leases_task')
          .on('task_leases')
          .columns(['task_id', 'expires_at'])
          .execute();
        await db.schema.createIndex('task_leases_labeler').on('task_leases').column('labeler_id').execute();
        await table('responses')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
          .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
          .addColumn('datapoint_id', 'text', (c) => c.notNull().references('datapoints.id'))
          .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('presentation', 'text', (c) => c.notNull())
          .addColumn('user_score', 'double precision', (c) => c.notNull())
          .addColumn('audience_user_score', 'double precision', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          // At most one response per labeler per datapoint of a job.
          .addUniqueConstraint('responses_once', ['task_id', 'labeler_id'])
          .execute();
        await db.schema
          .createIndex('responses_job')
          .on('responses')
          .columns(['job_id', 'datapoint_id'])
          .execute();
        await db.schema.createIndex('responses_labeler').on('responses').column('labeler_id').execute();
      },
    },
    // Definition preview links (jobs feature): the key is a bearer capability, stored hashed.
    '0003_jobs_previews': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('job_previews')
          .addColumn('key_hash', 'text', (c) => c.primaryKey())
          .addColumn('definition_id', 'text', (c) => c.notNull().references('job_definitions.id'))
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('expires_at', ts, (c) => c.notNull())
          .execute();
      },
    },
    // Server-wide settings shared by every process on one database (e.g. the labeler cookie signing secret).
    '0003_labeling_secret': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('server_settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
      },
    },
    // Gold checks: qualification examples served again among tasks once a labeler is qualified. A gold lease is
    // indistinguishable from a task lease for the labeler; gold answers repeat (no uniqueness per labeler+example).
    '0004_labeling_gold': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('gold_leases')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('example_id', 'text', (c) => c.notNull().references('audience_examples.id'))
          .addColumn('audience_id', 'text', (c) => c.notNull().references('audiences.id'))
          .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
          .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
          .addColumn('presentation', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('expires_at', ts, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('gold_leases_labeler').on('gold_leases').column('labeler_id').execute();
        await db.schema
          .createTable('gold_answers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('example_id', 'text', (c) => c.notNull().references('audience_examples.id'))
          .addColumn('audience_id', 'text', (c) => c.notNull().references('audiences.id'))
          .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('correct', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('gold_answers_labeler')
          .on('gold_answers')
          .columns(['labeler_id', 'audience_id'])
          .execute();
      },
    },
    // The runtime's schedule, shared by every process on one database: a task runs in whichever process claims
    // its row (UPDATE … WHERE expires_at <= now), and nobody else runs it before expires_at.
    '0005_runtime_leases': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('runtime_leases')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('holder', 'text')
          .addColumn('expires_at', ts, (c) => c.notNull())
          .addColumn('last_run_at', ts)
          .execute();
      },
    },
    // One leases table for every kind of work the labeling engine serves (labeling/engine.ts): task leases and gold
    // leases move into it, their rows copied; `item_id` names the leased item in its source's terms (a task, an
    // example). Task leases stay unique per labeler and task, gold checks may repeat.
    '0006_labeling_leases': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('leases')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('item_id', 'text', (c) => c.notNull())
          .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
          .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
          .addColumn('presentation', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('expires_at', ts, (c) => c.notNull())
          .execute();
        // Claims count an item's live leases and look for the labeler's own (covering: kind, expiry).
        await db.schema
          .createIndex('leases_item')
          .on('leases')
          .columns(['item_id', 'kind', 'expires_at'])
          .execute();
        await db.schema
          .createIndex('leases_task_once')
          .on('leases')
          .columns(['item_id', 'labeler_id'])
          .unique()
          .where(sql<boolean>`kind = 'task'`)
          .execute();
        await db.schema.createIndex('leases_labeler').on('leases').column('labeler_id').execute();
        const moves = [
          ['task_leases', 'task', 'task_id'],
          ['gold_leases', 'gold', 'example_id'],
        ] as const;
        for (const [from, kind, item] of moves) {
          const rest = ['job_id', 'labeler_id', 'presentation', 'created_at', 'expires_at'];
          await db
            .insertInto('leases')
            .columns(['id', 'kind', 'item_id', ...rest])
            .expression(db.selectFrom(from).select(['id', sql.lit(kind).as('kind'), item, ...rest]))
            .execute();
        }
        await db.schema.dropTable('task_leases').execute();
        await db.schema.dropTable('gold_leases').execute();
      },
    },
    // One spelling of a task type everywhere: 'classify' rows become 'classification', the name the API uses.
    '0007_task_type_names': {
      async up(db: Kysely<any>) {
        for (const table of ['job_definitions', 'audience_examples'])
          await db
            .updateTable(table)
            .set({ task_type: 'classification' })
            .where('task_type', '=', 'classify')
            .execute();
      },
    },
    // Benchmarks (MRI). leases.job_id becomes nullable: a leaderboard matchup is work of no job.
    '0008_benchmarks': {
      async up(db: Kysely<any>) {
        if (dialect === 'postgres') {
          await sql`alter table leases alter column job_id drop not null`.execute(db);
        } else {
          // SQLite cannot drop a NOT NULL: the table is rebuilt with its indexes.
          await db.schema
            .createTable('leases_next')
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('kind', 'text', (c) => c.notNull())
            .addColumn('item_id', 'text', (c) => c.notNull())
            .addColumn('job_id', 'text', (c) => c.references('jobs.id'))
            .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
            .addColumn('presentation', 'text', (c) => c.notNull())
            .addColumn('created_at', ts, (c) => c.notNull())
            .addColumn('expires_at', ts, (c) => c.notNull())
            .execute();
          await sql`insert into leases_next select id, kind, item_id, job_id, labeler_id, presentation, created_at, expires_at from leases`.execute(
            db,
          );
          await db.schema.dropTable('leases').execute();
          await sql`alter table leases_next rename to leases`.execute(db);
          await db.schema
            .createIndex('leases_item')
            .on('leases')
            .columns(['item_id', 'kind', 'expires_at'])
            .execute();
          await db.schema
            .createIndex('leases_task_once')
            .on('leases')
            .columns(['item_id', 'labeler_id'])
            .unique()
            .where(sql<boolean>`kind = 'task'`)
            .execute();
          await db.schema.createIndex('leases_labeler').on('leases').column('labeler_id').execute();
        }
        await db.schema
          .createTable('benchmarks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('benchmarks_org')
          .on('benchmarks')
          .columns(['organization_id', 'created_at'])
          .execute();
        await db.schema
          .createTable('benchmark_prompts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('benchmark_id', 'text', (c) => c.notNull().references('benchmarks.id'))
          .addColumn('identifier', 'text', (c) => c.notNull())
          .addColumn('prompt', 'text')
          .addColumn('prompt_asset', 'text')
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('sort_index', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addUniqueConstraint('benchmark_prompts_identifier', ['benchmark_id', 'identifier'])
          .execute();
        await db.schema
          .createTable('participants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('benchmark_id', 'text', (c) => c.notNull().references('benchmarks.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('submitted_at', ts)
          .execute();
        await db.schema
          .createIndex('participants_benchmark')
          .on('participants')
          .column('benchmark_id')
          .execute();
        await db.schema
          .createTable('participant_media')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
          .addColumn('prompt_id', 'text', (c) => c.notNull().references('benchmark_prompts.id'))
          .addColumn('item', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('participant_media_of')
          .on('participant_media')
          .column('participant_id')
          .execute();
        await db.schema
          .createTable('leaderboards')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('benchmark_id', 'text', (c) => c.notNull().references('benchmarks.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('instruction', 'text', (c) => c.notNull())
          .addColumn('show_prompt', 'integer', (c) => c.notNull())
          .addColumn('show_prompt_asset', 'integer', (c) => c.notNull())
          .addColumn('inverse_ranking', 'integer', (c) => c.notNull())
          .addColumn('level_of_detail', 'text', (c) => c.notNull())
          .addColumn('response_budget', 'integer', (c) => c.notNull())
          .addColumn('audience_id', 'text', (c) => c.notNull())
          .addColumn('responses_per_comparison', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('leaderboards_benchmark')
          .on('leaderboards')
          .column('benchmark_id')
          .execute();
        await db.schema
          .createTable('leaderboard_runs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('leaderboard_id', 'text', (c) => c.notNull().references('leaderboards.id'))
          .addColumn('focus', 'text', (c) => c.notNull())
          .addColumn('budget', 'integer', (c) => c.notNull())
          .addColumn('planned', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('leaderboard_runs_status')
          .on('leaderboard_runs')
          .columns(['status', 'leaderboard_id'])
          .execute();
        await db.schema
          .createTable('matchups')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('leaderboard_id', 'text', (c) => c.notNull().references('leaderboards.id'))
          .addColumn('run_id', 'text', (c) => c.notNull().references('leaderboard_runs.id'))
          .addColumn('prompt_id', 'text', (c) => c.notNull())
          .addColumn('media_a', 'text', (c) => c.notNull())
          .addColumn('media_b', 'text', (c) => c.notNull())
          .addColumn('participant_a', 'text', (c) => c.notNull())
          .addColumn('participant_b', 'text', (c) => c.notNull())
          .addColumn('wanted', 'integer', (c) => c.notNull())
          .addColumn('responses', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('matchups_open')
          .on('matchups')
          .columns(['leaderboard_id', 'status'])
          .execute();
        await db.schema
          .createTable('matchup_votes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('matchup_id', 'text', (c) => c.notNull())
          .addColumn('leaderboard_id', 'text', (c) => c.notNull().references('leaderboards.id'))
          .addColumn('prompt_id', 'text', (c) => c.notNull())
          .addColumn('participant_a', 'text', (c) => c.notNull())
          .addColumn('participant_b', 'text', (c) => c.notNull())
          .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('presentation', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addUniqueConstraint('matchup_votes_once', ['matchup_id', 'labeler_id'])
          .execute();
        await db.schema
          .createIndex('matchup_votes_leaderboard')
          .on('matchup_votes')
          .column('leaderboard_id')
          .execute();
        await db.schema
          .createTable('imported_votes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('leaderboard_id', 'text', (c) => c.notNull().references('leaderboards.id'))
          .addColumn('model_a', 'text', (c) => c.notNull())
          .addColumn('model_b', 'text', (c) => c.notNull())
          .addColumn('prompt_identifier', 'text')
          .addColumn('wins_a', 'integer', (c) => c.notNull())
          .addColumn('wins_b', 'integer', (c) => c.notNull())
          .addColumn('ties', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('imported_votes_leaderboard')
          .on('imported_votes')
          .column('leaderboard_id')
          .execute();
      },
    },
    // Dashboard sign-in (users/): users of an organization, their sessions and one-time links, secrets hashed.
    '0009_users': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('users_org').on('users').column('organization_id').execute();
        await db.schema
          .createTable('user_sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('expires_at', ts, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('user_sessions_user').on('user_sessions').column('user_id').execute();
        await db.schema
          .createTable('user_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('user_id', 'text', (c) => c.references('users.id'))
          .addColumn('role', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('expires_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('user_tokens_org')
          .on('user_tokens')
          .columns(['organization_id', 'kind'])
          .execute();
      },
    },
    '0010_flows_ranking': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('flows')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('instruction', 'text', (c) => c.notNull())
          .addColumn('audience_id', 'text', (c) => c.notNull())
          .addColumn('min_responses', 'integer', (c) => c.notNull())
          .addColumn('max_responses', 'integer', (c) => c.notNull())
          .addColumn('starting_elo', 'double precision', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('deleted_at', ts)
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('flows_org')
          .on('flows')
          .columns(['organization_id', 'created_at'])
          .execute();
        await db.schema
          .createTable('ranking_job_definitions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('instruction', 'text', (c) => c.notNull())
          .addColumn('data_type', 'text', (c) => c.notNull())
          .addColumn('comparison_budget', 'integer', (c) => c.notNull())
          .addColumn('responses_per_comparison', 'integer', (c) => c.notNull())
          .addColumn('random_ratio', 'double precision', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('groups', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('ranking_jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('definition_id', 'text', (c) => c.notNull().references('ranking_job_definitions.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('audience_id', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('rankings')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('flow_id', 'text', (c) => c.references('flows.id'))
          .addColumn('job_id', 'text', (c) => c.references('ranking_jobs.id'))
          .addColumn('sort_index', 'integer', (c) => c.notNull())
          .addColumn('instruction', 'text', (c) => c.notNull())
          .addColumn('audience_id', 'text', (c) => c.notNull())
          .addColumn('data_type', 'text', (c) => c.notNull())
          .addColumn('items', 'text', (c) => c.notNull())
          .addColumn('context', 'text')
          .addColumn('media_context', 'text')
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('private_metadata', 'text')
          .addColumn('min_responses', 'integer', (c) => c.notNull())
          .addColumn('max_responses', 'integer', (c) => c.notNull())
          .addColumn('responses_per_comparison', 'integer', (c) => c.notNull())
          .addColumn('random_ratio', 'double precision', (c) => c.notNull())
          .addColumn('starting_elo', 'double precision', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('responses', 'integer', (c) => c.notNull())
          .addColumn('planned', 'integer', (c) => c.notNull())
          .addColumn('expires_at', ts)
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('finished_at', ts)
          .execute();
        // Claims scan open rankings; the expiry task scans them by expires_at.
        await db.schema
          .createIndex('rankings_status')
          .on('rankings')
          .columns(['status', 'expires_at'])
          .execute();
        await db.schema
          .createIndex('rankings_flow')
          .on('rankings')
          .columns(['flow_id', 'created_at'])
          .execute();
        await db.schema
          .createIndex('rankings_job')
          .on('rankings')
          .columns(['job_id', 'sort_index'])
          .execute();
        await db.schema
          .createTable('ranking_matchups')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('ranking_id', 'text', (c) => c.notNull().references('rankings.id'))
          .addColumn('item_a', 'integer', (c) => c.notNull())
          .addColumn('item_b', 'integer', (c) => c.notNull())
          .addColumn('wanted', 'integer', (c) => c.notNull())
          .addColumn('responses', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('ranking_matchups_open')
          .on('ranking_matchups')
          .columns(['ranking_id', 'status'])
          .execute();
        await db.schema
          .createTable('ranking_votes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('matchup_id', 'text', (c) => c.notNull().references('ranking_matchups.id'))
          .addColumn('ranking_id', 'text', (c) => c.notNull().references('rankings.id'))
          .addColumn('item_a', 'integer', (c) => c.notNull())
          .addColumn('item_b', 'integer', (c) => c.notNull())
          .addColumn('labeler_id', 'text', (c) => c.notNull().references('labelers.id'))
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('presentation', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addUniqueConstraint('ranking_votes_once', ['matchup_id', 'labeler_id'])
          .execute();
        await db.schema
          .createIndex('ranking_votes_ranking')
          .on('ranking_votes')
          .column('ranking_id')
          .execute();
      },
    },
    // Models registered by their endpoint (models/): header values encrypted (AES-256-GCM, models/secrets.ts),
    // soft-deleted so later runs keep their model; names unique per organization among the live ones.
    '0011_models': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('models')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('publisher', 'text')
          .addColumn('architecture', 'text')
          .addColumn('parameter_count', 'double precision')
          .addColumn('visibility', 'text', (c) => c.notNull())
          .addColumn('publicly_runnable', 'integer', (c) => c.notNull())
          .addColumn('endpoint_url', 'text', (c) => c.notNull())
          .addColumn('endpoint_headers', 'text', (c) => c.notNull())
          .addColumn('body_template', 'text', (c) => c.notNull())
          .addColumn('response_path', 'text', (c) => c.notNull())
          .addColumn('requests_per_minute', 'double precision')
          .addColumn('tokens_per_minute', 'double precision')
          .addColumn('context_window_tokens', 'double precision')
          .addColumn('cost_per_1k_input', 'double precision')
          .addColumn('cost_per_1k_output', 'double precision')
          .addColumn('cost_per_hour', 'double precision')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .addColumn('deleted_at', ts)
          .execute();
        await db.schema
          .createIndex('models_org_name')
          .on('models')
          .columns(['organization_id', 'name'])
          .unique()
          .where(sql.ref('deleted_at'), 'is', null)
          .execute();
        await db.schema
          .createIndex('models_visibility')
          .on('models')
          .columns(['visibility', 'created_at'])
          .execute();
      },
    },
    // Evaluations (ground-truth item sets); touches no other table, so it applies in any order with 0011/0013.
    '0012_evaluations': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('evaluations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.references('organizations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('trusted', 'integer', (c) => c.notNull())
          .addColumn('visibility', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('evaluations_org_name')
          .on('evaluations')
          .columns(['organization_id', 'name'])
          .unique()
          .execute();
        await db.schema
          .createTable('evaluation_versions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('evaluation_id', 'text', (c) => c.notNull().references('evaluations.id'))
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('free_form_count', 'integer', (c) => c.notNull())
          .addColumn('multiple_choice_count', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addUniqueConstraint('evaluation_versions_once', ['evaluation_id', 'version'])
          .execute();
        await db.schema
          .createTable('evaluation_items')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('version_id', 'text', (c) => c.notNull().references('evaluation_versions.id'))
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('split', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('question', 'text', (c) => c.notNull())
          .addColumn('context', 'text')
          .addColumn('options', 'text')
          .addColumn('answers', 'text')
          .addColumn('correct_option', 'integer')
          .addColumn('benchmark', 'text')
          .addUniqueConstraint('evaluation_items_position', ['version_id', 'position'])
          .addUniqueConstraint('evaluation_items_key', ['version_id', 'split', 'key'])
          .execute();
      },
    },
    // Leaderboard options (tags in scope, vote aggregation), prompt tag categories, origins and English versions,
    // each run's prompts, each vote's trust score. Only benchmarks-room tables: independent of 0011-0013.
    '0014_leaderboard_options': {
      async up(db: Kysely<unknown>) {
        const add = async (
          table: string,
          column: string,
          type: 'text' | 'double precision',
          fallback?: string,
        ) => {
          await db.schema
            .alterTable(table)
            .addColumn(column, type, (c) => (fallback === undefined ? c : c.notNull().defaultTo(fallback)))
            .execute();
        };
        await add('leaderboards', 'included_tags', 'text', '[]');
        await add('leaderboards', 'excluded_tags', 'text', '[]');
        await add('leaderboards', 'vote_aggregation', 'text', 'all');
        await add('benchmark_prompts', 'structured_tags', 'text');
        await add('benchmark_prompts', 'origin', 'text');
        await add('benchmark_prompts', 'english_prompt', 'text');
        await add('leaderboard_runs', 'prompt_ids', 'text');
        await add('matchup_votes', 'user_score', 'double precision');
      },
    },
    // Evaluation runs (a model on one evaluation version), their per-item results with claim leases, and the
    // response cache. Only evaluations-room tables (referencing models and evaluation_versions).
    '0015_evaluation_runs': {
      async up(db: Kysely<any>) {
        const big = dialect === 'postgres' ? 'bigint' : 'integer';
        await db.schema
          .createTable('evaluation_runs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
          .addColumn('evaluation_id', 'text', (c) => c.notNull().references('evaluations.id'))
          .addColumn('version_id', 'text', (c) => c.notNull().references('evaluation_versions.id'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('inference_only', 'integer', (c) => c.notNull())
          .addColumn('grader', 'text')
          .addColumn('use_cache', 'integer', (c) => c.notNull())
          .addColumn('total_items', 'integer', (c) => c.notNull())
          .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('cached', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('score', 'double precision')
          .addColumn('scores', 'text')
          .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('cost', 'double precision', (c) => c.notNull().defaultTo(0))
          .addColumn('error', 'text')
          .addColumn('holder', 'text')
          .addColumn('lease_until', big, (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('started_at', ts)
          .addColumn('finished_at', ts)
          .addColumn('scored_at', ts)
          .execute();
        await db.schema
          .createIndex('evaluation_runs_org_created')
          .on('evaluation_runs')
          .columns(['organization_id', 'created_at'])
          .execute();
        await db.schema
          .createIndex('evaluation_runs_model_evaluation')
          .on('evaluation_runs')
          .columns(['model_id', 'evaluation_id', 'finished_at'])
          .execute();
        await db.schema
          .createIndex('evaluation_runs_status')
          .on('evaluation_runs')
          .columns(['status', 'lease_until'])
          .execute();
        await db.schema
          .createTable('evaluation_run_items')
          .addColumn('run_id', 'text', (c) => c.notNull())
          .addColumn('item_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text')
          .addColumn('prompt', 'text')
          .addColumn('raw_response', 'text')
          .addColumn('answer', 'text')
          .addColumn('grade', 'text')
          .addColumn('grade_error', 'text')
          .addColumn('score', 'double precision')
          .addColumn('parser', 'text')
          .addColumn('error', 'text')
          .addColumn('skip_reason', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('cached', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('latency_ms', 'double precision')
          .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('tokens_estimated', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('cost', 'double precision')
          .addColumn('finished_at', 'text')
          .addColumn('holder', 'text')
          .addColumn('lease_until', big, (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('evaluation_run_items_pk', ['run_id', 'item_id'])
          .execute();
        await db.schema
          .createTable('evaluation_response_cache')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('raw_response', 'text', (c) => c.notNull())
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('input_tokens', 'integer', (c) => c.notNull())
          .addColumn('output_tokens', 'integer', (c) => c.notNull())
          .addColumn('tokens_estimated', 'integer', (c) => c.notNull())
          .addColumn('latency_ms', 'double precision', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
      },
    },
    // Crowd-integrity limits (limits/): fixed-window rate-limit counters shared by every process; the keyed client
    // address hash on leases and responses (per-address caps); why an answer is flagged ('too_fast').
    '0016_limits': {
      async up(db: Kysely<any>) {
        const big = dialect === 'postgres' ? 'bigint' : 'integer';
        await db.schema
          .createTable('rate_limits')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('window_start', big, (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addColumn('expires_at', big, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('rate_limits_expires').on('rate_limits').column('expires_at').execute();
        await db.schema.alterTable('leases').addColumn('address_hash', 'text').execute();
        await db.schema.alterTable('responses').addColumn('address_hash', 'text').execute();
        await db.schema.alterTable('responses').addColumn('flagged_reason', 'text').execute();
        // Live leases per address (claims count them); only rows that have an address.
        await db.schema
          .createIndex('leases_address')
          .on('leases')
          .columns(['address_hash', 'expires_at'])
          .where(sql<boolean>`address_hash is not null`)
          .execute();
      },
    },
    // Gold that stays secret: examples get a purpose (existing ones stay qualification), audiences a feedback switch.
    '0017_secret_gold': {
      async up(db: Kysely<any>) {
        await db.schema
          .alterTable('audience_examples')
          .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('qualification'))
          .execute();
        await db.schema
          .alterTable('audiences')
          .addColumn('show_qualification_feedback', 'integer', (c) => c.notNull().defaultTo(1))
          .execute();
      },
    },
    // Recruitment (recruitment/): how labelers get into an audience (open, invite links, a recruiting site such as
    // Prolific), the links, each labeler's way in, and one labeler per participant id of a recruiting site.
    '0018_recruitment': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('audience_recruitment')
          .addColumn('audience_id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('study', 'text')
          .addColumn('updated_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('invite_links')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('audience_id', 'text', (c) => c.notNull())
          .addColumn('organization_id', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('max_uses', 'integer', (c) => c.notNull())
          .addColumn('uses', 'integer', (c) => c.notNull())
          .addColumn('label', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('revoked_at', ts)
          .execute();
        await db.schema
          .createIndex('invite_links_audience')
          .on('invite_links')
          .column('audience_id')
          .execute();
        await db.schema
          .createTable('audience_entries')
          .addColumn('audience_id', 'text', (c) => c.notNull())
          .addColumn('labeler_id', 'text', (c) => c.notNull())
          .addColumn('via', 'text', (c) => c.notNull())
          .addColumn('invite_id', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addPrimaryKeyConstraint('audience_entries_pk', ['audience_id', 'labeler_id'])
          .execute();
        await db.schema
          .createIndex('audience_entries_labeler')
          .on('audience_entries')
          .column('labeler_id')
          .execute();
        await db.schema
          .createTable('labeler_identities')
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('external_id', 'text', (c) => c.notNull())
          .addColumn('labeler_id', 'text', (c) => c.notNull())
          .addColumn('study_id', 'text')
          .addColumn('session_id', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .addPrimaryKeyConstraint('labeler_identities_pk', ['provider', 'external_id'])
          .execute();
        await db.schema
          .createIndex('labeler_identities_labeler')
          .on('labeler_identities')
          .column('labeler_id')
          .execute();
      },
    },
    // The keyed client address hash on leaderboard and ranking votes too, so a claim caps one address's votes on
    // one question (a pair of a leaderboard's prompt, a pair of a ranking) as it caps its answers per datapoint.
    '0020_vote_addresses': {
      async up(db: Kysely<any>) {
        const scopes = [
          ['matchup_votes', 'leaderboard_id'],
          ['ranking_votes', 'ranking_id'],
        ] as const;
        for (const [table, scope] of scopes) {
          await db.schema.alterTable(table).addColumn('address_hash', 'text').execute();
          await db.schema
            .createIndex(`${table}_address`)
            .on(table)
            .columns([scope, 'address_hash'])
            .where(sql<boolean>`address_hash is not null`)
            .execute();
        }
      },
    },
  };
}

// Kysely runs Postgres migrations in a transaction but SQLite ones without: each SQLite migration runs in its own,
// so a failed one (e.g. 0006's copy) leaves no half-made schema that every later start would fail on.
function inTransactions(set: Record<string, Migration>): Record<string, Migration> {
  const wrap = ({ up }: Migration): Migration => ({ up: (db) => db.transaction().execute((trx) => up(trx)) });
  return Object.fromEntries(Object.entries(set).map(([name, m]) => [name, wrap(m)]));
}

function migrator(db: Kysely<any>, dialect: DialectName): Migrator {
  const set = migrations(dialect);
  const provider: MigrationProvider = {
    getMigrations: async () => (dialect === 'sqlite' ? inTransactions(set) : set),
  };
  return new Migrator({ db, provider });
}

function throwIfFailed({ error, results }: MigrationResultSet): void {
  if (!error) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
  throw new Error(
    `Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/** Applies pending migrations; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<void> {
  throwIfFailed(await migrator(db, dialect).migrateToLatest());
}

/**
 * Applies pending migrations up to and including `name`, e.g. to hold a database at an older schema (upgrade
 * tests, future tooling); throws like migrateToLatest. Migrations have no `down`: `name` must not be behind.
 */
export async function migrateTo(db: Kysely<any>, dialect: DialectName, name: string): Promise<void> {
  throwIfFailed(await migrator(db, dialect).migrateTo(name));
}
