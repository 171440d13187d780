import type { TaskType } from '@jury/api';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type {
  AudienceExamplesTable,
  AudienceMembersTable,
  ExampleAnswersTable,
  GoldAnswersTable,
} from '../db/schema.ts';

// Labeling's reads and writes of the audience tables: who may take which audience's work, the qualification
// examples owed and answered, gold answers, and the trust scores they give (access.ts, qualification.ts,
// gold.ts, trust.ts). Kept apart from the tasks' SQL so the audiences feature can take them over whole.

const ONE = sql.lit(1);

export type AudienceAccessRow = {
  id: string;
  base_audience_id: string | null;
  filters: string | null;
  pass_rule: string;
  show_qualification_feedback: number;
  deleted_at: string | null;
};

export async function findAudiences(db: Db, ids: readonly string[]): Promise<AudienceAccessRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('audiences')
    .select(['id', 'base_audience_id', 'filters', 'pass_rule', 'show_qualification_feedback', 'deleted_at'])
    .where('id', 'in', ids)
    .execute();
}

export async function exampleCounts(db: Db, audienceIds: readonly string[]): Promise<Map<string, number>> {
  if (audienceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('audience_examples')
    .select(['audience_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('audience_id', 'in', audienceIds)
    .where('purpose', '=', 'qualification')
    .groupBy('audience_id')
    .execute();
  return new Map(rows.map((r) => [r.audience_id, Number(r.n)]));
}

/** The audience's first qualification example (in sort order) the labeler has not answered. */
export async function nextOwedExample(
  db: Db,
  audienceId: string,
  labelerId: string,
): Promise<AudienceExamplesTable | undefined> {
  return db
    .selectFrom('audience_examples as e')
    .selectAll('e')
    .where('e.audience_id', '=', audienceId)
    .where('e.purpose', '=', 'qualification')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('example_answers as a')
            .select('a.id')
            .whereRef('a.example_id', '=', 'e.id')
            .where('a.labeler_id', '=', labelerId),
        ),
      ),
    )
    .orderBy('e.sort_index')
    .orderBy('e.id')
    .limit(ONE)
    .executeTakeFirst();
}

export async function findExample(db: Db, id: string): Promise<AudienceExamplesTable | undefined> {
  return db.selectFrom('audience_examples').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAudience(db: Db, id: string): Promise<AudienceAccessRow | undefined> {
  return db
    .selectFrom('audiences')
    .select(['id', 'base_audience_id', 'filters', 'pass_rule', 'show_qualification_feedback', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findMembership(
  db: Db,
  audienceId: string,
  labelerId: string,
): Promise<AudienceMembersTable | undefined> {
  return db
    .selectFrom('audience_members')
    .selectAll()
    .where('audience_id', '=', audienceId)
    .where('labeler_id', '=', labelerId)
    .executeTakeFirst();
}

export async function insertExampleAnswer(trx: Db, row: ExampleAnswersTable): Promise<void> {
  await trx.insertInto('example_answers').values(row).execute();
}

export interface GradedAnswerRow {
  example_id: string;
  audience_id: string;
  correct: number;
  random_correct_probability: number;
  /** 'qualification' (example_answers) or 'gold' (gold_answers). */
  source: 'qualification' | 'gold';
}

/** The labeler's graded answers (qualification examples and gold checks), optionally of one audience. */
export async function gradedAnswers(
  trx: Db,
  labelerId: string,
  audienceId?: string,
): Promise<GradedAnswerRow[]> {
  let q = trx
    .selectFrom('example_answers as a')
    .innerJoin('audience_examples as e', 'e.id', 'a.example_id')
    .select(['a.example_id', 'a.audience_id', 'a.correct', 'e.random_correct_probability'])
    .where('a.labeler_id', '=', labelerId);
  let g = trx
    .selectFrom('gold_answers as a')
    .innerJoin('audience_examples as e', 'e.id', 'a.example_id')
    .select(['a.example_id', 'a.audience_id', 'a.correct', 'e.random_correct_probability'])
    .where('a.labeler_id', '=', labelerId);
  if (audienceId) {
    q = q.where('a.audience_id', '=', audienceId);
    g = g.where('a.audience_id', '=', audienceId);
  }
  const [qualification, gold] = [await q.execute(), await g.execute()];
  const row = (source: GradedAnswerRow['source']) => (r: Omit<GradedAnswerRow, 'source'>) => ({
    example_id: r.example_id,
    audience_id: r.audience_id,
    correct: Number(r.correct),
    random_correct_probability: Number(r.random_correct_probability),
    source,
  });
  return [...qualification.map(row('qualification')), ...gold.map(row('gold'))];
}

/** How the whole crowd did on each example: answers and correct answers. */
export async function exampleCrowdStats(
  trx: Db,
  exampleIds: readonly string[],
): Promise<Map<string, { answered: number; correct: number }>> {
  if (exampleIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('example_answers')
    .select([
      'example_id',
      (eb) => eb.fn.countAll<number>().as('answered'),
      (eb) => eb.fn.sum<number>('correct').as('correct'),
    ])
    .where('example_id', 'in', exampleIds as string[])
    .groupBy('example_id')
    .execute();
  return new Map(
    rows.map((r) => [r.example_id, { answered: Number(r.answered), correct: Number(r.correct) }]),
  );
}

export async function upsertMembership(trx: Db, row: AudienceMembersTable): Promise<void> {
  await trx
    .insertInto('audience_members')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['audience_id', 'labeler_id']).doUpdateSet({
        state: row.state,
        answered: row.answered,
        correct: row.correct,
        user_score: row.user_score,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function setLabelerScore(trx: Db, labelerId: string, score: number): Promise<void> {
  await trx.updateTable('labelers').set({ user_score: score }).where('id', '=', labelerId).execute();
}

// ---- Gold checks: the audience's gold pool served among tasks (see gold.ts).

/** The custom audience whose examples gate `audienceId` (itself, or a filtered audience's base); null for global. */
export async function customRootOf(db: Db, audienceId: string): Promise<string | null> {
  if (audienceId === 'global') return null;
  const row = await findAudience(db, audienceId);
  if (!row) return null;
  const root = row.base_audience_id ?? row.id;
  return root === 'global' ? null : root;
}

/**
 * The gold example of `audienceId` of one task type to serve as this labeler's next gold check: fewest gold answers by
 * this labeler first, then sort order (so examples rotate and none comes twice in a row when there are two).
 */
export async function nextGoldExample(
  db: Db,
  audienceId: string,
  taskType: TaskType,
  labelerId: string,
): Promise<AudienceExamplesTable | undefined> {
  return db
    .selectFrom('audience_examples as e')
    .selectAll('e')
    .select((eb) =>
      eb
        .selectFrom('gold_answers as g')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('g.example_id', '=', 'e.id')
        .where('g.labeler_id', '=', labelerId)
        .as('gold_count'),
    )
    .where('e.audience_id', '=', audienceId)
    .where('e.purpose', '=', 'gold')
    .where('e.task_type', '=', taskType)
    .orderBy('gold_count')
    .orderBy('e.sort_index')
    .orderBy('e.id')
    .limit(ONE)
    .executeTakeFirst();
}

export async function insertGoldAnswer(trx: Db, row: GoldAnswersTable): Promise<void> {
  await trx.insertInto('gold_answers').values(row).execute();
}

export async function findGoldAnswer(
  db: Db,
  id: string,
): Promise<{ id: string; created_at: string } | undefined> {
  return db.selectFrom('gold_answers').select(['id', 'created_at']).where('id', '=', id).executeTakeFirst();
}

/** Sets a member's trust score (and state) without touching their qualification progress counters. */
export async function updateMemberScore(
  trx: Db,
  row: Pick<AudienceMembersTable, 'audience_id' | 'labeler_id' | 'state' | 'user_score' | 'updated_at'>,
): Promise<void> {
  await trx
    .updateTable('audience_members')
    .set({ state: row.state, user_score: row.user_score, updated_at: row.updated_at })
    .where('audience_id', '=', row.audience_id)
    .where('labeler_id', '=', row.labeler_id)
    .execute();
}

/** Gold answers and right ones per labeler in an audience (labelers without any are left out). */
export async function goldTallies(
  db: Db,
  audienceId: string,
  labelerIds: readonly string[],
): Promise<Map<string, { answered: number; correct: number }>> {
  if (labelerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('gold_answers')
    .select([
      'labeler_id',
      (eb) => eb.fn.countAll<number>().as('answered'),
      (eb) => eb.fn.sum<number>('correct').as('correct'),
    ])
    .where('audience_id', '=', audienceId)
    .where('labeler_id', 'in', [...labelerIds])
    .groupBy('labeler_id')
    .execute();
  return new Map(
    rows.map((r) => [r.labeler_id, { answered: Number(r.answered), correct: Number(r.correct ?? 0) }]),
  );
}
