import {
  deleteModelRoute,
  type EndpointTestResult,
  getModelRoute,
  type Model,
  testModelEndpointRoute,
  updateModelRoute,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { type EndpointChanges, endpointPatchBody, type ModelChanges } from './inputs.ts';

/**
 * A registered model: its details, masked endpoint, limits and costs as last read, and what its owners may do
 * (edit, delete, test the endpoint). Another organization's public model reads the same, with `endpoint` null.
 *
 * @example
 * ```ts
 * const model = await client.models.get('mdl_4kq9x2m7p1d8s3wz');
 * const test = await model.testEndpoint('What is 2 + 2?');
 * console.log(test.ok ? test.answer : test.error?.message);
 * ```
 */
export class JuryModel {
  readonly id: string;
  #data: Model;
  readonly #client: JuryClient;

  constructor(client: JuryClient, data: Model) {
    this.#client = client;
    this.id = data.id;
    this.#data = data;
  }

  /** The model as last read (header values masked). */
  get data(): Model {
    return this.#data;
  }

  get name(): string {
    return this.#data.name;
  }

  /**
   * Reads the model again.
   *
   * @example
   * ```ts
   * const { limits } = await model.refresh();
   * ```
   */
  async refresh(): Promise<Model> {
    this.#data = (await this.#client.call(getModelRoute, { params: { id: this.id } })).data;
    return this.#data;
  }

  /**
   * Changes the model (owners only): details, visibility, endpoint (`headers`: a value replaces, null removes, the
   * others stay), limits and costs (null clears one).
   *
   * @example
   * ```ts
   * await model.edit({ visibility: 'public', limits: { requestsPerMinute: 60 }, endpoint: { headers: { Authorization: 'Bearer sk-new' } } });
   * ```
   */
  async edit(changes: ModelChanges): Promise<this> {
    const { endpoint, ...rest } = changes;
    this.#data = (
      await this.#client.call(updateModelRoute, {
        params: { id: this.id },
        json: { ...rest, ...(endpoint ? { endpoint: endpointPatchBody(endpoint) } : {}) },
      })
    ).data;
    return this;
  }

  /**
   * Deletes the model (owners only); it is no longer found and its name is free again.
   *
   * @example
   * ```ts
   * await model.delete();
   * ```
   */
  async delete(): Promise<void> {
    await this.#client.call(deleteModelRoute, { params: { id: this.id } });
  }

  /**
   * Sends one real request to the endpoint (owners only) and returns the status, the raw response, what the response
   * path extracts (`answer`) or which step failed (`error`). `endpoint` tries unsaved changes.
   *
   * @example
   * ```ts
   * const t = await model.testEndpoint('Say hi', { endpoint: { responsePath: ['json', 'choices', 0, 'text'] } });
   * if (!t.ok) console.log(t.error?.kind, t.error?.message, t.response.body);
   * ```
   */
  async testEndpoint(
    prompt?: string,
    options: { endpoint?: EndpointChanges } = {},
  ): Promise<EndpointTestResult> {
    return (
      await this.#client.call(testModelEndpointRoute, {
        params: { id: this.id },
        json: {
          ...(prompt !== undefined ? { prompt } : {}),
          ...(options.endpoint ? { endpoint: endpointPatchBody(options.endpoint) } : {}),
        },
      })
    ).data;
  }
}
