import type { JuryClient } from '@jury/sdk';
import { createRng } from '@jury/stats';

// Which model made which side of a leaderboard matchup, and how strong it truly is. Matchups are blind: a
// labeler sees opaque media references, never asset ids or model names. The simulator is told the truth the way a
// requester knows it: with requester credentials it resolves each reference to its asset
// (GET /api/v1/media-references/{ref}), reads the organization's benchmarks (models and their media) through the
// SDK and maps each asset id to its model; the labeler API stays blind. An asset two models share maps to the first found.

/** Looks up the model whose media an asset is; refreshes from the server at most once a second on a miss. */
export interface ModelDirectory {
  modelOf(assetId: string): Promise<string | undefined>;
  /** The asset and item name a labeler's media reference (its URL) names; undefined when not the requester's. */
  resolve(url: string): Promise<{ assetId: string; name: string } | undefined>;
}

/** A directory over the benchmarks `requester` can read (its organization's). */
export function createModelDirectory(requester: JuryClient, minRefreshMs = 1000): ModelDirectory {
  let byAsset = new Map<string, string>();
  let refreshedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  const refresh = async () => {
    const next = new Map<string, string>();
    for (let page = 1; ; page++) {
      const benchmarks = await requester.mri.findBenchmarks({ amount: 500, page });
      for (const benchmark of benchmarks)
        for (const model of await benchmark.participants())
          for (const m of await model.media())
            if (m.item.type === 'asset' && !next.has(m.item.assetId)) next.set(m.item.assetId, model.name);
      if (benchmarks.length < 500) break;
    }
    byAsset = next;
    refreshedAt = performance.now();
  };
  const refs = new Map<string, { assetId: string; name: string } | undefined>();
  return {
    async resolve(url) {
      if (refs.has(url)) return refs.get(url);
      const found = await requester.assets.resolveMediaReference(url).catch((err: unknown) => {
        if ((err as { status?: number }).status === 404) return undefined;
        throw err;
      });
      if (refs.size > 10_000) refs.clear();
      refs.set(url, found);
      return found;
    },
    async modelOf(assetId) {
      const known = byAsset.get(assetId);
      if (known !== undefined) return known;
      if (performance.now() - refreshedAt >= minRefreshMs) {
        pending ??= refresh().finally(() => {
          pending = undefined;
        });
        await pending;
      }
      return byAsset.get(assetId);
    },
  };
}

/** A string's 32-bit FNV-1a hash, to seed a model's own draw. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * True strengths in natural-log units (Bradley-Terry: A beats B with probability 1 / (1 + e^(s_B − s_A))): those
 * given, and for any other model a draw from N(0, 1) seeded by `seed` and its name (the same model, the same
 * strength, in every run with that seed). `used` records every strength looked up.
 */
export function createStrengths(seed: number, given?: Readonly<Record<string, number>>) {
  const used: Record<string, number> = {};
  return {
    used,
    of(model: string): number {
      const s = given?.[model] ?? used[model] ?? createRng(hash(`${seed}\u0000${model}`)).normal();
      used[model] = s;
      return s;
    },
  };
}

/** Checks a strengths file's JSON: `{ "<model name>": <finite number>, … }`. */
export function parseStrengths(json: unknown): Record<string, number> {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new RangeError('The strengths file is a JSON object { "<model name>": <strength>, … }.');
  for (const [name, v] of Object.entries(json))
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new RangeError(
        `The strengths file gives ${JSON.stringify(name)} ${JSON.stringify(v)}, not a number.`,
      );
  return json as Record<string, number>;
}
