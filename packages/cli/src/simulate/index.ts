// Public entry of the simulator (`@jury/cli/simulate`): tests, benchmarks and examples drive crowds with it.
export {
  type AccuracyDistribution,
  drawCrowd,
  parseAccuracyDistribution,
  type SimulatedBehaviour,
  type SimulatedLabelerSpec,
} from './crowd.ts';
export { LabelerClient } from './labeler-client.ts';
export { type AnswerChoice, createOracle, type TruthFile, type TruthOracle } from './oracle.ts';
export {
  type LatencySummary,
  runSimulation,
  type SimulatedLabelerReport,
  type SimulationOptions,
  type SimulationProgress,
  type SimulationReport,
  summarizeLatencies,
} from './simulation.ts';
