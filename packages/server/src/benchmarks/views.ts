// The requester's views of a leaderboard beyond its standings: its matchups with both media and their votes,
// and its votes per day (the dashboard's leaderboard page).
import type { Item, LeaderboardActivity, Matchup } from '@jury/api';
import { sql } from 'kysely';
import { capabilitiesOf } from '../db/capabilities.ts';
import type { Db } from '../db/database.ts';
import type { LeaderboardsTable } from '../db/schema.ts';
import { type Page, type PageRequest, pageRows } from '../http/pages.ts';
import * as store from './store.ts';

/** One page of matchups (optionally of one prompt), each with its models, media and vote counts. */
export async function listMatchups(
  db: Db,
  leaderboard: LeaderboardsTable,
  query: PageRequest & { promptId?: string | undefined },
): Promise<Page<Matchup>> {
  let base = db.selectFrom('matchups').where('leaderboard_id', '=', leaderboard.id);
  if (query.promptId) base = base.where('prompt_id', '=', query.promptId);
  const page = await pageRows(base, (q) => q.selectAll(), query, { direction: 'asc' });
  const rows = page.data;
  const ids = rows.map((r) => r.id);
  const tallies =
    ids.length === 0
      ? []
      : await db
          .selectFrom('matchup_votes')
          .select(['matchup_id', 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
          .where('matchup_id', 'in', ids)
          .groupBy(['matchup_id', 'outcome'])
          .execute();
  const votes = (id: string, outcome: string) =>
    Number(tallies.find((t) => t.matchup_id === id && t.outcome === outcome)?.n ?? 0);
  const media = new Map(
    (await store.findMedia(db, [...new Set(rows.flatMap((r) => [r.media_a, r.media_b]))])).map((m) => [
      m.id,
      m,
    ]),
  );
  const prompts = new Map(
    (await store.findPrompts(db, [...new Set(rows.map((r) => r.prompt_id))])).map((p) => [p.id, p]),
  );
  const names = new Map(
    (await store.participantsOf(db, leaderboard.benchmark_id)).map((p) => [p.id, p.name]),
  );
  const side = (participantId: string, mediaId: string, votesFor: number) => ({
    participantId,
    name: names.get(participantId) ?? participantId,
    item: JSON.parse(media.get(mediaId)?.item ?? 'null') as Item,
    votes: votesFor,
  });
  const data = rows.flatMap((r): Matchup[] => {
    if (!media.has(r.media_a) || !media.has(r.media_b)) return [];
    const prompt = prompts.get(r.prompt_id);
    return [
      {
        id: r.id,
        promptId: r.prompt_id,
        identifier: prompt?.identifier ?? r.prompt_id,
        prompt: prompt?.prompt ?? null,
        a: side(r.participant_a, r.media_a, votes(r.id, 'a')),
        b: side(r.participant_b, r.media_b, votes(r.id, 'b')),
        ties: votes(r.id, 'tie'),
        wanted: Number(r.wanted),
        responses: Number(r.responses),
        status: r.status === 'done' ? 'done' : 'open',
        createdAt: String(r.created_at),
      },
    ];
  });
  return { ...page, data };
}

/** The labelers' votes on the leaderboard per UTC day (imported votes have no day). */
export async function leaderboardActivity(
  db: Db,
  leaderboard: LeaderboardsTable,
): Promise<LeaderboardActivity> {
  const day = capabilitiesOf(db).textTimestamps
    ? sql<string>`substr(created_at, 1, 10)`
    : sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom('matchup_votes')
    .select((eb) => [day.as('day'), eb.fn.countAll<number>().as('votes')])
    .where('leaderboard_id', '=', leaderboard.id)
    .groupBy(day)
    .orderBy(day)
    .execute();
  return { votesPerDay: rows.map((r) => ({ day: r.day, votes: Number(r.votes) })) };
}
