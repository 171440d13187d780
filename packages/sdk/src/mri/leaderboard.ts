import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Battle,
  getLeaderboardRoute,
  getStandingsRoute,
  getWinLossMatrixRoute,
  importVotesRoute,
  importVotesSchema,
  type Leaderboard,
  type LeaderboardRun,
  type LevelOfDetail,
  listLeaderboardRunsRoute,
  type Standings,
  standingsQuerySchema,
  type UpdateLeaderboard,
  updateLeaderboardRoute,
  updateLeaderboardSchema,
  type VoteAggregation,
  type WinLossMatrix,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { JuryError } from '../errors.ts';
import { openInBrowser } from '../jobs/definition.ts';
import { say } from '../logger.ts';
import { checkOptions, optionKeys } from '../options.ts';
import { allPages } from '../pages.ts';
import { checked, invalidField } from './inputs.ts';

/**
 * Options of {@link JuryLeaderboard.getStandings}.
 *
 * @example
 * ```ts
 * await leaderboard.getStandings({ tags: ['landscape'], intervals: 'bootstrap' });
 * ```
 */
export interface StandingsOptions {
  /** Refit on the votes of prompts with any of these tags (`[]`: no prompt, so no votes). Default: every vote. */
  tags?: string[];
  /** 95% intervals: `'sandwich'` (default, robust) or `'bootstrap'`. */
  intervals?: 'sandwich' | 'bootstrap';
  /** Fit with scikit-learn's L2 penalty at this C, as the published arena tables do (C = 1). */
  sklearnC?: number;
}

/**
 * Options of {@link JuryLeaderboard.getWinLossMatrix}.
 *
 * @example
 * ```ts
 * await leaderboard.getWinLossMatrix({ tags: ['outdoor'] });
 * ```
 */
export interface WinLossOptions {
  /** Only votes of prompts with any of these tags. */
  tags?: string[];
  /** Weigh each vote by its labeler's trust score when cast (imported battles weigh 1). Default false. */
  useWeightedScoring?: boolean;
}

/**
 * What {@link JuryLeaderboard.update} changes; fields left out stay as they are.
 *
 * @example
 * ```ts
 * const changes: LeaderboardChanges = { levelOfDetail: 'high', voteAggregation: 'majority' };
 * ```
 */
export type LeaderboardChanges = UpdateLeaderboard;

/**
 * What {@link JuryLeaderboard.importVotes} takes: battles, or the text of a CSV with the header
 * `model_a,model_b,winner[,prompt]`.
 *
 * @example
 * ```ts
 * const votes: ImportVotesInput = { battles: [{ modelA: 'x', modelB: 'y', winner: 'model_a' }] };
 * ```
 */
export type ImportVotesInput = { battles: Battle[] } | { csv: string };

/**
 * Options of {@link JuryLeaderboard.waitUntilMatched}.
 *
 * @example
 * ```ts
 * await leaderboard.waitUntilMatched({ timeoutMs: 10 * 60_000, pollMs: 2000 });
 * ```
 */
export interface WaitUntilMatchedOptions {
  /** Give up after this long with a `TIMEOUT` JuryError (default: wait as long as it takes). */
  timeoutMs?: number;
  /** How often to ask (default 1000 ms). */
  pollMs?: number;
}

const WAIT_KEYS = optionKeys<WaitUntilMatchedOptions>({ timeoutMs: true, pollMs: true });
const STANDINGS_KEYS = optionKeys<StandingsOptions>({ tags: true, intervals: true, sklearnC: true });
const WIN_LOSS_KEYS = optionKeys<WinLossOptions>({ tags: true, useWeightedScoring: true });
const UPDATE_KEYS = optionKeys<LeaderboardChanges>({
  name: true,
  levelOfDetail: true,
  minResponsesPerMatchup: true,
  voteAggregation: true,
});

/** @internal The win/loss query's weighting flag, checked. */
export function weightedQuery(method: string, flag: unknown): 'true' | 'false' {
  if (flag !== undefined && typeof flag !== 'boolean')
    throw invalidField(method, 'useWeightedScoring', 'useWeightedScoring is true or false.');
  return flag ? 'true' : 'false';
}

/** @internal `['a', 'b']` → `'a,b'` (the query's form); a tag with a comma cannot be sent. */
export function tagQuery(method: string, tags: unknown): string | undefined {
  if (tags === undefined) return undefined;
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.trim() === '' || t.includes(',')))
    throw invalidField(method, 'tags', 'tags is a list of non-empty tags without commas.');
  return tags.join(',');
}

/**
 * One evaluation criterion of a benchmark, with its own votes (the reference SDK's `RapidataLeaderboard`).
 *
 * @example
 * ```ts
 * const leaderboard = await benchmark.createLeaderboard({ name: 'Realism', instruction: 'Which image is more realistic?' });
 * const { standings } = await leaderboard.getStandings();
 * for (const s of standings) console.log(s.rank, s.name, s.score.toFixed(0), `[${s.lower.toFixed(0)}, ${s.upper.toFixed(0)}]`);
 * ```
 */
export class JuryLeaderboard {
  readonly #client: JuryClient;
  #data: Leaderboard;

  /** @internal */
  constructor(client: JuryClient, data: Leaderboard) {
    this.#client = client;
    this.#data = data;
  }

  get id(): string {
    return this.#data.id;
  }
  get benchmarkId(): string {
    return this.#data.benchmarkId;
  }
  get name(): string {
    return this.#data.name;
  }
  get instruction(): string {
    return this.#data.instruction;
  }
  get showPrompt(): boolean {
    return this.#data.showPrompt;
  }
  get showPromptAsset(): boolean {
    return this.#data.showPromptAsset;
  }
  get inverseRanking(): boolean {
    return this.#data.inverseRanking;
  }
  get levelOfDetail(): LevelOfDetail {
    return this.#data.levelOfDetail;
  }
  /** Comparison responses per evaluation run (from the level of detail). */
  get responseBudget(): number {
    return this.#data.responseBudget;
  }
  get audienceId(): string {
    return this.#data.audienceId;
  }
  /** Responses each matchup collects (planned from now on). */
  get minResponsesPerMatchup(): number {
    return this.#data.minResponsesPerMatchup;
  }
  /** Prompts with one of these tags take part (none: every prompt); fixed at creation. */
  get includedTags(): string[] {
    return this.#data.includedTags;
  }
  /** Prompts with any of these tags never take part; fixed at creation. */
  get excludedTags(): string[] {
    return this.#data.excludedTags;
  }
  get voteAggregation(): VoteAggregation {
    return this.#data.voteAggregation;
  }
  /** Votes when last read (matchup answers and imported battles); {@link JuryLeaderboard.refresh} reads again. */
  get votes(): number {
    return this.#data.votes;
  }
  /** Whether matchmaking still had comparisons to ask when last read. */
  get matching(): boolean {
    return this.#data.matching;
  }
  get createdAt(): string {
    return this.#data.createdAt;
  }

  /**
   * The standings now: Bradley-Terry ratings on the Elo scale with 95% intervals, rank intervals, votes, wins,
   * win rates, and warnings (a disconnected comparison graph, a rating set by the prior).
   *
   * @example
   * ```ts
   * const { standings, warnings } = await leaderboard.getStandings({ tags: ['outdoor'] });
   * ```
   */
  async getStandings(options: StandingsOptions = {}): Promise<Standings> {
    checkOptions('getStandings', options, STANDINGS_KEYS);
    const query = checked('getStandings', standingsQuerySchema, {
      ...options,
      tags: tagQuery('getStandings', options.tags),
    });
    const { data } = await this.#client.call(getStandingsRoute, { params: { id: this.id }, query });
    return data;
  }

  /**
   * Wins of every model over every other (`wins[i][j]`: votes where `models[i]` beat `models[j]`, ties half).
   *
   * @example
   * ```ts
   * const { models, wins, votes } = await leaderboard.getWinLossMatrix();
   * ```
   */
  async getWinLossMatrix(options: WinLossOptions = {}): Promise<WinLossMatrix> {
    checkOptions('getWinLossMatrix', options, WIN_LOSS_KEYS);
    const tags = tagQuery('getWinLossMatrix', options?.tags);
    const useWeightedScoring = weightedQuery('getWinLossMatrix', options?.useWeightedScoring);
    const { data } = await this.#client.call(getWinLossMatrixRoute, {
      params: { id: this.id },
      query: { useWeightedScoring, ...(tags === undefined ? {} : { tags }) },
    });
    return data;
  }

  /**
   * Changes the fields given in one request: the name, the level of detail (the budget of runs opened from now on),
   * the responses per matchup (of matchups planned from now on), the vote aggregation (standings fold the raw votes
   * on every read, so it applies to past votes too).
   *
   * @example
   * ```ts
   * await leaderboard.update({ name: 'Realism v2', voteAggregation: 'majority' });
   * ```
   */
  async update(changes: LeaderboardChanges): Promise<this> {
    checkOptions('update', changes, UPDATE_KEYS);
    const json = checked('update', updateLeaderboardSchema, changes ?? {});
    const { data } = await this.#client.call(updateLeaderboardRoute, { params: { id: this.id }, json });
    this.#data = data;
    return this;
  }

  /**
   * The matchmaking runs, newest first (one per submission of models, and the initial one): status (`matching`,
   * `collecting`, `done`), the models it is for, its budget, the responses planned and the votes received.
   *
   * @example
   * ```ts
   * const [latest] = await leaderboard.runs();
   * console.log(latest.status, latest.votes, '/', latest.budget);
   * ```
   */
  async runs(): Promise<LeaderboardRun[]> {
    return allPages(async (cursor, amount) =>
      this.#client.call(listLeaderboardRunsRoute, { params: { id: this.id }, query: { cursor, amount } }),
    );
  }

  /**
   * Imports existing votes (an arena's history): battles of two models by name, the winner or a tie, the prompt
   * identifier optionally. Models known only from imports appear in the standings by name.
   *
   * @example
   * ```ts
   * await leaderboard.importVotes({ csv: 'model_a,model_b,winner\nx,y,model_a\nx,y,tie\n' });
   * ```
   */
  async importVotes(input: ImportVotesInput): Promise<{ imported: number; models: string[] }> {
    const json = checked('importVotes', importVotesSchema, input);
    const { data } = await this.#client.call(importVotesRoute, { params: { id: this.id }, json });
    return data;
  }

  /**
   * Waits until matchmaking has asked every comparison it planned (every submitted model's run answered), then
   * returns the leaderboard with its votes; standings then hold the whole run.
   *
   * @example
   * ```ts
   * await benchmark.evaluateModel('MyModel', { media, prompts });
   * await leaderboard.waitUntilMatched({ timeoutMs: 600_000 });
   * console.log((await leaderboard.getStandings()).standings);
   * ```
   */
  async waitUntilMatched(options: WaitUntilMatchedOptions = {}): Promise<this> {
    checkOptions('waitUntilMatched', options, WAIT_KEYS);
    const { timeoutMs, pollMs = 1000 } = options;
    for (const [key, v] of Object.entries({ timeoutMs, pollMs }))
      if (v !== undefined && !(typeof v === 'number' && v >= 0))
        throw invalidField('waitUntilMatched', key, `${key} is a number of milliseconds ≥ 0; got ${v}.`);
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
    for (;;) {
      await this.refresh();
      if (!this.matching) return this;
      if (Date.now() >= deadline)
        throw new JuryError({
          code: 'TIMEOUT',
          message: `Leaderboard ${this.id} was still matching after ${timeoutMs} ms (${this.votes} votes so far).`,
        });
      await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
    }
  }

  /**
   * Reads the leaderboard again (votes, whether it is still matching).
   *
   * @example
   * ```ts
   * await leaderboard.refresh();
   * console.log(leaderboard.votes, leaderboard.matching);
   * ```
   */
  async refresh(): Promise<this> {
    const { data } = await this.#client.call(getLeaderboardRoute, { params: { id: this.id } });
    this.#data = data;
    return this;
  }

  /**
   * Opens the leaderboard's page in the dashboard (`<url>/leaderboards/<id>`: the standings plot with intervals, the
   * win/loss heat map, votes per day, the compared media) in your browser, prints the link and returns it. No browser
   * opens when stdout is not a terminal, with `BROWSER=none`, or with `{ open: false }`.
   *
   * @example
   * ```ts
   * const url = leaderboard.view({ open: false }); // 'http://localhost:8787/leaderboards/lbd_…'
   * ```
   */
  view(options: { open?: boolean } = {}): string {
    checkOptions('view', options, ['open']);
    const url = `${this.#client.url}/leaderboards/${encodeURIComponent(this.id)}`;
    say('Leaderboard %s in the dashboard: %s', this.name, url);
    if (options.open ?? true) openInBrowser(url);
    return url;
  }
}
