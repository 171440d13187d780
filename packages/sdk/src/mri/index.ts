// client.mri: benchmarks, leaderboards and models (participants) of Model Ranking Insights.
export {
  type BenchmarkWinLossOptions,
  type CreateLeaderboardOptions,
  JuryBenchmark,
  type OverallStandingsOptions,
  type PromptChanges,
  type PromptLists,
} from './benchmark.ts';
export {
  type ImportVotesInput,
  JuryLeaderboard,
  type LeaderboardChanges,
  type StandingsOptions,
  type WaitUntilMatchedOptions,
  type WinLossOptions,
} from './leaderboard.ts';
export { MriManager } from './manager.ts';
export { JuryParticipant, type ModelMedia } from './participant.ts';
