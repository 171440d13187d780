import { spawn } from 'node:child_process';
import {
  createPreviewRoute,
  createRevisionRoute,
  type DataType,
  type JobDefinition,
  type JobDefinitionPreview,
  type JobDefinitionType,
  type SettingName,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { logger, say } from '../logger.ts';
import { checkOptions, optionKeys } from '../options.ts';
import { FailedUploadError } from './errors.ts';
import { type JurySetting, settingNames } from './settings.ts';
import { assertValidDefinition, type DatapointSet, prepareDatapoints, sendDatapoints } from './upload.ts';

/**
 * Datapoints to add to a definition: compare pairs or classification items, with optional per-datapoint
 * contexts, media contexts and private metadata (each list as long as `datapoints`).
 *
 * @example
 * ```ts
 * const more: AddDatapointsParams = { datapoints: [['c.png', 'd.png']], contexts: ['A dog on a bike'] };
 * ```
 */
export interface AddDatapointsParams {
  datapoints: string[] | string[][];
  contexts?: string[];
  mediaContexts?: string[][];
  privateMetadata?: Record<string, string>[];
}

/**
 * What a new revision changes; everything not given (and every datapoint) carries over. Giving either
 * threshold replaces the stopping rule (pass `null` to remove it).
 *
 * @example
 * ```ts
 * const changes: RevisionChanges = { instruction: 'Which image is sharper?', quorumThreshold: 3 };
 * ```
 */
export interface RevisionChanges {
  instruction?: string;
  settings?: (JurySetting | SettingName)[];
  responsesPerDatapoint?: number;
  confidenceThreshold?: number | null;
  quorumThreshold?: number | null;
  answerOptions?: string[];
  aBNames?: string[] | null;
}

const ADD_DATAPOINTS_KEYS = optionKeys<AddDatapointsParams>({
  datapoints: true,
  contexts: true,
  mediaContexts: true,
  privateMetadata: true,
});
const REVISION_KEYS = optionKeys<RevisionChanges>({
  instruction: true,
  settings: true,
  responsesPerDatapoint: true,
  confidenceThreshold: true,
  quorumThreshold: true,
  answerOptions: true,
  aBNames: true,
});

/**
 * Opens a URL in the default browser without waiting and without failing when there is none; does nothing
 * when stdout is not a terminal or `BROWSER=none`.
 *
 * @example
 * ```ts
 * openInBrowser('http://localhost:8787/label/preview/pvw_…');
 * ```
 */
export function openInBrowser(url: string): void {
  // Scripts, CI and tests run without a terminal: the printed link is enough there.
  if (!process.stdout.isTTY || process.env.BROWSER === 'none') return;
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', (err) =>
      logger.debug('Could not open a browser (%s); open the URL yourself.', err.message),
    );
    child.unref();
  } catch (err) {
    logger.debug('Could not open a browser (%s); open the URL yourself.', (err as Error).message);
  }
}

/**
 * A job definition: what to ask (instruction, answer options, settings), about which datapoints, and how many
 * responses to collect. Assign it to an audience to start a job. `T` is its type (`'compare'` or
 * `'classification'`): the job assigned from it is a `JuryJob<T>` whose results have that type's shape.
 *
 * @example
 * ```ts
 * const definition = await client.job.createCompareJobDefinition({ ... }); // JuryJobDefinition<'compare'>
 * await definition.preview();
 * const job = await audience.assignJob(definition); // JuryJob<'compare'>
 * ```
 */
export class JuryJobDefinition<T extends JobDefinitionType = JobDefinitionType> {
  readonly id: string;
  readonly name: string;
  readonly type: T;
  /** The latest revision when this object was read. */
  readonly revision: number;
  readonly instruction: string;
  readonly dataType: DataType;
  readonly settings: readonly SettingName[];
  readonly answerOptions: readonly string[] | null;
  readonly aBNames: readonly string[] | null;
  readonly responsesPerDatapoint: number;
  readonly confidenceThreshold: number | null;
  readonly quorumThreshold: number | null;
  readonly datapointCount: number;
  readonly createdAt: string;
  readonly #client: JuryClient;

  constructor(client: JuryClient, data: JobDefinition) {
    this.#client = client;
    this.id = data.id;
    this.name = data.name;
    this.type = data.type as T;
    this.revision = data.revision;
    this.instruction = data.instruction;
    this.dataType = data.dataType;
    this.settings = data.settings;
    this.answerOptions = data.answerOptions;
    this.aBNames = data.aBNames;
    this.responsesPerDatapoint = data.responsesPerDatapoint;
    this.confidenceThreshold = data.confidenceThreshold;
    this.quorumThreshold = data.quorumThreshold;
    this.datapointCount = data.datapointCount;
    this.createdAt = data.createdAt;
  }

  /**
   * Opens the labeler's view of this definition in your browser (answers there are not recorded) and prints
   * the link, which works for an hour. Pass `{ open: false }` to only get the link.
   *
   * @example
   * ```ts
   * const { url, expiresAt } = await definition.preview();
   * ```
   */
  async preview(options: { open?: boolean } = {}): Promise<JobDefinitionPreview> {
    checkOptions('preview', options, ['open']);
    const { data } = await this.#client.call(createPreviewRoute, { params: { id: this.id } });
    say('Preview of %s (what labelers see; answers are not recorded): %s', this.name, data.url);
    if (options.open ?? true) openInBrowser(data.url);
    return data;
  }

  /**
   * Adds datapoints to the latest revision (jobs assigned afterwards include them), uploading local files
   * and registering URLs first. Same rules and partial-failure behaviour as creation: datapoints whose
   * assets fail are left out and reported in a {@link FailedUploadError}.
   *
   * @example
   * ```ts
   * const updated = await definition.addDatapoints({ datapoints: [['e.png', 'f.png']], contexts: ['A cat'] });
   * console.log(updated.datapointCount);
   * ```
   */
  async addDatapoints(params: AddDatapointsParams): Promise<JuryJobDefinition<T>> {
    checkOptions('addDatapoints', params, ADD_DATAPOINTS_KEYS);
    assertValidDefinition({
      type: this.type,
      instruction: this.instruction,
      responsesPerDatapoint: this.responsesPerDatapoint,
      confidenceThreshold: this.confidenceThreshold,
      quorumThreshold: this.quorumThreshold,
      answerOptions: this.answerOptions,
      aBNames: this.aBNames,
      settings: this.settings,
      datapoints: params.datapoints,
      contexts: params.contexts,
      mediaContexts: params.mediaContexts,
      privateMetadata: params.privateMetadata,
    });
    const set: DatapointSet = { type: this.type, dataType: this.dataType, ...params };
    return uploadDefinition(
      this.#client,
      set,
      params.datapoints.map((_, i) => i),
      this,
      undefined,
    );
  }

  /**
   * Creates a new revision with the given changes; the datapoints carry over. Jobs assigned afterwards use
   * the new revision unless they ask for an older one.
   *
   * @example
   * ```ts
   * const v2 = await definition.createRevision({ instruction: 'Which image looks more realistic?' });
   * console.log(v2.revision); // 2
   * ```
   */
  async createRevision(changes: RevisionChanges): Promise<JuryJobDefinition<T>> {
    checkOptions('createRevision', changes, REVISION_KEYS);
    const { settings, ...rest } = changes;
    const merged = {
      type: this.type,
      instruction: changes.instruction ?? this.instruction,
      responsesPerDatapoint: changes.responsesPerDatapoint ?? this.responsesPerDatapoint,
      ...(changes.confidenceThreshold !== undefined || changes.quorumThreshold !== undefined
        ? {
            confidenceThreshold: changes.confidenceThreshold ?? null,
            quorumThreshold: changes.quorumThreshold ?? null,
          }
        : { confidenceThreshold: this.confidenceThreshold, quorumThreshold: this.quorumThreshold }),
      answerOptions: changes.answerOptions ?? this.answerOptions,
      aBNames: changes.aBNames === undefined ? this.aBNames : changes.aBNames,
      settings: settings ? settingNames(settings) : this.settings,
      datapoints: [],
    };
    assertValidDefinition(merged, { skipDatapoints: true });
    const body = { ...rest, ...(settings ? { settings: settingNames(settings) } : {}) };
    const res = await this.#client.call(createRevisionRoute, { params: { id: this.id }, json: body });
    for (const w of res.warnings) logger.warning(w);
    return new JuryJobDefinition<T>(this.#client, res.data);
  }

  /** @internal */
  toString(): string {
    return `JuryJobDefinition(id=${this.id}, name=${JSON.stringify(this.name)}, revision=${this.revision})`;
  }
}

/**
 * @internal Uploads the given datapoints and creates the definition (`createBody`) or extends `existing`; throws
 * a retryable FailedUploadError when some fail.
 */
export async function uploadDefinition<T extends JobDefinitionType>(
  client: JuryClient,
  set: DatapointSet,
  indices: readonly number[],
  existing: JuryJobDefinition<T> | undefined,
  createBody: Record<string, unknown> | undefined,
): Promise<JuryJobDefinition<T>> {
  const { ready, failed } = await prepareDatapoints(client, set, indices);
  let definition = existing;
  const failures = [...failed];
  if (ready.length > 0) {
    const target = existing ? { definitionId: existing.id } : { createBody: createBody ?? {} };
    const sent = await sendDatapoints(client, set, ready, target);
    definition = new JuryJobDefinition<T>(client, sent.definition);
    for (const w of sent.warnings) logger.warning(w);
    failures.push(...sent.failed);
  }
  if (failures.length > 0) {
    failures.sort((a, b) => a.item.index - b.item.index);
    const created = definition;
    throw new FailedUploadError(created, failures, indices.length, (list) =>
      uploadDefinition(
        client,
        set,
        list.map((f) => f.item.index),
        created,
        createBody,
      ),
    );
  }
  return definition as JuryJobDefinition<T>;
}

/**
 * A definition read back by id or found by name: either type, told apart by `type`.
 *
 * @example
 * ```ts
 * const definition = await client.job.getJobDefinitionById('jdf_…');
 * if (definition.type === 'classification') console.log(definition.answerOptions);
 * ```
 */
export type AnyJuryJobDefinition = JuryJobDefinitionOf<JobDefinitionType>;

/**
 * The definition of type `T`, distributed over a union: `JuryJobDefinitionOf<'compare' | 'classification'>` is
 * {@link AnyJuryJobDefinition}, which narrows by `definition.type`.
 *
 * @example
 * ```ts
 * const definition: JuryJobDefinitionOf<'compare'> = await client.job.createCompareJobDefinition({ ... });
 * ```
 */
export type JuryJobDefinitionOf<T extends JobDefinitionType> = T extends JobDefinitionType
  ? JuryJobDefinition<T>
  : never;

/** @internal The handle for a definition from the server, typed by its `type`. */
export function definitionHandle(client: JuryClient, data: JobDefinition): AnyJuryJobDefinition {
  return new JuryJobDefinition(client, data) as AnyJuryJobDefinition;
}
