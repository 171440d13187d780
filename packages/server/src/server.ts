import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { type AppConfig, createApp, DEFAULT_CONFIG } from './app.ts';
import { createDiskBlobStore } from './assets/blob-store.ts';
import { bootstrapLocalOrganization } from './auth/service.ts';
import { type DatabaseHandle, openDatabase } from './db/database.ts';
import { type Clock, systemClock } from './http/clock.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Data directory: the SQLite file and the media blobs. */
  dataDir?: string;
  /** Use PostgreSQL instead of the embedded database. */
  databaseUrl?: string | undefined;
  config?: Partial<AppConfig>;
  clock?: Clock;
  /** The built web app to serve at / and /label (`jury serve` passes packages/web/dist). */
  webDir?: string | undefined;
  /** Uniform [0, 1) source for labeling's random choices (tests inject a seeded one). */
  random?: () => number;
}

export interface RunningServer {
  url: string;
  port: number;
  database: DatabaseHandle;
  /** Set on the very first start: the local organization's client, to be saved for the SDK. */
  bootstrap: Awaited<ReturnType<typeof bootstrapLocalOrganization>>;
  close(): Promise<void>;
}

/** Opens storage, applies migrations, creates the local organization on first start and listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = resolve(options.dataDir ?? '.jury');
  const clock = options.clock ?? systemClock;
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    sqliteFile: join(dataDir, 'jury.sqlite'),
  });
  const bootstrap = await bootstrapLocalOrganization({ db: database.db, clock });
  const app = createApp({
    db: database.db,
    dialect: database.dialect,
    clock,
    blobs: createDiskBlobStore(dataDir),
    config: { ...DEFAULT_CONFIG, ...options.config },
    webDir: options.webDir,
    random: options.random,
  });
  const host = options.host ?? '127.0.0.1';
  const server = serve({ fetch: app.fetch, port: options.port ?? 8787, hostname: host });
  await new Promise<void>((resolveListen, reject) => {
    server.once('listening', () => resolveListen());
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host === '127.0.0.1' ? 'localhost' : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    database,
    bootstrap,
    async close() {
      // Connections holding an unread body (e.g. after a 413) would keep close() waiting forever.
      const closed = new Promise<void>((r) => server.close(() => r()));
      (server as import('node:http').Server).closeAllConnections?.();
      await closed;
      await database.close();
    },
  };
}
