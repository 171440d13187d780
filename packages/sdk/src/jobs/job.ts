import {
  getJobResultsCsvRoute,
  getJobResultsJsonlRoute,
  getJobResultsRoute,
  getJobRoute,
  type Job,
  type JobDefinitionType,
  type JobProgress,
  type JobStatus,
  pauseJobRoute,
  type ResultsOfType,
  resumeJobRoute,
} from '@jury/api';
import cliProgress from 'cli-progress';
import type { JuryClient } from '../client.ts';
import { juryConfig } from '../config.ts';
import { JuryConflictError, JuryError, JuryJobStalledError, JuryValidationError } from '../errors.ts';
import { say } from '../logger.ts';
import { checkOptions, optionKeys } from '../options.ts';
import { openInBrowser } from './definition.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Default seconds between status polls (the reference SDK polls every 5 s). */
export const DEFAULT_POLL_INTERVAL_MS = 5000;

/** How long waiting goes on by default once the job reports it cannot progress (`NO_ELIGIBLE_LABELERS`). */
export const DEFAULT_STALL_TIMEOUT_MS = 5 * 60_000;

/**
 * Progress of a job: its status, completed datapoints out of all, responses so far, percentage 0..100.
 *
 * @example
 * ```ts
 * const { status, completedTasks, totalTasks, completionPercentage } = await job.getProgress();
 * ```
 */
export interface JuryJobProgress extends JobProgress {
  status: JobStatus;
}

/** The bar's words on a job that cannot progress: ` | <reason>`, else nothing. */
const stallNote = (p: JuryJobProgress) => (p.stalled ? ` | ${p.stalled.reason}` : '');

/**
 * Options of {@link JuryJob.getResults} and {@link JuryJob.displayProgressBar}.
 *
 * @example
 * ```ts
 * const results = await job.getResults({ timeoutMs: 10 * 60_000, pollIntervalMs: 2000 });
 * ```
 */
export interface WaitOptions {
  /** Give up after this long with a `TIMEOUT` JuryError (default: wait as long as it takes). */
  timeoutMs?: number;
  /**
   * Give up with a {@link JuryJobStalledError} once the job has reported `stalled` with code `NO_ELIGIBLE_LABELERS`
   * (every labeler its audience admits has answered every open datapoint) for this long while waiting (default
   * 300000 ms, 5 minutes; `Infinity` waits for new labelers). Waiting for the first labelers, or for labelers who
   * left to come back, is shown but never ends the wait this way (bound it with `timeoutMs`).
   */
  stallTimeoutMs?: number;
  /** Time between status checks (default 5000 ms). */
  pollIntervalMs?: number;
}

const WAIT_KEYS = optionKeys<WaitOptions>({ timeoutMs: true, stallTimeoutMs: true, pollIntervalMs: true });
const RESULTS_KEYS = [...WAIT_KEYS, 'wait', 'includeExcluded'];
/** The results routes' query: dropped labelers' responses kept only when asked. */
const excludedQuery = (options: { includeExcluded?: boolean }) =>
  ({ includeExcluded: options.includeExcluded === true ? 'true' : 'false' }) as const;

/**
 * The results of a job of definition type `T`: {@link CompareResults} for `'compare'`, {@link ClassificationResults}
 * for `'classification'` (and the union of both for a job of either type).
 *
 * @example
 * ```ts
 * const results: ResultsOf<'compare'> = await compareJob.getResults();
 * console.log(results.summary.A_wins_total);
 * ```
 */
export type ResultsOf<T extends JobDefinitionType> = ResultsOfType<T>;

/**
 * A job read back by id or found by name: either type, told apart by `type`.
 *
 * @example
 * ```ts
 * const job = await client.job.getJobById('job_…');
 * if (job.type === 'classification') console.log((await job.getResults()).results.globalAggregatedData);
 * ```
 */
export type AnyJuryJob = JuryJobOf<JobDefinitionType>;

/**
 * The job of a definition of type `T`, distributed over a union: `JuryJobOf<'compare' | 'classification'>` is
 * {@link AnyJuryJob}, which narrows by `job.type`.
 *
 * @example
 * ```ts
 * const job: JuryJobOf<'compare'> = await audience.assignJob(compareDefinition);
 * ```
 */
export type JuryJobOf<T extends JobDefinitionType> = T extends JobDefinitionType ? JuryJob<T> : never;

/**
 * A job: a job definition assigned to an audience. `T` is its definition's type (`'compare'` or
 * `'classification'`); it decides the shape of {@link JuryJob.getResults}. A job read back by id is either,
 * told apart by `job.type`. Labelers answer its datapoints until each meets its
 * stopping rule; then it is `completed` and its results are final.
 *
 * @example
 * ```ts
 * const job = await audience.assignJob(definition);
 * await job.displayProgressBar();
 * const results = await job.getResults();
 * console.log(JSON.stringify(results, null, 2));
 * ```
 */
export class JuryJob<T extends JobDefinitionType = JobDefinitionType> {
  readonly id: string;
  /** Its definition's type: `'compare'` or `'classification'`. */
  readonly type: T;
  readonly name: string;
  readonly definitionId: string;
  readonly revision: number;
  readonly audienceId: string;
  readonly createdAt: string;
  /** The status when last read (see {@link JuryJob.getStatus}). */
  status: JobStatus;
  completedAt: string | null;
  readonly #client: JuryClient;

  constructor(client: JuryClient, data: Job, type: T) {
    this.#client = client;
    this.id = data.id;
    this.type = type;
    this.name = data.name;
    this.definitionId = data.definitionId;
    this.revision = data.revision;
    this.audienceId = data.audienceId;
    this.createdAt = data.createdAt;
    this.status = data.status;
    this.completedAt = data.completedAt;
  }

  async #read(): Promise<Job> {
    const { data } = await this.#client.call(getJobRoute, { params: { id: this.id } });
    this.status = data.status;
    this.completedAt = data.completedAt;
    return data;
  }

  /**
   * The job's current status: `created`, `running`, `paused`, `completed` or `failed`.
   *
   * @example
   * ```ts
   * if ((await job.getStatus()) === 'completed') console.log('done');
   * ```
   */
  async getStatus(): Promise<JobStatus> {
    return (await this.#read()).status;
  }

  /**
   * Progress without waiting: completed datapoints of all, responses so far, and the status.
   *
   * @example
   * ```ts
   * const p = await job.getProgress();
   * console.log(`${p.completedTasks}/${p.totalTasks} (${p.completionPercentage}%)`);
   * ```
   */
  async getProgress(): Promise<JuryJobProgress> {
    const data = await this.#read();
    return { status: data.status, ...data.progress };
  }

  /**
   * Shows a progress bar of completed datapoints until the job completes (on a terminal; otherwise prints a
   * line whenever progress changes; nothing in silent mode). When the job cannot progress, the bar's line says
   * why (`progress.stalled.reason`). Throws if the job fails, `timeoutMs` passes (`TIMEOUT`), or the job stays
   * stalled for `stallTimeoutMs` ({@link JuryJobStalledError}).
   *
   * @example
   * ```ts
   * await job.displayProgressBar();           // poll every 5 s
   * await job.displayProgressBar({ pollIntervalMs: 1000, timeoutMs: 30 * 60_000, stallTimeoutMs: 60_000 });
   * ```
   */
  async displayProgressBar(options: WaitOptions = {}): Promise<void> {
    checkOptions('displayProgressBar', options, WAIT_KEYS);
    const silent = juryConfig.logging.silentMode;
    const tty = !silent && process.stdout.isTTY === true;
    let bar: cliProgress.SingleBar | undefined;
    let last = '';
    try {
      await this.#waitForCompletion(options, (p) => {
        if (silent) return;
        if (tty) {
          if (!bar) {
            bar = new cliProgress.SingleBar(
              {
                format: `${this.name} [{bar}] {value}/{total} datapoints {percentage}% | {status} | {responses} responses{note}`,
                hideCursor: true,
                stream: process.stdout,
              },
              cliProgress.Presets.shades_classic,
            );
            bar.start(p.totalTasks, p.completedTasks, { status: p.status, responses: p.responses, note: '' });
          }
          bar.update(p.completedTasks, { status: p.status, responses: p.responses, note: stallNote(p) });
          return;
        }
        const line = `Job ${this.name} (${this.id}): ${p.completedTasks}/${p.totalTasks} datapoints complete (${p.completionPercentage}%), ${p.responses} responses, ${p.status}${stallNote(p)}`;
        if (line !== last) say(line);
        last = line;
      });
    } finally {
      bar?.stop();
    }
  }

  /**
   * Waits until the job completes (polling its status) and returns its results in the reference product's documented shape: compare
   * `{ info, summary, results }`, classification `{ info, results: { globalAggregatedData, data } }`. With
   * `{ wait: false }` returns the results so far at once; `{ includeExcluded: true }` keeps the responses of
   * labelers dropped by their gold accuracy (left out by default, counted in `integrity.excluded`). Waiting throws like {@link JuryJob.displayProgressBar}:
   * `TIMEOUT` after `timeoutMs`, {@link JuryJobStalledError} (with the reason) after `stallTimeoutMs` stalled.
   *
   * @example
   * ```ts
   * const results = await compareJob.getResults({ timeoutMs: 30 * 60_000 }); // CompareResults
   * console.log(results.summary.A_wins_total, results.summary.B_wins_total);
   * const any = await client.job.getJobById('job_…');
   * if (any.type === 'compare') console.log((await any.getResults()).summary.A_wins_total);
   * ```
   */
  async getResults(
    options: WaitOptions & { wait?: boolean; includeExcluded?: boolean } = {},
  ): Promise<ResultsOf<T>> {
    checkOptions('getResults', options, RESULTS_KEYS);
    if (options.wait ?? true) await this.#waitForCompletion(options);
    const { data } = await this.#client.call(getJobResultsRoute, {
      params: { id: this.id },
      query: excludedQuery(options),
    });
    // The server answers in the shape of the job's type, which T is.
    return data as ResultsOf<T>;
  }

  /**
   * The results as CSV text (RFC 4180, a header row, one row per datapoint), with the values of
   * {@link JuryJob.getResults}: compare rows carry both items, votes, ratios, summed trust scores and the winner;
   * classification rows the counts, ratios and confidence per category. Waits like `getResults` unless
   * `{ wait: false }`; `{ includeExcluded: true }` as in `getResults`.
   *
   * @example
   * ```ts
   * import { writeFile } from 'node:fs/promises';
   * await writeFile('results.csv', await job.getResultsCsv());
   * ```
   */
  async getResultsCsv(
    options: WaitOptions & { wait?: boolean; includeExcluded?: boolean } = {},
  ): Promise<string> {
    checkOptions('getResultsCsv', options, RESULTS_KEYS);
    if (options.wait ?? true) await this.#waitForCompletion(options);
    const res = await this.#client.send(getJobResultsCsvRoute, {
      params: { id: this.id },
      query: excludedQuery(options),
      headers: { accept: 'text/csv' },
    });
    return res.text();
  }

  /**
   * The results as JSON Lines text: one line per datapoint, its entry of {@link JuryJob.getResults} with its
   * `datapointId` and `index`. Waits like `getResults` unless `{ wait: false }`; `{ includeExcluded: true }` as in
   * `getResults`.
   *
   * @example
   * ```ts
   * const rows = (await job.getResultsJsonl()).trim().split('\n').map((line) => JSON.parse(line));
   * ```
   */
  async getResultsJsonl(
    options: WaitOptions & { wait?: boolean; includeExcluded?: boolean } = {},
  ): Promise<string> {
    checkOptions('getResultsJsonl', options, RESULTS_KEYS);
    if (options.wait ?? true) await this.#waitForCompletion(options);
    const res = await this.#client.send(getJobResultsJsonlRoute, {
      params: { id: this.id },
      query: excludedQuery(options),
      headers: { accept: 'application/jsonl' },
    });
    return res.text();
  }

  /**
   * Opens the job's page in the dashboard (`<url>/jobs/<id>`: live progress, results as pictures, downloads) in
   * your browser, prints the link and returns it. No browser opens when stdout is not a terminal, with
   * `BROWSER=none`, or with `{ open: false }`.
   *
   * @example
   * ```ts
   * const url = job.view(); // 'http://localhost:8787/jobs/job_…'
   * ```
   */
  view(options: { open?: boolean } = {}): string {
    checkOptions('view', options, ['open']);
    const url = `${this.#client.url}/jobs/${encodeURIComponent(this.id)}`;
    say('Job %s in the dashboard: %s', this.name, url);
    if (options.open ?? true) openInBrowser(url);
    return url;
  }

  /**
   * Pauses the job: labelers are no longer served its datapoints until {@link JuryJob.resume}.
   *
   * @example
   * ```ts
   * await job.pause();
   * ```
   */
  async pause(): Promise<void> {
    const { data } = await this.#client.call(pauseJobRoute, { params: { id: this.id } });
    this.status = data.status;
  }

  /**
   * Resumes a paused job.
   *
   * @example
   * ```ts
   * await job.resume();
   * ```
   */
  async resume(): Promise<void> {
    const { data } = await this.#client.call(resumeJobRoute, { params: { id: this.id } });
    this.status = data.status;
    this.completedAt = data.completedAt;
  }

  async #waitForCompletion(options: WaitOptions, onProgress?: (p: JuryJobProgress) => void): Promise<void> {
    const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (!(interval > 0))
      throw new JuryValidationError({
        code: 'VALIDATION_FAILED',
        message: `pollIntervalMs must be > 0; got ${interval}.`,
      });
    const stallTimeout = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    if (!(stallTimeout >= 0))
      throw new JuryValidationError({
        code: 'VALIDATION_FAILED',
        message: `stallTimeoutMs must be >= 0 (Infinity to wait for new labelers); got ${stallTimeout}.`,
      });
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    // When this wait first saw the job unable to progress (our clock: the server's may differ).
    let stalledSince: number | null = null;
    for (;;) {
      const p = await this.getProgress();
      onProgress?.(p);
      if (p.status === 'completed') return;
      if (p.status === 'failed')
        throw new JuryConflictError({
          code: 'CONFLICT',
          message: `Job ${this.id} failed; it has no complete results.`,
        });
      const now = Date.now();
      stalledSince = p.stalled?.code === 'NO_ELIGIBLE_LABELERS' ? (stalledSince ?? now) : null;
      if (p.stalled && stalledSince !== null && now - stalledSince >= stallTimeout)
        throw new JuryJobStalledError({
          message: `Job ${this.name} (${this.id}) cannot progress at ${p.completedTasks}/${p.totalTasks} datapoints, ${p.responses} responses: ${p.stalled.reason} (stalled for ${Math.round((now - stalledSince) / 1000)} s; stallTimeoutMs: Infinity waits for new labelers.)`,
          stall: p.stalled,
          details: { status: p.status, progress: p },
        });
      const left = deadline - now;
      if (left <= 0)
        throw new JuryError({
          code: 'TIMEOUT',
          message: `Job ${this.id} is still ${p.status} after ${options.timeoutMs} ms (${p.completedTasks}/${p.totalTasks} datapoints complete)${p.stalled ? `: ${p.stalled.reason}` : ''}. Wait longer, or call getResults({ wait: false }) for the results so far.`,
          details: { status: p.status, progress: p },
        });
      const stallLeft = stalledSince === null ? Infinity : stalledSince + stallTimeout - now;
      await sleep(Math.max(0, Math.min(interval, left, stallLeft)));
    }
  }

  /** @internal */
  toString(): string {
    return `JuryJob(id=${this.id}, name=${JSON.stringify(this.name)}, status=${this.status})`;
  }
}
