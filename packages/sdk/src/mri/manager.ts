import {
  createBenchmarkRoute,
  findBenchmarksRoute,
  getBenchmarkRoute,
  getLeaderboardRoute,
  getParticipantRoute,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { type FindOptions, findQuery } from '../jobs/manager.ts';
import { checkOptions } from '../options.ts';
import { JuryBenchmark, PROMPT_KEYS, type PromptLists, preparePrompts } from './benchmark.ts';
import { checkName } from './inputs.ts';
import { JuryLeaderboard } from './leaderboard.ts';
import { JuryParticipant } from './participant.ts';

/**
 * `client.mri`: Model Ranking Insights (the reference SDK's `RapidataBenchmarkManager`): create, get and find
 * benchmarks; get a leaderboard or a model by id.
 *
 * @example
 * ```ts
 * const benchmark = await client.mri.createNewBenchmark('AI Art Competition', {
 *   prompts: ['A serene mountain landscape at sunset', 'A futuristic city with flying cars', 'A portrait of a wise old wizard'],
 * });
 * const again = await client.mri.getBenchmarkById(benchmark.id);
 * const recent = await client.mri.findBenchmarks({ name: 'AI Art', amount: 10 });
 * ```
 */
export class MriManager {
  readonly #client: JuryClient;

  /** @internal */
  constructor(client: JuryClient) {
    this.#client = client;
  }

  /**
   * Creates a benchmark with its prompts (parallel lists matched by index, see {@link PromptLists}); local prompt
   * assets are uploaded and URLs registered. Every list is checked before anything uploads.
   *
   * @example
   * ```ts
   * const benchmark = await client.mri.createNewBenchmark('Preference Benchmark', {
   *   identifiers: ['scene_1', 'scene_2'],
   *   prompts: ['A sunny beach', 'A city skyline'],
   *   promptAssets: ['refs/beach.png', 'refs/city.png'],
   *   tags: [['outdoor'], ['urban']],
   * });
   * ```
   */
  async createNewBenchmark(name: string, lists: PromptLists = {}): Promise<JuryBenchmark> {
    checkOptions('createNewBenchmark', lists, PROMPT_KEYS);
    checkName('createNewBenchmark', name);
    const prompts = await preparePrompts(this.#client, 'createNewBenchmark', lists);
    const { data } = await this.#client.call(createBenchmarkRoute, {
      json: { name, ...(prompts ? { prompts } : {}) },
    });
    return new JuryBenchmark(this.#client, data);
  }

  /**
   * A benchmark by id; unknown or another organization's ids throw `JuryNotFoundError`.
   *
   * @example
   * ```ts
   * const benchmark = await client.mri.getBenchmarkById('bmk_4kq9x2m7p1d8s3wz');
   * ```
   */
  async getBenchmarkById(id: string): Promise<JuryBenchmark> {
    checkName('getBenchmarkById', id, 'id');
    const { data } = await this.#client.call(getBenchmarkRoute, { params: { id } });
    return new JuryBenchmark(this.#client, data);
  }

  /**
   * Your benchmarks whose name contains `name`, newest first (the most recent without a name).
   *
   * @example
   * ```ts
   * const recent = await client.mri.findBenchmarks({ name: 'AI Art', amount: 10 });
   * ```
   */
  async findBenchmarks(options: FindOptions = {}): Promise<JuryBenchmark[]> {
    const { name, amount, page } = findQuery('findBenchmarks', options);
    const { data } = await this.#client.call(findBenchmarksRoute, { query: { name, amount, page } });
    return data.map((b) => new JuryBenchmark(this.#client, b));
  }

  /**
   * A leaderboard by id.
   *
   * @example
   * ```ts
   * const leaderboard = await client.mri.getLeaderboardById('lbd_3k9d2m1x0q7w5e8r');
   * ```
   */
  async getLeaderboardById(id: string): Promise<JuryLeaderboard> {
    checkName('getLeaderboardById', id, 'id');
    const { data } = await this.#client.call(getLeaderboardRoute, { params: { id } });
    return new JuryLeaderboard(this.#client, data);
  }

  /**
   * A model (participant) by id.
   *
   * @example
   * ```ts
   * const model = await client.mri.getParticipantById('prt_8d2k1m0q7x3w9e1r');
   * await model.disable();
   * ```
   */
  async getParticipantById(id: string): Promise<JuryParticipant> {
    checkName('getParticipantById', id, 'id');
    const { data } = await this.#client.call(getParticipantRoute, { params: { id } });
    return new JuryParticipant(this.#client, data);
  }
}
