export { type App, type AppDeps, createApp, VERSION } from './app.ts';
export { createDiskBlobStore } from './assets/blob-store.ts';
export * as auth from './auth/service.ts';
export {
  type AppConfig,
  CONFIG_KNOBS,
  ConfigError,
  type ConfigKnob,
  configFromEnvironment,
  configFromOptions,
  DEFAULT_CONFIG,
  parseConfig,
} from './config/config.ts';
export { type DatabaseHandle, DatabaseOpenError, type Db, openDatabase } from './db/database.ts';
export { itemPrompt } from './evaluations/prompts.ts';
// Evaluation runs: the engine and the endpoint limiter (the database store is wired in evaluations/).
export { createMemoryResponseCache, stableHash } from './evaluations/runner/cache.ts';
export { type RunLimits, type RunOptions, runItems } from './evaluations/runner/engine.ts';
export { createMemoryRunStore } from './evaluations/runner/memory-store.ts';
export { failureKindOfStatus } from './evaluations/runner/retry.ts';
export { createSqliteFileRunStore } from './evaluations/runner/sqlite-file-store.ts';
export type * from './evaluations/runner/types.ts';
export { type Clock, createManualClock, systemClock } from './http/clock.ts';
export { AppError } from './http/errors.ts';
export { createLimiter, type EndpointLimits, type Limiter, parseRetryAfter } from './models/limiter.ts';
export { type ModelOptions, modelOptionsFromEnvironment } from './models/options.ts';
export * as models from './models/service.ts';
export { ListenError, type RunningServer, type ServerOptions, startServer } from './server.ts';
export * as users from './users/service.ts';
