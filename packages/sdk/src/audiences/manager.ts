import { createAudienceRoute, findAudiencesRoute, getAudienceRoute } from '@jury/api';
import type { JuryClient } from '../client.ts';
import { type FindOptions, findQuery } from '../jobs/manager.ts';
import { checkOptions, optionKeys } from '../options.ts';
import { audienceHandle, JuryAudience, type JuryFilteredAudience } from './audience.ts';
import { filtersToJSON, type JuryFilter } from './filters.ts';
import { invalid } from './validation.ts';

/**
 * How a new custom audience admits and qualifies labelers.
 *
 * @example
 * ```ts
 * const audience = await client.audience.createAudience('German speakers', {
 *   filters: [new LanguageFilter(['de'])],
 *   targetAccuracy: 0.8,
 *   minExamples: 4,
 * });
 * ```
 */
export interface CreateAudienceOptions {
  /** Only labelers matching every filter may qualify. */
  filters?: JuryFilter[];
  /** Share of qualification examples a labeler must get right, in [0, 1] (default 0.75). */
  targetAccuracy?: number;
  /** Examples the audience needs before anyone can qualify, at least 1 (default 3). */
  minExamples?: number;
  /** Default true: tell each qualification answer whether it was right, with the truth; false tells nothing. */
  showQualificationFeedback?: boolean;
}

const CREATE_KEYS = optionKeys<CreateAudienceOptions>({
  filters: true,
  targetAccuracy: true,
  minExamples: true,
  showQualificationFeedback: true,
});

/**
 * `client.audience`: find, get and create audiences.
 *
 * @example
 * ```ts
 * const audience = await client.audience.createAudience('Careful raters', { minExamples: 4 });
 * const everyone = await client.audience.getAudienceById('global');
 * ```
 */
export class AudienceManager {
  readonly #client: JuryClient;

  constructor(client: JuryClient) {
    this.#client = client;
  }

  /**
   * An audience by id: `'global'`, a custom audience (`aud_…`) or a filtered one (`fau_…`, returned as a
   * {@link JuryFilteredAudience}, a JuryAudience whose example and filter methods throw). Unknown, deleted or
   * other organizations' ids throw `JuryNotFoundError`.
   *
   * @example
   * ```ts
   * const audience = await client.audience.getAudienceById('aud_4kq9x2m7p1d8s3wz');
   * await audience.addCompareExample({ instruction: 'Which is sharper?', datapoint: ['a.png', 'b.png'], truth: 'a.png' });
   * const us = await audience.filter([new CountryFilter(['US'])]);
   * ```
   */
  async getAudienceById(id: `fau_${string}`): Promise<JuryFilteredAudience>;
  async getAudienceById(id: string): Promise<JuryAudience>;
  async getAudienceById(id: string): Promise<JuryAudience> {
    if (typeof id !== 'string' || id.trim() === '') throw invalid('Give an audience id.', 'id');
    const { data } = await this.#client.call(getAudienceRoute, { params: { id } });
    return audienceHandle(this.#client, data);
  }

  /**
   * Your audiences (custom and filtered) whose name contains `name`, newest first (the most recent when no
   * name is given).
   *
   * @example
   * ```ts
   * const raters = await client.audience.findAudiences({ name: 'raters', amount: 20 });
   * ```
   */
  async findAudiences(options: FindOptions = {}): Promise<JuryAudience[]> {
    const { name, amount, page } = findQuery('findAudiences', options);
    const { data } = await this.#client.call(findAudiencesRoute, {
      query: { name, amount, page },
    });
    return data.map((a) => audienceHandle(this.#client, a));
  }

  /**
   * Creates a custom audience. Labelers join it by answering all its qualification examples with accuracy
   * ≥ `targetAccuracy` (default 0.75); nobody can qualify until it has `minExamples` examples (default 3).
   *
   * @example
   * ```ts
   * const audience = await client.audience.createAudience('US English raters', {
   *   filters: [new CountryFilter(['US']), new LanguageFilter(['en'])],
   *   targetAccuracy: 0.8,
   *   minExamples: 4,
   * });
   * ```
   */
  async createAudience(name: string, options: CreateAudienceOptions = {}): Promise<JuryAudience> {
    checkOptions('createAudience', options, CREATE_KEYS);
    if (typeof name !== 'string' || name.trim() === '') throw invalid('Give the audience a name.', 'name');
    if (name.trim().length > 200) throw invalid('An audience name is at most 200 characters.', 'name');
    const { targetAccuracy, minExamples } = options;
    if (
      targetAccuracy !== undefined &&
      (typeof targetAccuracy !== 'number' || !(targetAccuracy >= 0 && targetAccuracy <= 1))
    )
      throw invalid(
        `targetAccuracy is a share of correct answers in [0, 1]; got ${targetAccuracy}.`,
        'targetAccuracy',
      );
    if (
      minExamples !== undefined &&
      (!Number.isInteger(minExamples) || minExamples < 1 || minExamples > 1000)
    )
      throw invalid(`minExamples is a whole number from 1 to 1000; got ${minExamples}.`, 'minExamples');
    const feedback = options.showQualificationFeedback;
    if (feedback !== undefined && typeof feedback !== 'boolean')
      throw invalid(
        `showQualificationFeedback is true or false; got ${feedback}.`,
        'showQualificationFeedback',
      );
    const filters = filtersToJSON(options.filters);
    const passRule = {
      ...(targetAccuracy === undefined ? {} : { targetAccuracy }),
      ...(minExamples === undefined ? {} : { minExamples }),
    };
    const { data } = await this.#client.call(createAudienceRoute, {
      json: {
        name,
        ...(Object.keys(passRule).length > 0 ? { passRule } : {}),
        ...(filters.length > 0 ? { filters } : {}),
        ...(feedback === undefined ? {} : { showQualificationFeedback: feedback }),
      },
    });
    return new JuryAudience(this.#client, data);
  }
}
