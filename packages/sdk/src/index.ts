/**
 * @jury/sdk: the TypeScript client of a Jury server, for requesters.
 *
 * @example
 * ```ts
 * import { JuryClient, juryConfig } from '@jury/sdk';
 * juryConfig.upload.maxWorkers = 10;
 * const client = new JuryClient();
 * const [a, b] = await client.assets.uploadMany(['a.png', 'b.png']);
 * ```
 */
export type {
  ApiClient,
  Asset,
  ClassificationResults,
  CompareResults,
  CreatedApiClient,
  ErrorCode,
  JobDefinitionType,
  JobResults,
  MediaKind,
} from '@jury/api';
export { AssetsApi, type BatchOptions, type DataType, type ResolvedItem } from './assets.ts';
export * from './audiences/index.ts';
export {
  type CredentialSource,
  DEFAULT_URL,
  JuryClient,
  type JuryClientOptions,
  type RequestOptions,
  type ResolvedConnection,
  resolveConnection,
} from './client.ts';
export { CredentialsApi } from './clients-api.ts';
export {
  type JuryConfig,
  juryConfig,
  LOG_LEVELS,
  type LoggingConfig,
  type LogLevel,
  type UploadConfig,
} from './config.ts';
export {
  type CredentialEntry,
  type CredentialsFile,
  credentialsPath,
  markCredentialUsed,
  normalizeEndpoint,
  parseServerUrl,
  pickCredential,
  readCredentials,
  readCredentialsSync,
  removeCredential,
  saveCredential,
  updateCredentialEndpoint,
  writeCredentials,
} from './credentials.ts';
export {
  errorFromResponse,
  type FailedUpload,
  JuryAuthError,
  JuryConflictError,
  JuryCredentialsError,
  JuryError,
  type JuryErrorCode,
  type JuryErrorInit,
  JuryForbiddenError,
  JuryItemError,
  JuryJobStalledError,
  JuryNetworkError,
  JuryNotFoundError,
  JuryRateLimitError,
  JuryServerError,
  JuryUploadError,
  JuryValidationError,
  networkError,
  type SdkErrorCode,
} from './errors.ts';
export * from './evaluations/index.ts';
export * from './flows/index.ts';
export {
  type CallArgs,
  type CallInput,
  type CallOutput,
  createHttpClient,
  type FetchLike,
  type HttpClient,
  type HttpClientOptions,
  type PreparedRequest,
  prepareRequest,
  type RawBody,
  type Route,
  type TypedResponse,
} from './http/index.ts';
export {
  type AddDatapointsParams,
  AllowNeitherBothSetting,
  type AnyJuryJob,
  type AnyJuryJobDefinition,
  type AssignJobOptions,
  type ClassificationJobDefinitionParams,
  type CompareJobDefinitionParams,
  type DatapointInput,
  type FailedDatapointUpload,
  FailedUploadError,
  type FindJobsOptions,
  type FindOptions,
  type JobDefinitionParams,
  JobManager,
  JuryJob,
  JuryJobDefinition,
  type JuryJobDefinitionOf,
  type JuryJobOf,
  type JuryJobProgress,
  JurySetting,
  JurySettings,
  MarkdownSetting,
  NoShuffleSetting,
  openInBrowser,
  type ResultsOf,
  type RevisionChanges,
  settingNames,
  type WaitOptions,
} from './jobs/index.ts';
export { type Logger, logger, say } from './logger.ts';
export * from './models/index.ts';
export * from './mri/index.ts';
export { checkOptions, closestKey } from './options.ts';
export { isRetryable, mapPool, type RetryOptions, withRetries } from './pool.ts';
export { createProgress, type Progress } from './progress.ts';
