/**
 * Log levels, lowest first.
 *
 * @example
 * ```ts
 * LOG_LEVELS.includes('info'); // true
 * ```
 */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;
/**
 * One of {@link LOG_LEVELS}.
 *
 * @example
 * ```ts
 * const level: LogLevel = 'debug';
 * juryConfig.logging.level = level;
 * ```
 */
export type LogLevel = (typeof LOG_LEVELS)[number];

type Field<T> = {
  env: string;
  default: T;
  parse: (raw: string) => T | undefined;
  validate: (value: T) => T;
};

const TRUTHY = new Set(['1', 'true', 'yes']);
const parseBool = (raw: string) => TRUTHY.has(raw.trim().toLowerCase());
const parseLevel = (raw: string): LogLevel | undefined => {
  const v = raw.trim().toLowerCase();
  const level = v === 'warn' ? 'warning' : v === 'critical' ? 'error' : v;
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : undefined;
};
const parseInteger = (raw: string) => (/^\s*-?\d+\s*$/.test(raw) ? Number.parseInt(raw, 10) : undefined);

function positiveInt(name: string, min: number, warnAbove?: number) {
  return (value: number) => {
    if (!Number.isInteger(value) || value < min)
      throw new RangeError(`juryConfig.${name} must be an integer ≥ ${min}; got ${String(value)}.`);
    if (warnAbove !== undefined && value > warnAbove)
      warnEnv(`juryConfig.${name} = ${value} is above ${warnAbove}; this may overload the server.`);
    return value;
  };
}

/** @internal Warnings produced by validation; the logger drains them (config cannot import the logger). */
export const configWarnings: string[] = [];
// Environment values are re-read on every access; complain about each bad value once.
const warnedEnv = new Set<string>();
function warnEnv(message: string) {
  if (warnedEnv.has(message)) return;
  warnedEnv.add(message);
  configWarnings.push(message);
}

const FIELDS = {
  'logging.level': {
    env: 'JURY_LOG_LEVEL',
    default: 'warning' as LogLevel,
    parse: parseLevel,
    validate: (v: LogLevel) => {
      const level = typeof v === 'string' ? parseLevel(v) : undefined;
      if (!level) throw new RangeError(`juryConfig.logging.level must be one of ${LOG_LEVELS.join(', ')}.`);
      return level;
    },
  } satisfies Field<LogLevel>,
  'logging.logFile': {
    env: 'JURY_LOG_FILE',
    default: undefined as string | undefined,
    parse: (raw: string) => (raw.trim() === '' ? undefined : raw),
    validate: (v: string | undefined) => {
      if (v !== undefined && typeof v !== 'string')
        throw new TypeError('juryConfig.logging.logFile must be a path or undefined.');
      return v === '' ? undefined : v;
    },
  } satisfies Field<string | undefined>,
  'logging.silentMode': {
    env: 'JURY_SILENT_MODE',
    default: false,
    parse: parseBool,
    validate: (v: boolean) => {
      if (typeof v !== 'boolean') throw new TypeError('juryConfig.logging.silentMode must be a boolean.');
      return v;
    },
  } satisfies Field<boolean>,
  'upload.maxWorkers': {
    env: 'JURY_MAX_WORKERS',
    default: 25,
    parse: parseInteger,
    validate: positiveInt('upload.maxWorkers', 1, 200),
  } satisfies Field<number>,
  'upload.maxRetries': {
    env: 'JURY_MAX_RETRIES',
    default: 3,
    parse: parseInteger,
    validate: positiveInt('upload.maxRetries', 0),
  } satisfies Field<number>,
};

type Fields = typeof FIELDS;
type Key = keyof Fields;
type ValueOf<K extends Key> = Fields[K]['default'];

const assigned = new Map<Key, unknown>();

/** Precedence: a value assigned in code, else the environment variable (read now), else the default. */
function read<K extends Key>(key: K): ValueOf<K> {
  if (assigned.has(key)) return assigned.get(key) as ValueOf<K>;
  const field = FIELDS[key] as unknown as Field<ValueOf<K>>;
  const raw = process.env[field.env];
  if (raw !== undefined && raw !== '') {
    const parsed = field.parse(raw);
    if (parsed === undefined) {
      warnEnv(`Ignoring ${field.env}=${JSON.stringify(raw)}: not a valid value.`);
    } else {
      try {
        return field.validate(parsed);
      } catch (err) {
        warnEnv(`Ignoring ${field.env}=${JSON.stringify(raw)}: ${(err as Error).message}`);
      }
    }
  }
  return field.default;
}

function write<K extends Key>(key: K, value: ValueOf<K> | undefined): void {
  // Assigning undefined clears the code value, so the environment or default applies again
  // (assign '' to logFile to turn file logging off whatever the environment says).
  if (value === undefined) {
    assigned.delete(key);
    return;
  }
  const field = FIELDS[key] as unknown as Field<ValueOf<K>>;
  assigned.set(key, field.validate(value as ValueOf<K>));
}

/**
 * Logging settings of {@link juryConfig}.
 *
 * @example
 * ```ts
 * juryConfig.logging.logFile = '/tmp/jury.log';
 * ```
 */
export interface LoggingConfig {
  /** Lowest level written: `'debug' | 'info' | 'warning' | 'error'`. Env `JURY_LOG_LEVEL`; default `'warning'`. */
  level: LogLevel;
  /** Also append log lines to this file. Env `JURY_LOG_FILE`; default none. */
  logFile: string | undefined;
  /** Suppress prints and progress bars (not logging). Env `JURY_SILENT_MODE` (1/true/yes); default false. */
  silentMode: boolean;
}

/**
 * Upload settings of {@link juryConfig}.
 *
 * @example
 * ```ts
 * juryConfig.upload.maxRetries = 5;
 * ```
 */
export interface UploadConfig {
  /** Concurrent uploads. Env `JURY_MAX_WORKERS`; default 25; at least 1, a warning above 200. */
  maxWorkers: number;
  /** Retries after a network error, 429 or 5xx (never after another 4xx). Env `JURY_MAX_RETRIES`; default 3. */
  maxRetries: number;
}

/**
 * The shape of {@link juryConfig}.
 *
 * @example
 * ```ts
 * const snapshot = juryConfig.toJSON(); // { logging: {…}, upload: {…} }
 * ```
 */
export interface JuryConfig {
  readonly logging: LoggingConfig;
  readonly upload: UploadConfig;
  /** Forget every value assigned in code, so environment variables and defaults apply again. */
  reset(): void;
  /** A plain snapshot of the effective values. */
  toJSON(): { logging: LoggingConfig; upload: UploadConfig };
}

function section<K extends Key>(prefix: string, keys: K[]) {
  const obj = {};
  for (const key of keys) {
    Object.defineProperty(obj, key.slice(prefix.length + 1), {
      enumerable: true,
      get: () => read(key),
      set: (v: ValueOf<K>) => write(key, v),
    });
  }
  return Object.seal(obj);
}

/**
 * The SDK's global configuration. Precedence: values assigned in code, then `JURY_*` environment
 * variables (read each time a value is used), then defaults. Assignments are validated.
 *
 * @example
 * ```ts
 * import { juryConfig } from '@jury/sdk';
 * juryConfig.logging.level = 'info';      // code beats JURY_LOG_LEVEL
 * juryConfig.upload.maxWorkers = 8;       // at most 8 concurrent uploads
 * juryConfig.logging.silentMode = true;   // no progress bars
 * ```
 */
export const juryConfig: JuryConfig = Object.freeze({
  logging: section('logging', ['logging.level', 'logging.logFile', 'logging.silentMode']) as LoggingConfig,
  upload: section('upload', ['upload.maxWorkers', 'upload.maxRetries']) as UploadConfig,
  reset() {
    assigned.clear();
  },
  toJSON() {
    return {
      logging: { ...juryConfig.logging },
      upload: { ...juryConfig.upload },
    };
  },
});
