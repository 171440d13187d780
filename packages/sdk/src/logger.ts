import { appendFileSync } from 'node:fs';
import { format } from 'node:util';
import { configWarnings, juryConfig, LOG_LEVELS, type LogLevel } from './config.ts';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warning: 30, error: 40 };

/**
 * The shape of {@link logger}.
 *
 * @example
 * ```ts
 * const log: Logger = logger;
 * log.warning('careful');
 * ```
 */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warning(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

function emit(level: LogLevel, message: string, args: unknown[]): void {
  // Validation warnings are queued by the config module; flush them through the same path.
  if (configWarnings.length > 0) {
    const pending = configWarnings.splice(0);
    for (const w of pending) emit('warning', w, []);
  }
  if (RANK[level] < RANK[juryConfig.logging.level]) return;
  const line = `${new Date().toISOString()} - jury - ${level.toUpperCase()} - ${format(message, ...args)}`;
  process.stderr.write(`${line}\n`);
  const file = juryConfig.logging.logFile;
  if (file) {
    try {
      appendFileSync(file, `${line}\n`);
    } catch (err) {
      process.stderr.write(`jury: cannot write log file ${file}: ${(err as Error).message}\n`);
    }
  }
}

/**
 * The SDK's logger. Honours `juryConfig.logging.level` and `logFile` at every call; lines go to stderr
 * (and the file) as `<time> - jury - LEVEL - message`.
 *
 * @example
 * ```ts
 * import { juryConfig, logger } from '@jury/sdk';
 * juryConfig.logging.level = 'info';
 * logger.info('uploaded %d files', 3);
 * ```
 */
export const logger: Logger = Object.fromEntries(
  LOG_LEVELS.map((level) => [level, (message: string, ...args: unknown[]) => emit(level, message, args)]),
) as unknown as Logger;

/**
 * Prints user-facing output to stdout unless `juryConfig.logging.silentMode` is on.
 *
 * @example
 * ```ts
 * import { say } from '@jury/sdk';
 * say('Uploaded %d files', 3);
 * ```
 */
export function say(message: string, ...args: unknown[]): void {
  if (!juryConfig.logging.silentMode) process.stdout.write(`${format(message, ...args)}\n`);
}
