export type {
  DiagonalStrengthPosterior,
  StrengthPosterior,
  StrengthPosteriorOptions,
} from './posterior.ts';
export { diagonalStrengthPosterior, strengthPosterior } from './posterior.ts';
export type { LevelOfDetail, ProposedPair, ProposePairsOptions } from './propose.ts';
export { levelOfDetailBudget, proposePairs } from './propose.ts';
