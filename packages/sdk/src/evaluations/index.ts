// Ground-truth evaluations: `client.evaluations` (built-in MixEval and your own; imports, versions, items).
export {
  EvaluationManager,
  type ImportTarget,
  type JsonlImport,
  type MixEvalImport,
} from './manager.ts';
