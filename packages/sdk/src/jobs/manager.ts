import {
  createJobRoute,
  type DataType,
  getJobDefinitionRoute,
  getJobRoute,
  type Job,
  type JobDefinitionType,
  listJobDefinitionsRoute,
  listJobsRoute,
  type SettingName,
  type TypeSpecificField,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { JuryValidationError } from '../errors.ts';
import {
  createRankingJobDefinition,
  type JuryRankingJob,
  type JuryRankingJobDefinition,
  type RankingJobDefinitionParams,
  rankingJobReads,
} from '../flows/ranking-job.ts';
import { logger } from '../logger.ts';
import { checkOptions, optionKeys } from '../options.ts';
import {
  type AnyJuryJobDefinition,
  definitionHandle,
  type JuryJobDefinition,
  uploadDefinition,
} from './definition.ts';
import { type AnyJuryJob, JuryJob, type JuryJobOf } from './job.ts';
import { type JurySetting, settingNames } from './settings.ts';
import { assertValidDefinition, type DatapointSet } from './upload.ts';

/**
 * Parameters every job definition takes (the reference product's Parameter Reference, camelCase).
 *
 * @example
 * ```ts
 * const common: JobDefinitionParams = {
 *   name: 'Prompt alignment', instruction: 'Which image matches the description better?',
 *   contexts: ['A small blue book on a large red book'], responsesPerDatapoint: 15,
 * };
 * ```
 */
export interface JobDefinitionParams {
  /** For you; not shown to labelers. */
  name: string;
  /** Shown to labelers; at most 250 characters. */
  instruction: string;
  /** `'media'` (local paths and http(s) URLs, uploaded/registered; default) or `'text'` (the strings are the items). */
  dataType?: DataType;
  /** One text per datapoint (1..400 characters each). */
  contexts?: string[];
  /** One non-empty list of reference media (paths or URLs) per datapoint. */
  mediaContexts?: string[][];
  /** Responses per datapoint (default 10); the maximum with early stopping. */
  responsesPerDatapoint?: number;
  /** Confidence stopping: stop a datapoint when a category reaches this posterior, in (0, 1), e.g. 0.99. */
  confidenceThreshold?: number;
  /** Quorum stopping: stop when this many responses agree (1..responsesPerDatapoint). Not with confidence. */
  quorumThreshold?: number;
  /** e.g. `[new NoShuffleSetting(), new MarkdownSetting()]`. */
  settings?: (JurySetting | SettingName)[];
  /** One object per datapoint, returned in results, never shown to labelers. */
  privateMetadata?: Record<string, string>[];
}

/**
 * A compare job definition: which of two items is better by the instruction.
 *
 * @example
 * ```ts
 * const params: CompareJobDefinitionParams = {
 *   name: 'Alignment', instruction: 'Which image matches the description better?',
 *   datapoints: [['flux.png', 'sdxl.png']], aBNames: ['flux', 'sdxl'],
 * };
 * ```
 */
export interface CompareJobDefinitionParams extends JobDefinitionParams {
  /** Pairs: exactly two different items per datapoint. */
  datapoints: string[][];
  /** Names for side A and B in the results instead of the item names. */
  aBNames?: string[];
}

/**
 * A classification job definition: pick one of the answer options for each item.
 *
 * @example
 * ```ts
 * const params: ClassificationJobDefinitionParams = {
 *   name: 'Pets', instruction: 'What animal is this?', answerOptions: ['Cat', 'Dog'], datapoints: ['pet1.jpg'],
 * };
 * ```
 */
export interface ClassificationJobDefinitionParams extends JobDefinitionParams {
  /** One item per datapoint. */
  datapoints: string[];
  /** At least 2 unique, non-empty options. */
  answerOptions: string[];
}

/**
 * Filters of the `find*` methods (the reference SDK's `name`, `amount`, `page`), as an options object.
 *
 * @example
 * ```ts
 * await client.job.findJobs({ name: 'alignment', amount: 20, page: 2 });
 * ```
 */
export interface FindOptions {
  /** Only those whose name contains this (case-insensitive). */
  name?: string;
  /** Page size (default 10). */
  amount?: number;
  /** 1-based page (default 1). */
  page?: number;
}

/**
 * Filters of {@link JobManager.findJobs}.
 *
 * @example
 * ```ts
 * await client.job.findJobs({ audienceId: 'global' });
 * ```
 */
export interface FindJobsOptions extends FindOptions {
  /** Only jobs of this audience. */
  audienceId?: string;
}

/**
 * Options of {@link JobManager.assignJob} and `audience.assignJob`.
 *
 * @example
 * ```ts
 * await audience.assignJob(definition, { name: 'Run 2', revision: 1 });
 * ```
 */
export interface AssignJobOptions {
  /** The job's name (default: the definition's). */
  name?: string;
  /** Which revision of the definition (default: the latest). */
  revision?: number;
}

const COMMON_KEYS = {
  name: true,
  instruction: true,
  dataType: true,
  contexts: true,
  mediaContexts: true,
  responsesPerDatapoint: true,
  confidenceThreshold: true,
  quorumThreshold: true,
  settings: true,
  privateMetadata: true,
} as const;
const COMPARE_KEYS = optionKeys<CompareJobDefinitionParams>({
  ...COMMON_KEYS,
  datapoints: true,
  aBNames: true,
});
const CLASSIFICATION_KEYS = optionKeys<ClassificationJobDefinitionParams>({
  ...COMMON_KEYS,
  datapoints: true,
  answerOptions: true,
});
/** @internal */
export const FIND_KEYS = optionKeys<FindOptions>({ name: true, amount: true, page: true });
const FIND_JOBS_KEYS = optionKeys<FindJobsOptions>({
  name: true,
  amount: true,
  page: true,
  audienceId: true,
});
/** @internal */
export const ASSIGN_KEYS = optionKeys<AssignJobOptions>({ name: true, revision: true });

/** @internal Checks a find* options object and its paging; returns the query string fields. */
export function findQuery(method: string, options: FindJobsOptions, keys: readonly string[] = FIND_KEYS) {
  checkOptions(method, options, keys);
  const { name = '', amount = 10, page = 1, audienceId } = options ?? {};
  const invalid = (message: string, path: string) =>
    new JuryValidationError({ code: 'VALIDATION_FAILED', message, details: { issues: [{ path, message }] } });
  if (typeof name !== 'string') throw invalid(`name is a string; got ${JSON.stringify(name)}.`, 'name');
  if (!Number.isInteger(amount) || amount < 1 || amount > 500)
    throw invalid(`amount is a whole number from 1 to 500; got ${amount}.`, 'amount');
  if (!Number.isInteger(page) || page < 1)
    throw invalid(`page is a whole number from 1; got ${page}.`, 'page');
  return { name: name === '' ? undefined : name, amount, page, audienceId };
}

/**
 * `client.job`: create and find job definitions, find jobs (the reference SDK's `RapidataJobManager`).
 *
 * @example
 * ```ts
 * const definition = await client.job.createCompareJobDefinition({
 *   name: 'Example Image Prompt Alignment',
 *   instruction: 'Which image matches the description better?',
 *   datapoints: [['https://example.com/a.jpg', 'https://example.com/b.jpg']],
 *   contexts: ['A small blue book sitting on a large red book.'],
 * });
 * const audience = await client.audience.getAudienceById('global');
 * const job = await audience.assignJob(definition);
 * ```
 */
export class JobManager {
  readonly #client: JuryClient;

  constructor(client: JuryClient) {
    this.#client = client;
  }

  /**
   * Creates a ranking job definition: each inner list of `datapoints` is one ranking, ordered by
   * `comparisonBudgetPerRanking` pairwise matchups of `responsesPerComparison` responses each, a
   * `randomComparisonsRatio` share of them random. Rides on the flow machinery (see docs/ARCHITECTURE.md):
   * assign it with `definition.assignTo(audience)`.
   *
   * @example
   * ```ts
   * const definition = await client.job.createRankingJobDefinition({
   *   name: 'Rabbits', instruction: 'Which rabbit looks cooler?', datapoints: [['a.webp', 'b.webp', 'c.webp']],
   *   comparisonBudgetPerRanking: 50, randomComparisonsRatio: 0.5,
   * });
   * const results = await (await definition.assignTo('global')).getResults();
   * ```
   */
  async createRankingJobDefinition(params: RankingJobDefinitionParams): Promise<JuryRankingJobDefinition> {
    return createRankingJobDefinition(this.#client, params);
  }

  /**
   * A ranking job definition by id.
   *
   * @example
   * ```ts
   * const definition = await client.job.getRankingJobDefinitionById('rjd_3k9d2m1x0q7w5e8r');
   * ```
   */
  async getRankingJobDefinitionById(id: string): Promise<JuryRankingJobDefinition> {
    return rankingJobReads.definition(this.#client, id);
  }

  /**
   * Your ranking job definitions whose name contains `name`, newest first.
   *
   * @example
   * ```ts
   * const definitions = await client.job.findRankingJobDefinitions({ name: 'Rabbits' });
   * ```
   */
  async findRankingJobDefinitions(options: FindOptions = {}): Promise<JuryRankingJobDefinition[]> {
    return rankingJobReads.definitions(this.#client, options);
  }

  /**
   * A ranking job by id.
   *
   * @example
   * ```ts
   * const { progress } = await (await client.job.getRankingJobById('rjb_9x2m7p1d8s3wz4kq')).get();
   * ```
   */
  async getRankingJobById(id: string): Promise<JuryRankingJob> {
    return rankingJobReads.job(this.#client, id);
  }

  /**
   * Your ranking jobs whose name contains `name`, newest first.
   *
   * @example
   * ```ts
   * const jobs = await client.job.findRankingJobs({ amount: 20 });
   * ```
   */
  async findRankingJobs(options: FindOptions = {}): Promise<JuryRankingJob[]> {
    return rankingJobReads.jobs(this.#client, options);
  }

  /**
   * Creates a compare job definition: checks every rule first (nothing uploads if one fails), uploads local
   * files and registers URLs with the bounded upload pool, then creates the definition. Datapoints whose
   * assets fail are left out and reported in a {@link FailedUploadError} (the definition is created with the
   * rest; nothing is created if none uploaded).
   *
   * @example
   * ```ts
   * const definition = await client.job.createCompareJobDefinition({
   *   name: 'Alignment',
   *   instruction: 'Which image matches the description better?',
   *   datapoints: [['./flux/37.png', './sdxl/37.png']],
   *   contexts: ['A small blue book sitting on a large red book.'],
   *   responsesPerDatapoint: 10,
   *   confidenceThreshold: 0.99,
   * });
   * ```
   */
  async createCompareJobDefinition(
    params: CompareJobDefinitionParams,
  ): Promise<JuryJobDefinition<'compare'>> {
    checkOptions('createCompareJobDefinition', params, COMPARE_KEYS);
    return this.#create('compare', params, { aBNames: params.aBNames });
  }

  /**
   * Creates a classification job definition (same checks, uploads and partial-failure behaviour as
   * {@link JobManager.createCompareJobDefinition}).
   *
   * @example
   * ```ts
   * const definition = await client.job.createClassificationJobDefinition({
   *   name: 'Likert',
   *   instruction: 'How well does the image match the description?',
   *   answerOptions: ['1: Not at all', '2: A little', '3: Moderately', '4: Very well', '5: Perfectly'],
   *   datapoints: ['https://example.com/tshirt.png'],
   *   contexts: ["A t-shirt with the text 'Running on caffeine & dreams'"],
   *   settings: [new NoShuffleSetting()],
   * });
   * ```
   */
  async createClassificationJobDefinition(
    params: ClassificationJobDefinitionParams,
  ): Promise<JuryJobDefinition<'classification'>> {
    checkOptions('createClassificationJobDefinition', params, CLASSIFICATION_KEYS);
    return this.#create('classification', params, { answerOptions: params.answerOptions });
  }

  async #create<T extends JobDefinitionType>(
    type: T,
    params: JobDefinitionParams & { datapoints: string[] | string[][] },
    /** The type's own fields (its module's `fields` in the contract), as given. */
    extra: Partial<Record<TypeSpecificField, string[]>>,
  ): Promise<JuryJobDefinition<T>> {
    if (typeof params !== 'object' || params === null || !Array.isArray(params.datapoints))
      throw new JuryValidationError({
        code: 'VALIDATION_FAILED',
        message: 'Pass { name, instruction, datapoints, ... } with datapoints as a list.',
      });
    const settings = settingNames(params.settings);
    const dataType = params.dataType ?? 'media';
    assertValidDefinition({
      type,
      name: params.name ?? '',
      instruction: params.instruction ?? '',
      dataType,
      datapoints: params.datapoints,
      contexts: params.contexts,
      mediaContexts: params.mediaContexts,
      privateMetadata: params.privateMetadata,
      responsesPerDatapoint: params.responsesPerDatapoint,
      confidenceThreshold: params.confidenceThreshold,
      quorumThreshold: params.quorumThreshold,
      ...extra,
      settings,
    });
    const set: DatapointSet = {
      type,
      dataType,
      datapoints: params.datapoints,
      contexts: params.contexts,
      mediaContexts: params.mediaContexts,
      privateMetadata: params.privateMetadata,
    };
    const createBody: Record<string, unknown> = {
      type,
      name: params.name,
      instruction: params.instruction,
      dataType,
      settings,
      ...(params.responsesPerDatapoint !== undefined
        ? { responsesPerDatapoint: params.responsesPerDatapoint }
        : {}),
      ...(params.confidenceThreshold !== undefined
        ? { confidenceThreshold: params.confidenceThreshold }
        : {}),
      ...(params.quorumThreshold !== undefined ? { quorumThreshold: params.quorumThreshold } : {}),
      ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
    };
    return uploadDefinition<T>(
      this.#client,
      set,
      params.datapoints.map((_, i) => i),
      undefined,
      createBody,
    );
  }

  /**
   * A job definition by id (its latest revision), typed by its `type`. Unknown ids and other organizations'
   * throw `JuryNotFoundError`.
   *
   * @example
   * ```ts
   * const definition = await client.job.getJobDefinitionById('jdf_3n0k8q2w5e7r9t1y');
   * if (definition.type === 'compare') console.log(definition.aBNames);
   * ```
   */
  async getJobDefinitionById(id: string): Promise<AnyJuryJobDefinition> {
    const { data } = await this.#client.call(getJobDefinitionRoute, { params: { id } });
    return definitionHandle(this.#client, data);
  }

  /**
   * Job definitions whose name contains `name`, newest first (the most recent when no name is given).
   *
   * @example
   * ```ts
   * const definitions = await client.job.findJobDefinitions({ name: 'Example Image Prompt Alignment' });
   * const page2 = await client.job.findJobDefinitions({ amount: 10, page: 2 });
   * ```
   */
  async findJobDefinitions(options: FindOptions = {}): Promise<AnyJuryJobDefinition[]> {
    const q = findQuery('findJobDefinitions', options);
    const { data } = await this.#client.call(listJobDefinitionsRoute, {
      query: { name: q.name, amount: q.amount, page: q.page },
    });
    return data.map((d) => definitionHandle(this.#client, d));
  }

  /**
   * A job by id, typed by its definition's type (`job.type`), so its results narrow by it.
   *
   * @example
   * ```ts
   * const job = await client.job.getJobById('job_3n0k8q2w5e7r9t1y');
   * if (job.type === 'compare') console.log((await job.getResults()).summary.A_wins_total);
   * ```
   */
  async getJobById(id: string): Promise<AnyJuryJob> {
    const { data } = await this.#client.call(getJobRoute, { params: { id } });
    return jobHandle(this.#client, data);
  }

  /**
   * Jobs whose name contains `name` (and of `audienceId`, when given), newest first.
   *
   * @example
   * ```ts
   * const jobs = await client.job.findJobs({ name: 'Example Image Prompt Alignment' });
   * const global = await client.job.findJobs({ audienceId: 'global', amount: 50 });
   * ```
   */
  async findJobs(options: FindJobsOptions = {}): Promise<AnyJuryJob[]> {
    const q = findQuery('findJobs', options, FIND_JOBS_KEYS);
    const { data } = await this.#client.call(listJobsRoute, { query: q });
    return data.map((j) => jobHandle(this.#client, j));
  }

  /**
   * Assigns a definition to an audience by id (what `audience.assignJob(definition)` does): a running job with
   * one task per datapoint, typed by the definition's type. Logs the server's warnings (e.g. an audience that
   * admits nobody yet).
   *
   * @example
   * ```ts
   * const job = await client.job.assignJob(definition, 'global', { name: 'Run 1' });
   * ```
   */
  async assignJob<T extends JobDefinitionType>(
    definition: JuryJobDefinition<T>,
    audienceId: string,
    options?: AssignJobOptions,
  ): Promise<JuryJobOf<T>>;
  async assignJob(definitionId: string, audienceId: string, options?: AssignJobOptions): Promise<AnyJuryJob>;
  async assignJob(
    definition: JuryJobDefinition | string,
    audienceId: string,
    options: AssignJobOptions = {},
  ): Promise<AnyJuryJob> {
    checkOptions('assignJob', options, ASSIGN_KEYS);
    const definitionId = typeof definition === 'string' ? definition : definition.id;
    const { data, warnings } = await this.#client.call(createJobRoute, {
      json: { definitionId, audienceId, ...options },
    });
    for (const w of warnings) logger.warning(w);
    return jobHandle(this.#client, data);
  }
}

/** @internal The handle for a job from the server, typed by its definition's type (`data.type`). */
function jobHandle(client: JuryClient, data: Job): AnyJuryJob {
  return new JuryJob(client, data, data.type) as AnyJuryJob;
}
