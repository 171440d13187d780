export type { CrowdOptions, LabelerKind, SimulatedLabeler } from './crowd.ts';
export {
  simulateCrowd,
  simulateGoldAnswers,
  simulateStrengths,
  simulateVote,
  voteProbability,
} from './crowd.ts';
export type {
  BudgetPlan,
  PairScheme,
  PlanBudgetOptions,
  RankingCheckpoint,
  SimulateRankingOptions,
} from './planner.ts';
export {
  activeScheme,
  closestRatingScheme,
  planBudget,
  randomPairScheme,
  simulateRanking,
  votesToReachTau,
} from './planner.ts';
