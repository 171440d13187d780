import {
  addPromptsRoute,
  type Benchmark,
  type BenchmarkPrompt,
  type BenchmarkStandings,
  benchmarkStandingsQuerySchema,
  createLeaderboardRoute,
  createLeaderboardSchema,
  createParticipantRoute,
  deletePromptRoute,
  getBenchmarkRoute,
  getBenchmarkStandingsRoute,
  getBenchmarkWinLossMatrixRoute,
  type LevelOfDetail,
  listLeaderboardsRoute,
  listParticipantsRoute,
  type OriginInput,
  promptListSchema,
  runBenchmarkRoute,
  type TagInput,
  updatePromptRoute,
  updatePromptSchema,
  type VoteAggregation,
  type WinLossMatrix,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { checkOptions, optionKeys } from '../options.ts';
import { allPages } from '../pages.ts';
import { checked, checkName, invalidField, pendingMedia, uploadMedia } from './inputs.ts';
import {
  JuryLeaderboard,
  type StandingsOptions,
  tagQuery,
  type WinLossOptions,
  weightedQuery,
} from './leaderboard.ts';
import { JuryParticipant, type ModelMedia, prepareMedia, promptsOf } from './participant.ts';

/**
 * Prompts as parallel lists matched by index (the reference product's shape): `identifiers` name them (default:
 * the prompt texts, which must then be unique), `prompts` are the texts, `promptAssets` media shown with them (a
 * local file or URL, or null), `tags` per prompt filter the standings and are never shown to labelers (a tag is
 * its value, or `{ value, category }`), `origins` say where each prompt comes from, `englishPrompts` are English
 * versions (Jury does not translate: by default a prompt's English version is the prompt itself).
 *
 * @example
 * ```ts
 * const prompts: PromptLists = {
 *   identifiers: ['scene_1', 'scene_2'],
 *   prompts: ['Une plage ensoleillée', 'A mountain landscape'],
 *   englishPrompts: ['A sunny beach', null],
 *   promptAssets: ['refs/beach.png', null],
 *   tags: [['outdoor', { value: 'beach', category: 'scene' }], ['outdoor']],
 *   origins: ['parti-prompts', { source: 'team' }],
 * };
 * ```
 */
export interface PromptLists {
  identifiers?: string[];
  prompts?: (string | null)[];
  promptAssets?: (string | null)[];
  tags?: (TagInput[] | null)[];
  origins?: (OriginInput | null)[];
  englishPrompts?: (string | null)[];
}

/**
 * What {@link JuryBenchmark.updatePrompt} changes: the tags (replaced) and/or the origin (null clears it).
 *
 * @example
 * ```ts
 * const changes: PromptChanges = { tags: ['outdoor', { value: 'night', category: 'time' }], origin: 'team' };
 * ```
 */
export interface PromptChanges {
  tags?: TagInput[];
  origin?: OriginInput | null;
}

/**
 * Options of {@link JuryBenchmark.createLeaderboard}.
 *
 * @example
 * ```ts
 * const options: CreateLeaderboardOptions = {
 *   name: 'Quality', instruction: 'Which image has lower quality?', inverseRanking: true,
 *   showPrompt: true, showPromptAsset: true, levelOfDetail: 'medium', audience: 'global',
 * };
 * ```
 */
export interface CreateLeaderboardOptions {
  /** Identifies the leaderboard for you. */
  name: string;
  /** The criterion labelers choose the better one by, e.g. "Which image is more realistic?". */
  instruction: string;
  /** Show the prompt text with each matchup (default false: only when the instruction needs it). */
  showPrompt?: boolean;
  /** Show the prompt's asset with each matchup (default false). */
  showPromptAsset?: boolean;
  /** The instruction asks for the worse one ("Which image is worse?"): lower is better (default false). */
  inverseRanking?: boolean;
  /** Responses per evaluation run: 'debug' 20, 'low' 2,000 (default), 'medium' 4,000, 'high' 8,000, 'very high' 16,000, or a number. */
  levelOfDetail?: LevelOfDetail;
  /** Who answers: 'global' (default), a custom or filtered audience, or its id. */
  audience?: string | { id: string };
  /**
   * Labelers asked per matchup, each a separate vote (at least 3; a matchup is served until it has them). Default: 1
   * with `voteAggregation: 'all'` (each vote a fresh pair), 3 with `'majority'`.
   */
  minResponsesPerMatchup?: number;
  /** Only prompts with at least one of these tag values take part (fixed; applied when each run starts). */
  includedTags?: string[];
  /** Prompts with any of these tag values never take part (fixed). */
  excludedTags?: string[];
  /**
   * `'all'` (default): every vote counts; `'majority'`: each matchup gives one win to its majority side (a draw half
   * to each). Standings fold the raw votes on every read, so `leaderboard.update` switches it for past votes too.
   */
  voteAggregation?: VoteAggregation;
  /** No run for the models already submitted; models submitted later are still compared with the whole field. */
  skipInitialRun?: boolean;
}

/**
 * Options of {@link JuryBenchmark.getWinLossMatrix}: a leaderboard's, and which leaderboards and models.
 *
 * @example
 * ```ts
 * await benchmark.getWinLossMatrix({ leaderboards: [realism], participants: [a, b], useWeightedScoring: true });
 * ```
 */
export interface BenchmarkWinLossOptions extends WinLossOptions {
  /** The leaderboards (or their ids) whose votes count (default: all of the benchmark's). */
  leaderboards?: (JuryLeaderboard | string)[];
  /** The models (or their ids) the matrix is limited to (default: all). */
  participants?: (JuryParticipant | string)[];
}

/**
 * Options of {@link JuryBenchmark.getOverallStandings}: those of a leaderboard's standings, and which leaderboards.
 *
 * @example
 * ```ts
 * await benchmark.getOverallStandings({ leaderboards: [realism, alignment], tags: ['outdoor'] });
 * ```
 */
export interface OverallStandingsOptions extends StandingsOptions {
  /** The leaderboards (or their ids) whose votes are folded together (default: every leaderboard of the benchmark). */
  leaderboards?: (JuryLeaderboard | string)[];
}

const OVERALL_KEYS = optionKeys<OverallStandingsOptions>({
  tags: true,
  intervals: true,
  sklearnC: true,
  leaderboards: true,
});
/** @internal */
export const PROMPT_KEYS = optionKeys<PromptLists>({
  identifiers: true,
  prompts: true,
  promptAssets: true,
  tags: true,
  origins: true,
  englishPrompts: true,
});
const PROMPT_CHANGE_KEYS = optionKeys<PromptChanges>({ tags: true, origin: true });
const MATRIX_KEYS = optionKeys<BenchmarkWinLossOptions>({
  tags: true,
  useWeightedScoring: true,
  leaderboards: true,
  participants: true,
});
const LEADERBOARD_KEYS = optionKeys<CreateLeaderboardOptions>({
  name: true,
  instruction: true,
  showPrompt: true,
  showPromptAsset: true,
  inverseRanking: true,
  levelOfDetail: true,
  audience: true,
  minResponsesPerMatchup: true,
  includedTags: true,
  excludedTags: true,
  voteAggregation: true,
  skipInitialRun: true,
});

/** @internal A list of handles or ids (`what`) as the query's comma-separated ids. */
function idList(
  method: string,
  field: string,
  list: unknown,
  Handle: abstract new (...a: never[]) => { id: string },
) {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.some((l) => typeof l !== 'string' && !(l instanceof Handle)))
    throw invalidField(method, field, `${field} is a list of ${field} or their ids.`);
  return tagQuery(
    method,
    list.map((l: string | { id: string }) => (typeof l === 'string' ? l : l.id)),
  );
}

/**
 * @internal Checks prompt lists against the contract, uploads the prompt assets; returns the request body, or
 * undefined when no list is given.
 */
export async function preparePrompts(client: JuryClient, method: string, lists: PromptLists | undefined) {
  checkOptions(method, lists, PROMPT_KEYS);
  const given = lists ?? {};
  if (Object.values(given).every((v) => v === undefined)) return undefined;
  const shape = checked(method, promptListSchema, {
    ...given,
    promptAssets: pendingMedia(method, 'promptAssets', given.promptAssets, true),
  });
  if (!given.promptAssets) return shape;
  const present = given.promptAssets.flatMap((a, i) => (a === null ? [] : [{ a, i }]));
  const uploaded = await uploadMedia(
    client,
    method,
    present.map((p) => p.a),
  );
  const promptAssets = given.promptAssets.map(() => null as (typeof uploaded)[number] | null);
  present.forEach((p, k) => {
    promptAssets[p.i] = uploaded[k]!;
  });
  return { ...shape, promptAssets };
}

/**
 * A benchmark: a prompt set with its models (participants) and leaderboards (the reference SDK's
 * `RapidataBenchmark`). Counts are as last read; `prompts()`, `participants()` and `leaderboards()` read the
 * server each time.
 *
 * @example
 * ```ts
 * const benchmark = await client.mri.createNewBenchmark('AI Art Competition', {
 *   prompts: ['A serene mountain landscape at sunset', 'A futuristic city with flying cars'],
 * });
 * const leaderboard = await benchmark.createLeaderboard({ name: 'Realism', instruction: 'Which image is more realistic?' });
 * await benchmark.evaluateModel('MyModel', {
 *   media: ['sunset.png', 'city.png'],
 *   prompts: ['A serene mountain landscape at sunset', 'A futuristic city with flying cars'],
 * });
 * ```
 */
export class JuryBenchmark {
  readonly #client: JuryClient;
  #data: Benchmark;

  /** @internal */
  constructor(client: JuryClient, data: Benchmark) {
    this.#client = client;
    this.#data = data;
  }

  get id(): string {
    return this.#data.id;
  }
  get name(): string {
    return this.#data.name;
  }
  get promptCount(): number {
    return this.#data.promptCount;
  }
  get participantCount(): number {
    return this.#data.participantCount;
  }
  get leaderboardCount(): number {
    return this.#data.leaderboardCount;
  }
  get createdAt(): string {
    return this.#data.createdAt;
  }

  /**
   * The prompts, in the order they were added (identifier, text, asset, tags).
   *
   * @example
   * ```ts
   * const texts = (await benchmark.prompts()).map((p) => p.prompt);
   * ```
   */
  async prompts(): Promise<BenchmarkPrompt[]> {
    return promptsOf(this.#client, this.id);
  }

  /**
   * Adds prompts (matched by index, as in {@link PromptLists}); they take part for models given media afterwards.
   * An identifier already in the benchmark is a conflict.
   *
   * @example
   * ```ts
   * await benchmark.addPrompts({
   *   identifiers: ['new_style'], prompts: ['Generate artwork in this new style'],
   *   promptAssets: ['refs/new-style.png'], tags: [['abstract', 'modern']],
   * });
   * ```
   */
  async addPrompts(lists: PromptLists): Promise<BenchmarkPrompt[]> {
    const json = await preparePrompts(this.#client, 'addPrompts', lists);
    if (!json) throw invalidField('addPrompts', 'prompts', 'Give identifiers, prompts, or both.');
    const { data } = await this.#client.call(addPromptsRoute, { params: { id: this.id }, json });
    await this.refresh();
    return data;
  }

  /**
   * Changes a prompt's tags (replaced) and/or origin, by its identifier; a field left out stays as it is. Runs already
   * open keep the prompts they started with.
   *
   * @example
   * ```ts
   * await benchmark.updatePrompt('scene_1', { tags: ['outdoor', { value: 'dusk', category: 'time' }] });
   * ```
   */
  async updatePrompt(identifier: string, changes: PromptChanges): Promise<BenchmarkPrompt> {
    checkName('updatePrompt', identifier, 'identifier');
    checkOptions('updatePrompt', changes, PROMPT_CHANGE_KEYS);
    const json = checked('updatePrompt', updatePromptSchema, changes ?? {});
    const prompt = await this.#promptOf('updatePrompt', identifier);
    const { data } = await this.#client.call(updatePromptRoute, { params: { id: prompt.id }, json });
    return data;
  }

  /**
   * Deletes a prompt, by its identifier, with the models' media for it and its matchups and votes: they leave every
   * standings. Cannot be undone.
   *
   * @example
   * ```ts
   * await benchmark.deletePrompt('scene_3');
   * ```
   */
  async deletePrompt(identifier: string): Promise<void> {
    checkName('deletePrompt', identifier, 'identifier');
    const prompt = await this.#promptOf('deletePrompt', identifier);
    await this.#client.call(deletePromptRoute, { params: { id: prompt.id } });
    await this.refresh();
  }

  async #promptOf(method: string, identifier: string): Promise<BenchmarkPrompt> {
    const prompt = (await this.prompts()).find((p) => p.identifier === identifier);
    if (!prompt)
      throw invalidField(
        method,
        'identifier',
        `No prompt of benchmark ${this.id} has the identifier ${JSON.stringify(identifier)}.`,
      );
    return prompt;
  }

  /**
   * The leaderboards, oldest first.
   *
   * @example
   * ```ts
   * const [first] = await benchmark.leaderboards();
   * ```
   */
  async leaderboards(): Promise<JuryLeaderboard[]> {
    const rows = await allPages(async (cursor, amount) =>
      this.#client.call(listLeaderboardsRoute, { params: { id: this.id }, query: { cursor, amount } }),
    );
    return rows.map((l) => new JuryLeaderboard(this.#client, l));
  }

  /**
   * The models, oldest first.
   *
   * @example
   * ```ts
   * for (const p of await benchmark.participants()) console.log(p.name, p.status);
   * ```
   */
  async participants(): Promise<JuryParticipant[]> {
    const rows = await allPages(async (cursor, amount) =>
      this.#client.call(listParticipantsRoute, { params: { id: this.id }, query: { cursor, amount } }),
    );
    return rows.map((p) => new JuryParticipant(this.#client, p));
  }

  /**
   * Creates a leaderboard (an evaluation criterion with its own votes); matchmaking starts at once for the models
   * already submitted.
   *
   * @example
   * ```ts
   * const us = await (await client.audience.getAudienceById('aud_…')).filter([new CountryFilter(['US'])]);
   * await benchmark.createLeaderboard({ name: 'Realism (US)', instruction: 'Which image is more realistic?', audience: us });
   * ```
   */
  async createLeaderboard(options: CreateLeaderboardOptions): Promise<JuryLeaderboard> {
    checkOptions('createLeaderboard', options, LEADERBOARD_KEYS);
    if (options === undefined || options === null)
      throw invalidField('createLeaderboard', 'name', 'Give { name, instruction, ... }.');
    const { audience, ...rest } = options;
    if (
      audience !== undefined &&
      typeof audience !== 'string' &&
      (typeof audience !== 'object' || audience === null || typeof audience.id !== 'string')
    )
      throw invalidField('createLeaderboard', 'audience', 'audience is an audience or its id.');
    const audienceId =
      audience === undefined ? undefined : typeof audience === 'string' ? audience : audience.id;
    const json = checked('createLeaderboard', createLeaderboardSchema, {
      ...rest,
      ...(audienceId === undefined ? {} : { audienceId }),
    });
    const { data } = await this.#client.call(createLeaderboardRoute, { params: { id: this.id }, json });
    await this.refresh();
    return new JuryLeaderboard(this.#client, data);
  }

  /**
   * Adds a model and submits it at once: its media (each paired with a benchmark prompt, by `prompts` or
   * `identifiers`) are matched on every leaderboard. Local files are uploaded, URLs registered; prompts outside
   * the benchmark's set, or media and prompts of different lengths, throw before anything uploads.
   *
   * @example
   * ```ts
   * await benchmark.evaluateModel('MyAIModel_v2.1', {
   *   media: ['sunset-1.png', 'sunset-2.png', 'city.png'],
   *   prompts: ['A serene mountain landscape at sunset', 'A serene mountain landscape at sunset', 'A futuristic city with flying cars'],
   * });
   * ```
   */
  async evaluateModel(name: string, media: ModelMedia): Promise<JuryParticipant> {
    return this.#createModel('evaluateModel', name, media, true);
  }

  /**
   * Adds a model without submitting it (status `created`): upload more media, then `run()` it, or
   * {@link JuryBenchmark.run} every such model at once. `media` may be left out and uploaded later.
   *
   * @example
   * ```ts
   * const model = await benchmark.addModel('ModelA', { media: ['a.png'], identifiers: ['scene_1'] });
   * await model.run();
   * ```
   */
  async addModel(name: string, media?: ModelMedia): Promise<JuryParticipant> {
    return this.#createModel('addModel', name, media, false);
  }

  /**
   * Submits every model still `created` that has media; returns them.
   *
   * @example
   * ```ts
   * await benchmark.addModel('ModelB', { media: ['b.png'], identifiers: ['scene_1'] });
   * await benchmark.addModel('ModelC', { media: ['c.png'], identifiers: ['scene_1'] });
   * const submitted = await benchmark.run(); // ModelB, ModelC
   * ```
   */
  async run(): Promise<JuryParticipant[]> {
    const { data } = await this.#client.call(runBenchmarkRoute, { params: { id: this.id } });
    return data.submitted.map((p) => new JuryParticipant(this.#client, p));
  }

  /**
   * The overall standings: one Bradley-Terry fit of the votes of every leaderboard (or those given), each counted
   * in its own direction (an inverse ranking's picks count against the model picked), with 95% intervals.
   *
   * @example
   * ```ts
   * const { standings } = await benchmark.getOverallStandings();
   * console.log(standings.map((s) => `${s.rank}. ${s.name} ${s.score.toFixed(0)}`));
   * ```
   */
  async getOverallStandings(options: OverallStandingsOptions = {}): Promise<BenchmarkStandings> {
    checkOptions('getOverallStandings', options, OVERALL_KEYS);
    const { leaderboards, ...rest } = options ?? {};
    const ids = idList('getOverallStandings', 'leaderboards', leaderboards, JuryLeaderboard);
    const query = checked('getOverallStandings', benchmarkStandingsQuerySchema, {
      ...rest,
      tags: tagQuery('getOverallStandings', rest.tags),
      ...(ids !== undefined ? { leaderboardIds: ids } : {}),
    });
    const { data } = await this.#client.call(getBenchmarkStandingsRoute, { params: { id: this.id }, query });
    return data;
  }

  /**
   * Wins of every model over every other across the leaderboards (all, or those given), each in its direction;
   * limited to `participants` when given; `useWeightedScoring` weighs each vote by its labeler's trust score.
   *
   * @example
   * ```ts
   * const { models, wins } = await benchmark.getWinLossMatrix({ tags: ['outdoor'], useWeightedScoring: true });
   * ```
   */
  async getWinLossMatrix(options: BenchmarkWinLossOptions = {}): Promise<WinLossMatrix> {
    checkOptions('getWinLossMatrix', options, MATRIX_KEYS);
    const { leaderboards, participants, useWeightedScoring, tags } = options ?? {};
    const weighted = weightedQuery('getWinLossMatrix', useWeightedScoring);
    const leaderboardIds = idList('getWinLossMatrix', 'leaderboards', leaderboards, JuryLeaderboard);
    const participantIds = idList('getWinLossMatrix', 'participants', participants, JuryParticipant);
    const tagText = tagQuery('getWinLossMatrix', tags);
    const { data } = await this.#client.call(getBenchmarkWinLossMatrixRoute, {
      params: { id: this.id },
      query: {
        useWeightedScoring: weighted,
        ...(tagText !== undefined ? { tags: tagText } : {}),
        ...(leaderboardIds !== undefined ? { leaderboardIds } : {}),
        ...(participantIds !== undefined ? { participantIds } : {}),
      },
    });
    return data;
  }

  /**
   * Reads the benchmark again (name and counts).
   *
   * @example
   * ```ts
   * await benchmark.refresh();
   * console.log(benchmark.participantCount);
   * ```
   */
  async refresh(): Promise<this> {
    const { data } = await this.#client.call(getBenchmarkRoute, { params: { id: this.id } });
    this.#data = data;
    return this;
  }

  async #createModel(method: string, name: string, input: ModelMedia | undefined, submit: boolean) {
    checkName(method, name);
    if (submit && input === undefined)
      throw invalidField(method, 'media', 'A model evaluated at once needs media: give { media, prompts }.');
    const media = input === undefined ? undefined : await prepareMedia(this.#client, method, input, this.id);
    const { data } = await this.#client.call(createParticipantRoute, {
      params: { id: this.id },
      json: { name, submit, ...(media ? { media } : {}) },
    });
    await this.refresh();
    return new JuryParticipant(this.#client, data);
  }
}
