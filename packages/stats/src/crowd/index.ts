export type { CrowdBTFit, CrowdBTOptions, CrowdVote, GoldRecord } from './crowd-bt.ts';
export { fitCrowdBT } from './crowd-bt.ts';
