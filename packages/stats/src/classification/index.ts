export type {
  CategoryConfidenceOptions,
  ConfidenceStopInput,
  ConfidenceStopResult,
  QuorumStopInput,
  QuorumStopResult,
  StopReason,
  TrustVote,
} from './confidence.ts';
export { categoryConfidence, confidenceStop, quorumStop, voteWeight } from './confidence.ts';
