export type { TrustAnswer, UserScoreDetails, UserScoreOptions } from './user-score.ts';
export { exampleDifficulty, userScore, userScoreDetails } from './user-score.ts';
