import {
  createModelRoute,
  type EndpointTestResult,
  type FindModelsQuery,
  findModelsRoute,
  getModelRoute,
  testNewEndpointRoute,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { type EndpointParams, endpointBody, type ModelParams } from './inputs.ts';
import { JuryModel } from './model.ts';

/**
 * Options of {@link ModelManager.list}.
 *
 * @example
 * ```ts
 * const options: ListModelsOptions = { name: 'llama', owner: 'mine', sort: 'name' };
 * ```
 */
export type ListModelsOptions = FindModelsQuery;

/**
 * `client.models`: models registered by their HTTP endpoint, for automated evaluations.
 *
 * @example
 * ```ts
 * const model = await client.models.create({
 *   name: 'Local Llama',
 *   endpoint: { preset: 'openai-chat', url: 'http://127.0.0.1:8000/v1/chat/completions', model: 'llama3' },
 * });
 * console.log((await model.testEndpoint('Say hi')).answer);
 * ```
 */
export class ModelManager {
  readonly #client: JuryClient;

  constructor(client: JuryClient) {
    this.#client = client;
  }

  /**
   * Registers a model; its name must be free in your organization (else `JuryConflictError`).
   *
   * @example
   * ```ts
   * const model = await client.models.create({
   *   name: 'My API', visibility: 'public',
   *   endpoint: { url: 'https://models.example.com/generate', headers: { 'Api-Key': 'DEADBEEF' }, bodyTemplate: { task: '%PROMPT%' }, responsePath: ['json', 'res'] },
   *   limits: { requestsPerMinute: 60 }, costs: { perThousandInputTokens: 0.001 },
   * });
   * ```
   */
  async create(params: ModelParams): Promise<JuryModel> {
    const { endpoint, ...rest } = params;
    const { data } = await this.#client.call(createModelRoute, {
      json: { ...rest, endpoint: endpointBody(endpoint) },
    });
    return new JuryModel(this.#client, data);
  }

  /**
   * Your models and other organizations' public ones; filter by name, owner and visibility, sort by name, creation
   * or parameter count (a leading `-` for descending; default newest first).
   *
   * @example
   * ```ts
   * const mine = await client.models.list({ owner: 'mine', sort: 'name', amount: 50 });
   * ```
   */
  async list(options: ListModelsOptions = {}): Promise<JuryModel[]> {
    const { data } = await this.#client.call(findModelsRoute, {
      query: { ...options, amount: options.amount ?? 10, page: options.page ?? 1 },
    });
    return data.map((m) => new JuryModel(this.#client, m));
  }

  /**
   * A model by id (yours, or another organization's public one); anything else throws `JuryNotFoundError`.
   *
   * @example
   * ```ts
   * const model = await client.models.get('mdl_4kq9x2m7p1d8s3wz');
   * ```
   */
  async get(id: string): Promise<JuryModel> {
    return new JuryModel(this.#client, (await this.#client.call(getModelRoute, { params: { id } })).data);
  }

  /**
   * Your model (or another organization's public one) by its exact name; undefined when there is none.
   *
   * @example
   * ```ts
   * const model = await client.models.findByName('Local Llama');
   * ```
   */
  async findByName(name: string): Promise<JuryModel | undefined> {
    const found = await this.list({ name, amount: 100, owner: 'any' });
    return found.find((m) => m.name === name && m.data.owned) ?? found.find((m) => m.name === name);
  }

  /**
   * Sends one real request to an endpoint before any model is saved with it: the status, the raw response and what
   * the response path extracts (or which step failed), as {@link JuryModel.testEndpoint}.
   *
   * @example
   * ```ts
   * const t = await client.models.testEndpoint({ preset: 'openai-chat', url: 'http://127.0.0.1:8000/v1/chat/completions', model: 'llama3' }, 'Say hi');
   * ```
   */
  async testEndpoint(endpoint: EndpointParams, prompt?: string): Promise<EndpointTestResult> {
    return (
      await this.#client.call(testNewEndpointRoute, {
        json: { endpoint: endpointBody(endpoint), ...(prompt !== undefined ? { prompt } : {}) },
      })
    ).data;
  }
}
