import cliProgress from 'cli-progress';
import { juryConfig } from './config.ts';

/**
 * A progress bar handle (a no-op when bars are off).
 *
 * @example
 * ```ts
 * const bar: Progress = createProgress(10, 'Working');
 * bar.increment();
 * bar.stop();
 * ```
 */
export interface Progress {
  increment(): void;
  stop(): void;
}

/**
 * A progress bar on stdout, shown only when `juryConfig.logging.silentMode` is off and stdout is a
 * terminal; otherwise a no-op.
 *
 * @example
 * ```ts
 * const bar = createProgress(paths.length, 'Uploading');
 * for (const p of paths) { await client.assets.upload(p); bar.increment(); }
 * bar.stop();
 * ```
 */
export function createProgress(total: number, label: string): Progress {
  if (juryConfig.logging.silentMode || !process.stdout.isTTY || total === 0)
    return { increment() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted}`,
      hideCursor: true,
      stream: process.stdout,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    increment: () => bar.increment(),
    stop: () => bar.stop(),
  };
}
