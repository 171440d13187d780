// The jobs room's operations, one module per thing it holds: definitions.ts, jobs.ts, previews.ts.
export {
  addDatapoints,
  createJobDefinition,
  createRevision,
  getJobDefinition,
  type JobDeps,
  listDefinitionDatapoints,
  listDefinitionRevisions,
  listJobDefinitions,
} from './definitions.ts';
export { createJob, getJob, getJobResults, listJobs, pauseJob, resumeJob } from './jobs.ts';
export { createPreview, getPreview } from './previews.ts';
