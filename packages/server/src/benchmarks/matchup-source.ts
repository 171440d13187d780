/**
 * The matchups work source (lease kind 'matchup'): leaderboards' comparisons of two models' media for one prompt,
 * served to the labelers the leaderboard's audience admits as compare tasks (after the qualification examples a
 * custom audience asks, as for jobs).
 *
 * Blind: the labeler sees the two media (A/B order drawn per labeler), the leaderboard's instruction, and the
 * prompt and its asset only when the leaderboard shows them; never the models or the requester's file names
 * (an item's name is its asset id). A claim takes an open matchup of an admitted leaderboard the labeler has not
 * answered whose responses + live leases are below what it wants (its row locked and both counted again where rows
 * lock), fewest responses first; when a leaderboard has none, matchmaking plans the next batch (matchmaking.ts) in
 * the claim's transaction. Each answer is one vote of that leaderboard (A, B, or a tie for Both/Neither), unique
 * per labeler and matchup.
 */
import type { Item } from '@jury/api';
import { capabilitiesOf } from '../db/capabilities.ts';
import type { Db } from '../db/database.ts';
import type { LeaderboardsTable, MatchupsTable } from '../db/schema.ts';
import { cachePerDatabase } from '../http/cache.ts';
import { AppError } from '../http/errors.ts';
import { resolveAccess } from '../labeling/access.ts';
import { acceptAnswer } from '../labeling/answers.ts';
import { addressCapOf, type Claim, type NextContext, type WorkSource } from '../labeling/engine.ts';
import { liveLeaseCounts } from '../labeling/lease-store.ts';
import { owedQualification } from '../labeling/qualification.ts';
import type { TaskSource } from '../labeling/task-view.ts';
import { planMatchups } from './matchmaking.ts';
import * as store from './store.ts';

const KIND = 'matchup';
/** Candidates read per leaderboard on a claim. */
const CANDIDATES = 32;

/** What a matchup shows (instruction, prompt display) never changes after creation: read once per process. */
const leaderboards = cachePerDatabase<string, LeaderboardsTable>({ max: 10_000 });

async function leaderboardOf(db: Db, id: string): Promise<LeaderboardsTable> {
  const hit = leaderboards(db).get(id);
  if (hit) return hit;
  const row = await store.getLeaderboard(db, id);
  if (!row) throw new Error(`no leaderboard ${id}`);
  leaderboards(db).set(id, row);
  return row;
}

/** Leaderboards with matchmaking work, read at most every 500 ms per process. */
const matching = cachePerDatabase<'matching', { id: string; audience_id: string }[]>({ max: 1, ttlMs: 500 });

function blind(item: Item): Item {
  return item.type === 'asset' ? { ...item, name: item.assetId } : item;
}

/** What a matchup shows: the leaderboard's instruction, two blind media, the prompt and its asset as set. */
async function matchupSource(db: Db, matchup: MatchupsTable): Promise<TaskSource | undefined> {
  const leaderboard = await leaderboardOf(db, matchup.leaderboard_id);
  const media = await store.findMedia(db, [matchup.media_a, matchup.media_b]);
  const a = media.find((m) => m.id === matchup.media_a);
  const b = media.find((m) => m.id === matchup.media_b);
  if (!a || !b) return undefined;
  const [prompt] = await store.findPrompts(db, [matchup.prompt_id]);
  const asset = leaderboard.show_prompt_asset === 1 && prompt?.prompt_asset ? prompt.prompt_asset : null;
  return {
    taskType: 'compare',
    instruction: leaderboard.instruction,
    dataType: 'media',
    items: JSON.stringify([a, b].map((m) => blind(JSON.parse(m.item) as Item))),
    context: leaderboard.show_prompt === 1 ? (prompt?.prompt ?? null) : null,
    mediaContext: asset ? JSON.stringify([blind(JSON.parse(asset) as Item)]) : null,
    answerOptions: null,
    settings: '{}',
  };
}

/**
 * Where rows lock (Postgres), concurrent claims would otherwise both see a matchup's last free slot: lock its row
 * (SKIP LOCKED: a held one is another claim's) and count its responses and live leases again.
 */
async function lockedIfFree(trx: Db, id: string, nowIso: string): Promise<MatchupsTable | undefined> {
  const row = await store.lockOpenMatchup(trx, id);
  if (!row) return undefined;
  const leases = (await liveLeaseCounts(trx, KIND, [id], nowIso)).get(id) ?? 0;
  return Number(row.responses) + leases < Number(row.wanted) ? row : undefined;
}

async function pickMatchup(
  ctx: NextContext,
  trx: Db,
  admitted: { id: string; audience_id: string }[],
): Promise<Claim | undefined> {
  const nowIso = ctx.now.toISOString();
  const rowLocks = capabilitiesOf(trx).rowLocks;
  const random = ctx.deps.random ?? Math.random;
  const order = [...admitted].sort(() => random() - 0.5);
  for (const { id, audience_id } of order) {
    for (let attempt = 0; attempt < 2; attempt++) {
      const open = await store.openMatchupsFor(
        trx,
        id,
        ctx.labeler.id,
        CANDIDATES,
        nowIso,
        addressCapOf(ctx),
      );
      const out = await liveLeaseCounts(
        trx,
        KIND,
        open.map((m) => m.id),
        nowIso,
      );
      for (const candidate of open) {
        if (Number(candidate.responses) + (out.get(candidate.id) ?? 0) >= Number(candidate.wanted)) continue;
        const free = rowLocks ? await lockedIfFree(trx, candidate.id, nowIso) : candidate;
        if (!free) continue;
        const shown = await matchupSource(trx, free);
        if (shown) return { itemId: free.id, jobId: null, audienceId: audience_id, shown };
      }
      if (attempt === 0 && (await planMatchups(trx, id, ctx.now, random)) === 0) break;
    }
  }
  return undefined;
}

/** Leaderboards with matchmaking work, from the cache unless `fresh`. */
async function matchingNow(db: Db, fresh: boolean) {
  const hit = fresh ? undefined : matching(db).get('matching');
  if (hit) return { open: hit, fresh: false };
  const open = await store.matchingLeaderboards(db);
  matching(db).set('matching', open);
  return { open, fresh: true };
}

async function serveFrom(ctx: NextContext, open: { id: string; audience_id: string }[]) {
  if (open.length === 0) return undefined;
  const access = await resolveAccess(
    ctx.deps.db,
    ctx.labeler,
    open.map((l) => l.audience_id),
  );
  const owed = await owedQualification(ctx.deps, ctx.labeler, access.owed);
  if (owed) return owed;
  const admitted = open.filter((l) => access.admitted.has(l.audience_id));
  if (admitted.length === 0) return undefined;
  return ctx.claim((trx) => pickMatchup(ctx, trx, admitted));
}

export const leaderboardMatchups: WorkSource = {
  async next(ctx) {
    // As for job tasks: a matchup served from the cached list is good; nothing is decided on a fresh list, so a
    // model submitted a moment ago is matched at once.
    const cached = await matchingNow(ctx.deps.db, false);
    const first = await serveFrom(ctx, cached.open);
    if (first?.kind === 'task' || cached.fresh) return first;
    return serveFrom(ctx, (await matchingNow(ctx.deps.db, true)).open);
  },

  async view(db, lease) {
    const matchup = await store.findMatchup(db, lease.item_id);
    return matchup && matchupSource(db, matchup);
  },

  /** Records the vote (A, B, or a tie for Both/Neither) and counts it; the matchup is done at what it wanted. */
  async accept({ labeler, now, trx, answerId }, lease, input) {
    const matchup = await store.findMatchup(trx, lease.item_id);
    if (!matchup)
      throw new AppError(
        'NOT_FOUND',
        'This comparison was withdrawn (its model was deleted); ask for the next task.',
      );
    const answer = acceptAnswer({ taskType: 'compare', answerOptions: null, settings: '{}' }, input);
    const choice = 'choice' in answer ? answer.choice : 'A';
    await store.insertVote(trx, {
      id: answerId,
      matchup_id: matchup.id,
      leaderboard_id: matchup.leaderboard_id,
      prompt_id: matchup.prompt_id,
      participant_a: matchup.participant_a,
      participant_b: matchup.participant_b,
      labeler_id: labeler.id,
      outcome: choice === 'A' ? 'a' : choice === 'B' ? 'b' : 'tie',
      presentation: lease.presentation,
      user_score: labeler.user_score,
      created_at: now.toISOString(),
      address_hash: lease.address_hash,
    });
    const completed = await store.countMatchupResponse(trx, matchup.id);
    return { completed, rescored: false };
  },

  findAnswer: store.findVote,
};
