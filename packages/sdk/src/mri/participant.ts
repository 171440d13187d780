import {
  type BenchmarkPrompt,
  deleteParticipantRoute,
  getBenchmarkStandingsRoute,
  getParticipantRoute,
  listParticipantMediaRoute,
  listPromptsRoute,
  type Participant,
  type ParticipantMediaItem,
  type ParticipantStatus,
  participantMediaSchema,
  runParticipantRoute,
  updateParticipantRoute,
  uploadParticipantMediaRoute,
} from '@jury/api';
import type { JuryClient } from '../client.ts';
import { checkOptions, optionKeys } from '../options.ts';
import { allPages } from '../pages.ts';
import { checked, checkName, invalidField, pendingMedia, uploadMedia } from './inputs.ts';

/**
 * A model's media, each paired by index with a benchmark prompt: by `prompts` (the prompt texts) or by
 * `identifiers` (exactly one of them). The same prompt may come more than once.
 *
 * @example
 * ```ts
 * const media: ModelMedia = {
 *   media: ['out/sunset-1.png', 'out/sunset-2.png', 'https://example.com/city.png'],
 *   prompts: ['A serene mountain landscape at sunset', 'A serene mountain landscape at sunset', 'A futuristic city'],
 * };
 * ```
 */
export interface ModelMedia {
  /** Local files (uploaded) or http(s) URLs (registered), images, videos or audio. */
  media: string[];
  /** The benchmark prompt texts the media answer, one per media item. */
  prompts?: string[];
  /** The benchmark prompt identifiers, one per media item. */
  identifiers?: string[];
}

/** @internal */
const MEDIA_KEYS = optionKeys<ModelMedia>({ media: true, prompts: true, identifiers: true });

/** The prompt texts and identifiers a benchmark has, to name unknown ones before anything uploads. */
interface PromptSet {
  identifiers: Set<string>;
  texts: Set<string>;
}

/** @internal Every prompt of a benchmark, in the order they were added. */
export async function promptsOf(client: JuryClient, benchmarkId: string): Promise<BenchmarkPrompt[]> {
  return allPages(async (cursor, amount) =>
    client.call(listPromptsRoute, { params: { id: benchmarkId }, query: { cursor, amount } }),
  );
}

async function promptSetOf(client: JuryClient, benchmarkId: string): Promise<PromptSet> {
  const prompts = await promptsOf(client, benchmarkId);
  return {
    identifiers: new Set(prompts.map((p) => p.identifier)),
    texts: new Set(prompts.flatMap((p) => (p.prompt === null ? [] : [p.prompt]))),
  };
}

/**
 * @internal Checks media against the contract and the benchmark's prompt set, uploads them; returns the body of a
 * media request.
 */
export async function prepareMedia(
  client: JuryClient,
  method: string,
  input: ModelMedia,
  benchmarkId: string,
) {
  checkOptions(method, input, MEDIA_KEYS);
  if (input === undefined || input === null)
    throw invalidField(method, 'media', 'Give { media, prompts } or { media, identifiers }.');
  const shape = checked(method, participantMediaSchema, {
    ...input,
    media: pendingMedia(method, 'media', input.media),
  });
  const set = await promptSetOf(client, benchmarkId);
  const keys = shape.identifiers ?? shape.prompts ?? [];
  const known = shape.identifiers ? set.identifiers : set.texts;
  const unknown = [...new Set(keys.filter((k) => !known.has(k)))];
  if (unknown.length > 0)
    throw invalidField(
      method,
      shape.identifiers ? 'identifiers' : 'prompts',
      `${shape.identifiers ? 'Identifiers' : 'Prompts'} not in the benchmark's prompt set: ${JSON.stringify(unknown.slice(0, 20))}; pair every media item with one of benchmark.prompts(), or add it with benchmark.addPrompts first.`,
    );
  const media = await uploadMedia(client, method, input.media);
  return shape.identifiers ? { media, identifiers: shape.identifiers } : { media, prompts: shape.prompts! };
}

/**
 * A model taking part in a benchmark (the reference SDK's `BenchmarkParticipant`): `created` until run, then
 * `submitted` (matched on every leaderboard), `disabled` when taken out of matchmaking and standings.
 *
 * @example
 * ```ts
 * const model = await benchmark.addModel('MyModel v2', { media: ['a.png'], prompts: ['A red book'] });
 * await model.uploadMedia({ media: ['b.png'], prompts: ['A red book'] });
 * await model.run();
 * console.log(model.name, model.status, model.mediaCount); // MyModel v2 submitted 2
 * ```
 */
export class JuryParticipant {
  readonly #client: JuryClient;
  #data: Participant;

  /** @internal */
  constructor(client: JuryClient, data: Participant) {
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
  get status(): ParticipantStatus {
    return this.#data.status;
  }
  get mediaCount(): number {
    return this.#data.mediaCount;
  }
  get createdAt(): string {
    return this.#data.createdAt;
  }
  get submittedAt(): string | null {
    return this.#data.submittedAt;
  }

  /**
   * Adds media (each paired with a benchmark prompt). A submitted model's new media are matched at once.
   *
   * @example
   * ```ts
   * await model.uploadMedia({ media: ['sunset-2.png'], identifiers: ['scene_1'] });
   * ```
   */
  async uploadMedia(input: ModelMedia): Promise<this> {
    const body = await prepareMedia(this.#client, 'uploadMedia', input, this.benchmarkId);
    const { data } = await this.#client.call(uploadParticipantMediaRoute, {
      params: { id: this.id },
      json: body,
    });
    this.#data = data;
    return this;
  }

  /**
   * Submits the model for evaluation: every leaderboard of the benchmark matches it against the field.
   *
   * @example
   * ```ts
   * await model.run(); // model.status === 'submitted'
   * ```
   */
  async run(): Promise<this> {
    const { data } = await this.#client.call(runParticipantRoute, { params: { id: this.id } });
    this.#data = data;
    return this;
  }

  /**
   * Takes the model out of matchmaking and the standings (reversible with {@link JuryParticipant.enable}).
   *
   * @example
   * ```ts
   * await model.disable();
   * ```
   */
  async disable(): Promise<this> {
    return this.#update({ status: 'disabled' });
  }

  /**
   * Brings a disabled model back into matchmaking and the standings.
   *
   * @example
   * ```ts
   * await model.enable(); // model.status === 'submitted'
   * ```
   */
  async enable(): Promise<this> {
    return this.#update({ status: 'submitted' });
  }

  /**
   * Renames the model (names are unique within a benchmark; the standings show them).
   *
   * @example
   * ```ts
   * await model.rename('MyModel v2.1');
   * ```
   */
  async rename(name: string): Promise<this> {
    return this.#update({ name: checkName('rename', name) });
  }

  /**
   * Deletes the model with its media and its votes; cannot be undone.
   *
   * @example
   * ```ts
   * await model.delete();
   * ```
   */
  async delete(): Promise<void> {
    await this.#client.call(deleteParticipantRoute, { params: { id: this.id } });
  }

  /**
   * The model's media, each with the identifier of its prompt.
   *
   * @example
   * ```ts
   * for (const m of await model.media()) console.log(m.identifier, m.item);
   * ```
   */
  async media(): Promise<ParticipantMediaItem[]> {
    return allPages(async (cursor, amount) =>
      this.#client.call(listParticipantMediaRoute, { params: { id: this.id }, query: { cursor, amount } }),
    );
  }

  /**
   * The model's rating on the Elo scale in the benchmark's overall standings (every leaderboard's votes in one
   * fit; scores are relative to the field), or null while it has no votes or is disabled.
   *
   * @example
   * ```ts
   * const elo = await model.getElo(); // null if not computed yet
   * ```
   */
  async getElo(): Promise<number | null> {
    const { data } = await this.#client.call(getBenchmarkStandingsRoute, {
      params: { id: this.benchmarkId },
      query: {},
    });
    return data.standings.find((s) => s.participantId === this.id)?.score ?? null;
  }

  /**
   * Reads the model again (status, name, media count).
   *
   * @example
   * ```ts
   * await model.refresh();
   * ```
   */
  async refresh(): Promise<this> {
    const { data } = await this.#client.call(getParticipantRoute, { params: { id: this.id } });
    this.#data = data;
    return this;
  }

  async #update(json: { name?: string; status?: 'submitted' | 'disabled' }): Promise<this> {
    const { data } = await this.#client.call(updateParticipantRoute, { params: { id: this.id }, json });
    this.#data = data;
    return this;
  }
}
