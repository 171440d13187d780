import {
  createRankingFlowRoute,
  createRankingFlowSchema,
  findFlowsRoute,
  getFlowRoute,
  preheatFlowsRoute,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { checked, invalidField } from '../mri/inputs.ts';
import { JuryFlow } from './flow.ts';
import { CONFIG_KEYS, checkFlowOptions, configBody, type FlowConfigChanges } from './options.ts';

const FLOW_KEYS = ['name', ...CONFIG_KEYS];

/**
 * Parameters of {@link FlowManager.createRankingFlow}: a name and the configuration (an instruction at least).
 *
 * @example
 * ```ts
 * const params: RankingFlowParams = { name: 'Quality', instruction: 'Which image looks better?', maxResponseThreshold: 200, minResponseThreshold: 50 };
 * ```
 */
export interface RankingFlowParams extends FlowConfigChanges {
  name: string;
  instruction: string;
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
    const json = configBody(params);
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
