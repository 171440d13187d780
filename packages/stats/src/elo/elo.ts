/**
 * Online Elo for live displays: one update per vote, order-dependent, no uncertainty. It answers "what
 * is happening right now", not "who is better": use the fitted Bradley-Terry ratings
 * (`fitBradleyTerry`) with their intervals for any standing that is published or acted on.
 */

/** Outcome of one vote from `a`'s side: `'a'` won, `'b'` won, or `'tie'` (half a point each). */
export type EloOutcome = 'a' | 'b' | 'tie';

/** Options of {@link createOnlineElo}. */
export interface OnlineEloOptions {
  /** Step size: the most a rating moves in one vote (default 4, as in the Chatbot Arena online Elo). */
  k?: number;
  /** Rating of an item the first time it is seen (default 1000). */
  initial?: number;
  /** Elo points per factor 10 in odds (default 400). */
  scale?: number;
}

/**
 * Online Elo state: mutable ratings plus the number of games each item played.
 *
 * @example
 * const live: OnlineElo = createOnlineElo();
 * live.ratings.get('model-x'); // undefined until it plays
 */
export interface OnlineElo {
  readonly k: number;
  readonly initial: number;
  readonly scale: number;
  readonly ratings: Map<string, number>;
  readonly games: Map<string, number>;
}

/**
 * Creates an empty online Elo table.
 *
 * @example
 * const live = createOnlineElo({ k: 16 });
 * updateOnlineElo(live, 'model-x', 'model-y', 'a');
 * live.ratings.get('model-x'); // 1008
 */
export function createOnlineElo(options: OnlineEloOptions = {}): OnlineElo {
  const k = options.k ?? 4;
  const scale = options.scale ?? 400;
  if (!(k > 0)) throw new RangeError(`k must be > 0, got ${k}`);
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  return { k, initial: options.initial ?? 1000, scale, ratings: new Map(), games: new Map() };
}

/**
 * Expected score of a rating `ra` against `rb`: 1 / (1 + 10^((rb − ra) / scale)).
 *
 * @example
 * eloExpectedScore(1100, 1000); // ≈ 0.640
 */
export function eloExpectedScore(ra: number, rb: number, scale = 400): number {
  return 1 / (1 + 10 ** ((rb - ra) / scale));
}

/**
 * Applies one vote; both ratings move by k · (score − expected) in opposite directions (the sum is
 * conserved). Returns the two new ratings.
 *
 * @example
 * const live = createOnlineElo({ k: 32 });
 * updateOnlineElo(live, 'x', 'y', 'tie'); // { a: 1000, b: 1000 }
 */
export function updateOnlineElo(
  elo: OnlineElo,
  a: string,
  b: string,
  outcome: EloOutcome,
  k: number = elo.k,
): { a: number; b: number } {
  if (a === b) throw new RangeError('a vote needs two different items');
  const score = outcome === 'a' ? 1 : outcome === 'b' ? 0 : outcome === 'tie' ? 0.5 : Number.NaN;
  if (Number.isNaN(score)) throw new RangeError(`unknown outcome ${String(outcome)}`);
  const ra = elo.ratings.get(a) ?? elo.initial;
  const rb = elo.ratings.get(b) ?? elo.initial;
  const delta = k * (score - eloExpectedScore(ra, rb, elo.scale));
  const na = ra + delta;
  const nb = rb - delta;
  elo.ratings.set(a, na);
  elo.ratings.set(b, nb);
  elo.games.set(a, (elo.games.get(a) ?? 0) + 1);
  elo.games.set(b, (elo.games.get(b) ?? 0) + 1);
  return { a: na, b: nb };
}

/**
 * The current table sorted best first.
 *
 * @example
 * onlineEloStandings(live); // [{ item: 'x', rating: 1016, games: 1 }, { item: 'y', rating: 984, games: 1 }]
 */
export function onlineEloStandings(elo: OnlineElo): { item: string; rating: number; games: number }[] {
  return [...elo.ratings.entries()]
    .map(([item, rating]) => ({ item, rating, games: elo.games.get(item) ?? 0 }))
    .sort((x, y) => y.rating - x.rating || x.item.localeCompare(y.item));
}
