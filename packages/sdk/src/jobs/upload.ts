import { basename } from 'node:path';
import {
  addDatapointsRoute,
  type CreateJobDefinition,
  createJobDefinitionRoute,
  type DataType,
  type DefinitionIssue,
  type DefinitionRulesInput,
  getJobDefinitionRoute,
  type ItemInput,
  type JobDefinition,
  type JobDefinitionType,
  jobDefinitionIssues,
  TASK_TYPE_CONTRACTS,
} from '@jury/api';
import type { ResolvedItem } from '../assets.ts';
import type { JuryClient } from '../client.ts';
import { juryConfig } from '../config.ts';
import { JuryError, JuryValidationError } from '../errors.ts';
import type { CallInput } from '../http/route.ts';
import { mapPool } from '../pool.ts';
import { createProgress } from '../progress.ts';
import type { DatapointInput, FailedDatapointUpload } from './errors.ts';

// The upload pipeline: resolve every distinct item once through the bounded pool,
// keep the datapoints whose items all resolved, send those (in chunks), report the rest as failed uploads.

/** Datapoints per request; larger definitions are created with the first chunk and extended with the rest. */
export const DATAPOINTS_PER_REQUEST = 500;
const ASSET_FAILED = 'One or more required assets failed to upload';
const URL_PATTERN = /^https?:\/\//i;

/** @internal The datapoint-level inputs of a definition (what uploads). */
export interface DatapointSet {
  type: JobDefinitionType;
  dataType: DataType;
  datapoints: readonly (string | readonly string[])[];
  contexts?: readonly string[] | undefined;
  mediaContexts?: readonly (readonly string[])[] | undefined;
  privateMetadata?: readonly Record<string, string>[] | undefined;
}

/** @internal One datapoint ready to send. */
interface PreparedDatapoint {
  index: number;
  items: ItemInput[];
  context: string | undefined;
  mediaContext: ItemInput[] | undefined;
  privateMetadata: Record<string, string> | undefined;
}

const isItem = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * @internal Checks the documented definition rules before anything uploads; throws a JuryValidationError listing every issue.
 */
export function assertValidDefinition(
  input: DefinitionRulesInput<string> & { dataType?: unknown },
  options: { skipDatapoints?: boolean } = {},
): void {
  const issues = jobDefinitionIssues<string>(input, {
    itemKey: (s) => s,
    isItem,
    skipRequestLimit: true,
    ...options,
  });
  if (input.dataType !== undefined && input.dataType !== 'media' && input.dataType !== 'text')
    issues.push({
      path: ['dataType'],
      message: `dataType must be "media" or "text"; got ${JSON.stringify(input.dataType)}.`,
    });
  if (issues.length > 0) throw invalidDefinition(issues);
}

/** @internal */
export function invalidDefinition(issues: readonly DefinitionIssue[]): JuryValidationError {
  const lines = issues.map((i) => `  ${i.path.join('.') || '(body)'}: ${i.message}`);
  return new JuryValidationError({
    code: 'VALIDATION_FAILED',
    message: `Invalid job definition (nothing was uploaded):\n${lines.join('\n')}`,
    details: { issues: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

/** @internal The item input the server stores: text, or an asset under the name you gave it. */
export function toItemInput(resolved: ResolvedItem): ItemInput {
  if (resolved.type === 'text') return { text: resolved.text };
  const name = URL_PATTERN.test(resolved.item) ? resolved.item : basename(resolved.item);
  return { assetId: resolved.asset.id, name };
}

/** @internal The datapoint as the user gave it (for failure reports). */
export function datapointInput(set: DatapointSet, index: number): DatapointInput {
  const dp = set.datapoints[index] as string | readonly string[];
  const out: DatapointInput = { index, datapoint: typeof dp === 'string' ? dp : [...dp] };
  const context = set.contexts?.[index];
  if (context !== undefined) out.context = context;
  const mc = set.mediaContexts?.[index];
  if (mc !== undefined) out.mediaContext = [...mc];
  const pm = set.privateMetadata?.[index];
  if (pm !== undefined) out.privateMetadata = pm;
  return out;
}

/** @internal Resolves the items of the given datapoints; splits them into ready and failed. */
export async function prepareDatapoints(
  client: JuryClient,
  set: DatapointSet,
  indices: readonly number[],
): Promise<{ ready: PreparedDatapoint[]; failed: FailedDatapointUpload[] }> {
  const itemsOf = (i: number) => {
    const dp = set.datapoints[i] as string | readonly string[];
    return typeof dp === 'string' ? [dp] : [...dp];
  };
  // Distinct work: datapoint items in the definition's data type, media contexts always as media.
  const keys = new Map<string, { item: string; dataType: DataType }>();
  for (const i of indices) {
    for (const item of itemsOf(i)) keys.set(`${set.dataType}\u0000${item}`, { item, dataType: set.dataType });
    for (const item of set.mediaContexts?.[i] ?? [])
      keys.set(`media\u0000${item}`, { item, dataType: 'media' });
  }
  const work = [...keys.entries()];
  const uploads = work.filter(([, w]) => w.dataType === 'media').length;
  const bar = createProgress(uploads, 'Uploading');
  let settled: PromiseSettledResult<ResolvedItem>[];
  try {
    settled = await mapPool(
      work,
      juryConfig.upload.maxWorkers,
      ([, w]) => client.assets.resolveItem(w.item, w.dataType),
      (_r, index) => {
        if (work[index]?.[1].dataType === 'media') bar.increment();
      },
    );
  } finally {
    bar.stop();
  }
  const outcome = new Map<string, { ok: ItemInput } | { error: Error }>();
  work.forEach(([key], index) => {
    const r = settled[index] as PromiseSettledResult<ResolvedItem>;
    outcome.set(
      key,
      r.status === 'fulfilled'
        ? { ok: toItemInput(r.value) }
        : { error: r.reason instanceof Error ? r.reason : new Error(String(r.reason)) },
    );
  });
  const ready: PreparedDatapoint[] = [];
  const failed: FailedDatapointUpload[] = [];
  for (const i of indices) {
    const resolve = (item: string, dataType: DataType) => outcome.get(`${dataType}\u0000${item}`);
    const items = itemsOf(i).map((item) => ({ item, r: resolve(item, set.dataType) }));
    const mc = set.mediaContexts?.[i]?.map((item) => ({ item, r: resolve(item, 'media') }));
    const errors = [...items, ...(mc ?? [])].flatMap(({ item, r }) =>
      r && 'error' in r ? [{ item, error: r.error }] : [],
    );
    if (errors.length > 0) {
      failed.push({
        item: datapointInput(set, i),
        errorMessage: ASSET_FAILED,
        errorType: 'AssetUploadFailed',
        timestamp: new Date(),
        ...(errors[0] ? { cause: errors[0].error } : {}),
        assets: errors,
      });
      continue;
    }
    const okOf = (r: { ok: ItemInput } | { error: Error } | undefined) => (r as { ok: ItemInput }).ok;
    ready.push({
      index: i,
      items: items.map(({ r }) => okOf(r)),
      context: set.contexts?.[i],
      mediaContext: mc?.map(({ r }) => okOf(r)),
      privateMetadata: set.privateMetadata?.[i],
    });
  }
  return { ready, failed };
}

/** The datapoint fields of a request body for these prepared datapoints. */
function datapointFields(set: DatapointSet, chunk: readonly PreparedDatapoint[]) {
  return {
    datapoints: chunk.map((d) => TASK_TYPE_CONTRACTS[set.type].datapointOf(d.items)),
    ...(set.contexts ? { contexts: chunk.map((d) => d.context as string) } : {}),
    ...(set.mediaContexts ? { mediaContexts: chunk.map((d) => d.mediaContext ?? []) } : {}),
    ...(set.privateMetadata ? { privateMetadata: chunk.map((d) => d.privateMetadata ?? {}) } : {}),
  };
}

/**
 * @internal Sends prepared datapoints: creates the definition with the first chunk when `definitionId` is not
 * given (`createBody` holds the other fields), then adds the rest. A failed creation throws; a failed later
 * chunk becomes failed uploads (the definition exists by then).
 */
export async function sendDatapoints(
  client: JuryClient,
  set: DatapointSet,
  ready: readonly PreparedDatapoint[],
  target: { definitionId: string } | { createBody: Record<string, unknown> },
): Promise<{ definition: JobDefinition; warnings: string[]; failed: FailedDatapointUpload[] }> {
  let definition: JobDefinition | undefined;
  let warnings: string[] = [];
  const failed: FailedDatapointUpload[] = [];
  let definitionId = 'definitionId' in target ? target.definitionId : undefined;
  for (let start = 0; start < ready.length; start += DATAPOINTS_PER_REQUEST) {
    const chunk = ready.slice(start, start + DATAPOINTS_PER_REQUEST);
    if (definitionId === undefined) {
      const body = {
        ...(target as { createBody: Record<string, unknown> }).createBody,
        ...datapointFields(set, chunk),
      };
      // Assembled from input checked above; the server validates it again.
      const created = await client.call(createJobDefinitionRoute, { json: body as CreateJobDefinition });
      definition = created.data;
      warnings = created.warnings;
      definitionId = created.data.id;
      continue;
    }
    try {
      const added = await client.call(addDatapointsRoute, {
        params: { id: definitionId },
        json: datapointFields(set, chunk) as CallInput<typeof addDatapointsRoute>['json'],
      });
      definition = added.data;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const d of chunk)
        failed.push({
          item: datapointInput(set, d.index),
          errorMessage: error.message,
          errorType: err instanceof JuryError ? err.code : 'DatapointCreationFailed',
          timestamp: new Date(),
          cause: error,
        });
    }
  }
  if (!definition) {
    // Nothing sent (no chunk succeeded after an existing definition): read it back for the caller.
    const got = await client.call(getJobDefinitionRoute, { params: { id: definitionId as string } });
    definition = got.data;
  }
  return { definition, warnings, failed };
}
