/**
 * Sufficient statistics for Bradley-Terry: votes folded into per-pair cells.
 *
 * For every ordered pair (i, j) we keep the summed weight of votes where i beat j, and for every
 * unordered pair the summed weight of ties, plus the summed squared weights (needed by the sandwich
 * variance and by the bootstrap when votes are weighted). Adding a vote is O(1); a refit then costs
 * a function of the number of items only, never of the number of votes.
 *
 * Two different numbers can come with a vote. A `count` is a frequency weight: `count` identical votes
 * (aggregated arena data: "a beat b 120 times"); the ratings AND the intervals are those of that many
 * separate votes. A `weight` is an importance weight of each vote (labeler trust, Crowd-BT's E-step
 * responsibilities): it scales the vote's pull on the ratings, but the vote stays one observation, so a
 * weight of 120 does not make it 120 observations (its intervals are those of one heavy vote, far wider).
 */

/** Outcome of one pairwise vote between `a` and `b`. A tie counts as half a win each way. */
export type PairOutcome = 'a' | 'b' | 'tie';

/**
 * Per-pair win/tie counts. Create with {@link createPairCounts}; mutate with {@link addVote}.
 *
 * @example
 * const counts: PairCounts = createPairCounts(['x', 'y']);
 * addVote(counts, 'x', 'y', 'a');
 * counts.votes; // 1
 */
export interface PairCounts {
  /** Item ids by index, in insertion order. */
  readonly items: string[];
  /** Index of every item id. */
  readonly index: Map<string, number>;
  /** Row stride of the cell matrices (grows by doubling). */
  capacity: number;
  /** `wins[i * capacity + j]`: summed weight of votes where i beat j. */
  wins: Float64Array;
  /** Summed squared weights of the same votes. */
  winsSq: Float64Array;
  /** `ties[min * capacity + max]`: summed weight of ties between the two (upper triangle only). */
  ties: Float64Array;
  /** Summed squared weights of the same ties. */
  tiesSq: Float64Array;
  /** Number of votes added (unweighted; a `count` of n adds n). */
  votes: number;
  /** Summed weight of all votes. */
  totalWeight: number;
  /**
   * Votes folded with an integer `weight` of 2 or more: most likely counts of identical votes passed as a
   * weight, which gives the right ratings but intervals far too wide; `fitBradleyTerry` warns about them.
   */
  countLikeWeights: number;
}

/**
 * Creates empty pair counts, optionally pre-registering items (their order fixes their indices).
 *
 * @example
 * const counts = createPairCounts(['gpt', 'claude']);
 * addVote(counts, 'gpt', 'claude', 'b');
 */
export function createPairCounts(items: Iterable<string> = []): PairCounts {
  const counts: PairCounts = {
    items: [],
    index: new Map(),
    capacity: 0,
    wins: new Float64Array(0),
    winsSq: new Float64Array(0),
    ties: new Float64Array(0),
    tiesSq: new Float64Array(0),
    votes: 0,
    totalWeight: 0,
    countLikeWeights: 0,
  };
  const list = [...items];
  grow(counts, Math.max(8, list.length));
  for (const id of list) addItem(counts, id);
  return counts;
}

function grow(counts: PairCounts, minCapacity: number): void {
  let capacity = Math.max(counts.capacity, 8);
  while (capacity < minCapacity) capacity *= 2;
  if (capacity === counts.capacity) return;
  const old = counts.capacity;
  const copy = (src: Float64Array): Float64Array => {
    const dst = new Float64Array(capacity * capacity);
    for (let i = 0; i < old; i++) dst.set(src.subarray(i * old, i * old + old), i * capacity);
    return dst;
  };
  counts.wins = copy(counts.wins);
  counts.winsSq = copy(counts.winsSq);
  counts.ties = copy(counts.ties);
  counts.tiesSq = copy(counts.tiesSq);
  counts.capacity = capacity;
}

/**
 * Registers an item (idempotent) and returns its index.
 *
 * @example
 * const counts = createPairCounts();
 * addItem(counts, 'new-model'); // 0
 */
export function addItem(counts: PairCounts, id: string): number {
  const existing = counts.index.get(id);
  if (existing !== undefined) return existing;
  const i = counts.items.length;
  if (i >= counts.capacity) grow(counts, i + 1);
  counts.items.push(id);
  counts.index.set(id, i);
  return i;
}

/**
 * Folds one vote into the counts in O(1). `outcome` says who won: `'a'`, `'b'` or `'tie'`.
 * `weight` (default 1, must be ≥ 0) is an importance weight: it lets a vote count fractionally, e.g. by
 * labeler trust or as the E-step responsibilities of Crowd-BT, and the vote stays one observation.
 * Numbers of identical votes are not weights: pass them to {@link addPairCounts} (or as the `count` of
 * {@link addVoteByIndex}). Unknown items are registered on the fly.
 *
 * @example
 * const counts = createPairCounts();
 * addVote(counts, 'model-x', 'model-y', 'a');        // x beat y
 * addVote(counts, 'model-x', 'model-y', 'tie', 0.5); // a half-weight tie
 */
export function addVote(counts: PairCounts, a: string, b: string, outcome: PairOutcome, weight = 1): void {
  const i = addItem(counts, a);
  const j = addItem(counts, b);
  addVoteByIndex(counts, i, j, outcome, weight);
}

/** One pair's aggregated record, from the first item's side: how often it won, lost and tied. */
export interface PairRecord {
  /** Votes the first item won. */
  wins?: number;
  /** Votes the second item won. */
  losses?: number;
  /** Ties between the two. */
  ties?: number;
}

/**
 * Folds a pair's aggregated counts (e.g. a row of an arena's win/loss table) as that many separate votes:
 * the ratings, the sandwich intervals and the bootstrap intervals are exactly those of the individual
 * votes. Counts are frequency weights (non-negative integers); `weight` (default 1) is the importance
 * weight of each of those votes, as in {@link addVote}.
 *
 * @example
 * const counts = createPairCounts();
 * // model-x beat model-y 120 times, lost 80 times, tied 15 times: the same as 215 addVote calls
 * addPairCounts(counts, 'model-x', 'model-y', { wins: 120, losses: 80, ties: 15 });
 * counts.votes; // 215
 * // not addVote(counts, 'model-x', 'model-y', 'a', 120): that is ONE vote of weight 120 (right ratings,
 * // intervals about √120 ≈ 11 times too wide, and a `weights-look-like-counts` warning from the fit)
 */
export function addPairCounts(
  counts: PairCounts,
  a: string,
  b: string,
  record: PairRecord,
  weight = 1,
): void {
  const i = addItem(counts, a);
  const j = addItem(counts, b);
  const { wins = 0, losses = 0, ties = 0 } = record;
  // validate all three before folding any, so a bad record leaves the counts as they were
  for (const n of [wins, losses, ties]) checkCount(n);
  if (wins > 0) addVoteByIndex(counts, i, j, 'a', weight, wins);
  if (losses > 0) addVoteByIndex(counts, i, j, 'b', weight, losses);
  if (ties > 0) addVoteByIndex(counts, i, j, 'tie', weight, ties);
}

function checkCount(count: number): void {
  if (!(Number.isSafeInteger(count) && count >= 0)) {
    throw new RangeError(`a vote count must be a non-negative integer, got ${count}`);
  }
}

/**
 * Same as {@link addVote} with item indices (from {@link addItem}); the fast path for bulk folding.
 * `count` (default 1, a non-negative integer) folds that many identical votes at once, each of `weight`.
 *
 * @example
 * const counts = createPairCounts(['x', 'y']);
 * addVoteByIndex(counts, 0, 1, 'b');        // y beat x
 * addVoteByIndex(counts, 0, 1, 'a', 1, 40); // x beat y 40 times
 */
export function addVoteByIndex(
  counts: PairCounts,
  i: number,
  j: number,
  outcome: PairOutcome,
  weight = 1,
  count = 1,
): void {
  if (i === j) throw new RangeError('a vote needs two different items');
  if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`invalid vote weight ${weight}`);
  checkCount(count);
  if (i >= counts.items.length || j >= counts.items.length || i < 0 || j < 0) {
    throw new RangeError(`unknown item index ${i} or ${j}`);
  }
  const cap = counts.capacity;
  const w = count * weight;
  const w2 = count * weight * weight;
  if (outcome === 'a') {
    counts.wins[i * cap + j]! += w;
    counts.winsSq[i * cap + j]! += w2;
  } else if (outcome === 'b') {
    counts.wins[j * cap + i]! += w;
    counts.winsSq[j * cap + i]! += w2;
  } else if (outcome === 'tie') {
    const k = i < j ? i * cap + j : j * cap + i;
    counts.ties[k]! += w;
    counts.tiesSq[k]! += w2;
  } else {
    throw new RangeError(`unknown outcome ${String(outcome)}`);
  }
  counts.votes += count;
  counts.totalWeight += w;
  if (weight >= 2 && Number.isInteger(weight)) counts.countLikeWeights += count;
}

/** Summary of one item's record in the counts (weights; ties counted on their own). */
export interface ItemRecord {
  wins: number;
  losses: number;
  ties: number;
  /** Number of distinct opponents met at least once. */
  opponents: number;
}

/**
 * The (weighted) record of one item: wins, losses, ties and distinct opponents.
 *
 * @example
 * const counts = createPairCounts();
 * addVote(counts, 'x', 'y', 'a');
 * itemRecord(counts, 'x'); // { wins: 1, losses: 0, ties: 0, opponents: 1 }
 */
export function itemRecord(counts: PairCounts, id: string): ItemRecord {
  const i = counts.index.get(id);
  if (i === undefined) throw new RangeError(`unknown item ${id}`);
  const cap = counts.capacity;
  let wins = 0;
  let losses = 0;
  let ties = 0;
  let opponents = 0;
  for (let j = 0; j < counts.items.length; j++) {
    if (j === i) continue;
    const w = counts.wins[i * cap + j]!;
    const l = counts.wins[j * cap + i]!;
    const t = counts.ties[i < j ? i * cap + j : j * cap + i]!;
    wins += w;
    losses += l;
    ties += t;
    if (w + l + t > 0) opponents++;
  }
  return { wins, losses, ties, opponents };
}

/**
 * Folds many integer-coded votes at once (bulk import): `outcomes[v]` is 0 when `a[v]` won, 1 when `b[v]`
 * won, 2 for a tie; `weights` optional (importance weights, default 1 each); `voteCounts` optional
 * (frequency weights: row v stands for `voteCounts[v]` identical votes, default 1 each). Same result as
 * calling {@link addVoteByIndex} for every row, with the checks done once per row in a tight loop.
 *
 * @example
 * const counts = createPairCounts(['x', 'y', 'z']);
 * addVotesByIndex(counts, Int32Array.of(0, 1), Int32Array.of(1, 2), Uint8Array.of(0, 2));
 * // aggregated cells: x beat y 30 times, y and z tied 12 times
 * addVotesByIndex(counts, [0, 1], [1, 2], [0, 2], undefined, [30, 12]);
 */
export function addVotesByIndex(
  counts: PairCounts,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  outcomes: ArrayLike<number>,
  weights?: ArrayLike<number>,
  voteCounts?: ArrayLike<number>,
): void {
  const n = a.length;
  if (
    b.length !== n ||
    outcomes.length !== n ||
    (weights && weights.length !== n) ||
    (voteCounts && voteCounts.length !== n)
  ) {
    throw new RangeError('a, b, outcomes (and weights, voteCounts) must have the same length');
  }
  const m = counts.items.length;
  const cap = counts.capacity;
  if (
    !weights &&
    !voteCounts &&
    n >= (cap * cap) / 2 &&
    n < 0x80000000 &&
    isIntegerArray(a) &&
    isIntegerArray(b) &&
    isIntegerArray(outcomes)
  ) {
    foldUnweighted(counts, a, b, outcomes);
    return;
  }
  const { wins, winsSq, ties, tiesSq } = counts;
  let total = 0;
  let votes = 0;
  let countLike = 0;
  for (let v = 0; v < n; v++) {
    const i = a[v]!;
    const j = b[v]!;
    const o = outcomes[v]!;
    const w = weights ? weights[v]! : 1;
    const c = voteCounts ? voteCounts[v]! : 1;
    if (i === j || !(i >= 0 && i < m && j >= 0 && j < m) || !(o === 0 || o === 1 || o === 2)) {
      throw new RangeError(`invalid vote ${v}: ${i} vs ${j}, outcome ${o}`);
    }
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`invalid vote weight ${w}`);
    checkCount(c);
    const k = o === 0 ? i * cap + j : o === 1 ? j * cap + i : i < j ? i * cap + j : j * cap + i;
    if (o === 2) {
      ties[k]! += c * w;
      tiesSq[k]! += c * w * w;
    } else {
      wins[k]! += c * w;
      winsSq[k]! += c * w * w;
    }
    total += c * w;
    votes += c;
    if (w >= 2 && Number.isInteger(w)) countLike += c;
  }
  counts.votes += votes;
  counts.totalWeight += total;
  counts.countLikeWeights += countLike;
}

type IntegerArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

function isIntegerArray(x: ArrayLike<number>): x is IntegerArray {
  return (
    x instanceof Int32Array ||
    x instanceof Uint8Array ||
    x instanceof Uint32Array ||
    x instanceof Int16Array ||
    x instanceof Uint16Array ||
    x instanceof Int8Array ||
    x instanceof Uint8ClampedArray
  );
}

/**
 * Unit-weight bulk folding from integer typed arrays: integer counts in a scratch table (wins of i over j
 * at i·cap + j, ties of the ordered pair (i, j) at cap² + i·cap + j), indexed without branches on the
 * outcome, then added to the cells (where a unit weight's square is itself). Invalid votes are detected
 * in the same pass (branch-free) and reported before anything is added, so they leave the counts as
 * they were.
 */
function foldUnweighted(counts: PairCounts, a: IntegerArray, b: IntegerArray, outcomes: IntegerArray): void {
  const n = a.length;
  const m = counts.items.length;
  const cap = counts.capacity;
  const area = cap * cap;
  const last = m - 1;
  // Int32 counts: fewer than 2³¹ votes (checked by the caller) cannot overflow a cell
  const scratch = new Int32Array(2 * area);
  let bad = 0;
  for (let v = 0; v < n; v++) {
    const i = a[v]!;
    const j = b[v]!;
    const o = outcomes[v]!;
    // sign bit set iff an index is outside [0, m) or the outcome outside [0, 2]; and i ≠ j
    bad |= ((last - i) | (last - j) | i | j | o | (2 - o)) >>> 31;
    bad |= +(i === j);
    const ij = i * cap + j;
    // o = 0: i won (ij); o = 1: j won (ji); o = 2: a tie (area + ij)
    const k = ij + (o & 1) * (j * cap + i - ij) + (o >> 1) * area;
    scratch[k] = scratch[k]! + 1;
  }
  if (bad !== 0) {
    for (let v = 0; v < n; v++) {
      const i = a[v]!;
      const j = b[v]!;
      const o = outcomes[v]!;
      if (i === j || !(i >= 0 && i < m && j >= 0 && j < m) || !(o === 0 || o === 1 || o === 2)) {
        throw new RangeError(`invalid vote ${v}: ${i} vs ${j}, outcome ${o}`);
      }
    }
  }
  const { wins, winsSq, ties, tiesSq } = counts;
  for (let i = 0; i < m; i++) {
    const row = i * cap;
    for (let j = 0; j < m; j++) {
      const w = scratch[row + j]!;
      if (w !== 0) {
        wins[row + j]! += w;
        winsSq[row + j]! += w;
      }
      if (j > i) {
        const t = scratch[area + row + j]! + scratch[area + j * cap + i]!;
        if (t !== 0) {
          ties[row + j]! += t;
          tiesSq[row + j]! += t;
        }
      }
    }
  }
  counts.votes += n;
  counts.totalWeight += n;
}
