import type { JobDefinitionType } from '@jury/api';
import { JuryError } from '../errors.ts';
import type { JuryJobDefinition } from './definition.ts';

/**
 * One datapoint as you gave it: its items (a pair for compare, one item for classification) and its context,
 * media context and private metadata, with its position in your input.
 *
 * @example
 * ```ts
 * const dp: DatapointInput = { index: 2, datapoint: ['missing.jpg', 'b.jpg'], context: 'A red book' };
 * ```
 */
export interface DatapointInput {
  /** Position in the `datapoints` you passed. */
  index: number;
  datapoint: string | string[];
  context?: string;
  mediaContext?: string[];
  privateMetadata?: Record<string, string>;
}

/**
 * Why one datapoint did not make it into the job definition (the reference SDK's `FailedUpload`).
 *
 * @example
 * ```ts
 * for (const f of err.failedUploads) console.log(f.item.datapoint, f.errorType, f.errorMessage, f.cause?.message);
 * ```
 */
export interface FailedDatapointUpload {
  item: DatapointInput;
  /** Human-readable: what went wrong (the same text for every datapoint whose assets failed). */
  errorMessage: string;
  /** `AssetUploadFailed` (an item or media context did not upload) or the API error code of a failed request. */
  errorType: string;
  timestamp: Date;
  /** The underlying error (for asset failures: the first failing asset's). */
  cause?: Error;
  /** Every failing asset of this datapoint and why. */
  assets?: { item: string; error: Error }[];
}

/** What `retryFailed()` runs: uploads the failed datapoints again and adds them to the definition. */
export type RetryFailed<T extends JobDefinitionType = JobDefinitionType> = (
  failed: readonly FailedDatapointUpload[],
) => Promise<JuryJobDefinition<T>>;

/**
 * Some datapoints could not be uploaded. As the reference product's Error Handling guide documents, the job definition
 * is still created with the datapoints that did upload (`jobDefinition`; undefined when none did, then nothing was
 * created). `retryFailed()` uploads the failed ones again and adds them to the definition.
 *
 * @example
 * ```ts
 * import { FailedUploadError } from '@jury/sdk';
 * let definition;
 * try {
 *   definition = await client.job.createClassificationJobDefinition({
 *     name: 'Pets', instruction: 'What animal is this?', answerOptions: ['Cat', 'Dog'],
 *     datapoints: ['cat1.jpg', 'dog1.jpg', 'missing.jpg'],
 *   });
 * } catch (err) {
 *   if (!(err instanceof FailedUploadError)) throw err;
 *   console.log(err.failuresByReason);
 *   definition = err.jobDefinition;            // continue with what uploaded
 *   // ...or fix the files and: definition = await err.retryFailed();
 * }
 * ```
 */
export class FailedUploadError<T extends JobDefinitionType = JobDefinitionType> extends JuryError {
  /** The definition created from the datapoints that uploaded; undefined when none did. */
  readonly jobDefinition: JuryJobDefinition<T> | undefined;
  readonly failedUploads: FailedDatapointUpload[];
  readonly #retry: RetryFailed<T>;

  constructor(
    jobDefinition: JuryJobDefinition<T> | undefined,
    failedUploads: FailedDatapointUpload[],
    total: number,
    retry: RetryFailed<T>,
  ) {
    const reasons = groupReasons(failedUploads);
    const lines = [
      `${failedUploads.length} of ${total} datapoints failed to upload; ${
        jobDefinition
          ? `job definition ${jobDefinition.id} has the other ${total - failedUploads.length}.`
          : 'no job definition was created.'
      }`,
      ...reasons.map(([reason, n]) => `  ${n} × ${reason}`),
      /EMFILE|too many open files/i.test(reasons.map(([r]) => r).join('\n'))
        ? 'Too many open files: lower juryConfig.upload.maxWorkers.'
        : '',
      'Fix the cause and call err.retryFailed() to upload the failed datapoints again.',
    ].filter(Boolean);
    super({
      code: 'UPLOAD_FAILED',
      message: lines.join('\n'),
      details: failedUploads.map((f) => ({
        index: f.item.index,
        errorType: f.errorType,
        errorMessage: f.errorMessage,
      })),
    });
    this.jobDefinition = jobDefinition;
    this.failedUploads = failedUploads;
    this.#retry = retry;
  }

  /** The failed datapoints grouped by error message. */
  get failuresByReason(): Record<string, DatapointInput[]> {
    const out: Record<string, DatapointInput[]> = {};
    for (const f of this.failedUploads) {
      const list = out[f.errorMessage] ?? [];
      list.push(f.item);
      out[f.errorMessage] = list;
    }
    return out;
  }

  /**
   * Uploads the failed datapoints again and adds those that now succeed to the definition (creating it if
   * nothing had uploaded before). Throws a new `FailedUploadError` for any that still fail.
   *
   * @example
   * ```ts
   * const definition = await err.retryFailed();
   * ```
   */
  retryFailed(): Promise<JuryJobDefinition<T>> {
    return this.#retry(this.failedUploads);
  }
}

/** Reasons with counts; asset failures list the distinct underlying asset errors. */
function groupReasons(failed: readonly FailedDatapointUpload[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const f of failed) {
    const detail = f.assets?.length
      ? `${f.errorMessage}: ${[...new Set(f.assets.map((a) => a.error.message))].join('; ')}`
      : f.errorMessage;
    counts.set(detail, (counts.get(detail) ?? 0) + 1);
  }
  return [...counts];
}
