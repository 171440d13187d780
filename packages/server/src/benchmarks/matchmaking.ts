/**
 * Matchmaking: which matchups a leaderboard asks next. A run (opened when models are submitted, or when a
 * leaderboard is created over submitted models) has a budget of responses (the level of detail) and a focus (the
 * models it is for); every pair it plans includes a focus model, so a model added later is matched alone.
 *
 * Pairs come from `proposePairs` of @jury/stats on the leaderboard's votes so far: only models with media for a
 * shared prompt meet (the pair's prompt is one of those), a model with few comparisons meets the established
 * field first, a random share (10%) keeps the graph connected, the rest go where a vote removes the most expected
 * misordered pairs. When none of the proposals includes a focus model (the field's own pairs looked more
 * informative), each focus model meets a random partner on a shared prompt. A pair's media are drawn among the
 * two models' media for that prompt, least used first. Matchups are planned a batch at a time, when a labeler
 * finds none open, so each batch sees the votes before it. A run uses the prompts of the leaderboard's tag scope
 * when it opened (all when it has no tags); each matchup wants the leaderboard's responses per matchup as it is
 * when planned (the last one too, so a run may plan up to that many responses past its budget).
 */
import { addPairCounts, createPairCounts, createRng, proposePairs } from '@jury/stats';
import { capabilitiesOf } from '../db/capabilities.ts';
import type { Db } from '../db/database.ts';
import type { MatchupsTable } from '../db/schema.ts';
import { newId } from '../http/ids.ts';
import * as store from './store.ts';

/** Matchups planned at a time per leaderboard. */
const BATCH = 8;

/**
 * Plans the next batch of matchups of `leaderboard` in `trx` (its open runs are locked where rows lock); returns
 * how many it made. A run whose budget is planned, or whose models share no prompt with another, is closed; a run
 * whose model has no opponent yet waits.
 */
export async function planMatchups(
  trx: Db,
  leaderboardId: string,
  now: Date,
  random: () => number,
): Promise<number> {
  const runs = await store.openRuns(trx, leaderboardId, capabilitiesOf(trx).rowLocks);
  const run = runs[0];
  if (!run) return 0;
  // Read here, not from a cache: leaderboard.update changes the responses per matchup.
  const leaderboard = await store.getLeaderboard(trx, leaderboardId);
  if (!leaderboard) return 0;
  const perMatchup = Number(leaderboard.responses_per_comparison);
  const remaining = Number(run.budget) - Number(run.planned);
  const scope = run.prompt_ids === null ? null : new Set(JSON.parse(run.prompt_ids) as string[]);
  const media = (await store.mediaOf(trx, leaderboard.benchmark_id, ['submitted'])).filter(
    (m) => !scope || scope.has(m.prompt_id),
  );
  const byModelPrompt = new Map<string, (typeof media)[number][]>();
  const prompts: Record<string, string[]> = {};
  for (const m of media) {
    const key = `${m.participant_id}\u0000${m.prompt_id}`;
    if (!byModelPrompt.has(key)) {
      byModelPrompt.set(key, []);
      prompts[m.participant_id] = [...(prompts[m.participant_id] ?? []), m.prompt_id];
    }
    byModelPrompt.get(key)!.push(m);
  }
  const models = Object.keys(prompts);
  const focus = (JSON.parse(run.focus) as string[]).filter((id) => prompts[id]);
  // A lone model waits for an opponent: its run stays open, so the budget does not depend on when labelers ask.
  if (remaining > 0 && focus.length > 0 && models.length < 2) return 0;
  if (remaining <= 0 || focus.length === 0) {
    await store.updateRun(trx, run.id, { status: 'planned' });
    return 0;
  }
  const wanted = Math.min(BATCH, Math.ceil(remaining / perMatchup));
  const rng = createRng(Math.floor(random() * 2 ** 31));
  // The votes so far between these models, by participant id (direction does not matter for informativeness).
  const counts = createPairCounts(models);
  const known = new Set(models);
  for (const cell of await store.voteCells(trx, leaderboard.id)) {
    if (!known.has(cell.participant_a) || !known.has(cell.participant_b)) continue;
    const n = cell.n;
    addPairCounts(counts, cell.participant_a, cell.participant_b, {
      wins: cell.outcome === 'a' ? n : 0,
      losses: cell.outcome === 'b' ? n : 0,
      ties: cell.outcome === 'tie' ? n : 0,
    });
  }
  const inFocus = new Set(focus);
  let pairs = proposePairs(counts, { rng, batchSize: wanted * 3, randomComparisonsRatio: 0.1, prompts })
    .filter((p) => (inFocus.has(p.a) || inFocus.has(p.b)) && p.prompt !== undefined)
    .slice(0, wanted)
    .map((p) => ({ a: p.a, b: p.b, prompt: p.prompt! }));
  if (pairs.length === 0) pairs = randomPartners(focus, models, prompts, wanted, () => rng.next());
  if (pairs.length === 0) {
    await store.updateRun(trx, run.id, { status: 'planned' });
    return 0;
  }
  const used = new Map<string, number>();
  const pickMedia = (model: string, prompt: string) => {
    const options = byModelPrompt.get(`${model}\u0000${prompt}`)!;
    const least = Math.min(...options.map((o) => used.get(o.id) ?? 0));
    const pool = options.filter((o) => (used.get(o.id) ?? 0) === least);
    const chosen = pool[Math.floor(rng.next() * pool.length)]!;
    used.set(chosen.id, least + 1);
    return chosen.id;
  };
  let left = remaining;
  const rows: MatchupsTable[] = [];
  for (const pair of pairs) {
    if (left <= 0) break;
    const take = perMatchup;
    left -= take;
    rows.push({
      id: newId('mtc'),
      leaderboard_id: leaderboard.id,
      run_id: run.id,
      prompt_id: pair.prompt,
      media_a: pickMedia(pair.a, pair.prompt),
      media_b: pickMedia(pair.b, pair.prompt),
      participant_a: pair.a,
      participant_b: pair.b,
      wanted: take,
      responses: 0,
      status: 'open',
      created_at: now.toISOString(),
    });
  }
  await store.insertMatchups(trx, rows);
  await store.updateRun(trx, run.id, {
    planned: Number(run.planned) + rows.length * perMatchup,
    status: left <= 0 ? 'planned' : 'open',
  });
  return rows.length;
}

/** Each focus model against a random other model on a shared prompt. */
function randomPartners(
  focus: readonly string[],
  models: readonly string[],
  prompts: Record<string, string[]>,
  wanted: number,
  random: () => number,
): { a: string; b: string; prompt: string }[] {
  const out: { a: string; b: string; prompt: string }[] = [];
  for (let k = 0; k < wanted; k++) {
    const a = focus[k % focus.length]!;
    const mine = new Set(prompts[a]);
    const partners = models.filter((m) => m !== a && prompts[m]!.some((p) => mine.has(p)));
    if (partners.length === 0) continue;
    const b = partners[Math.floor(random() * partners.length)]!;
    const shared = prompts[b]!.filter((p) => mine.has(p));
    out.push({ a, b, prompt: shared[Math.floor(random() * shared.length)]! });
  }
  return out;
}
