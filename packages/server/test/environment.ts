// Test databases shared by server, CLI, SDK and e2e tests: real ones, never mocks. Not shipped (outside src/).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabaseTarget {
  name: 'sqlite' | 'postgres';
  /** `undefined` means the embedded SQLite database. */
  databaseUrl: string | undefined;
}

/** SQLite always; Postgres too when TEST_DATABASE_URL is set (CI sets it). */
export function testDatabaseTargets(): TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [{ name: 'sqlite', databaseUrl: undefined }];
  if (process.env.TEST_DATABASE_URL)
    targets.push({ name: 'postgres', databaseUrl: process.env.TEST_DATABASE_URL });
  return targets;
}

/** A fresh, empty Postgres database next to `baseUrl`; `drop()` removes it. */
export async function createPostgresDatabase(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `jury_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A temp data directory and, for Postgres targets, a fresh database; `cleanup()` removes both. */
export async function createTestEnvironment(target: TestDatabaseTarget) {
  const dataDir = await mkdtemp(join(tmpdir(), 'jury-test-'));
  const pgDb = target.databaseUrl ? await createPostgresDatabase(target.databaseUrl) : undefined;
  return {
    dataDir,
    databaseUrl: pgDb?.url,
    async cleanup() {
      await pgDb?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
