export type { Label } from './agreement.ts';
export {
  averageRanks,
  cohenKappa,
  fleissKappa,
  kendallTauB,
  krippendorffAlpha,
  pairwiseAccuracy,
  spearmanRho,
} from './agreement.ts';
