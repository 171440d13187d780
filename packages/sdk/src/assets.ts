import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  type Asset,
  getAssetContentRoute,
  getAssetRoute,
  type MediaKind,
  type MediaReference,
  registerUrlAssetRoute,
  resolveMediaReferenceRoute,
  uploadAssetRoute,
} from '@jury/api';
import type { JuryClient } from './client.ts';
import { juryConfig } from './config.ts';
import { type FailedUpload, JuryItemError, JuryUploadError } from './errors.ts';
import { logger } from './logger.ts';
import { checkOptions, optionKeys } from './options.ts';
import { mapPool, withRetries } from './pool.ts';
import { createProgress } from './progress.ts';

/**
 * What a datapoint item became: a stored asset, or text.
 *
 * @example
 * ```ts
 * const r = await client.assets.resolveItem('a.png');
 * if (r.type === 'asset') console.log(r.asset.id);
 * ```
 */
export type ResolvedItem =
  | { type: 'asset'; item: string; asset: Asset }
  | { type: 'text'; item: string; text: string };

/**
 * How items of a job are interpreted: media (URLs and files) or text.
 *
 * @example
 * ```ts
 * const dataType: DataType = 'text';
 * await client.assets.resolveItem('A red book', dataType);
 * ```
 */
export type DataType = 'media' | 'text';

/**
 * Options of batch uploads.
 *
 * @example
 * ```ts
 * await client.assets.uploadMany(paths, { progressBar: false, onProgress: (p) => console.log(p.done) });
 * ```
 */
export interface BatchOptions {
  /** Called after each item settles, with counts so far. */
  onProgress?: (progress: { done: number; failed: number; total: number }) => void;
  /** Show a progress bar (default true; never when silentMode is on or stdout is not a terminal). */
  progressBar?: boolean;
}

const URL_PATTERN = /^https?:\/\//i;
const BATCH_KEYS = optionKeys<BatchOptions>({ onProgress: true, progressBar: true });

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Media assets of your organization. Uploads are content-addressed: identical bytes are stored once
 * and re-uploading returns the same asset.
 *
 * @example
 * ```ts
 * const asset = await client.assets.upload('./cat.png');
 * const again = await client.assets.upload('./copy-of-cat.png');
 * console.log(asset.id === again.id); // true
 * ```
 */
export class AssetsApi {
  readonly #client: JuryClient;

  constructor(client: JuryClient) {
    this.#client = client;
  }

  /**
   * Uploads a local image, video or audio file (the server sniffs the type). Retries network errors,
   * 429 and 5xx up to `juryConfig.upload.maxRetries` times with exponential backoff.
   *
   * @example
   * ```ts
   * const asset = await client.assets.upload('./clip.mp4');
   * console.log(asset.kind, asset.mimeType, asset.size);
   * ```
   */
  async upload(path: string): Promise<Asset> {
    const full = resolve(path);
    if (!(await isFile(full)))
      throw new JuryItemError({
        code: 'INVALID_ITEM',
        message: `Cannot upload ${path}: no such file.`,
        details: { item: path },
      });
    return withRetries(
      async () => {
        const body = await openAsBlob(full);
        const { data } = await this.#client.call(uploadAssetRoute, {
          query: { fileName: basename(full).slice(0, 300) },
          body,
        });
        return data;
      },
      {
        maxRetries: juryConfig.upload.maxRetries,
        baseDelayMs: this.#client.retryBaseDelayMs,
        onRetry: (err, attempt, delay) =>
          logger.info(
            'Upload of %s failed (%s); retry %d in %d ms',
            path,
            (err as Error).message,
            attempt,
            Math.round(delay),
          ),
      },
    );
  }

  /**
   * Uploads many files with a bounded pool of `juryConfig.upload.maxWorkers` workers. Returns the
   * assets in input order; if any upload still fails after its retries, throws a
   * {@link JuryUploadError} holding the successes and the failures.
   *
   * @example
   * ```ts
   * const assets = await client.assets.uploadMany(['a.png', 'b.png'], {
   *   onProgress: ({ done, total }) => console.log(`${done}/${total}`),
   * });
   * ```
   */
  async uploadMany(paths: readonly string[], options: BatchOptions = {}): Promise<Asset[]> {
    checkOptions('uploadMany', options, BATCH_KEYS);
    return this.#batch(paths, (p) => this.upload(p), 'Uploading', options);
  }

  /**
   * Registers a public http(s) URL as an asset; labelers load it from there. `kind` defaults to a
   * guess from the file extension. Registering the same URL again returns the same asset.
   *
   * @example
   * ```ts
   * const asset = await client.assets.registerUrl('https://example.com/cat.jpg');
   * ```
   */
  async registerUrl(url: string, kind?: MediaKind): Promise<Asset> {
    return withRetries(
      async () => {
        const { data } = await this.#client.call(registerUrlAssetRoute, {
          json: kind ? { url, kind } : { url },
        });
        return data;
      },
      { maxRetries: juryConfig.upload.maxRetries, baseDelayMs: this.#client.retryBaseDelayMs },
    );
  }

  /**
   * An asset's metadata. Unknown ids and other organizations' ids throw `JuryNotFoundError`.
   *
   * @example
   * ```ts
   * const asset = await client.assets.get('ast_7d1k2m9q0x');
   * ```
   */
  async get(id: string): Promise<Asset> {
    const { data } = await this.#client.call(getAssetRoute, { params: { id } });
    return data;
  }

  /**
   * Which of your organization's assets a labeler's media reference names, and the item's name as the datapoint
   * gave it: labelers see media only as opaque references (`/api/v1/labeler/media/<ref>`, blind comparisons).
   * Takes the reference or its URL; another organization's reference throws `JuryNotFoundError`.
   *
   * @example
   * ```ts
   * const { assetId, name } = await client.assets.resolveMediaReference(task.items[0].url);
   * ```
   */
  async resolveMediaReference(refOrUrl: string): Promise<MediaReference> {
    const ref = refOrUrl.slice(refOrUrl.lastIndexOf('/') + 1);
    const { data } = await this.#client.call(resolveMediaReferenceRoute, { params: { ref } });
    return data;
  }

  /**
   * An asset's bytes (for URL assets, fetched from the URL).
   *
   * @example
   * ```ts
   * import { writeFile } from 'node:fs/promises';
   * await writeFile('copy.png', await client.assets.content(asset.id));
   * ```
   */
  async content(id: string): Promise<Uint8Array> {
    const res = await this.#client.send(getAssetContentRoute, { params: { id }, headers: { accept: '*/*' } });
    return new Uint8Array(await res.arrayBuffer());
  }

  /**
   * Turns one datapoint item into what a job stores. With `dataType: 'media'`: an http(s) URL is
   * registered, an existing local file is uploaded, anything else is an error. With
   * `dataType: 'text'`: the item is the text itself.
   *
   * @example
   * ```ts
   * await client.assets.resolveItem('https://example.com/a.jpg', 'media'); // { type: 'asset', ... }
   * await client.assets.resolveItem('./b.png', 'media');                    // uploaded
   * await client.assets.resolveItem('A red book', 'text');                  // { type: 'text', text }
   * ```
   */
  async resolveItem(item: string, dataType: DataType = 'media'): Promise<ResolvedItem> {
    if (typeof item !== 'string' || item.trim() === '')
      throw new JuryItemError({
        code: 'INVALID_ITEM',
        message: `A datapoint item must be a non-empty string; got ${JSON.stringify(item)}.`,
        details: { item, dataType },
      });
    if (dataType === 'text') return { type: 'text', item, text: item };
    if (URL_PATTERN.test(item)) return { type: 'asset', item, asset: await this.registerUrl(item) };
    if (await isFile(resolve(item))) return { type: 'asset', item, asset: await this.upload(item) };
    const shown = item.length > 80 ? `${item.slice(0, 77)}...` : item;
    throw new JuryItemError({
      code: 'INVALID_ITEM',
      message: `"${shown}" is neither an http(s) URL nor an existing file (looked for ${resolve(item)}). For text datapoints pass dataType: 'text'.`,
      details: { item, dataType },
    });
  }

  /**
   * {@link AssetsApi.resolveItem} over many items with the bounded upload pool; throws a
   * {@link JuryUploadError} listing the items that failed.
   *
   * @example
   * ```ts
   * const items = await client.assets.resolveItems(['a.png', 'https://x.org/b.jpg'], 'media');
   * ```
   */
  async resolveItems(
    items: readonly string[],
    dataType: DataType = 'media',
    options: BatchOptions = {},
  ): Promise<ResolvedItem[]> {
    checkOptions('resolveItems', options, BATCH_KEYS);
    if (dataType === 'text') return Promise.all(items.map((item) => this.resolveItem(item, 'text')));
    return this.#batch(items, (item) => this.resolveItem(item, dataType), 'Uploading', options);
  }

  async #batch<R>(
    items: readonly string[],
    fn: (item: string) => Promise<R>,
    label: string,
    options: BatchOptions,
  ): Promise<R[]> {
    const bar = options.progressBar === false ? undefined : createProgress(items.length, label);
    let done = 0;
    let failed = 0;
    let settled: PromiseSettledResult<R>[];
    try {
      settled = await mapPool(items, juryConfig.upload.maxWorkers, fn, (result) => {
        done++;
        if (result.status === 'rejected') failed++;
        bar?.increment();
        options.onProgress?.({ done, failed, total: items.length });
      });
    } finally {
      bar?.stop();
    }
    const failures: FailedUpload[] = [];
    const results = settled.map((r, index) => {
      if (r.status === 'fulfilled') return r.value;
      failures.push({
        item: items[index] as string,
        index,
        error: r.reason instanceof Error ? r.reason : new Error(String(r.reason)),
      });
      return undefined;
    });
    if (failures.length > 0) throw new JuryUploadError<R>(results, failures);
    return results as R[];
  }
}
