import {
  type AddExampleInput,
  type Audience,
  type AudienceExample,
  type AudienceInvite,
  type AudienceKind,
  type AudienceStats,
  addAudienceExampleRoute,
  type CreateAudienceInvite,
  type CreatedAudienceInvite,
  createAudienceInviteRoute,
  createFilteredAudienceRoute,
  deleteAudienceRoute,
  getAudienceStatsRoute,
  getRecruitmentRoute,
  type ItemInput,
  type JobDefinitionType,
  listAudienceExamplesRoute,
  listAudienceInvitesRoute,
  type PassRule,
  type Recruitment,
  revokeAudienceInviteRoute,
  type SetRecruitment,
  type SettingName,
  setRecruitmentRoute,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { type JuryRankingJob, JuryRankingJobDefinition } from '../flows/ranking-job.ts';
import type { JuryJobDefinition } from '../jobs/definition.ts';
import type { AnyJuryJob, JuryJob, JuryJobOf } from '../jobs/job.ts';
import {
  ASSIGN_KEYS,
  type AssignJobOptions,
  FIND_KEYS,
  type FindOptions,
  findQuery,
} from '../jobs/manager.ts';
import type { JurySetting } from '../jobs/settings.ts';
import { toItemInput } from '../jobs/upload.ts';
import { checkOptions, optionKeys } from '../options.ts';
import { allPages } from '../pages.ts';
import { filterFromJSON, filtersToJSON, type JuryFilter } from './filters.ts';
import {
  checkClassification,
  checkCompareDatapoint,
  checkContext,
  checkDataType,
  checkExplanation,
  checkInstruction,
  checkMediaContext,
  checkPurpose,
  checkSettings,
  invalid,
} from './validation.ts';

/**
 * Options shared by both kinds of qualification example.
 *
 * @example
 * ```ts
 * const options: ExampleOptions = { dataType: 'text', explanation: 'The second answer cites its source.' };
 * await audience.addCompareExample({ ...options, instruction: 'Which answer is better sourced?', datapoint: ['Trust me.', 'See RFC 9110.'], truth: 'See RFC 9110.' });
 * ```
 */
export interface ExampleOptions {
  /** Shown above the items, like a job's context (at most 400 characters, not empty). */
  context?: string;
  /** Extra media shown with the example (paths or URLs, 1 to 10). */
  mediaContext?: string[];
  /** `'media'` (paths and URLs, the default) or `'text'` (the strings are the items). */
  dataType?: 'media' | 'text';
  /** Shown to a labeler who answered wrong. */
  explanation?: string;
  /** The same settings as jobs, so qualification looks like the work. */
  settings?: (JurySetting | SettingName)[];
  /**
   * `'qualification'` (default): answered before the work, with feedback; `'gold'`: the secret pool that gold
   * checks among the tasks are drawn from (never in qualification, never with feedback).
   */
  purpose?: 'qualification' | 'gold';
}

/**
 * A compare qualification example: two items and the one a careful labeler picks.
 *
 * @example
 * ```ts
 * await audience.addCompareExample({ instruction: 'Which image is sharper?', datapoint: ['blurry.png', 'sharp.png'], truth: 'sharp.png' });
 * ```
 */
export interface CompareExampleInput extends ExampleOptions {
  /** At most 250 characters. */
  instruction: string;
  /** Exactly two different items: paths, URLs or (with dataType 'text') texts. */
  datapoint: [string, string] | string[];
  /** The correct item: one of the two, as written in `datapoint`. */
  truth: string;
}

/**
 * A classification qualification example: one item, the options, and the options that count as right.
 *
 * @example
 * ```ts
 * await audience.addClassificationExample({ instruction: 'What animal is this?', answerOptions: ['cat', 'dog'], datapoint: 'cat.jpg', truth: ['cat'] });
 * ```
 */
export interface ClassificationExampleInput extends ExampleOptions {
  /** At most 250 characters. */
  instruction: string;
  /** Unique, non-empty options (2 to 50). */
  answerOptions: string[];
  /** The one item to classify: a path, URL or (with dataType 'text') a text. */
  datapoint: string;
  /** The correct options (any of them counts as right); each one of `answerOptions`. */
  truth: string[];
}

const EXAMPLE_KEYS = {
  context: true,
  mediaContext: true,
  dataType: true,
  explanation: true,
  settings: true,
  purpose: true,
  instruction: true,
  datapoint: true,
  truth: true,
} as const;
const COMPARE_EXAMPLE_KEYS = optionKeys<CompareExampleInput>(EXAMPLE_KEYS);
const CLASSIFICATION_EXAMPLE_KEYS = optionKeys<ClassificationExampleInput>({
  ...EXAMPLE_KEYS,
  answerOptions: true,
});

/** What every audience kind shares: an id, a name, filters, jobs, deletion. */
abstract class JuryAudienceBase {
  readonly id: string;
  readonly name: string;
  /** The filters (a list means all of them). */
  readonly filters: readonly JuryFilter[];
  readonly kind: AudienceKind;
  protected readonly client: JuryClient;

  constructor(client: JuryClient, data: Audience) {
    this.client = client;
    this.id = data.id;
    this.name = data.name;
    this.kind = data.kind;
    this.filters = data.filters.map(filterFromJSON);
  }

  /**
   * Assigns a job definition to this audience: the job starts running at once, one task per datapoint, and
   * is served to the labelers this audience admits (a ranking job definition: one ranking per datapoint). Warnings from the server (e.g. an audience that cannot
   * admit anyone yet because it has too few qualification examples) are logged; the job is created anyway.
   *
   * @example
   * ```ts
   * const definition = await client.job.createCompareJobDefinition({ ... });
   * const job = await audience.assignJob(definition);
   * await job.displayProgressBar();
   * ```
   */
  async assignJob<T extends JobDefinitionType>(
    definition: JuryJobDefinition<T>,
    options?: AssignJobOptions,
  ): Promise<JuryJobOf<T>>;
  async assignJob(definition: JuryRankingJobDefinition, options?: AssignJobOptions): Promise<JuryRankingJob>;
  async assignJob(definitionId: string, options?: AssignJobOptions): Promise<AnyJuryJob>;
  async assignJob(
    definition: JuryJobDefinition | JuryRankingJobDefinition | string,
    options: AssignJobOptions = {},
  ): Promise<JuryJob | JuryRankingJob> {
    checkOptions('assignJob', options, ASSIGN_KEYS);
    // A ranking job rides on the flow machinery (its own routes), so its definition assigns itself.
    if (definition instanceof JuryRankingJobDefinition) return definition.assignTo(this.id, options.name);
    if (typeof definition === 'string' && definition !== '')
      return this.client.job.assignJob(definition, this.id, options);
    if (typeof definition !== 'object' || definition === null || typeof definition.id !== 'string')
      throw invalid('assignJob takes a job definition (or its id).', 'definition');
    return this.client.job.assignJob(definition, this.id, options);
  }

  /**
   * Jobs assigned to this audience whose name contains `name`, newest first.
   *
   * @example
   * ```ts
   * for (const job of await audience.findJobs({ amount: 20 })) console.log(job.id, job.status);
   * const alignment = await audience.findJobs({ name: 'Prompt Alignment' });
   * ```
   */
  async findJobs(options: FindOptions = {}): Promise<AnyJuryJob[]> {
    findQuery('findJobs', options);
    return this.client.job.findJobs({ ...options, audienceId: this.id });
  }

  /**
   * Deletes the audience: it leaves find/get and takes no new jobs. Jobs already assigned keep running (pause
   * them to stop). The global audience cannot be deleted.
   *
   * @example
   * ```ts
   * await audience.delete();
   * ```
   */
  async delete(): Promise<void> {
    if (this.kind === 'global') throw invalid('The global audience cannot be deleted; it is every labeler.');
    await this.client.call(deleteAudienceRoute, { params: { id: this.id } });
  }

  /**
   * Labelers by qualification state and the number of qualification examples (the reference product's recruiting metrics).
   *
   * @example
   * ```ts
   * const { members, examples, ready } = await audience.getStats();
   * console.log(`${members.qualified} qualified, ${members.qualifying} qualifying; ${examples} examples`);
   * ```
   */
  async getStats(): Promise<AudienceStats> {
    const { data } = await this.client.call(getAudienceStatsRoute, { params: { id: this.id } });
    return data;
  }

  /** @internal */
  toString(): string {
    return `${this.constructor.name}(id=${this.id}, name=${JSON.stringify(this.name)})`;
  }
}

/**
 * A custom audience (`aud_…`, labelers join by passing its qualification examples) or `global` (every labeler).
 *
 * @example
 * ```ts
 * const audience = await client.audience.createAudience('Careful raters', { targetAccuracy: 0.8 });
 * await audience.addCompareExample({ instruction: 'Which is sharper?', datapoint: ['a.png', 'b.png'], truth: 'b.png' });
 * ```
 */
export class JuryAudience extends JuryAudienceBase {
  /** The qualification pass rule; null for `global`. */
  readonly passRule: PassRule | null;

  constructor(client: JuryClient, data: Audience) {
    super(client, data);
    this.passRule = data.passRule;
  }

  #requireCustom(what: string): void {
    if (this.kind === 'global')
      throw invalid(
        `The global audience has no qualification examples, so it cannot ${what}; create a custom audience with client.audience.createAudience().`,
      );
  }

  async #resolve(items: string[], dataType: 'media' | 'text'): Promise<ItemInput[]> {
    const resolved = await this.client.assets.resolveItems(items, dataType, { progressBar: false });
    return resolved.map(toItemInput);
  }

  async #addExample(body: AddExampleInput): Promise<AudienceExample> {
    const { data } = await this.client.call(addAudienceExampleRoute, { params: { id: this.id }, json: body });
    return data;
  }

  /**
   * Adds a compare qualification example: two items and the correct one. Local files are uploaded and URLs
   * registered first. Validated before anything is uploaded (the server checks again).
   *
   * @example
   * ```ts
   * await audience.addCompareExample({
   *   instruction: 'Which image matches "a red apple" better?',
   *   datapoint: ['./examples/apple.png', './examples/pear.png'],
   *   truth: './examples/apple.png',
   *   explanation: 'The pear is green.',
   * });
   * ```
   */
  async addCompareExample(input: CompareExampleInput): Promise<AudienceExample> {
    this.#requireCustom('take examples');
    checkOptions('addCompareExample', input, COMPARE_EXAMPLE_KEYS);
    const instruction = checkInstruction(input.instruction);
    const [a, b] = checkCompareDatapoint(input.datapoint, input.truth);
    const dataType = checkDataType(input.dataType);
    const context = checkContext(input.context);
    const mediaContext = checkMediaContext(input.mediaContext);
    const explanation = checkExplanation(input.explanation);
    const settings = checkSettings(input.settings);
    const purpose = checkPurpose(input.purpose);
    const datapoint = await this.#resolve([a, b], dataType);
    const names = datapoint.map((d) => ('text' in d ? d.text : d.name));
    if (names[0] === names[1])
      throw invalid(
        `Both items are known by the name ${JSON.stringify(names[0])} (files are named by their basename); rename one of them.`,
        'datapoint',
      );
    return this.#addExample({
      taskType: 'compare',
      instruction,
      dataType,
      datapoint,
      truth: names[input.truth === a ? 0 : 1]!,
      ...(context === undefined ? {} : { context }),
      ...(mediaContext === undefined ? {} : { mediaContext: await this.#resolve(mediaContext, 'media') }),
      ...(explanation === undefined ? {} : { explanation }),
      settings,
      purpose,
    });
  }

  /**
   * Adds a classification qualification example: one item, the options, and the correct option(s).
   *
   * @example
   * ```ts
   * await audience.addClassificationExample({
   *   instruction: 'What animal is shown?',
   *   answerOptions: ['cat', 'dog', 'bird'],
   *   datapoint: 'https://example.com/cat.jpg',
   *   truth: ['cat'],
   * });
   * ```
   */
  async addClassificationExample(input: ClassificationExampleInput): Promise<AudienceExample> {
    this.#requireCustom('take examples');
    checkOptions('addClassificationExample', input, CLASSIFICATION_EXAMPLE_KEYS);
    const instruction = checkInstruction(input.instruction);
    const { answerOptions, truth } = checkClassification(input.answerOptions, input.datapoint, input.truth);
    const dataType = checkDataType(input.dataType);
    const context = checkContext(input.context);
    const mediaContext = checkMediaContext(input.mediaContext);
    const explanation = checkExplanation(input.explanation);
    const settings = checkSettings(input.settings);
    const purpose = checkPurpose(input.purpose);
    const datapoint = (await this.#resolve([input.datapoint], dataType))[0]!;
    return this.#addExample({
      taskType: 'classification',
      instruction,
      dataType,
      answerOptions,
      datapoint,
      truth,
      ...(context === undefined ? {} : { context }),
      ...(mediaContext === undefined ? {} : { mediaContext: await this.#resolve(mediaContext, 'media') }),
      ...(explanation === undefined ? {} : { explanation }),
      settings,
      purpose,
    });
  }

  /**
   * The examples (qualification and gold, each with its `purpose`), in sort order; `purpose` keeps one pool.
   *
   * @example
   * ```ts
   * for (const ex of await audience.getExamples({ amount: 50 })) console.log(ex.instruction, ex.truth);
   * const gold = await audience.getExamples({ purpose: 'gold' });
   * ```
   */
  async getExamples(
    options: Omit<FindOptions, 'name'> & { purpose?: 'qualification' | 'gold' } = {},
  ): Promise<AudienceExample[]> {
    const { purpose, ...paging } = options;
    checkOptions('getExamples', options, EXAMPLES_PAGE_KEYS);
    const { amount, page } = findQuery('getExamples', paging, EXAMPLES_PAGE_KEYS);
    const only = purpose === undefined ? undefined : checkPurpose(purpose);
    if (this.kind === 'global') return [];
    const { data } = await this.client.call(listAudienceExamplesRoute, {
      params: { id: this.id },
      query: { amount, page, purpose: only },
    });
    return data;
  }

  /**
   * A filtered audience: this audience's admitted labelers who match every filter in the list (at least one).
   * Works on `global` too. A filtered audience cannot be filtered again.
   *
   * @example
   * ```ts
   * const usEnglish = await audience.filter([new CountryFilter(['US']), new LanguageFilter(['en'])]);
   * ```
   */
  async filter(filters: JuryFilter[], name?: string): Promise<JuryFilteredAudience> {
    if (name !== undefined && typeof name !== 'string')
      throw invalid('filter takes the filters and, optionally, a name for the filtered audience.', 'name');
    const wire = filtersToJSON(filters, { required: true });
    const { data } = await this.client.call(createFilteredAudienceRoute, {
      params: { id: this.id },
      json: name === undefined ? { filters: wire } : { filters: wire, name },
    });
    return new JuryFilteredAudience(this.client, data);
  }

  /**
   * How labelers get into this audience: `open` (anyone), `invite` (invite links only) or `study` (a recruiting
   * site's entry URL, e.g. Prolific; see docs/prolific.md).
   *
   * @example
   * ```ts
   * const { mode, entryUrl } = await audience.getRecruitment();
   * ```
   */
  async getRecruitment(): Promise<Recruitment> {
    const { data } = await this.client.call(getRecruitmentRoute, { params: { id: this.id } });
    return data;
  }

  /**
   * Sets the recruitment mode; labelers already qualified keep their place.
   *
   * @example
   * ```ts
   * const { entryUrl } = await audience.setRecruitment({
   *   mode: 'study',
   *   study: { completionCode: 'C1A2B3', screenedOutCode: 'C9X8Y7' },
   * });
   * // entryUrl goes into the Prolific study's "study URL"
   * ```
   */
  async setRecruitment(recruitment: SetRecruitment): Promise<Recruitment> {
    const { data } = await this.client.call(setRecruitmentRoute, {
      params: { id: this.id },
      json: recruitment,
    });
    return data;
  }

  /**
   * An invite link: `single` (one person, once) or `shared` (up to `maxUses` labelers). The URL is returned only now.
   *
   * @example
   * ```ts
   * const { url } = await audience.createInvite({ kind: 'shared', maxUses: 20, label: 'lab members' });
   * ```
   */
  async createInvite(invite: CreateAudienceInvite): Promise<CreatedAudienceInvite> {
    const { data } = await this.client.call(createAudienceInviteRoute, {
      params: { id: this.id },
      json: invite,
    });
    return data;
  }

  /**
   * The audience's invite links, newest first (uses, state; not the URLs).
   *
   * @example
   * ```ts
   * for (const i of await audience.listInvites()) console.log(i.label, i.uses, i.state);
   * ```
   */
  async listInvites(): Promise<AudienceInvite[]> {
    return allPages(
      (cursor, amount) =>
        this.client.call(listAudienceInvitesRoute, { params: { id: this.id }, query: { cursor, amount } }),
      500,
    );
  }

  /**
   * Revokes an invite link: it admits nobody more (labelers it let in keep their place).
   *
   * @example
   * ```ts
   * await audience.revokeInvite(invite.id);
   * ```
   */
  async revokeInvite(inviteId: string): Promise<void> {
    await this.client.call(revokeAudienceInviteRoute, { params: { id: this.id, inviteId } });
  }
}

const EXAMPLES_PAGE_KEYS = [...FIND_KEYS.filter((k) => k !== 'name'), 'purpose'];

/**
 * A filtered audience (`fau_…`): its base audience's admitted labelers who match its filters. A slim handle:
 * assign and find jobs, stats, delete. It cannot be filtered again and has no examples of its own: those
 * methods of {@link JuryAudience} do not type-check on it and throw a `JuryValidationError` saying what to do.
 *
 * @example
 * ```ts
 * const us = await audience.filter([new CountryFilter(['US'])]);
 * const job = await us.assignJob(definition);
 * ```
 */
export class JuryFilteredAudience extends JuryAudience {
  declare readonly kind: 'filtered';
  /** The audience this one filters: `global` or an `aud_…`. */
  readonly baseAudienceId: string;

  constructor(client: JuryClient, data: Audience) {
    super(client, data);
    this.baseAudienceId = data.baseAudienceId ?? 'global';
  }

  #noExamples(): never {
    throw invalid(
      `${this.id} is a filtered audience: it has no qualification examples of its own (it reuses the qualified labelers of ${this.baseAudienceId}). Add examples to ${this.baseAudienceId} instead: (await client.audience.getAudienceById('${this.baseAudienceId}')).addCompareExample(...).`,
    );
  }

  /** @deprecated Not on a filtered audience: add examples to its base audience (`baseAudienceId`). Throws. */
  override async addCompareExample(_input: never): Promise<never> {
    this.#noExamples();
  }

  /** @deprecated Not on a filtered audience: add examples to its base audience (`baseAudienceId`). Throws. */
  override async addClassificationExample(_input: never): Promise<never> {
    this.#noExamples();
  }

  /** @deprecated Not on a filtered audience: read the examples of its base audience (`baseAudienceId`). Throws. */
  override async getExamples(_options?: never): Promise<never> {
    this.#noExamples();
  }

  /** @deprecated A filtered audience cannot be filtered again: filter its base audience with all the filters. Throws. */
  override async filter(_filters: never, _name?: never): Promise<never> {
    throw invalid(
      `${this.id} is a filtered audience and cannot be filtered again; filter its base audience ${this.baseAudienceId} with all the filters in one list: (await client.audience.getAudienceById('${this.baseAudienceId}')).filter([...this.filters, ...more]).`,
    );
  }
}

/**
 * The handle for an audience from the server: a {@link JuryAudience} for `global` and custom audiences, a
 * {@link JuryFilteredAudience} (a kind of JuryAudience) for filtered ones.
 *
 * @example
 * ```ts
 * const handle = audienceHandle(client, data);
 * ```
 */
export function audienceHandle(client: JuryClient, data: Audience): JuryAudience {
  return data.kind === 'filtered' ? new JuryFilteredAudience(client, data) : new JuryAudience(client, data);
}
