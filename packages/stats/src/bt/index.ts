export type { BradleyTerryFit, BradleyTerryOptions, BradleyTerryWarning } from './fit.ts';
export { fitBradleyTerry, penaltyFromPriorSd, SKLEARN_DEFAULT_PENALTY, WEAK_PRIOR_PENALTY } from './fit.ts';
export type { ItemRecord, PairCounts, PairOutcome, PairRecord } from './pair-counts.ts';
export {
  addItem,
  addPairCounts,
  addVote,
  addVoteByIndex,
  addVotesByIndex,
  createPairCounts,
  itemRecord,
} from './pair-counts.ts';
export type { BootstrapRefit, BradleyTerryIntervals, IntervalOptions } from './uncertainty.ts';
export { bradleyTerryIntervals, probabilityBetter, rankByIntervals, winProbability } from './uncertainty.ts';
