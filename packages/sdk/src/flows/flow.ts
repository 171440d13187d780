import { basename } from 'node:path';
import {
  createFlowBatchRoute,
  createFlowBatchSchema,
  deleteFlowRoute,
  type Flow,
  type FlowItem,
  type FlowItemResult,
  getFlowItemResponseCountRoute,
  getFlowItemResultsRoute,
  getFlowItemRoute,
  getFlowItemWinLossMatrixRoute,
  listFlowItemsRoute,
  type RankingStatus,
  stopFlowItemRoute,
  updateFlowConfigRoute,
  updateFlowConfigSchema,
  type WinLossMatrix,
} from '@jury/api';
import type { DataType, ResolvedItem } from '../assets.ts';
import type { JuryClient } from '../client.ts';
import { JuryUploadError } from '../errors.ts';
import { toItemInput } from '../jobs/upload.ts';
import { logger } from '../logger.ts';
import { checked, invalidField, pendingMedia } from '../mri/inputs.ts';
import { optionKeys } from '../options.ts';
import { CONFIG_KEYS, checkFlowOptions, configBody, type FlowConfigChanges } from './options.ts';

/** Statuses after which a flow item changes no more. */
const FINISHED: readonly RankingStatus[] = ['completed', 'incomplete', 'stopped'];

/**
 * Options of {@link JuryFlow.createNewFlowBatch}.
 *
 * @example
 * ```ts
 * await flow.createNewFlowBatch(['a.png', 'b.png'], { context: 'Model X', timeToLive: 300 });
 * ```
 */
export interface FlowBatchOptions {
  /** Shown with every comparison of this item. */
  context?: string;
  /** Reference media (paths or URLs, 1..10) shown with it. */
  contextAssets?: string[];
  /** 'media' (paths and URLs, the default) or 'text'. */
  dataType?: DataType;
  /** Seconds (at least 60) after which the item stops receiving comparisons and reports what it has. */
  timeToLive?: number;
  /** Returned with the item, never shown to labelers. */
  privateMetadata?: Record<string, string>;
  /**
   * When some datapoints fail to upload, create the item from the others (at least two) with a warning instead of
   * throwing the {@link JuryUploadError}. Default false.
   */
  acceptFailedUploads?: boolean;
}

/**
 * @internal Checks a batch against the contract before anything uploads: datapoints (2..100, unique), context,
 * contextAssets (1..10), timeToLive, privateMetadata.
 */
function checkBatch(datapoints: unknown, options: FlowBatchOptions, dataType: DataType): void {
  if (!Array.isArray(datapoints))
    throw invalidField(
      'createNewFlowBatch',
      'datapoints',
      'datapoints is a list of file paths, URLs or texts.',
    );
  const items = datapoints.map((d, i) => {
    if (typeof d !== 'string' || d.trim() === '')
      throw invalidField(
        'createNewFlowBatch',
        `datapoints.${i}`,
        `datapoints[${i}] is ${JSON.stringify(d)}.`,
      );
    // the name the upload will give it (a URL, else the file name), so repeated items are named before uploading
    return dataType === 'text'
      ? { text: d }
      : { assetId: 'pending', name: /^https?:\/\//i.test(d) ? d : basename(d) };
  });
  const { acceptFailedUploads: _, ...rest } = options;
  checked('createNewFlowBatch', createFlowBatchSchema, {
    ...rest,
    datapoints: items,
    dataType,
    contextAssets: pendingMedia('createNewFlowBatch', 'contextAssets', options.contextAssets),
  });
}

const BATCH_KEYS = optionKeys<FlowBatchOptions>({
  context: true,
  contextAssets: true,
  dataType: true,
  timeToLive: true,
  privateMetadata: true,
  acceptFailedUploads: true,
});

/**
 * Options of {@link JuryFlowItem.getResults}.
 *
 * @example
 * ```ts
 * const partial = await item.getResults({ wait: false });
 * ```
 */
export interface FlowResultsOptions {
  /** Wait until the item has finished (default true); false returns what it has now. */
  wait?: boolean;
  /** Give up waiting after this many ms (default 10 minutes). */
  timeoutMs?: number;
  /** Poll interval in ms (default 1000). */
  pollMs?: number;
}

/**
 * One batch of a flow: its datapoints ranked against each other within its time to live.
 *
 * @example
 * ```ts
 * const item = await flow.createNewFlowBatch(['a.png', 'b.png', 'c.png']);
 * const results = await item.getResults(); // waits until completed, incomplete or stopped
 * const ranked = Object.entries(results.datapoints); // best first
 * ```
 */
export class JuryFlowItem {
  readonly id: string;
  readonly flowId: string;
  readonly #client: JuryClient;

  constructor(client: JuryClient, data: FlowItem) {
    this.#client = client;
    this.id = data.id;
    this.flowId = data.flowId;
  }

  /**
   * The item as it is now (status, response count, expiry).
   *
   * @example
   * ```ts
   * const { status, responseCount } = await item.get();
   * ```
   */
  async get(): Promise<FlowItem> {
    return (await this.#client.call(getFlowItemRoute, { params: { id: this.id } })).data;
  }

  /**
   * pending, running, completed, incomplete (its time to live ran out below minResponseThreshold) or stopped.
   *
   * @example
   * ```ts
   * if ((await item.getStatus()) === 'incomplete') console.log('partial results');
   * ```
   */
  async getStatus(): Promise<RankingStatus> {
    return (await this.get()).status;
  }

  /**
   * The datapoints best first with Bradley-Terry scores on the Elo scale and 95% intervals (`ranking`), as a
   * name → score map (`datapoints`) and the total votes; waits for the item to finish unless `wait: false`.
   *
   * @example
   * ```ts
   * const { datapoints, totalVotes } = await item.getResults();
   * ```
   */
  async getResults(options: FlowResultsOptions = {}): Promise<FlowItemResult> {
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    for (;;) {
      const { data } = await this.#client.call(getFlowItemResultsRoute, { params: { id: this.id } });
      if (options.wait === false || FINISHED.includes(data.status)) return data;
      if (Date.now() >= deadline)
        throw new Error(`Flow item ${this.id} is still ${data.status} after waiting; try again later.`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
    }
  }

  /**
   * Wins of every datapoint over every other: `wins[i][j]` times `models[i]` was preferred to `models[j]`.
   *
   * @example
   * ```ts
   * const { models, wins } = await item.getWinLossMatrix();
   * ```
   */
  async getWinLossMatrix(): Promise<WinLossMatrix> {
    return (await this.#client.call(getFlowItemWinLossMatrixRoute, { params: { id: this.id } })).data;
  }

  /**
   * Pairwise responses collected so far.
   *
   * @example
   * ```ts
   * const n = await item.getResponseCount();
   * ```
   */
  async getResponseCount(): Promise<number> {
    return (await this.#client.call(getFlowItemResponseCountRoute, { params: { id: this.id } })).data
      .responseCount;
  }

  /**
   * Stops the item: no more comparisons; it keeps its votes.
   *
   * @example
   * ```ts
   * await item.stop();
   * ```
   */
  async stop(): Promise<FlowItem> {
    return (await this.#client.call(stopFlowItemRoute, { params: { id: this.id } })).data;
  }
}

/**
 * A ranking flow: add batches over time; each is ranked on its own with the flow's configuration.
 *
 * @example
 * ```ts
 * const flow = await client.flow.createRankingFlow({ name: 'Quality', instruction: 'Which image looks better?' });
 * const item = await flow.createNewFlowBatch(['a.png', 'b.png', 'c.png'], { timeToLive: 300 });
 * ```
 */
export class JuryFlow {
  readonly id: string;
  readonly name: string;
  /** The flow as last read or changed. */
  data: Flow;
  readonly #client: JuryClient;

  constructor(client: JuryClient, data: Flow) {
    this.#client = client;
    this.id = data.id;
    this.name = data.name;
    this.data = data;
  }

  /**
   * Adds a batch (paths, URLs or, with `dataType: 'text'`, texts) as one flow item; files are uploaded first.
   *
   * @example
   * ```ts
   * const item = await flow.createNewFlowBatch(['https://x.org/a.jpg', 'https://x.org/b.jpg'], { context: 'Model X' });
   * ```
   */
  async createNewFlowBatch(
    datapoints: readonly string[],
    options: FlowBatchOptions = {},
  ): Promise<JuryFlowItem> {
    checkFlowOptions('createNewFlowBatch', options, BATCH_KEYS);
    const dataType = options?.dataType ?? 'media';
    checkBatch(datapoints, options ?? {}, dataType);
    const items = (
      await this.#resolveDatapoints(datapoints, dataType, options.acceptFailedUploads === true)
    ).map(toItemInput);
    const context = options.contextAssets
      ? (await this.#client.assets.resolveItems(options.contextAssets, 'media', { progressBar: false })).map(
          (r) => toItemInput(r) as { assetId: string; name: string },
        )
      : undefined;
    const { data } = await this.#client.call(createFlowBatchRoute, {
      params: { id: this.id },
      json: {
        datapoints: items,
        dataType,
        ...(options.context !== undefined ? { context: options.context } : {}),
        ...(context ? { contextAssets: context } : {}),
        ...(options.timeToLive !== undefined ? { timeToLive: options.timeToLive } : {}),
        ...(options.privateMetadata ? { privateMetadata: options.privateMetadata } : {}),
      },
    });
    return new JuryFlowItem(this.#client, data);
  }

  /** The batch's items resolved; with `acceptFailed`, the ones that uploaded when at least two did. */
  async #resolveDatapoints(datapoints: readonly string[], dataType: DataType, acceptFailed: boolean) {
    try {
      return await this.#client.assets.resolveItems(datapoints, dataType, { progressBar: false });
    } catch (error) {
      if (!acceptFailed || !(error instanceof JuryUploadError)) throw error;
      const uploaded = (error.results as (ResolvedItem | undefined)[]).filter((r) => r !== undefined);
      if (uploaded.length < 2) throw error;
      logger.warning(
        '%d of %d datapoints failed to upload; the flow item ranks the other %d (acceptFailedUploads).',
        error.failures.length,
        datapoints.length,
        uploaded.length,
      );
      return uploaded;
    }
  }

  /**
   * The flow's items, newest first.
   *
   * @example
   * ```ts
   * const items = await flow.getFlowItems({ amount: 20, status: 'completed' });
   * ```
   */
  async getFlowItems(
    options: { amount?: number; page?: number; status?: RankingStatus } = {},
  ): Promise<JuryFlowItem[]> {
    const { data } = await this.#client.call(listFlowItemsRoute, {
      params: { id: this.id },
      query: { amount: options.amount ?? 10, page: options.page ?? 1, status: options.status },
    });
    return data.map((item) => new JuryFlowItem(this.#client, item));
  }

  /**
   * Changes the configuration for items created from now on.
   *
   * @example
   * ```ts
   * await flow.updateConfig({ maxResponseThreshold: 200, minResponseThreshold: 50 });
   * ```
   */
  async updateConfig(changes: FlowConfigChanges): Promise<this> {
    checkFlowOptions('updateConfig', changes, CONFIG_KEYS);
    const json = configBody(changes ?? {});
    checked('updateConfig', updateFlowConfigSchema, json);
    const { data } = await this.#client.call(updateFlowConfigRoute, { params: { id: this.id }, json });
    this.data = data;
    return this;
  }

  /**
   * Deletes the flow: its open items stop, and neither it nor its items are found afterwards.
   *
   * @example
   * ```ts
   * await flow.delete();
   * ```
   */
  async delete(): Promise<void> {
    await this.#client.call(deleteFlowRoute, { params: { id: this.id } });
  }
}
