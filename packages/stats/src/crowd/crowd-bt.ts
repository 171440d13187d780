/**
 * Crowd-BT (Chen, Bennett, Collins-Thompson & Horvitz, WSDM 2013): Bradley-Terry with a reliability
 * `η_k` per labeler. A vote by labeler k on the pair (i, j) follows the strengths with probability `η_k`
 * and is reversed otherwise:
 *
 *     P(k says i beats j) = η_k·σ(θi − θj) + (1 − η_k)·σ(θj − θi),   σ(x) = 1/(1 + e^(−x)).
 *
 * Random labelers have η ≈ 0.5 (their votes carry no information and get no weight), adversarial ones
 * η < 0.5 (their votes are read reversed). Fitted by EM: the latent variable is whether a vote followed
 * the strengths.
 */
import { type BradleyTerryFit, fitBradleyTerry, WEAK_PRIOR_PENALTY } from '../bt/fit.ts';
import { addVoteByIndex, createPairCounts, type PairOutcome } from '../bt/pair-counts.ts';

/** One pairwise vote with the labeler who cast it. */
export interface CrowdVote {
  labeler: string;
  a: string;
  b: string;
  /** `'a'`: a won, `'b'`: b won, `'tie'`: a tie (ties inform θ, not η). */
  outcome: PairOutcome;
}

/** A labeler's answers to gold comparisons (known winner): the prior information on η. */
export interface GoldRecord {
  correct: number;
  total: number;
}

/** Options of {@link fitCrowdBT}. */
export interface CrowdBTOptions {
  /** Gold answers per labeler; they shift that labeler's Beta prior on η (+correct, +wrong). */
  gold?: Readonly<Record<string, GoldRecord>>;
  /** Prior mean of η for every labeler. Default 0.8 (most labelers mostly right). */
  priorEta?: number;
  /**
   * Trust scores (`userScore`, skill above chance) per labeler: their prior mean of η becomes
   * `(1 + s)/2`, the probability that a labeler with trust s picks the right one of two options.
   */
  userScores?: Readonly<Record<string, number>>;
  /** Prior strength in pseudo-votes. Default 4. */
  priorStrength?: number;
  /** L2 penalty on the natural-log strengths in the M-step (see `fitBradleyTerry`). Default the weak prior. */
  penalty?: number;
  /** Stop when no η and no θ moves by more than this. Default 1e-6. */
  tolerance?: number;
  /** EM iteration cap. Default 200. */
  maxIterations?: number;
  /** Elo scale and offset of the reported ratings (as `fitBradleyTerry`). */
  scale?: number;
  offset?: number;
}

/** Result of {@link fitCrowdBT}. */
export interface CrowdBTFit {
  items: string[];
  /** Ratings on the Elo scale (400 per factor 10 in odds, mean `offset`). */
  ratings: number[];
  /** Natural-log strengths. */
  strengths: number[];
  /** Estimated η per labeler (posterior mode of the EM, clamped to [0.001, 0.999]). */
  reliability: Record<string, number>;
  /** Prior mean of η per labeler (after gold answers). */
  priorReliability: Record<string, number>;
  /** The final M-step Bradley-Terry fit (its warnings apply to the crowd fit too). */
  bt: BradleyTerryFit;
  iterations: number;
  converged: boolean;
  /** Observed-data log-likelihood of the votes (ties excluded) at the solution. */
  logLikelihood: number;
}

interface Cell {
  k: number;
  w: number;
  l: number;
  count: number;
}

const sigma = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Fits Crowd-BT by EM. E-step: for each vote "i beat j" by labeler k the responsibility that it followed
 * the strengths is `r = η_k σ(θi − θj) / (η_k σ(θi − θj) + (1 − η_k) σ(θj − θi))`. M-step: a weighted
 * Bradley-Terry fit where the vote counts `r` for "i beat j" and `1 − r` for "j beat i", and
 * `η_k = (α_k + Σ r)/(α_k + β_k + n_k)` with the Beta(α_k, β_k) prior `α_k = η⁰_k·m + correct_k`,
 * `β_k = (1 − η⁰_k)·m + wrong_k` (gold answers), `η⁰_k = (1 + userScore_k)/2` when a trust score is given,
 * else `priorEta`. Starts from plain Bradley-Terry and the prior means,
 * which picks the mode where the majority is honest (the model is symmetric under θ → −θ, η → 1 − η).
 *
 * @example
 * const votes = [
 *   { labeler: 'ann', a: 'x', b: 'y', outcome: 'a' },
 *   { labeler: 'ann', a: 'y', b: 'z', outcome: 'a' },
 *   { labeler: 'troll', a: 'x', b: 'z', outcome: 'b' },
 * ] as const;
 * const fit = fitCrowdBT([...votes], { gold: { troll: { correct: 0, total: 10 } } });
 * fit.reliability.troll < 0.5; // true: the gold answers mark the troll, whose vote is read reversed
 */
export function fitCrowdBT(votes: readonly CrowdVote[], options: CrowdBTOptions = {}): CrowdBTFit {
  const priorEta = options.priorEta ?? 0.8;
  const m = options.priorStrength ?? 4;
  const penalty = options.penalty ?? WEAK_PRIOR_PENALTY;
  const tol = options.tolerance ?? 1e-6;
  const maxIter = options.maxIterations ?? 200;
  if (!(priorEta > 0 && priorEta < 1)) throw new RangeError(`priorEta must be in (0, 1), got ${priorEta}`);
  if (!(m > 0)) throw new RangeError(`priorStrength must be > 0, got ${m}`);

  const itemIndex = new Map<string, number>();
  const items: string[] = [];
  const labelerIndex = new Map<string, number>();
  const labelers: string[] = [];
  const idx = (map: Map<string, number>, list: string[], id: string): number => {
    let i = map.get(id);
    if (i === undefined) {
      i = list.length;
      map.set(id, i);
      list.push(id);
    }
    return i;
  };
  // Aggregate identical (labeler, winner, loser) votes: the E-step only depends on that key.
  const cellMap = new Map<string, Cell>();
  const ties: Cell[] = [];
  for (const v of votes) {
    const k = idx(labelerIndex, labelers, v.labeler);
    const a = idx(itemIndex, items, v.a);
    const b = idx(itemIndex, items, v.b);
    if (a === b) throw new RangeError('a vote needs two different items');
    if (v.outcome === 'tie') {
      ties.push({ k, w: a, l: b, count: 1 });
      continue;
    }
    const [w, l] = v.outcome === 'a' ? [a, b] : [b, a];
    const key = `${k}:${w}:${l}`;
    const cell = cellMap.get(key);
    if (cell) cell.count++;
    else cellMap.set(key, { k, w, l, count: 1 });
  }
  if (options.gold) for (const id of Object.keys(options.gold)) idx(labelerIndex, labelers, id);
  const cells = [...cellMap.values()];
  const nL = labelers.length;
  const alpha = new Float64Array(nL);
  const beta = new Float64Array(nL);
  for (let k = 0; k < nL; k++) {
    const s = options.userScores?.[labelers[k]!];
    const mean = s === undefined ? priorEta : Math.min(0.999, Math.max(0.5, (1 + s) / 2));
    alpha[k] = mean * m;
    beta[k] = (1 - mean) * m;
  }
  for (let k = 0; k < nL; k++) {
    const g = options.gold?.[labelers[k]!];
    if (!g) continue;
    if (!(g.total >= 0 && g.correct >= 0 && g.correct <= g.total)) {
      throw new RangeError(`gold record of ${labelers[k]} needs 0 <= correct <= total`);
    }
    alpha[k]! += g.correct;
    beta[k]! += g.total - g.correct;
  }
  const eta = new Float64Array(nL);
  for (let k = 0; k < nL; k++) eta[k] = alpha[k]! / (alpha[k]! + beta[k]!);
  const priorReliability: Record<string, number> = {};
  for (let k = 0; k < nL; k++) priorReliability[labelers[k]!] = eta[k]!;

  const btOptions = {
    penalty,
    method: 'newton' as const,
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.offset !== undefined ? { offset: options.offset } : {}),
  };
  const fitWith = (resp: Float64Array | null, init: number[] | undefined): BradleyTerryFit => {
    const counts = createPairCounts(items);
    cells.forEach((c, n) => {
      const r = resp ? resp[n]! : 1;
      // c.count identical votes, each weighted by its responsibility
      if (r > 0) addVoteByIndex(counts, c.w, c.l, 'a', r, c.count);
      if (r < 1) addVoteByIndex(counts, c.l, c.w, 'a', 1 - r, c.count);
    });
    for (const t of ties) addVoteByIndex(counts, t.w, t.l, 'tie', 1, t.count);
    return fitBradleyTerry(counts, init ? { ...btOptions, initialStrengths: init } : btOptions);
  };

  // Initialise from plain Bradley-Terry with the prior η, then alternate.
  let bt = fitWith(null, undefined);
  let theta = bt.strengths;
  const resp = new Float64Array(cells.length);
  let iterations = 0;
  let converged = false;
  const sumR = new Float64Array(nL);
  const nK = new Float64Array(nL);
  while (iterations < maxIter) {
    iterations++;
    // E-step.
    sumR.fill(0);
    nK.fill(0);
    cells.forEach((c, n) => {
      const p = sigma(theta[c.w]! - theta[c.l]!);
      const e = eta[c.k]!;
      const follow = e * p;
      const r = follow / (follow + (1 - e) * (1 - p));
      resp[n] = r;
      sumR[c.k]! += c.count * r;
      nK[c.k]! += c.count;
    });
    // M-step.
    let moved = 0;
    for (let k = 0; k < nL; k++) {
      const next = Math.min(0.999, Math.max(0.001, (alpha[k]! + sumR[k]!) / (alpha[k]! + beta[k]! + nK[k]!)));
      moved = Math.max(moved, Math.abs(next - eta[k]!));
      eta[k] = next;
    }
    bt = fitWith(resp, theta);
    for (let i = 0; i < theta.length; i++) moved = Math.max(moved, Math.abs(bt.strengths[i]! - theta[i]!));
    theta = bt.strengths;
    if (moved < tol) {
      converged = true;
      break;
    }
  }
  let logLikelihood = 0;
  for (const c of cells) {
    const p = sigma(theta[c.w]! - theta[c.l]!);
    const e = eta[c.k]!;
    logLikelihood += c.count * Math.log(e * p + (1 - e) * (1 - p));
  }
  const reliability: Record<string, number> = {};
  for (let k = 0; k < nL; k++) reliability[labelers[k]!] = eta[k]!;
  return {
    items: bt.items,
    ratings: bt.ratings,
    strengths: bt.strengths,
    reliability,
    priorReliability,
    bt,
    iterations,
    converged,
    logLikelihood,
  };
}
