import { type TokenResponse, tokenResponseSchema, tokenRoute } from '@jury/api';
import { AssetsApi } from './assets.ts';
import { AudienceManager } from './audiences/manager.ts';
import { CredentialsApi } from './clients-api.ts';
import {
  type CredentialEntry,
  credentialsPath,
  markCredentialUsed,
  normalizeEndpoint,
  parseServerUrl,
  pickCredential,
  readCredentialsSync,
} from './credentials.ts';
import { JuryAuthError, JuryCredentialsError } from './errors.ts';
import { EvaluationManager } from './evaluations/manager.ts';
import { FlowManager } from './flows/manager.ts';
import { createHttpClient, type HttpClient, type TypedResponse } from './http/client.ts';
import type { CallArgs, CallOutput, Route } from './http/route.ts';
import { JobManager } from './jobs/manager.ts';
import { logger } from './logger.ts';
import { ModelManager } from './models/manager.ts';
import { MriManager } from './mri/manager.ts';
import { checkOptions, optionKeys } from './options.ts';

/**
 * Where `new JuryClient()` connects when neither an argument, `JURY_URL` nor the file says otherwise.
 *
 * @example
 * ```ts
 * new JuryClient({ clientId, clientSecret }).url === DEFAULT_URL; // 'http://localhost:8787'
 * ```
 */
export const DEFAULT_URL = 'http://localhost:8787';

/**
 * Options of {@link JuryClient}; every field is optional.
 *
 * @example
 * ```ts
 * const client = new JuryClient({ clientId: 'cli_…', clientSecret: 'jcs_…', url: 'http://jury.internal:8787' });
 * ```
 */
export interface JuryClientOptions {
  /** OAuth client id; else `JURY_CLIENT_ID`; else the credentials file. */
  clientId?: string | undefined;
  /** OAuth client secret; else `JURY_CLIENT_SECRET`; else the credentials file. */
  clientSecret?: string | undefined;
  /** Server URL; else `JURY_URL`; else the saved entry's endpoint; else http://localhost:8787. */
  url?: string | undefined;
  /** Seconds before expiry at which a token is renewed (default 60, at most half its lifetime). */
  leewaySeconds?: number;
  /** Time source for token expiry (tests move it). */
  now?: () => Date;
  /** Another credentials file than `~/.config/jury/credentials.json`. */
  credentialsFile?: string;
  /** First backoff of upload retries in ms (default 250). */
  retryBaseDelayMs?: number;
  /** Environment to read `JURY_*` from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * Where a client's credentials came from.
 *
 * @example
 * ```ts
 * if (client.credentialSource === 'credentials-file') console.log('using the saved client');
 * ```
 */
export type CredentialSource = 'arguments' | 'environment' | 'credentials-file';

/**
 * The outcome of {@link resolveConnection}.
 *
 * @example
 * ```ts
 * const { url, source } = resolveConnection();
 * ```
 */
export interface ResolvedConnection {
  url: string;
  clientId: string;
  clientSecret: string;
  source: CredentialSource;
}

const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

const CLIENT_KEYS = optionKeys<JuryClientOptions>({
  clientId: true,
  clientSecret: true,
  url: true,
  leewaySeconds: true,
  now: true,
  credentialsFile: true,
  retryBaseDelayMs: true,
  env: true,
});

/**
 * Resolves the server URL and client credentials like the SDK's configuration guide orders them:
 * constructor arguments, then `JURY_CLIENT_ID` / `JURY_CLIENT_SECRET` / `JURY_URL` (empty strings count
 * as unset), then the credentials file (the entry for the URL when one is known, else the most recently
 * used entry, whose endpoint then gives the URL).
 *
 * @example
 * ```ts
 * const { url, clientId, source } = resolveConnection({});
 * console.log(`${clientId} @ ${url} (from ${source})`);
 * ```
 */
export function resolveConnection(options: JuryClientOptions = {}): ResolvedConnection {
  checkOptions('new JuryClient', options, CLIENT_KEYS);
  const env = options.env ?? process.env;
  const argId = nonEmpty(options.clientId);
  const argSecret = nonEmpty(options.clientSecret);
  const envId = nonEmpty(env.JURY_CLIENT_ID);
  const envSecret = nonEmpty(env.JURY_CLIENT_SECRET);
  const givenUrl = nonEmpty(options.url);
  const envUrl = nonEmpty(env.JURY_URL);
  // Checked first: a malformed URL would otherwise surface as a confusing credentials or network error.
  const explicitUrl =
    givenUrl !== undefined
      ? parseServerUrl(givenUrl, 'url')
      : envUrl !== undefined
        ? parseServerUrl(envUrl, 'JURY_URL')
        : undefined;

  if (argId || argSecret) {
    const clientId = argId ?? envId;
    const clientSecret = argSecret ?? envSecret;
    if (!clientId || !clientSecret)
      throw new JuryCredentialsError({
        code: 'NO_CREDENTIALS',
        message: `Pass both clientId and clientSecret (only ${argId ? 'clientId' : 'clientSecret'} was given).`,
      });
    return {
      url: normalizeEndpoint(explicitUrl ?? DEFAULT_URL),
      clientId,
      clientSecret,
      source: 'arguments',
    };
  }
  if (envId || envSecret) {
    if (!envId || !envSecret)
      throw new JuryCredentialsError({
        code: 'NO_CREDENTIALS',
        message: `Set both JURY_CLIENT_ID and JURY_CLIENT_SECRET (only ${envId ? 'JURY_CLIENT_ID' : 'JURY_CLIENT_SECRET'} is set).`,
      });
    return {
      url: normalizeEndpoint(explicitUrl ?? DEFAULT_URL),
      clientId: envId,
      clientSecret: envSecret,
      source: 'environment',
    };
  }
  const file = options.credentialsFile ?? credentialsPath();
  let clients: CredentialEntry[];
  try {
    ({ clients } = readCredentialsSync(file));
  } catch (err) {
    throw new JuryCredentialsError({
      code: 'NO_CREDENTIALS',
      message: `Cannot read the credentials file: ${(err as Error).message}`,
      details: { credentialsFile: file },
      cause: err,
    });
  }
  const entry = pickCredential(clients, explicitUrl);
  if (entry)
    return {
      url: normalizeEndpoint(explicitUrl ?? entry.endpoint),
      clientId: entry.clientId,
      clientSecret: entry.clientSecret,
      source: 'credentials-file',
    };
  const saved = [...new Set(clients.map((c) => c.endpoint))];
  throw new JuryCredentialsError({
    code: 'NO_CREDENTIALS',
    message: [
      explicitUrl
        ? `No Jury credentials for ${normalizeEndpoint(explicitUrl)}: no clientId/clientSecret arguments, no JURY_CLIENT_ID/JURY_CLIENT_SECRET, and no entry for that URL in ${file}${saved.length ? ` (it has entries for ${saved.join(', ')})` : ''}.`
        : `No Jury credentials found: no clientId/clientSecret arguments, no JURY_CLIENT_ID/JURY_CLIENT_SECRET, and no client in ${file}.`,
      'To fix it: start the server once with `jury serve` (it saves a local client on first start),',
      'or create one with `jury credentials create --save [--url <server url>]`,',
      'or pass new JuryClient({ clientId, clientSecret, url }).',
    ].join('\n'),
    details: { credentialsFile: file, url: explicitUrl },
  });
}

/**
 * Options of {@link JuryClient.fetch} and {@link JuryClient.request}, for paths without a route object.
 *
 * @example
 * ```ts
 * await client.request('POST', '/api/v1/clients', { json: { displayName: 'bot' } });
 * ```
 */
export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  body?: Blob | Uint8Array;
  headers?: Record<string, string>;
  /** Send the bearer token (default true). */
  auth?: boolean;
}

/**
 * A client of a Jury server for requesters: assets (uploads, URLs), API clients, jobs,
 * audiences and benchmarks (`client.mri`). Credentials resolve as in {@link resolveConnection}; tokens are obtained
 * from `POST /connect/token`, renewed before they expire and once more if the server answers 401.
 *
 * @example
 * ```ts
 * import { JuryClient } from '@jury/sdk';
 * const client = new JuryClient(); // after `jury serve`, the saved local client is used
 * const asset = await client.assets.upload('./cat.png');
 * console.log(asset.id, asset.url);
 * ```
 */
export class JuryClient {
  /** The server URL, e.g. `http://localhost:8787`. */
  readonly url: string;
  readonly clientId: string;
  /** Where the credentials came from. */
  readonly credentialSource: CredentialSource;
  /** Media assets: uploads, URLs, item resolution. */
  readonly assets: AssetsApi;
  /** Audiences: global, custom (qualification examples) and filtered. */
  readonly audience: AudienceManager;
  /** Your organization's API clients. */
  readonly credentials: CredentialsApi;
  /** Job definitions and jobs (the reference SDK's `client.job`). */
  readonly job: JobManager;
  /** Ranking flows (the reference SDK's `client.flow`). */
  readonly flow: FlowManager;
  /** Model Ranking Insights: benchmarks, leaderboards, models (the reference SDK's `client.mri`). */
  readonly mri: MriManager;
  /** Ground-truth evaluations: built-in MixEval and MixEval-Hard, your own imports, their versions and items. */
  readonly evaluations: EvaluationManager;
  /** Models registered by their endpoint. */
  readonly models: ModelManager;
  /** First backoff of upload retries in ms. */
  readonly retryBaseDelayMs: number;

  readonly #clientSecret: string;
  readonly #leewaySeconds: number;
  readonly #now: () => Date;
  readonly #credentialsFile: string;
  #token: { value: string; expiresAt: number; renewAt: number } | undefined;
  #pendingToken: Promise<string> | undefined;
  /** The typed client without a token (the token endpoint) and with one (everything else). */
  readonly #anonymous: HttpClient;
  readonly #http: HttpClient;

  constructor(options: JuryClientOptions = {}) {
    const resolved = resolveConnection(options);
    this.url = resolved.url;
    this.clientId = resolved.clientId;
    this.credentialSource = resolved.source;
    this.#clientSecret = resolved.clientSecret;
    this.#leewaySeconds = options.leewaySeconds ?? 60;
    this.#now = options.now ?? (() => new Date());
    this.#credentialsFile = options.credentialsFile ?? credentialsPath();
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 250;
    this.#anonymous = createHttpClient({ baseUrl: this.url });
    this.#http = createHttpClient({
      baseUrl: this.url,
      fetch: (url, init) => this.#fetchWithToken(url, init),
    });
    this.assets = new AssetsApi(this);
    this.audience = new AudienceManager(this);
    this.credentials = new CredentialsApi(this);
    this.job = new JobManager(this);
    this.flow = new FlowManager(this);
    this.mri = new MriManager(this);
    this.evaluations = new EvaluationManager(this);
    this.models = new ModelManager(this);
    logger.debug('JuryClient for %s using client %s from %s', this.url, this.clientId, this.credentialSource);
  }

  /**
   * A valid bearer token, fetched or renewed when needed (concurrent callers share one request).
   *
   * @example
   * ```ts
   * const token = await client.getToken();
   * await fetch(`${client.url}/api/v1/clients`, { headers: { authorization: `Bearer ${token}` } });
   * ```
   */
  async getToken(): Promise<string> {
    const now = this.#now().getTime();
    if (this.#token && now < this.#token.renewAt) return this.#token.value;
    this.#pendingToken ??= this.#fetchToken().finally(() => {
      this.#pendingToken = undefined;
    });
    return this.#pendingToken;
  }

  /** Drops the cached token so the next request fetches a new one. */
  invalidateToken(): void {
    this.#token = undefined;
  }

  async #fetchToken(): Promise<string> {
    let body: CallOutput<typeof tokenRoute>;
    try {
      body = await this.#anonymous.call(tokenRoute, {
        form: {
          grant_type: 'client_credentials',
          client_id: this.clientId,
          client_secret: this.#clientSecret,
        },
      });
    } catch (err) {
      if (err instanceof JuryAuthError && this.credentialSource === 'credentials-file')
        err.message += ` (client ${this.clientId} from ${this.#credentialsFile})`;
      throw err;
    }
    const token: TokenResponse = tokenResponseSchema.parse(body);
    const issuedAt = this.#now().getTime();
    const leeway = Math.min(this.#leewaySeconds, token.expires_in / 2) * 1000;
    this.#token = {
      value: token.access_token,
      expiresAt: issuedAt + token.expires_in * 1000,
      renewAt: issuedAt + token.expires_in * 1000 - leeway,
    };
    logger.debug('Obtained a token for %s, valid %ds', this.clientId, token.expires_in);
    if (this.credentialSource === 'credentials-file') {
      await markCredentialUsed(this.clientId, new Date(), this.#credentialsFile).catch((err: Error) =>
        logger.debug('Could not update lastUsed in %s: %s', this.#credentialsFile, err.message),
      );
    }
    return token.access_token;
  }

  /** The bearer token on every request, renewed once when the server answers 401 (expired or revoked). */
  async #fetchWithToken(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const headers = {
        ...(init.headers as Record<string, string>),
        authorization: `Bearer ${await this.getToken()}`,
      };
      const res = await fetch(url, { ...init, headers });
      if (res.status !== 401 || attempt > 0) return res;
      await res.body?.cancel();
      logger.debug('%s %s answered 401; renewing the token once', init.method, url);
      this.invalidateToken();
    }
  }

  /**
   * Calls a route of the Jury API (a `createRoute` object of `@jury/api`) with the bearer token: `params`,
   * `query` and `json` typed from the route, the parsed JSON body typed from its 2xx responses. Any error
   * status becomes a typed {@link JuryError}.
   *
   * @example
   * ```ts
   * import { getJobRoute } from '@jury/api';
   * const { data: job } = await client.call(getJobRoute, { params: { id: 'job_…' } });
   * ```
   */
  call<R extends Route>(route: R, ...args: CallArgs<R>): Promise<CallOutput<R>> {
    return this.#http.call(route, ...args);
  }

  /**
   * Like {@link JuryClient.call}, returning the 2xx response itself (bytes, headers, status).
   *
   * @example
   * ```ts
   * import { getAssetContentRoute } from '@jury/api';
   * const res = await client.send(getAssetContentRoute, { params: { id }, headers: { range: 'bytes=0-99' } });
   * ```
   */
  send<R extends Route>(route: R, ...args: CallArgs<R>): Promise<TypedResponse<CallOutput<R>>> {
    return this.#http.send(route, ...args);
  }

  /**
   * Sends a request to the Jury API and returns the successful response; any error status becomes a
   * typed {@link JuryError}. For paths without a route object in `@jury/api`; prefer {@link JuryClient.call}.
   *
   * @example
   * ```ts
   * const res = await client.fetch('GET', '/api/v1/clients');
   * const { data } = await res.json();
   * ```
   */
  async fetch(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const { query, json, body, headers } = options;
    return ((options.auth ?? true) ? this.#http : this.#anonymous).send(
      { method, path },
      { query, json, body, headers },
    );
  }

  /**
   * Like {@link JuryClient.fetch}, returning the parsed JSON body.
   *
   * @example
   * ```ts
   * const { data } = await client.request<{ data: unknown[] }>('GET', '/api/v1/clients');
   * ```
   */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.fetch(method, path, options);
    return (await res.json()) as T;
  }
}
