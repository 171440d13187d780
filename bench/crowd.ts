/**
 * `npm run bench:crowd`: two checks of the crowd-facing statistics. Writes bench/results/crowd.json.
 *
 * 1. Crowd-BT against plain Bradley-Terry at equal votes: 30 items with θ ~ N(0, 1), 60 labelers of whom
 *    10% adversarial (η ~ U[0, 0.2]: votes mostly reversed), 20% random (η = 0.5) and 70% honest
 *    (η ~ U[0.8, 1]); 3,000 votes on uniformly random pairs, each by a random labeler; every labeler
 *    also answered 10 gold comparisons (correct with probability η), which only Crowd-BT uses, as its prior.
 *    Both fits use the same weak prior on θ. Reported: mean Kendall tau-b against the truth over the runs.
 * 2. Confidence stopping at 0.99 on a simulated classification crowd (2 categories, uniform true label,
 *    labeler trust s ~ U[0.3, 0.9], a labeler with trust s right with probability (1 + s)/2, cap 10): a
 *    fresh labeler answers until `confidenceStop` says stop; the decision is the leading category.
 *    Reported: decision accuracy and mean responses, against the fixed 10 responses per item. Also
 *    reported for context: the same with curtailment (`maxUserScore: 0.9`), the accuracy of the fixed 10,
 *    and Wald's lower bound on the mean responses of *any* sequential rule with 1% error per class.
 *
 * Usage: node bench/crowd.ts [crowdRuns] [classificationItems]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addVote,
  type CrowdVote,
  categoryConfidence,
  confidenceStop,
  createPairCounts,
  createRng,
  fitBradleyTerry,
  fitCrowdBT,
  kendallTauB,
  simulateCrowd,
  simulateGoldAnswers,
  simulateStrengths,
  simulateVote,
  type TrustVote,
  WEAK_PRIOR_PENALTY,
} from '@jury/stats';
import { describeMachine } from './machine.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const crowdRuns = Number(process.argv[2] ?? 20);
const classificationItems = Number(process.argv[3] ?? 100_000);

// 1. Crowd-BT vs plain Bradley-Terry.
const ITEMS = 30;
const LABELERS = 60;
const VOTES = 3000;
const GOLD = 10;
const tausCrowd: number[] = [];
const tausPlain: number[] = [];
const etaError: number[] = [];
let crowdSeconds = 0;
for (let run = 0; run < crowdRuns; run++) {
  const rng = createRng(30_000 + run);
  const theta = simulateStrengths(ITEMS, rng);
  const crowd = simulateCrowd({ labelers: LABELERS, randomShare: 0.2, adversarialShare: 0.1 }, rng);
  const ids = theta.map((_, i) => `item-${i}`);
  const votes: CrowdVote[] = [];
  const counts = createPairCounts(ids);
  for (let v = 0; v < VOTES; v++) {
    const a = rng.int(ITEMS);
    let b = rng.int(ITEMS - 1);
    if (b >= a) b++;
    const labeler = crowd[rng.int(LABELERS)]!;
    const outcome = simulateVote(theta, a, b, labeler.eta, rng) ? 'a' : 'b';
    votes.push({ labeler: labeler.id, a: ids[a]!, b: ids[b]!, outcome });
    addVote(counts, ids[a]!, ids[b]!, outcome);
  }
  const gold: Record<string, { correct: number; total: number }> = {};
  for (const l of crowd) {
    gold[l.id] = { correct: simulateGoldAnswers(l, GOLD, rng).filter((g) => g.correct).length, total: GOLD };
  }
  const t0 = performance.now();
  const fit = fitCrowdBT(votes, { gold, penalty: WEAK_PRIOR_PENALTY });
  crowdSeconds += (performance.now() - t0) / 1000;
  const plain = fitBradleyTerry(counts, { penalty: WEAK_PRIOR_PENALTY });
  tausCrowd.push(
    kendallTauB(
      theta,
      ids.map((id) => fit.strengths[fit.items.indexOf(id)]!),
    ),
  );
  tausPlain.push(
    kendallTauB(
      theta,
      ids.map((id) => plain.strengths[plain.items.indexOf(id)]!),
    ),
  );
  let err = 0;
  for (const l of crowd) err += Math.abs(fit.reliability[l.id]! - l.eta);
  etaError.push(err / crowd.length);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const tauCrowdBT = mean(tausCrowd);
const tauPlainBT = mean(tausPlain);
console.log(
  `Crowd-BT tau ${tauCrowdBT.toFixed(4)} vs plain BT ${tauPlainBT.toFixed(4)} ` +
    `(${tausCrowd.filter((t, i) => t > tausPlain[i]!).length}/${crowdRuns} runs better; mean |η̂ − η| ${mean(etaError).toFixed(3)})`,
);

// 2. Confidence stopping.
const CATEGORIES = ['cat', 'dog'];
const THRESHOLD = 0.99;
const CAP = 10;
function stoppingRun(seed: number, maxUserScore?: number) {
  const rng = createRng(seed);
  let correct = 0;
  let responses = 0;
  let capped = 0;
  for (let item = 0; item < classificationItems; item++) {
    const truth = rng.int(2);
    const votes: TrustVote[] = [];
    for (;;) {
      const s = 0.3 + 0.6 * rng.next();
      const right = rng.next() < (1 + s) / 2;
      votes.push({ category: CATEGORIES[right ? truth : 1 - truth]!, userScore: s });
      const d = confidenceStop({
        votes,
        categories: CATEGORIES,
        threshold: THRESHOLD,
        maxVotes: CAP,
        ...(maxUserScore !== undefined ? { maxUserScore } : {}),
      });
      if (d.stop) {
        const leader = d.leader ?? CATEGORIES[rng.int(2)]!;
        if (leader === CATEGORIES[truth]) correct++;
        if (d.reason === 'cap') capped++;
        break;
      }
    }
    responses += votes.length;
  }
  return {
    accuracy: correct / classificationItems,
    meanResponses: responses / classificationItems,
    cappedShare: capped / classificationItems,
  };
}
const plainStop = stoppingRun(40_000);
const curtailed = stoppingRun(40_000, 0.9);
// Fixed 10 responses, decided by the same posterior.
const fixedRng = createRng(50_000);
let fixedCorrect = 0;
for (let item = 0; item < classificationItems; item++) {
  const truth = fixedRng.int(2);
  const votes: TrustVote[] = [];
  for (let k = 0; k < CAP; k++) {
    const s = 0.3 + 0.6 * fixedRng.next();
    const right = fixedRng.next() < (1 + s) / 2;
    votes.push({ category: CATEGORIES[right ? truth : 1 - truth]!, userScore: s });
  }
  const p = categoryConfidence(votes, CATEGORIES);
  if ((p[CATEGORIES[truth]!] ?? 0) > 0.5) fixedCorrect++;
}
// Wald: E[N] ≥ ((1 − α)·ln((1 − α)/α) − α·ln((1 − α)/α)) / D with D the expected log-likelihood ratio per
// response, D = E_s[s·ln((1 + s)/(1 − s))] for s ~ U[0.3, 0.9] (midpoint rule).
let D = 0;
const GRID = 100_000;
for (let k = 0; k < GRID; k++) {
  const s = 0.3 + (0.6 * (k + 0.5)) / GRID;
  D += (s * Math.log((1 + s) / (1 - s))) / GRID;
}
const alpha = 0.01;
const waldBound = ((1 - 2 * alpha) * Math.log((1 - alpha) / alpha)) / D;
console.log(
  `confidence stopping at ${THRESHOLD}: accuracy ${(plainStop.accuracy * 100).toFixed(2)}%, mean responses ` +
    `${plainStop.meanResponses.toFixed(3)} of ${CAP} (${((plainStop.meanResponses / CAP) * 100).toFixed(1)}%; ` +
    `targets ≥ 99% and ≤ 40%); capped ${(plainStop.cappedShare * 100).toFixed(1)}%`,
);
console.log(
  `  with curtailment: accuracy ${(curtailed.accuracy * 100).toFixed(2)}%, mean ${curtailed.meanResponses.toFixed(3)}; ` +
    `fixed ${CAP}: accuracy ${((fixedCorrect / classificationItems) * 100).toFixed(2)}%; ` +
    `Wald lower bound for 99% accuracy: ${waldBound.toFixed(2)} responses`,
);

const result = {
  machine: describeMachine(),
  tauCrowdBT,
  tauPlainBT,
  stopAccuracy: plainStop.accuracy,
  stopMeanResponses: plainStop.meanResponses,
  fixedResponses: CAP,
  details: {
    crowd: {
      runs: crowdRuns,
      items: ITEMS,
      labelers: LABELERS,
      votes: VOTES,
      goldPerLabeler: GOLD,
      shares: { adversarial: 0.1, random: 0.2, honest: 0.7 },
      tausCrowdBT: tausCrowd,
      tausPlainBT: tausPlain,
      runsCrowdBTBetter: tausCrowd.filter((t, i) => t > tausPlain[i]!).length,
      meanAbsEtaError: mean(etaError),
      crowdBTSecondsTotal: crowdSeconds,
    },
    stopping: {
      items: classificationItems,
      threshold: THRESHOLD,
      cap: CAP,
      trustRange: [0.3, 0.9],
      cappedShare: plainStop.cappedShare,
      curtailed: { maxUserScore: 0.9, ...curtailed },
      fixedAccuracy: fixedCorrect / classificationItems,
      waldLowerBoundMeanResponsesAt99: waldBound,
      expectedLogLikelihoodRatioPerResponse: D,
    },
  },
};
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'crowd.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('wrote bench/results/crowd.json');
