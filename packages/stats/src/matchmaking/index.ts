export type { StrengthPosterior, StrengthPosteriorOptions } from './posterior.ts';
export { strengthPosterior } from './posterior.ts';
export type { LevelOfDetail, ProposedPair, ProposePairsOptions } from './propose.ts';
export { levelOfDetailBudget, proposePairs } from './propose.ts';
