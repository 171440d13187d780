// Ranking flows and ranking jobs: `client.flow`, `client.job.createRankingJobDefinition` and the objects they return.
export {
  type FlowBatchOptions,
  type FlowResultsOptions,
  JuryFlow,
  JuryFlowItem,
} from './flow.ts';
export { FlowManager, type RankingFlowParams } from './manager.ts';
export type { FlowConfigChanges } from './options.ts';
export { JuryRankingJob, JuryRankingJobDefinition, type RankingJobDefinitionParams } from './ranking-job.ts';
