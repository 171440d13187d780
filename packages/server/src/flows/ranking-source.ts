/**
 * The rankings work source (lease kind 'ranking'): matchups of two items of a ranking (a flow item, or a ranking
 * job's datapoint), served as blind compare tasks to the labelers its audience admits, after the qualification
 * examples a custom audience asks (as for jobs).
 *
 * Blind: the labeler sees the two items (A/B order drawn per labeler; an asset's name is its id, never the
 * requester's file name), the ranking's instruction, context and media context. A claim takes an open matchup of
 * an admitted ranking that is still collecting (not finished, time to live not run out: the query says so, so
 * an expired item gets nothing even before the expiry task marks it) and that the labeler has not answered, whose
 * responses + live leases are below what it wants, fewest responses first; when a ranking has none,
 * matchmaking.ts plans the next batch in the claim's transaction. Each answer is one vote (A, B, or a tie for
 * Both/Neither), unique per labeler and matchup; an answer arriving after the item finished is refused.
 */
import type { Item } from '@jury/api';
import type { Db } from '../db/database.ts';
import type { RankingMatchupsTable, RankingsTable } from '../db/schema.ts';
import { cachePerDatabase } from '../http/cache.ts';
import { AppError } from '../http/errors.ts';
import { resolveAccess } from '../labeling/access.ts';
import { acceptAnswer } from '../labeling/answers.ts';
import { addressCapOf, type Claim, type NextContext, type WorkSource } from '../labeling/engine.ts';
import { liveLeaseCounts } from '../labeling/lease-store.ts';
import { owedQualification } from '../labeling/qualification.ts';
import type { TaskSource } from '../labeling/task-view.ts';
import { planRankingMatchups } from './matchmaking.ts';
import * as store from './store.ts';

const KIND = 'ranking';
/** Candidates read per ranking on a claim. */
const CANDIDATES = 32;

type Open = { id: string; audience_id: string }[];

/** Rankings still collecting, read at most every 500 ms per process. */
const collecting = cachePerDatabase<'open', Open>({ max: 1, ttlMs: 500 });

/** Reads the rankings still collecting into the cache (what a claim reads first); returns them. */
export async function refreshOpenRankings(db: Db, now: Date): Promise<Open> {
  const open = await store.openRankings(db, now.toISOString());
  collecting(db).set('open', open);
  return open;
}

/** Whether the ranking still takes answers at `now` (open, time to live not run out). */
function collectingAt(ranking: RankingsTable, now: Date): boolean {
  const open = (store.OPEN_STATUSES as readonly string[]).includes(ranking.status);
  return open && (ranking.expires_at === null || String(ranking.expires_at) > now.toISOString());
}

function blind(item: Item): Item {
  return item.type === 'asset' ? { ...item, name: item.assetId } : item;
}

/** What a matchup shows: the ranking's instruction and context, and its two items, blind. */
function matchupSource(ranking: RankingsTable, matchup: RankingMatchupsTable): TaskSource | undefined {
  const items = JSON.parse(ranking.items) as Item[];
  const a = items[Number(matchup.item_a)];
  const b = items[Number(matchup.item_b)];
  if (!a || !b) return undefined;
  const media = ranking.media_context ? (JSON.parse(ranking.media_context) as Item[]) : null;
  return {
    taskType: 'compare',
    instruction: ranking.instruction,
    dataType: ranking.data_type === 'text' ? 'text' : 'media',
    items: JSON.stringify([a, b].map(blind)),
    context: ranking.context,
    mediaContext: media ? JSON.stringify(media.map(blind)) : null,
    answerOptions: null,
    settings: ranking.settings,
  };
}

async function pickMatchup(ctx: NextContext, trx: Db, admitted: Open): Promise<Claim | undefined> {
  const nowIso = ctx.now.toISOString();
  const random = ctx.deps.random ?? Math.random;
  const order = [...admitted].sort(() => random() - 0.5);
  for (const { id, audience_id } of order) {
    for (let attempt = 0; attempt < 2; attempt++) {
      const open = await store.openMatchupsFor(
        trx,
        id,
        ctx.labeler.id,
        nowIso,
        CANDIDATES,
        addressCapOf(ctx),
      );
      const out = await liveLeaseCounts(
        trx,
        KIND,
        open.map((m) => m.id),
        nowIso,
      );
      const free = open.find((m) => Number(m.responses) + (out.get(m.id) ?? 0) < Number(m.wanted));
      if (free) {
        const ranking = await store.getRanking(trx, id);
        const shown = ranking && matchupSource(ranking, free);
        if (shown) return { itemId: free.id, jobId: null, audienceId: audience_id, shown };
      }
      if (attempt === 0 && (await planRankingMatchups(trx, id, ctx.now, random)) === 0) break;
    }
  }
  return undefined;
}

async function serveFrom(ctx: NextContext, open: Open) {
  if (open.length === 0) return undefined;
  const access = await resolveAccess(ctx.deps.db, ctx.labeler, [...new Set(open.map((r) => r.audience_id))]);
  const owed = await owedQualification(ctx.deps, ctx.labeler, access.owed);
  if (owed) return owed;
  const admitted = open.filter((r) => access.admitted.has(r.audience_id));
  if (admitted.length === 0) return undefined;
  return ctx.claim((trx) => pickMatchup(ctx, trx, admitted));
}

export const rankingMatchups: WorkSource = {
  async next(ctx) {
    // As for job tasks: a matchup served from the cached list is good; nothing is decided on a stale list, so a
    // batch added a moment ago is served at once.
    const hit = collecting(ctx.deps.db).get('open');
    const first = hit ? await serveFrom(ctx, hit) : undefined;
    if (first?.kind === 'task') return first;
    return serveFrom(ctx, await refreshOpenRankings(ctx.deps.db, ctx.now));
  },

  async view(db, lease, now) {
    const matchup = await store.findMatchup(db, lease.item_id);
    const ranking = matchup && (await store.getRanking(db, matchup.ranking_id));
    if (!matchup || !ranking || !collectingAt(ranking, now)) return undefined;
    return matchupSource(ranking, matchup);
  },

  /** Records the vote (A, B, or a tie for Both/Neither) and counts it; the ranking completes at its maximum. */
  async accept({ labeler, now, trx, answerId }, lease, input) {
    const matchup = await store.findMatchup(trx, lease.item_id);
    const ranking = matchup && (await store.getRanking(trx, matchup.ranking_id));
    if (!matchup || !ranking)
      throw new AppError('NOT_FOUND', 'This comparison is gone; ask for the next task.');
    const answer = acceptAnswer(
      { taskType: 'compare', answerOptions: null, settings: ranking.settings },
      input,
    );
    const counted = await store.countRankingResponse(trx, ranking.id, now.toISOString());
    if (!counted)
      throw new AppError(
        'CONFLICT',
        'This ranking stopped collecting (its time to live ran out, it has all its responses, or it was stopped) before your answer, so it was not recorded; ask for the next task.',
      );
    const choice = 'choice' in answer ? answer.choice : 'A';
    await store.insertVote(trx, {
      id: answerId,
      matchup_id: matchup.id,
      ranking_id: ranking.id,
      item_a: Number(matchup.item_a),
      item_b: Number(matchup.item_b),
      labeler_id: labeler.id,
      outcome: choice === 'A' ? 'a' : choice === 'B' ? 'b' : 'tie',
      presentation: lease.presentation,
      created_at: now.toISOString(),
      address_hash: lease.address_hash,
    });
    await store.countMatchupResponse(trx, matchup.id);
    return { completed: counted.done, rescored: false };
  },

  findAnswer: store.findVote,
};
