/**
 * The job tasks work source (lease kind 'task'): the datapoints of running jobs, to the labelers their audience
 * admits. It lives in labeling/ because jobs/ would otherwise import the engine it plugs into.
 *
 * Next: the qualification examples the labeler owes a custom audience that has running work come first (a
 * pre-step, qualification.ts), then a newly claimed task of a running job whose audience admits them.
 *
 * Claims pick an open task the labeler has neither answered nor leased, with `responses + live leases <
 * responsesPerDatapoint`, fewest responses first, in the engine's claim transaction (SQLite: BEGIN IMMEDIATE;
 * Postgres: the task row is locked FOR UPDATE SKIP LOCKED and its leases re-counted after locking).
 * `responses (task_id, labeler_id)` is unique, so nobody answers a datapoint twice.
 *
 * Overflow bound: responses of a datapoint ≤ responsesPerDatapoint + the leases out on it at that moment,
 * and in fact ≤ responsesPerDatapoint, because claims count live leases and expired leases cannot answer.
 * With early stopping (quorum / confidence) the task completes while others may still hold leases on it;
 * their answers are accepted (never lost), so a stopped datapoint gets at most the leases out when it
 * stopped beyond its stopping point — still within responsesPerDatapoint.
 */
import { capabilitiesOf } from '../db/capabilities.ts';
import type { Db } from '../db/database.ts';
import { cachePerDatabase } from '../http/cache.ts';
import { resolveAccess } from './access.ts';
import { acceptAnswer, answerCategories, answerCategory, type StoredAnswer } from './answers.ts';
import { addressCapOf, type Claim, type NextContext, type WorkSource } from './engine.ts';
import { owedQualification } from './qualification.ts';
import { shouldStop } from './stopping.ts';
import * as store from './store.ts';
import type { TaskSource } from './task-view.ts';
import { audienceScore } from './trust.ts';

/** Concurrent writers: a claim starts among this many of the best claimable tasks, at random. */
const SPREAD = 16;
/** Claims retried when a locked candidate turned out full (where rows lock). */
const CLAIM_ATTEMPTS = 5;

/** What a job's tasks show, from its definition revision and (when known) the datapoint's own columns. */
function taskSource(
  meta: store.JobMeta,
  datapoint: { items: string; context: string | null; media_context: string | null } = {
    items: '[]',
    context: null,
    media_context: null,
  },
): TaskSource {
  return {
    taskType: meta.task_type,
    instruction: meta.instruction,
    dataType: meta.data_type,
    items: datapoint.items,
    context: datapoint.context,
    mediaContext: datapoint.media_context,
    answerOptions: meta.answer_options,
    settings: meta.settings,
  };
}

// A job's definition revision and audience never change, so each process reads them once per job.
const metas = cachePerDatabase<string, store.JobMeta>({ max: 10_000 });

/** `db` may be a transaction: it reads through it and shares its database's cache. */
async function jobMeta(db: Db, jobId: string): Promise<store.JobMeta> {
  const hit = metas(db).get(jobId);
  if (hit) return hit;
  const meta = await store.findJobMeta(db, jobId);
  if (!meta) throw new Error(`job ${jobId} has no definition revision`);
  metas(db).set(jobId, meta);
  return meta;
}

/** The running jobs, read at most every 500 ms per process (a claim re-checks the job's status). */
const running = cachePerDatabase<'running', { id: string; audience_id: string }[]>({ max: 1, ttlMs: 500 });

/** Running jobs, from the cache unless `fresh`. */
async function runningJobs(db: Db, fresh: boolean) {
  const hit = fresh ? undefined : running(db).get('running');
  if (hit) return { jobs: hit, fresh: false };
  const jobs = await store.runningJobs(db);
  running(db).set('running', jobs);
  return { jobs, fresh: true };
}

async function serveFrom(ctx: NextContext, jobs: { id: string; audience_id: string }[]) {
  const { deps, labeler } = ctx;
  if (jobs.length === 0) return undefined;
  const access = await resolveAccess(
    deps.db,
    labeler,
    jobs.map((j) => j.audience_id),
  );
  const owed = await owedQualification(deps, labeler, access.owed);
  if (owed) return owed;
  const admitted = jobs.filter((j) => access.admitted.has(j.audience_id));
  if (admitted.length === 0) return undefined;
  const admittedJobs = await Promise.all(admitted.map((j) => jobMeta(deps.db, j.id)));
  return ctx.claim((trx) => pickTask(ctx, trx, admittedJobs));
}

async function pickTask(ctx: NextContext, trx: Db, metas: store.JobMeta[]): Promise<Claim | undefined> {
  const { deps, labeler } = ctx;
  const { concurrentWriters, rowLocks } = capabilitiesOf(trx);
  const nowIso = ctx.now.toISOString();
  const random = deps.random ?? Math.random;
  const skip: string[] = [];
  const perAddress = addressCapOf(ctx);
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    // Concurrent writers (Postgres) start at different places among the best tasks, so their answers do not
    // queue on one task row (each waiting for the previous commit); the first attempt only.
    const offset = concurrentWriters && attempt === 0 ? Math.floor(random() * SPREAD) : 0;
    const pick = (offset?: number) =>
      store.pickClaimableTask(trx, {
        labelerId: labeler.id,
        jobs: metas.map((m) => ({ id: m.job_id, responsesPerDatapoint: m.responses_per_datapoint })),
        now: nowIso,
        skip,
        ...(offset ? { offset } : {}),
        address: perAddress,
      });
    const claimed = (await pick(offset)) ?? (offset > 0 ? await pick() : undefined);
    const meta = claimed && metas.find((m) => m.job_id === claimed.job_id);
    if (!claimed || !meta) return undefined;
    if (rowLocks) {
      // The candidate was chosen from a snapshot; now that its row is locked, count again.
      const cap = await store.taskCapacity(trx, claimed.task_id, nowIso);
      if (cap.status !== 'open' || cap.responses + cap.leases >= meta.responses_per_datapoint) {
        skip.push(claimed.task_id);
        continue;
      }
    }
    return {
      itemId: claimed.task_id,
      jobId: meta.job_id,
      audienceId: meta.audience_id,
      shown: taskSource(meta, claimed),
    };
  }
  return undefined;
}

export const jobTasks: WorkSource = {
  async next(ctx) {
    // A task claimed from the cached list of running jobs is good (the claim re-checks the job's status);
    // anything else is decided on a fresh list, so a job assigned or paused a moment ago is seen at once.
    const cached = await runningJobs(ctx.deps.db, false);
    const first = await serveFrom(ctx, cached.jobs);
    if (first?.kind === 'task' || cached.fresh) return first;
    return serveFrom(ctx, (await runningJobs(ctx.deps.db, true)).jobs);
  },

  async view(db, lease) {
    const row = await store.findTaskSource(db, lease.item_id);
    return row && taskSource(row, row);
  },

  /**
   * Appends the response (unique per labeler and task), counts it, applies the job's stopping rule and completes
   * the task (and the job when no task is open any more).
   */
  async accept({ deps, labeler, now, trx, answerId }, lease, input) {
    const at = now.toISOString();
    const jobId = lease.job_id;
    if (jobId === null) throw new Error(`task lease ${lease.id} names no job`);
    const meta = await jobMeta(trx, jobId);
    const source = taskSource(meta);
    const answer = acceptAnswer(source, input);
    // Sooner after the task was served than a person could have looked at it: kept, flagged, weighed less.
    const floorMs = deps.answerFloorMs?.[meta.task_type] ?? 0;
    const tooFast = floorMs > 0 && now.getTime() - Date.parse(lease.created_at) < floorMs;
    await store.insertResponse(trx, {
      id: answerId,
      task_id: lease.item_id,
      job_id: jobId,
      labeler_id: labeler.id,
      answer: JSON.stringify(answer),
      presentation: lease.presentation,
      user_score: labeler.user_score,
      audience_user_score: await audienceScore(trx, meta.audience_id, labeler),
      created_at: at,
      address_hash: lease.address_hash,
      flagged_reason: tooFast ? 'too_fast' : null,
    });
    const task = await store.incrementResponses(trx, lease.item_id);
    if (task.status !== 'open') return { completed: false, rescored: false };
    const thresholds = meta.quorum_threshold !== null || meta.confidence_threshold !== null;
    const votes =
      thresholds && task.responses_count < meta.responses_per_datapoint
        ? await store.taskVotes(trx, lease.item_id)
        : [];
    const stop = shouldStop(
      {
        maxVotes: meta.responses_per_datapoint,
        confidenceThreshold: meta.confidence_threshold,
        quorumThreshold: meta.quorum_threshold,
      },
      task.responses_count,
      answerCategories(source),
      () =>
        votes.map((v) => ({
          category: answerCategory(JSON.parse(v.answer) as StoredAnswer),
          // A flagged answer weighs in the stopping rule as in the results.
          userScore: v.audience_user_score * (v.flagged_reason ? (deps.flaggedWeight ?? 1) : 1),
        })),
    );
    if (!stop) return { completed: false, rescored: false };
    await store.completeTask(trx, lease.item_id, at);
    await store.completeJobIfDone(trx, jobId, at);
    return { completed: true, rescored: false };
  },

  findAnswer: store.findResponse,
};
