/**
 * Labeler trust scores (`userScore`, in [0, 1)) from answers to examples with a known truth.
 *
 * The score is the labeler's **skill above chance** in the one-coin model that the classification
 * confidence uses (see `classification/confidence.ts`): on an example where a blind guess is right with
 * probability `r` (1/K for a K-option question, 0.5 for a comparison), a labeler with skill `s` is right
 * with probability `r + (1 − r)·s`. So `s = 0` is a random guesser and `s → 1` never errs; with two
 * options this is the "right with probability (1 + s)/2" reading used for stopping.
 */

/** One answer of a labeler to an example whose truth is known (a qualification or gold task). */
export interface TrustAnswer {
  /** Whether the answer matched the truth. */
  correct: boolean;
  /**
   * How hard the example is, in [0, 1]: 0 trivial, 0.5 typical (the default), 1 very hard. A natural
   * choice is the chance-corrected error rate of the whole crowd on it, see {@link exampleDifficulty}.
   */
  difficulty?: number;
  /**
   * Probability that a blind guess is right (the reference product's `randomCorrectProbability`): 1/K for a
   * classification with K options and one truth, 0.5 for a comparison. Default 0.5.
   */
  chance?: number;
}

/** Options of {@link userScore}. */
export interface UserScoreOptions {
  /** Prior mean of the skill, in (0, 1). Default 0.5. */
  priorScore?: number;
  /**
   * Prior strength in pseudo-answers (the prior is Beta(priorScore·m, (1 − priorScore)·m) on the skill).
   * Larger values pull labelers with few answers harder toward `priorScore`. Default 4.
   */
  priorStrength?: number;
  /**
   * How much difficulty changes an answer's weight, in [0, 1]. With `d` the difficulty, a correct
   * answer weighs `1 + λ·(2d − 1)` and a wrong one `1 − λ·(2d − 1)`: right on a hard example and wrong on
   * an easy one count more. 0 ignores difficulty. Default 0.5 (weights between 0.5 and 1.5).
   */
  difficultyWeight?: number;
}

/** The posterior summary behind a {@link userScore}. */
export interface UserScoreDetails {
  /** Posterior mean of the skill: the `userScore`, in [0, 1). */
  score: number;
  /** 5% posterior quantile of the skill. */
  lower: number;
  /** 95% posterior quantile of the skill. */
  upper: number;
  /** Sum of the answers' weights (what the prior competes against). */
  effectiveAnswers: number;
}

const GRID = 2000;

function clampChance(r: number | undefined): number {
  const c = r ?? 0.5;
  if (!(c >= 0 && c < 1)) throw new RangeError(`chance must be in [0, 1), got ${c}`);
  return c;
}

/**
 * The posterior of a labeler's skill given answers with known truth; {@link userScore} returns its mean.
 *
 * Formula (documented in full so a score can be audited by hand):
 * - Prior: `s ~ Beta(a, b)` with `a = priorScore·m`, `b = (1 − priorScore)·m`, `m = priorStrength`.
 * - Each answer `i` with chance `rᵢ` and difficulty `dᵢ` has success probability
 *   `pᵢ(s) = rᵢ + (1 − rᵢ)·s` and weight `wᵢ = 1 ± λ·(2dᵢ − 1)` (+ when correct, − when wrong).
 * - Weighted (tempered) likelihood: `L(s) = Πᵢ pᵢ(s)^wᵢ` over correct answers ×
 *   `Πᵢ (1 − pᵢ(s))^wᵢ` over wrong ones.
 * - `userScore = E[s | answers] = ∫ s·Beta(s; a, b)·L(s) ds / ∫ Beta(s; a, b)·L(s) ds`, computed by a
 *   2,000-point midpoint rule in a variable that clusters nodes at both ends of (0, 1). The mean is always below 1 (the prior has mass below 1), so the
 *   score lies in [0, 1) as the reference product documents for trust scores; with no answers it equals `priorScore`.
 *
 * @example
 * const d = userScoreDetails([{ correct: true }, { correct: true }, { correct: false }]);
 * d.score; // ≈ 0.457 (3 answers barely move the Beta(2, 2) prior)
 * d.lower < d.score && d.score < d.upper; // true
 */
export function userScoreDetails(
  answers: readonly TrustAnswer[],
  options: UserScoreOptions = {},
): UserScoreDetails {
  const prior = options.priorScore ?? 0.5;
  const m = options.priorStrength ?? 4;
  const lambda = options.difficultyWeight ?? 0.5;
  if (!(prior > 0 && prior < 1)) throw new RangeError(`priorScore must be in (0, 1), got ${prior}`);
  if (!(m > 0)) throw new RangeError(`priorStrength must be > 0, got ${m}`);
  if (!(lambda >= 0 && lambda <= 1))
    throw new RangeError(`difficultyWeight must be in [0, 1], got ${lambda}`);
  const a = prior * m;
  const b = (1 - prior) * m;

  // Group answers by (correct, chance): the likelihood only needs the summed weight per group.
  const groups = new Map<string, { correct: boolean; chance: number; weight: number }>();
  let effective = 0;
  for (const ans of answers) {
    const r = clampChance(ans.chance);
    const d = ans.difficulty ?? 0.5;
    if (!(d >= 0 && d <= 1)) throw new RangeError(`difficulty must be in [0, 1], got ${d}`);
    const shift = lambda * (2 * d - 1);
    const w = ans.correct ? 1 + shift : 1 - shift;
    effective += w;
    const key = `${ans.correct ? 1 : 0}:${r}`;
    const g = groups.get(key);
    if (g) g.weight += w;
    else groups.set(key, { correct: ans.correct, chance: r, weight: w });
  }
  const gs = [...groups.values()];

  const logPost = new Float64Array(GRID);
  let max = -Infinity;
  // Midpoints in u mapped by s = 1 − (1 − vᵏ)ʲ, v = (1 − cos πu)/2: nodes cluster at both ends so the
  // prior's endpoint singularities (a or b below 1) become integrable smooth functions of u
  // (k ≥ 1/(2a), j ≥ 1/(2b)); the Jacobian ds/du enters as a log weight.
  const kp = Math.max(1, Math.ceil(1 / (2 * a)));
  const jp = Math.max(1, Math.ceil(1 / (2 * b)));
  const nodes = new Float64Array(GRID);
  for (let k = 0; k < GRID; k++) {
    const u = (k + 0.5) / GRID;
    const v = (1 - Math.cos(Math.PI * u)) / 2;
    const vk = v ** kp;
    const log1ms = jp * Math.log1p(-vk);
    const s = -Math.expm1(log1ms);
    nodes[k] = s;
    const logJac =
      Math.log((Math.PI / 2) * Math.sin(Math.PI * u)) +
      Math.log(kp * jp) +
      (kp - 1) * Math.log(v) +
      (jp - 1) * Math.log1p(-vk);
    let lp = logJac + (a - 1) * Math.log(s) + (b - 1) * log1ms;
    for (const g of gs) {
      // 1 − p = (1 − r)(1 − s), computed from log(1 − s) to keep precision near s = 1.
      lp +=
        g.weight * (g.correct ? Math.log(g.chance + (1 - g.chance) * s) : Math.log(1 - g.chance) + log1ms);
    }
    logPost[k] = lp;
    if (lp > max) max = lp;
  }
  let z = 0;
  let mean = 0;
  const mass = new Float64Array(GRID);
  for (let k = 0; k < GRID; k++) {
    const w = Math.exp(logPost[k]! - max);
    mass[k] = w;
    z += w;
    mean += w * nodes[k]!;
  }
  mean /= z;
  let cum = 0;
  let lower = 0;
  let upper = nodes[GRID - 1]!;
  let foundLower = false;
  for (let k = 0; k < GRID; k++) {
    cum += mass[k]! / z;
    if (!foundLower && cum >= 0.05) {
      lower = nodes[k]!;
      foundLower = true;
    }
    if (cum >= 0.95) {
      upper = nodes[k]!;
      break;
    }
  }
  return { score: Math.min(mean, 1 - 1e-12), lower, upper, effectiveAnswers: effective };
}

/**
 * A labeler's trust score in [0, 1): the posterior mean of their skill above chance, from answers to
 * examples with known truth, difficulty-aware (right answers on hard examples and wrong answers on easy
 * ones count more) and pulled toward a prior when there are few answers. See {@link userScoreDetails}
 * for the exact formula.
 *
 * @example
 * userScore([]); // 0.5, the prior
 * userScore(Array.from({ length: 20 }, () => ({ correct: true }))); // ≈ 0.842
 * userScore([{ correct: true, difficulty: 0.9 }]) > userScore([{ correct: true, difficulty: 0.1 }]); // true
 */
export function userScore(answers: readonly TrustAnswer[], options?: UserScoreOptions): number {
  return userScoreDetails(answers, options).score;
}

/**
 * Difficulty of an example in [0, 1] from the crowd's answers to it: the chance-corrected error rate
 * `((wrong + 1)/(total + 2)) / (1 − chance)`, clamped to [0, 1] (add-one smoothing, so an example nobody
 * answered yet has difficulty ≈ 0.5/(1 − chance), i.e. 1 for comparisons, clamped; pass an explicit
 * difficulty until enough answers exist). An error rate at the guessing level (`1 − chance`) means 1.
 *
 * @example
 * exampleDifficulty(95, 100); // ≈ 0.12 for a comparison most people get right
 * exampleDifficulty(50, 100); // ≈ 1, nobody does better than chance
 */
export function exampleDifficulty(correct: number, total: number, chance = 0.5): number {
  if (!(total >= 0 && correct >= 0 && correct <= total)) {
    throw new RangeError(`need 0 <= correct <= total, got ${correct}/${total}`);
  }
  const r = clampChance(chance);
  const err = (total - correct + 1) / (total + 2);
  return Math.min(1, Math.max(0, err / (1 - r)));
}
