// Job definitions, jobs and their settings: `client.job` and the objects it returns.
export {
  type AddDatapointsParams,
  type AnyJuryJobDefinition,
  JuryJobDefinition,
  type JuryJobDefinitionOf,
  openInBrowser,
  type RevisionChanges,
} from './definition.ts';
export { type DatapointInput, type FailedDatapointUpload, FailedUploadError } from './errors.ts';
export {
  type AnyJuryJob,
  JuryJob,
  type JuryJobOf,
  type JuryJobProgress,
  type ResultsOf,
  type WaitOptions,
} from './job.ts';
export {
  type AssignJobOptions,
  type ClassificationJobDefinitionParams,
  type CompareJobDefinitionParams,
  type FindJobsOptions,
  type FindOptions,
  type JobDefinitionParams,
  JobManager,
} from './manager.ts';
export {
  AllowNeitherBothSetting,
  JurySetting,
  JurySettings,
  MarkdownSetting,
  NoShuffleSetting,
  settingNames,
} from './settings.ts';
