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
export { type Clock, createManualClock, systemClock } from './http/clock.ts';
export { AppError } from './http/errors.ts';
export { type ModelOptions, modelOptionsFromEnvironment } from './models/options.ts';
export * as models from './models/service.ts';
export { ListenError, type RunningServer, type ServerOptions, startServer } from './server.ts';
export * as users from './users/service.ts';
