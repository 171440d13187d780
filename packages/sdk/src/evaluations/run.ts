import {
  cancelEvaluationRunRoute,
  type EvaluationRun,
  type EvaluationRunItem,
  type EvaluationRunItemsQuery,
  getEvaluationRunRoute,
  type ListPage,
  listEvaluationRunItemsRoute,
  scoreEvaluationRunRoute,
} from '@jury/api';
import cliProgress from 'cli-progress';
import type { JuryClient } from '../client.ts';
import { juryConfig } from '../config.ts';
import { JuryError } from '../errors.ts';
import { say } from '../logger.ts';

/**
 * Options of {@link EvaluationRunHandle.waitUntilDone} and {@link EvaluationRunHandle.displayProgressBar}.
 *
 * @example
 * ```ts
 * const done = await run.waitUntilDone({ pollIntervalMs: 500, timeoutMs: 60 * 60_000 });
 * ```
 */
export interface RunWaitOptions {
  /** Give up after this long with a `TIMEOUT` JuryError (default: wait as long as it takes). */
  timeoutMs?: number;
  /** Time between status checks (default 1000 ms). */
  pollIntervalMs?: number;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/**
 * One evaluation run: the server runs it in the background; this handle reads its progress, waits for it,
 * pages its per-item results and scores it again.
 *
 * @example
 * ```ts
 * const run = await client.evaluations.run({ model: 'mdl_…', evaluation: 'mixeval-hard', version: '2024-06-01' });
 * await run.displayProgressBar();
 * console.log(run.data.score, run.data.splits);
 * ```
 */
export class EvaluationRunHandle {
  readonly id: string;
  /** The run as last read (see {@link EvaluationRunHandle.refresh}). */
  data: EvaluationRun;
  readonly #client: JuryClient;

  constructor(client: JuryClient, data: EvaluationRun) {
    this.#client = client;
    this.id = data.id;
    this.data = data;
  }

  /**
   * Reads the run again: its status, progress and score.
   *
   * @example
   * ```ts
   * const { progress } = await run.refresh();
   * ```
   */
  async refresh(): Promise<EvaluationRun> {
    this.data = (await this.#client.call(getEvaluationRunRoute, { params: { id: this.id } })).data;
    return this.data;
  }

  /**
   * Waits until the run is completed, failed or cancelled, and returns it (a failed run's `error` says why).
   *
   * @example
   * ```ts
   * const done = await run.waitUntilDone();
   * if (done.status === 'completed') console.log(done.score);
   * ```
   */
  async waitUntilDone(options: RunWaitOptions = {}, onProgress?: (run: EvaluationRun) => void) {
    const started = Date.now();
    const poll = options.pollIntervalMs ?? 1000;
    for (;;) {
      const run = await this.refresh();
      onProgress?.(run);
      if (FINISHED.has(run.status)) return run;
      if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs)
        throw new JuryError({
          code: 'TIMEOUT',
          message: `Run ${this.id} did not finish within ${options.timeoutMs} ms (it is ${run.status}).`,
        });
      await new Promise((r) => setTimeout(r, poll));
    }
  }

  /**
   * Shows a progress bar of finished items until the run is done (on a terminal; otherwise a line whenever
   * progress changes; nothing in silent mode), and returns the run.
   *
   * @example
   * ```ts
   * const done = await run.displayProgressBar();
   * ```
   */
  async displayProgressBar(options: RunWaitOptions = {}): Promise<EvaluationRun> {
    const silent = juryConfig.logging.silentMode;
    const tty = !silent && process.stdout.isTTY === true;
    let bar: cliProgress.SingleBar | undefined;
    let last = '';
    try {
      return await this.waitUntilDone(options, (run) => {
        if (silent) return;
        const p = run.progress;
        const extra = { status: run.status, failed: p.failed, cached: p.cached };
        if (tty) {
          if (!bar) {
            bar = new cliProgress.SingleBar(
              {
                format: `${run.evaluation} ${run.version} [{bar}] {value}/{total} items {percentage}% | {status} | {cached} cached, {failed} failed | ETA {eta_formatted}`,
                hideCursor: true,
                stream: process.stdout,
              },
              cliProgress.Presets.shades_classic,
            );
            bar.start(p.total, p.finished, extra);
          }
          bar.update(p.finished, extra);
          return;
        }
        const line = `Run ${this.id}: ${p.finished}/${p.total} items (${p.cached} cached, ${p.failed} failed, ${p.skipped} skipped), ${run.status}`;
        if (line !== last) say(line);
        last = line;
      });
    } finally {
      bar?.stop();
    }
  }

  /**
   * One page of per-item results in the evaluation's order: prompt, raw response, answer, grade, latency, tokens.
   *
   * @example
   * ```ts
   * const { data } = await run.items({ status: 'failed' });
   * ```
   */
  async items(query: EvaluationRunItemsQuery = {}): Promise<ListPage<EvaluationRunItem>> {
    return this.#client.call(listEvaluationRunItemsRoute, { params: { id: this.id }, query });
  }

  /**
   * Grades the stored answers again (`rules`, or a judge model's id) and updates the run's score.
   *
   * @example
   * ```ts
   * const rescored = await run.score({ grader: 'mdl_judge…' });
   * ```
   */
  async score(options: { grader?: string } = {}): Promise<EvaluationRun> {
    this.data = (
      await this.#client.call(scoreEvaluationRunRoute, { params: { id: this.id }, json: options })
    ).data;
    return this.data;
  }

  /**
   * Cancels the run; answers stored so far are kept.
   *
   * @example
   * ```ts
   * await run.cancel();
   * ```
   */
  async cancel(): Promise<EvaluationRun> {
    this.data = (await this.#client.call(cancelEvaluationRunRoute, { params: { id: this.id } })).data;
    return this.data;
  }
}
