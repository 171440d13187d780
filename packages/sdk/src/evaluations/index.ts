// Ground-truth evaluations: `client.evaluations` (built-in MixEval and your own; imports, versions, items).

export type {
  CreateEvaluationRun,
  EvaluationRun,
  EvaluationRunItem,
  EvaluationRunStatus,
  FindEvaluationRunsQuery,
  ModelScores,
} from '@jury/api';
export {
  EvaluationManager,
  type ImportTarget,
  type JsonlImport,
  type MixEvalImport,
} from './manager.ts';
export { EvaluationRunHandle, type RunWaitOptions } from './run.ts';
