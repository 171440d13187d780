// The run engine's store and response cache in the server's database. A claim is one upsert that takes the item
// only when it has no record (or a failed one, retaking) and no live lease of another holder: atomic on both
// databases (Postgres locks the conflicting row; SQLite has one writer). Each save commits before it resolves.
import type { Db } from '../../db/database.ts';
import type { EvaluationRunItemsTable } from '../../db/schema.ts';
import type { CachedResponse, ClaimResult, ItemRecord, ResponseCache, RunStore } from '../runner/types.ts';

type Row = EvaluationRunItemsTable;

const num = (v: number | string | null) => (v === null ? null : Number(v));

/** The engine's record of a stored row (absent fields left out, as the engine wrote them). */
export function recordOf<TGrade>(row: Row): ItemRecord<TGrade> {
  const record: ItemRecord<TGrade> = {
    itemId: row.item_id,
    status: row.status as ItemRecord['status'],
    prompt: row.prompt ?? '',
    attempts: Number(row.attempts),
    cached: Number(row.cached) === 1,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    tokensEstimated: Number(row.tokens_estimated) === 1,
    finishedAt: row.finished_at ?? '',
  };
  if (row.raw_response !== null) record.raw = row.raw_response;
  if (row.answer !== null) record.answer = row.answer;
  if (row.grade !== null) record.grade = JSON.parse(row.grade) as TGrade;
  if (row.grade_error !== null) record.gradeError = row.grade_error;
  if (row.error !== null) record.error = JSON.parse(row.error);
  if (row.skip_reason !== null) record.skipReason = row.skip_reason;
  if (row.latency_ms !== null) record.latencyMs = num(row.latency_ms)!;
  if (row.cost !== null) record.cost = num(row.cost)!;
  return record;
}

/** The columns of a record; `score` and `parser` are read from a grade shaped like ours ({ score, parser }). */
function columnsOf(record: ItemRecord): Omit<Row, 'run_id' | 'item_id' | 'holder' | 'lease_until'> {
  const grade = record.grade as { score?: unknown; parser?: unknown } | undefined;
  return {
    status: record.status,
    prompt: record.prompt,
    raw_response: record.raw ?? null,
    answer: record.answer ?? null,
    grade: record.grade === undefined ? null : JSON.stringify(record.grade),
    grade_error: record.gradeError ?? null,
    score: typeof grade?.score === 'number' ? grade.score : null,
    parser: typeof grade?.parser === 'string' ? grade.parser : null,
    error: record.error ? JSON.stringify(record.error) : null,
    skip_reason: record.skipReason ?? null,
    attempts: record.attempts,
    cached: record.cached ? 1 : 0,
    latency_ms: record.latencyMs ?? null,
    input_tokens: record.inputTokens,
    output_tokens: record.outputTokens,
    tokens_estimated: record.tokensEstimated ? 1 : 0,
    cost: record.cost ?? null,
    finished_at: record.finishedAt,
  };
}

/** A row with a claim and no record yet. */
const UNRECORDED = {
  attempts: 0,
  cached: 0,
  input_tokens: 0,
  output_tokens: 0,
  tokens_estimated: 0,
} as const;

export function createDbRunStore<TGrade = unknown>(options: {
  db: Db;
  runId: string;
  /** The store's clock, ms since epoch. */
  now: () => number;
}): RunStore<TGrade> {
  const { db, runId, now } = options;
  const find = (itemId: string) =>
    db
      .selectFrom('evaluation_run_items')
      .selectAll()
      .where('run_id', '=', runId)
      .where('item_id', '=', itemId)
      .executeTakeFirst();

  return {
    async claim(itemId, { holder, leaseMs, retakeFailed }): Promise<ClaimResult<TGrade>> {
      for (;;) {
        const t = now();
        const taken = await db
          .insertInto('evaluation_run_items')
          .values({ run_id: runId, item_id: itemId, ...UNRECORDED, holder, lease_until: t + leaseMs })
          .onConflict((oc) =>
            oc
              .columns(['run_id', 'item_id'])
              .doUpdateSet({ holder, lease_until: t + leaseMs })
              .where((eb) =>
                eb.and([
                  retakeFailed
                    ? eb.or([
                        eb('evaluation_run_items.status', 'is', null),
                        eb('evaluation_run_items.status', '=', 'failed'),
                      ])
                    : eb('evaluation_run_items.status', 'is', null),
                  eb.or([
                    eb('evaluation_run_items.holder', 'is', null),
                    eb('evaluation_run_items.holder', '=', holder),
                    eb('evaluation_run_items.lease_until', '<=', t),
                  ]),
                ]),
              ),
          )
          .returning('item_id')
          .executeTakeFirst();
        if (taken) return { status: 'claimed' };
        const row = await find(itemId);
        if (row?.status && !(retakeFailed && row.status === 'failed'))
          return { status: 'done', record: recordOf<TGrade>(row) };
        const until = Number(row?.lease_until ?? 0);
        if (row?.holder && row.holder !== holder && until > now())
          return { status: 'held', until: new Date(until) };
        // The lease ended between the two statements: try again.
      }
    },
    async renew(itemId, { holder, leaseMs }) {
      const t = now();
      const result = await db
        .updateTable('evaluation_run_items')
        .set({ lease_until: t + leaseMs })
        .where('run_id', '=', runId)
        .where('item_id', '=', itemId)
        .where('holder', '=', holder)
        .where('lease_until', '>', t)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async save(record, holder) {
      const t = now();
      const columns = columnsOf(record);
      const saved = await db
        .insertInto('evaluation_run_items')
        .values({ run_id: runId, item_id: record.itemId, ...columns, holder: null, lease_until: 0 })
        .onConflict((oc) =>
          oc
            .columns(['run_id', 'item_id'])
            .doUpdateSet((eb) => ({
              ...columns,
              // Drops the saver's lease (or an expired one); another holder's live lease stays.
              holder: eb
                .case()
                .when(
                  eb.or([
                    eb('evaluation_run_items.holder', '=', holder),
                    eb('evaluation_run_items.lease_until', '<=', t),
                  ]),
                )
                .then(eb.val<string | null>(null))
                .else(eb.ref('evaluation_run_items.holder'))
                .end(),
              lease_until: eb
                .case()
                .when(
                  eb.or([
                    eb('evaluation_run_items.holder', '=', holder),
                    eb('evaluation_run_items.lease_until', '<=', t),
                  ]),
                )
                .then(eb.val<number | string>(0))
                .else(eb.ref('evaluation_run_items.lease_until'))
                .end(),
            }))
            .where((eb) =>
              eb.or([
                eb('evaluation_run_items.status', 'is', null),
                eb('evaluation_run_items.status', '=', 'failed'),
              ]),
            ),
        )
        .returning('item_id')
        .executeTakeFirst();
      return saved !== undefined;
    },
    async release(itemId, holder) {
      await db
        .updateTable('evaluation_run_items')
        .set({ holder: null, lease_until: 0 })
        .where('run_id', '=', runId)
        .where('item_id', '=', itemId)
        .where('holder', '=', holder)
        .execute();
    },
  };
}

/** The response cache in the database, shared by every run and process (a repeated request is answered once). */
export function createDbResponseCache(db: Db, now: () => Date): ResponseCache {
  return {
    async get(key): Promise<CachedResponse | undefined> {
      const row = await db
        .selectFrom('evaluation_response_cache')
        .selectAll()
        .where('key', '=', key)
        .executeTakeFirst();
      return (
        row && {
          raw: row.raw_response,
          answer: row.answer,
          inputTokens: Number(row.input_tokens),
          outputTokens: Number(row.output_tokens),
          tokensEstimated: Number(row.tokens_estimated) === 1,
          latencyMs: Number(row.latency_ms),
        }
      );
    },
    async set(key, value) {
      const columns = {
        raw_response: value.raw,
        answer: value.answer,
        input_tokens: value.inputTokens,
        output_tokens: value.outputTokens,
        tokens_estimated: value.tokensEstimated ? 1 : 0,
        latency_ms: value.latencyMs,
        created_at: now().toISOString(),
      };
      await db
        .insertInto('evaluation_response_cache')
        .values({ key, ...columns })
        .onConflict((oc) => oc.column('key').doUpdateSet(columns))
        .execute();
    },
  };
}
