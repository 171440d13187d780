import {
  createRankingJobDefinitionRoute,
  createRankingJobRoute,
  findRankingJobDefinitionsRoute,
  findRankingJobsRoute,
  getRankingJobDefinitionRoute,
  getRankingJobResultsRoute,
  getRankingJobRoute,
  type RankingJob,
  type RankingJobDefinition,
  type RankingJobResults,
  type SettingName,
} from '@jury/api';
import type { DataType } from '../assets.ts';
import type { JuryClient } from '../client.ts';
import { type JurySetting, settingNames } from '../jobs/settings.ts';
import { toItemInput } from '../jobs/upload.ts';
import { createProgress } from '../progress.ts';

/**
 * Parameters of `client.job.createRankingJobDefinition` (the reference SDK's, camelCase).
 *
 * @example
 * ```ts
 * const params: RankingJobDefinitionParams = {
 *   name: 'Rabbits', instruction: 'Which rabbit looks cooler?', datapoints: [['a.webp', 'b.webp', 'c.webp']],
 *   comparisonBudgetPerRanking: 50, randomComparisonsRatio: 0.5,
 * };
 * ```
 */
export interface RankingJobDefinitionParams {
  name: string;
  instruction: string;
  /** Each inner list (paths, URLs or texts) is one independent ranking. */
  datapoints: string[][];
  /** Pairwise matchups collected per ranking. */
  comparisonBudgetPerRanking: number;
  /** Labelers asked per matchup (default 1). */
  responsesPerComparison?: number;
  /** Share of random matchups (default 0.5). */
  randomComparisonsRatio?: number;
  dataType?: DataType;
  /** One text per ranking. */
  contexts?: string[];
  /** One list of reference media per ranking. */
  mediaContexts?: string[][];
  settings?: (JurySetting | SettingName)[];
}

/**
 * A ranking job: each ranking of its definition ordered by pairwise matchups.
 *
 * @example
 * ```ts
 * const job = await definition.assignTo('global');
 * const results = await job.getResults(); // waits until every ranking has its responses
 * ```
 */
export class JuryRankingJob {
  readonly id: string;
  readonly #client: JuryClient;

  constructor(client: JuryClient, data: RankingJob) {
    this.#client = client;
    this.id = data.id;
  }

  /**
   * The job with its progress.
   *
   * @example
   * ```ts
   * const { status, progress } = await job.get();
   * ```
   */
  async get(): Promise<RankingJob> {
    return (await this.#client.call(getRankingJobRoute, { params: { id: this.id } })).data;
  }

  /**
   * Shows the responses collected against those wanted until the job completes.
   *
   * @example
   * ```ts
   * await job.displayProgressBar();
   * const results = await job.getResults();
   * ```
   */
  async displayProgressBar(options: { pollMs?: number } = {}): Promise<void> {
    let job = await this.get();
    const bar = createProgress(job.progress.wantedResponses, job.name);
    let shown = 0;
    for (;;) {
      for (; shown < job.progress.responses; shown++) bar.increment();
      if (job.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
      job = await this.get();
    }
    bar.stop();
  }

  /**
   * Each ranking's items best first with scores (Elo scale, 1200 mean) and 95% intervals; waits for the job to
   * complete unless `wait: false`.
   *
   * @example
   * ```ts
   * const { rankings } = await job.getResults();
   * ```
   */
  async getResults(
    options: { wait?: boolean; timeoutMs?: number; pollMs?: number } = {},
  ): Promise<RankingJobResults> {
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    for (;;) {
      const { data } = await this.#client.call(getRankingJobResultsRoute, { params: { id: this.id } });
      if (options.wait === false || data.status === 'completed') return data;
      if (Date.now() >= deadline) throw new Error(`Ranking job ${this.id} is still running after waiting.`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
    }
  }
}

/**
 * A ranking job definition; assign it to an audience to run it.
 *
 * @example
 * ```ts
 * const definition = await client.job.createRankingJobDefinition({ name: 'R', instruction: 'Which is nicer?', datapoints: [['a.png', 'b.png', 'c.png']], comparisonBudgetPerRanking: 30 });
 * const job = await definition.assignTo('global');
 * ```
 */
export class JuryRankingJobDefinition {
  readonly id: string;
  readonly data: RankingJobDefinition;
  readonly #client: JuryClient;

  constructor(client: JuryClient, data: RankingJobDefinition) {
    this.#client = client;
    this.id = data.id;
    this.data = data;
  }

  /**
   * Runs the definition for an audience (`global` by default).
   *
   * @example
   * ```ts
   * const job = await definition.assignTo(await client.audience.getAudienceById('aud_…'));
   * ```
   */
  async assignTo(audience: string | { id: string } = 'global', name?: string): Promise<JuryRankingJob> {
    const { data } = await this.#client.call(createRankingJobRoute, {
      json: {
        definitionId: this.id,
        audienceId: typeof audience === 'string' ? audience : audience.id,
        ...(name !== undefined ? { name } : {}),
      },
    });
    return new JuryRankingJob(this.#client, data);
  }
}

/** @internal Uploads the items and creates the definition (client.job.createRankingJobDefinition). */
export async function createRankingJobDefinition(
  client: JuryClient,
  params: RankingJobDefinitionParams,
): Promise<JuryRankingJobDefinition> {
  const dataType = params.dataType ?? 'media';
  const datapoints = await Promise.all(
    params.datapoints.map(async (group) =>
      (await client.assets.resolveItems(group, dataType, { progressBar: false })).map(toItemInput),
    ),
  );
  const mediaContexts = params.mediaContexts
    ? await Promise.all(
        params.mediaContexts.map(async (group) =>
          (await client.assets.resolveItems(group, 'media', { progressBar: false })).map(
            (r) => toItemInput(r) as { assetId: string; name: string },
          ),
        ),
      )
    : undefined;
  const { data } = await client.call(createRankingJobDefinitionRoute, {
    json: {
      name: params.name,
      instruction: params.instruction,
      datapoints,
      dataType,
      comparisonBudgetPerRanking: params.comparisonBudgetPerRanking,
      ...(params.responsesPerComparison !== undefined
        ? { responsesPerComparison: params.responsesPerComparison }
        : {}),
      ...(params.randomComparisonsRatio !== undefined
        ? { randomComparisonsRatio: params.randomComparisonsRatio }
        : {}),
      ...(params.contexts ? { contexts: params.contexts } : {}),
      ...(mediaContexts ? { mediaContexts } : {}),
      ...(params.settings ? { settings: settingNames(params.settings) } : {}),
    },
  });
  return new JuryRankingJobDefinition(client, data);
}

/** What find* of ranking jobs and definitions take. */
type FindRanking = { name?: string; amount?: number; page?: number };

const findQueryOf = (o: FindRanking) => ({ name: o.name, amount: o.amount ?? 10, page: o.page ?? 1 });

/** @internal client.job.getRankingJobDefinitionById / findRankingJobDefinitions / getRankingJobById / findRankingJobs. */
export const rankingJobReads = {
  async definition(client: JuryClient, id: string): Promise<JuryRankingJobDefinition> {
    const { data } = await client.call(getRankingJobDefinitionRoute, { params: { id } });
    return new JuryRankingJobDefinition(client, data);
  },
  async definitions(client: JuryClient, options: FindRanking): Promise<JuryRankingJobDefinition[]> {
    const { data } = await client.call(findRankingJobDefinitionsRoute, { query: findQueryOf(options) });
    return data.map((d) => new JuryRankingJobDefinition(client, d));
  },
  async job(client: JuryClient, id: string): Promise<JuryRankingJob> {
    const { data } = await client.call(getRankingJobRoute, { params: { id } });
    return new JuryRankingJob(client, data);
  },
  async jobs(client: JuryClient, options: FindRanking): Promise<JuryRankingJob[]> {
    const { data } = await client.call(findRankingJobsRoute, { query: findQueryOf(options) });
    return data.map((j) => new JuryRankingJob(client, j));
  },
};
