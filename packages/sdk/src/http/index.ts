/**
 * `@jury/sdk/client`: the typed HTTP client of the Jury API and the SDK's typed errors, safe in a browser
 * (no Node imports; `browser-safe.test.ts` checks). `@jury/sdk`'s `JuryClient` is this client plus
 * credentials, tokens and files.
 *
 * @example
 * ```ts
 * import { createHttpClient, JuryNotFoundError } from '@jury/sdk/client';
 * import { getLabelerPreviewRoute } from '@jury/api';
 * const http = createHttpClient();
 * const { data } = await http.call(getLabelerPreviewRoute, { params: { key } });
 * ```
 */
export {
  errorFromResponse,
  JuryAuthError,
  JuryConflictError,
  JuryError,
  type JuryErrorCode,
  type JuryErrorInit,
  JuryForbiddenError,
  JuryNetworkError,
  JuryNotFoundError,
  JuryRateLimitError,
  JuryServerError,
  JuryValidationError,
  networkError,
  type SdkErrorCode,
} from '../errors.ts';
export {
  createHttpClient,
  type FetchLike,
  type HttpClient,
  type HttpClientOptions,
  type PreparedRequest,
  prepareRequest,
  type TypedResponse,
} from './client.ts';
export type { CallArgs, CallInput, CallOutput, RawBody, Route } from './route.ts';
