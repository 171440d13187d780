import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { blobStoreFor } from './assets/blob-store-for.ts';
import { bootstrapLocalOrganization } from './auth/service.ts';
import { type AppConfig, parseConfig } from './config/config.ts';
import { type DatabaseHandle, openDatabase } from './db/database.ts';
import { stopRuns } from './evaluations/runs/worker.ts';
import { type Clock, systemClock } from './http/clock.ts';
import { answerClientErrors, nodeServerOptions } from './http/node-errors.ts';
import { type ModelOptions, resolveModelOptions } from './models/options.ts';
import { TASKS } from './runtime/registry.ts';
import { createRuntime, type Runtime } from './runtime/runtime.ts';
import { issueSetupToken, linkUrl } from './users/service.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Data directory: the SQLite file, the media blobs (unless `config.s3Bucket` is set) and uploads being hashed. */
  dataDir?: string;
  /** Use PostgreSQL instead of the embedded database. */
  databaseUrl?: string | undefined;
  /** Validated by parseConfig at start; a wrong value throws ConfigError. */
  config?: Partial<AppConfig>;
  clock?: Clock;
  /** The built web app to serve at / and /label (`jury serve` passes packages/web/dist). */
  webDir?: string | undefined;
  /** Uniform [0, 1) source for labeling's random choices (tests inject a seeded one). */
  random?: () => number;
  /** Run the background tasks of runtime/registry.ts (default true); tests that drive them pass false. */
  backgroundTasks?: boolean;
  /** Endpoint header encryption key and allowed model hosts (JURY_SECRETS_KEY, JURY_MODEL_HOSTS). */
  models?: ModelOptions;
}

export interface RunningServer {
  url: string;
  port: number;
  database: DatabaseHandle;
  /** Where uploaded media are kept: the data directory's blobs/ or `s3://bucket/prefix`. */
  media: string;
  /** Set on the very first start: the local organization's client, to be saved for the SDK. */
  bootstrap: Awaited<ReturnType<typeof bootstrapLocalOrganization>>;
  /** While no dashboard user exists: the one-time link that creates the local organization's owner. */
  setupUrl: string | undefined;
  /** The background tasks (`runtime.runOnce(name)` runs one now). */
  runtime: Runtime;
  close(): Promise<void>;
}

/** The port could not be listened on (taken by another program, or privileged); nothing was started. */
export class ListenError extends Error {
  readonly host: string;
  readonly port: number;
  /** EADDRINUSE (taken), EACCES (needs privileges), EADDRNOTAVAIL (no such interface), … */
  readonly code: string;
  constructor(host: string, port: number, code: string, options?: { cause?: unknown }) {
    const reason =
      code === 'EADDRINUSE'
        ? 'is already in use by another program (or another Jury)'
        : code === 'EACCES'
          ? 'needs privileges to listen on'
          : code === 'EADDRNOTAVAIL'
            ? 'cannot be listened on: this machine has no interface with that address'
            : `cannot be listened on (${code})`;
    super(`Port ${port} on ${host} ${reason}.`, options);
    this.name = 'ListenError';
    this.host = host;
    this.port = port;
    this.code = code;
  }
}

/** Opens storage, applies migrations, listens, and creates the local organization on first start. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  // First, so a wrong setting fails with its one-line ConfigError before anything is opened.
  const config = parseConfig(options.config);
  const models = resolveModelOptions(options.models);
  const dataDir = resolve(options.dataDir ?? '.jury');
  const clock = options.clock ?? systemClock;
  // Media on disk, or in the bucket: a bucket that is missing or refuses us stops the start here.
  const blobs = await blobStoreFor(config, dataDir);
  await blobs.check();
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    sqliteFile: join(dataDir, 'jury.sqlite'),
  });
  const app = createApp({
    db: database.db,
    dialect: database.dialect,
    clock,
    blobs,
    config,
    webDir: options.webDir,
    random: options.random,
    models,
  });
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 8787;
  const server = serve({
    fetch: app.fetch,
    port: requestedPort,
    hostname: host,
    serverOptions: nodeServerOptions(config.requestTimeoutSeconds),
  });
  answerClientErrors(server as import('node:http').Server);
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('listening', () => resolveListen());
      server.once('error', reject);
    });
  } catch (err) {
    await database.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw code ? new ListenError(host, requestedPort, code, { cause: err }) : err;
  }
  // After listening, so a start that fails on its port does not create a client nobody saves.
  const bootstrap = await bootstrapLocalOrganization({ db: database.db, clock }).catch(async (err) => {
    await new Promise<void>((r) => server.close(() => r()));
    await database.close();
    throw err;
  });
  const setupToken = await issueSetupToken({ db: database.db, clock });
  const runtime = createRuntime({
    deps: { db: database.db, dialect: database.dialect, clock, config, models },
    tasks: TASKS,
  });
  if (options.backgroundTasks !== false) await runtime.start();
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host === '127.0.0.1' ? 'localhost' : host;
  const url = `http://${shownHost}:${port}`;
  return {
    url,
    port,
    database,
    media: blobs.description,
    bootstrap,
    setupUrl: setupToken ? linkUrl(url, 'setup', setupToken) : undefined,
    runtime,
    async close() {
      // Connections holding an unread body (e.g. after a 413) would keep close() waiting forever.
      const closed = new Promise<void>((r) => server.close(() => r()));
      (server as import('node:http').Server).closeAllConnections?.();
      // A background run in progress finishes before the database closes.
      await Promise.all([closed, runtime.stop()]);
      await stopRuns(database.db);
      await database.close();
    },
  };
}
