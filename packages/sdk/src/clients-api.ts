import {
  type ApiClient,
  type CreatedApiClient,
  createApiClientRoute,
  listApiClientsRoute,
  revokeApiClientRoute,
} from '@jury/api';
import type { JuryClient } from './client.ts';
import { allPages } from './pages.ts';

/**
 * Your organization's API clients (client id + secret pairs), over `/api/v1/clients`.
 *
 * @example
 * ```ts
 * const created = await client.credentials.create('CI pipeline');
 * console.log(created.id, created.secret); // the secret is shown only here
 * await client.credentials.revoke(created.id);
 * ```
 */
export class CredentialsApi {
  readonly #client: JuryClient;

  constructor(client: JuryClient) {
    this.#client = client;
  }

  /**
   * Every client of your organization, newest first, revoked ones included.
   *
   * @example
   * ```ts
   * for (const c of await client.credentials.list()) console.log(c.id, c.displayName, c.revokedAt);
   * ```
   */
  async list(): Promise<ApiClient[]> {
    return allPages(
      (cursor, amount) => this.#client.call(listApiClientsRoute, { query: { cursor, amount } }),
      500,
    );
  }

  /**
   * Creates a client in your organization; its `secret` is returned only this once.
   *
   * @example
   * ```ts
   * const { id, secret } = await client.credentials.create('labeling robot');
   * ```
   */
  async create(displayName: string): Promise<CreatedApiClient> {
    const { data } = await this.#client.call(createApiClientRoute, { json: { displayName } });
    return data;
  }

  /**
   * Revokes a client; its tokens stop working at once.
   *
   * @example
   * ```ts
   * await client.credentials.revoke('cli_4kq9x2m7p1');
   * ```
   */
  async revoke(id: string): Promise<ApiClient> {
    const { data } = await this.#client.call(revokeApiClientRoute, { params: { id } });
    return data;
  }
}
