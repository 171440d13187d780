import {
  createRankingFlowRoute,
  createRankingFlowSchema,
  findFlowsRoute,
  getFlowRoute,
  preheatFlowsRoute,
  type SettingName,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { type JurySetting, settingNames } from '../jobs/settings.ts';
import { checked, invalidField } from '../mri/inputs.ts';
import { optionKeys } from '../options.ts';
import { JuryFlow } from './flow.ts';
import { checkFlowOptions } from './options.ts';

const FLOW_KEYS = optionKeys<RankingFlowParams>({
  name: true,
  instruction: true,
  maxResponseThreshold: true,
  minResponseThreshold: true,
  audienceId: true,
  startingElo: true,
  settings: true,
});

/**
 * Parameters of {@link FlowManager.createRankingFlow}.
 *
 * @example
 * ```ts
 * const params: RankingFlowParams = { name: 'Quality', instruction: 'Which image looks better?', maxResponseThreshold: 200, minResponseThreshold: 50 };
 * ```
 */
export interface RankingFlowParams {
  name: string;
  /** Shown with each comparison; phrase it for two items. */
  instruction: string;
  /** Responses each flow item collects at most (default 100). */
  maxResponseThreshold?: number;
  /** Responses an item needs to be completed when its time to live runs out (default: the maximum). */
  minResponseThreshold?: number;
  /**
   * `global` (default), a custom or a filtered audience, by id or handle. The reference's `validationSetId` maps
   * here: Jury has no validation sets; a custom audience's qualification examples and gold checks do their work.
   */
  audienceId?: string | { id: string };
  /** Mean score of an item's datapoints on the Elo scale (default 1200). */
  startingElo?: number;
  settings?: (JurySetting | SettingName)[];
}

/**
 * `client.flow`: ranking flows (the reference SDK's `RapidataFlowManager`).
 *
 * @example
 * ```ts
 * const flow = await client.flow.createRankingFlow({ name: 'Quality', instruction: 'Which image looks better?' });
 * const recent = await client.flow.findFlows({ amount: 10 });
 * ```
 */
export class FlowManager {
  readonly #client: JuryClient;

  constructor(client: JuryClient) {
    this.#client = client;
  }

  /**
   * Creates a ranking flow.
   *
   * @example
   * ```ts
   * const flow = await client.flow.createRankingFlow({ name: 'Quality', instruction: 'Which image looks better?', maxResponseThreshold: 200, minResponseThreshold: 50 });
   * ```
   */
  async createRankingFlow(params: RankingFlowParams): Promise<JuryFlow> {
    checkFlowOptions('createRankingFlow', params, FLOW_KEYS);
    if (params === undefined || params === null)
      throw invalidField('createRankingFlow', 'name', 'Give { name, instruction, ... }.');
    const { audienceId, settings, ...rest } = params;
    const json = {
      ...rest,
      ...(audienceId !== undefined
        ? { audienceId: typeof audienceId === 'string' ? audienceId : audienceId?.id }
        : {}),
      ...(settings ? { settings: settingNames(settings) } : {}),
    };
    checked('createRankingFlow', createRankingFlowSchema, json);
    const { data } = await this.#client.call(createRankingFlowRoute, { json });
    return new JuryFlow(this.#client, data);
  }

  /**
   * A flow by id; unknown or deleted ids throw `JuryNotFoundError`.
   *
   * @example
   * ```ts
   * const flow = await client.flow.getFlowById('flw_4kq9x2m7p1d8s3wz');
   * ```
   */
  async getFlowById(id: string): Promise<JuryFlow> {
    return new JuryFlow(this.#client, (await this.#client.call(getFlowRoute, { params: { id } })).data);
  }

  /**
   * Your flows whose name contains `name`, newest first.
   *
   * @example
   * ```ts
   * const flows = await client.flow.findFlows({ name: 'Quality', amount: 10 });
   * ```
   */
  async findFlows(options: { name?: string; amount?: number; page?: number } = {}): Promise<JuryFlow[]> {
    const { data } = await this.#client.call(findFlowsRoute, {
      query: { name: options.name, amount: options.amount ?? 10, page: options.page ?? 1 },
    });
    return data.map((f) => new JuryFlow(this.#client, f));
  }

  /**
   * Warms the server's serving path before time-sensitive batches; returns how many of your items are open.
   *
   * @example
   * ```ts
   * await client.flow.preheat();
   * ```
   */
  async preheat(): Promise<{ openItems: number }> {
    return (await this.#client.call(preheatFlowsRoute, {})).data;
  }
}
