import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
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
  };
}

/** Applies pending migrations; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
