/**
 * The labeling engine: what a labeler gets next, and what happens to an answer.
 *
 * Order of service: a live lease the labeler already holds (asking again returns the same task), then the
 * qualification examples they owe a custom audience that has running work (in sort order; graded at once),
 * then a newly claimed task of a running job whose audience admits them.
 *
 * Gold checks: when a claim finds a task of a job whose audience is custom (or a filtered audience of a custom
 * one), it serves instead, with probability `goldRate` (labeling/config.ts; 0 disables), one of that custom
 * audience's qualification examples of the job's task type (fewest gold answers by this labeler first, then sort
 * order: they rotate, never the same one twice in a row when there are two or more). It is shown exactly like a
 * task of the job (kind 'task', the job's id, a lease id of the same form, same expiry) and answered through the
 * same POST /responses; the answer goes to gold_answers (not a response: never in results or counts), is graded
 * like a qualification answer, and updates the labeler's trust scores (see `answerGold` for the drop rule).
 *
 * Claims are leases (default 60 s, `labelerLeaseSeconds`): one transaction picks an open task the labeler has
 * neither answered nor leased, with `responses + live leases < responsesPerDatapoint`, fewest responses first,
 * and inserts the lease (SQLite: BEGIN IMMEDIATE; Postgres: the task row is locked FOR UPDATE SKIP LOCKED and
 * its leases re-counted after locking). An answer is accepted only under the labeler's own unexpired lease,
 * and `responses (task_id, labeler_id)` is unique, so nobody answers a datapoint twice.
 *
 * Overflow bound: responses of a datapoint ≤ responsesPerDatapoint + the leases out on it at that moment,
 * and in fact ≤ responsesPerDatapoint, because claims count live leases and expired leases cannot answer.
 * With early stopping (quorum / confidence) the task completes while others may still hold leases on it;
 * their answers are accepted (never lost), so a stopped datapoint gets at most the leases out when it
 * stopped beyond its stopping point — still within responsesPerDatapoint.
 */
import type {
  LabelerNextTask,
  LabelerQualificationAnswer,
  LabelerQualificationResult,
  SubmitLabelerResponse,
  SubmittedLabelerResponse,
} from '@jury/api';
import { exampleDifficulty, type TrustAnswer, userScore } from '@jury/stats';
import { matchesFilters, qualificationState } from '../audiences/service.ts';
import type { Db, DialectName } from '../db/database.ts';
import type { Clock } from '../http/clock.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import { forgetLabeler } from '../labelers/service.ts';
import type { LabelerRow } from '../labelers/store.ts';
import { parsePassRule, resolveAccess } from './access.ts';
import {
  acceptAnswer,
  answerCategories,
  answerCategory,
  isCorrect,
  type StoredAnswer,
  truthLabels,
} from './answers.ts';
import { shouldStop } from './stopping.ts';
import * as store from './store.ts';
import { choosePresentation, type Presentation, presentTaskView, type TaskSource } from './task-view.ts';

export interface LabelingDeps {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  /** How long a claimed task stays reserved for its labeler. */
  leaseMs: number;
  /** Uniform [0, 1) source for A/B order, option shuffling and gold checks. */
  random?: () => number;
  /** Share of claims served as a gold check instead (0 disables); labeling/config.ts holds the default. */
  goldRate: number;
  /** Gold answers after which low audience accuracy drops a labeler (0 never). */
  goldDropAfter: number;
}

/** How long a labeler with nothing to do waits before asking again. */
export const RETRY_AFTER_MS = 2000;
/** Postgres: a claim starts among this many of the best claimable tasks, at random. */
const SPREAD = 16;
/** Claims retried when a locked candidate turned out full (Postgres only). */
const CLAIM_ATTEMPTS = 5;
/** Crowd answers an example needs before its observed difficulty replaces the default. */
const MIN_ANSWERS_FOR_DIFFICULTY = 10;

function taskSource(row: store.TaskSourceRow): TaskSource {
  return {
    taskType: row.task_type,
    instruction: row.instruction,
    dataType: row.data_type,
    items: row.items,
    context: row.context,
    mediaContext: row.media_context,
    answerOptions: row.answer_options,
    settings: row.settings,
  };
}

function exampleSource(row: {
  task_type: 'compare' | 'classify';
  instruction: string;
  data_type: 'media' | 'text';
  items: string;
  context: string | null;
  media_context: string | null;
  answer_options: string | null;
  settings: string;
}): TaskSource {
  return {
    taskType: row.task_type,
    instruction: row.instruction,
    dataType: row.data_type,
    items: row.items,
    context: row.context,
    mediaContext: row.media_context,
    answerOptions: row.answer_options,
    settings: row.settings,
  };
}

function workView(lease: store.LeaseRow): LabelerNextTask {
  return {
    kind: 'task',
    leaseId: lease.lease_id,
    jobId: lease.job_id,
    expiresAt: lease.expires_at,
    ...presentTaskView(taskSource(lease), JSON.parse(lease.presentation) as Presentation),
  };
}

/** A gold check looks exactly like a task of the job it was served among. */
function goldView(lease: store.GoldLeaseRow): LabelerNextTask {
  return {
    kind: 'task',
    leaseId: lease.id,
    jobId: lease.job_id,
    expiresAt: lease.expires_at,
    ...presentTaskView(exampleSource(lease.example), JSON.parse(lease.presentation) as Presentation),
  };
}

// The custom audience behind a job's audience never changes, so each process looks it up once.
const rootCache = new WeakMap<Db, Map<string, string | null>>();

/** `db` keys the cache; `via` runs the query (a transaction's connection when inside one). */
async function customRoot(db: Db, audienceId: string, via: Db = db): Promise<string | null> {
  let cache = rootCache.get(db);
  if (!cache) {
    cache = new Map();
    rootCache.set(db, cache);
  }
  if (cache.has(audienceId)) return cache.get(audienceId) ?? null;
  const root = await store.customRootOf(via, audienceId);
  if (cache.size >= META_CACHE_SIZE) cache.clear();
  cache.set(audienceId, root);
  return root;
}

/** A response's id is derived from its lease's, so answering a lease twice is recognised as such. */
function responseIdFor(leaseId: string): string {
  return `rsp_${leaseId.slice('lse_'.length)}`;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown };
  // Postgres unique_violation; SQLite SQLITE_CONSTRAINT_UNIQUE / SQLITE_CONSTRAINT_PRIMARYKEY.
  return e?.code === '23505' || e?.errcode === 2067 || e?.errcode === 1555;
}

/**
 * The next thing for this labeler: their live lease if they hold one; else the next qualification example
 * they owe a custom audience with running work; else a newly claimed task; else `none`.
 */
export async function nextTask(deps: LabelingDeps, labeler: LabelerRow): Promise<LabelerNextTask> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const held = await store.leasesOf(deps.db, labeler.id);
  if (held.some((l) => !l.gold && l.expires_at > nowIso)) {
    const live = await store.findLiveLease(deps.db, labeler.id, nowIso);
    if (live) return workView(live);
  }
  if (held.some((l) => l.gold && l.expires_at > nowIso)) {
    const live = await store.findLiveGoldLease(deps.db, labeler.id, nowIso);
    if (live) return goldView(live);
  }
  const expiredGold = held.filter((l) => l.gold && l.expires_at <= nowIso).map((l) => l.id);
  if (expiredGold.length > 0) await store.deleteLeases(deps.db, 'gold_leases', expiredGold);
  const expired = held.filter((l) => !l.gold && l.expires_at <= nowIso).map((l) => l.id);
  // A task claimed from the cached list of running jobs is good (the claim re-checks the job's status);
  // anything else is decided on a fresh list, so a job assigned or paused a moment ago is seen at once.
  const cached = await runningJobs(deps, false);
  const first = await serveFrom(deps, labeler, cached.jobs, now, expired);
  if (first.kind === 'task' || cached.fresh) return first;
  return serveFrom(deps, labeler, (await runningJobs(deps, true)).jobs, now, expired);
}

// A job's definition revision and audience never change, so each process reads them once per job.
const metaCache = new WeakMap<Db, Map<string, store.JobMeta>>();
const META_CACHE_SIZE = 10_000;

/** `db` keys the cache; `via` runs the query (a transaction's connection when inside one). */
async function jobMeta(db: Db, jobId: string, via: Db = db): Promise<store.JobMeta> {
  let cache = metaCache.get(db);
  if (!cache) {
    cache = new Map();
    metaCache.set(db, cache);
  }
  const hit = cache.get(jobId);
  if (hit) return hit;
  const meta = await store.findJobMeta(via, jobId);
  if (!meta) throw new Error(`job ${jobId} has no definition revision`);
  if (cache.size >= META_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(jobId, meta);
  return meta;
}

/** The full row a task view and the stopping rule need, from a job's meta and the task's own columns. */
function sourceRow(
  meta: store.JobMeta,
  task: Pick<
    store.ClaimRow,
    'task_id' | 'job_id' | 'datapoint_id' | 'items' | 'context' | 'media_context'
  > & {
    responses_count?: number;
  },
): store.TaskSourceRow {
  return {
    ...meta,
    task_id: task.task_id,
    job_id: task.job_id,
    datapoint_id: task.datapoint_id,
    task_status: 'open',
    responses_count: task.responses_count ?? 0,
    items: task.items,
    context: task.context,
    media_context: task.media_context,
  };
}

const JOBS_TTL_MS = 500;
const jobsCache = new WeakMap<Db, { at: number; jobs: { id: string; audience_id: string }[] }>();

/** Running jobs, from a per-process cache at most JOBS_TTL_MS old unless `fresh`. */
async function runningJobs(deps: LabelingDeps, fresh: boolean) {
  const now = performance.now();
  const hit = jobsCache.get(deps.db);
  if (!fresh && hit && now - hit.at < JOBS_TTL_MS) return { jobs: hit.jobs, fresh: false };
  const jobs = await store.runningJobs(deps.db);
  jobsCache.set(deps.db, { at: now, jobs });
  return { jobs, fresh: true };
}

async function serveFrom(
  deps: LabelingDeps,
  labeler: LabelerRow,
  jobs: { id: string; audience_id: string }[],
  now: Date,
  expired: readonly string[],
): Promise<LabelerNextTask> {
  if (jobs.length === 0) return { kind: 'none', retryAfterMs: RETRY_AFTER_MS };
  const access = await resolveAccess(
    deps.db,
    labeler,
    jobs.map((j) => j.audience_id),
  );
  for (const owed of access.owed) {
    const example = await store.nextOwedExample(deps.db, owed.audienceId, labeler.id);
    if (!example) continue;
    const source = exampleSource(example);
    const answered = (await store.findMembership(deps.db, owed.audienceId, labeler.id))?.answered ?? 0;
    return {
      kind: 'qualification',
      exampleId: example.id,
      audienceId: owed.audienceId,
      progress: { answered, total: owed.examples },
      ...presentTaskView(source, choosePresentation(source, deps.random)),
    };
  }
  const admitted = jobs.filter((j) => access.admitted.has(j.audience_id));
  if (admitted.length === 0) return { kind: 'none', retryAfterMs: RETRY_AFTER_MS };
  const metas = await Promise.all(admitted.map((j) => jobMeta(deps.db, j.id)));
  return claimTask(deps, labeler, metas, now, expired);
}

async function claimTask(
  deps: LabelingDeps,
  labeler: LabelerRow,
  metas: store.JobMeta[],
  now: Date,
  expiredLeaseIds: readonly string[],
): Promise<LabelerNextTask> {
  const nowIso = now.toISOString();
  const random = deps.random ?? Math.random;
  return store.claimTransaction(deps.db, deps.dialect, async (trx) => {
    // The labeler's own expired leases go first, so the same task can be leased to them again.
    await store.deleteLeases(trx, 'task_leases', expiredLeaseIds);
    const skip: string[] = [];
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      // Postgres: concurrent claimers start at different places among the best tasks, so their answers do not
      // queue on one task row (each waiting for the previous commit); the first attempt only.
      const offset = deps.dialect === 'postgres' && attempt === 0 ? Math.floor(random() * SPREAD) : 0;
      const pick = (offset?: number) =>
        store.pickClaimableTask(trx, deps.dialect, {
          labelerId: labeler.id,
          jobs: metas.map((m) => ({ id: m.job_id, responsesPerDatapoint: m.responses_per_datapoint })),
          now: nowIso,
          skip,
          ...(offset ? { offset } : {}),
        });
      const claimed = (await pick(offset)) ?? (offset > 0 ? await pick() : undefined);
      const meta = claimed && metas.find((m) => m.job_id === claimed.job_id);
      const row = claimed && meta ? sourceRow(meta, claimed) : undefined;
      if (!row) break;
      if (deps.dialect === 'postgres') {
        // The candidate was chosen from a snapshot; now that its row is locked, count again.
        const cap = await store.taskCapacity(trx, row.task_id, nowIso);
        if (cap.status !== 'open' || cap.responses + cap.leases >= row.responses_per_datapoint) {
          skip.push(row.task_id);
          continue;
        }
      }
      // Gold check: now and then (goldRate) a qualification example of the job's custom audience, of the job's
      // task type, is served in the task's place; the task stays unclaimed. Only admitted (qualified) labelers
      // get here, and only when there is real work, so a gold check never shows when work does not.
      const goldRate = deps.goldRate;
      if (goldRate > 0) {
        const root = await customRoot(deps.db, row.audience_id, trx);
        if (root !== null && random() < goldRate) {
          const example = await store.nextGoldExample(trx, root, row.task_type, labeler.id);
          if (example) {
            const source = exampleSource(example);
            const gold = {
              id: newId('lse'),
              example_id: example.id,
              audience_id: root,
              job_id: row.job_id,
              labeler_id: labeler.id,
              presentation: JSON.stringify(choosePresentation(source, deps.random)),
              created_at: nowIso,
              expires_at: new Date(now.getTime() + deps.leaseMs).toISOString(),
            };
            await store.insertGoldLease(trx, gold);
            return goldView({ ...gold, example });
          }
        }
      }
      const source = taskSource(row);
      const presentation = choosePresentation(source, deps.random);
      const lease = {
        id: newId('lse'),
        task_id: row.task_id,
        job_id: row.job_id,
        labeler_id: labeler.id,
        presentation: JSON.stringify(presentation),
        created_at: nowIso,
        expires_at: new Date(now.getTime() + deps.leaseMs).toISOString(),
      };
      await store.insertLease(trx, lease);
      return workView({
        ...row,
        lease_id: lease.id,
        labeler_id: labeler.id,
        presentation: lease.presentation,
        expires_at: lease.expires_at,
      });
    }
    return { kind: 'none', retryAfterMs: RETRY_AFTER_MS };
  });
}

/** The labeler's trust score within the audience a job is assigned to (global score for `global`-based ones). */
async function audienceScore(trx: Db, audienceId: string, labeler: LabelerRow): Promise<number> {
  if (audienceId === 'global') return labeler.user_score;
  const audience = await store.findAudience(trx, audienceId);
  const customId = audience?.base_audience_id ?? audienceId;
  if (customId === 'global') return labeler.user_score;
  return (await store.findMembership(trx, customId, labeler.id))?.user_score ?? labeler.user_score;
}

function leaseExpired(expiresAt: string): AppError {
  return new AppError(
    'CONFLICT',
    `Your lease on this task expired at ${expiresAt}, so the answer was not recorded (the task may have gone to someone else); ask GET /api/v1/labeler/tasks/next for a new task.`,
    { expiredAt: expiresAt },
  );
}

/**
 * The labeler's trust scores (@jury/stats `userScore`) from every graded answer they gave: qualification answers
 * and gold answers. Chance level from the example's random_correct_probability; difficulty from the crowd's
 * qualification answers to the example once it has 10 (every qualifying labeler answers each example once, so
 * that sample is not skewed toward the qualified), else the default.
 */
async function trustScores(trx: Db, labelerId: string, audienceId: string) {
  const graded = await store.gradedAnswers(trx, labelerId);
  const crowd = await store.exampleCrowdStats(trx, [...new Set(graded.map((g) => g.example_id))]);
  const trust = (g: store.GradedAnswerRow): TrustAnswer => {
    const c = crowd.get(g.example_id);
    return {
      correct: g.correct === 1,
      chance: g.random_correct_probability,
      ...(c && c.answered >= MIN_ANSWERS_FOR_DIFFICULTY
        ? { difficulty: exampleDifficulty(c.correct, c.answered, g.random_correct_probability) }
        : {}),
    };
  };
  const mine = graded.filter((g) => g.audience_id === audienceId);
  return { mine, audience: userScore(mine.map(trust)), global: userScore(graded.map(trust)) };
}

/**
 * Records the answer to a gold check (inside submitResponse's transaction): checks the lease like a task's,
 * grades the answer like a qualification answer, appends it to gold_answers (never a response: not in results or
 * counts), and recomputes the labeler's audience and global trust scores.
 *
 * Drop rule: once a `qualified` member has given at least `goldDropAfter` gold answers in the audience, they are
 * moved to `dropped` when their accuracy there over qualification + gold answers (correct / answered) is below the
 * pass rule's targetAccuracy. Dropped members get no more of the audience's work (nor gold checks).
 */
async function answerGold(
  deps: LabelingDeps,
  trx: Db,
  labeler: LabelerRow,
  gold: store.GoldLeaseRow,
  input: SubmitLabelerResponse,
  now: string,
  responseId: string,
  notHeld: () => AppError,
): Promise<SubmittedLabelerResponse> {
  if (gold.labeler_id !== labeler.id) throw notHeld();
  if (gold.expires_at <= now) throw leaseExpired(gold.expires_at);
  const example = gold.example;
  const answer = acceptAnswer(exampleSource(example), input.answer);
  const correct = isCorrect(answer, truthLabels(example.task_type, example.items, example.truth));
  await store.insertGoldAnswer(trx, {
    id: responseId,
    example_id: example.id,
    audience_id: gold.audience_id,
    labeler_id: labeler.id,
    answer: JSON.stringify(answer),
    correct: correct ? 1 : 0,
    created_at: now,
  });
  await store.deleteLeases(trx, 'gold_leases', [gold.id]);
  const scores = await trustScores(trx, labeler.id, gold.audience_id);
  const member = await store.findMembership(trx, gold.audience_id, labeler.id);
  if (member) {
    const audience = await store.findAudience(trx, gold.audience_id);
    const rule = parsePassRule(audience?.pass_rule ?? null);
    const goldAnswers = scores.mine.filter((g) => g.source === 'gold').length;
    const right = scores.mine.filter((g) => g.correct === 1).length;
    const dropAfter = deps.goldDropAfter;
    const drop =
      member.state === 'qualified' &&
      dropAfter > 0 &&
      goldAnswers >= dropAfter &&
      right / scores.mine.length < rule.targetAccuracy;
    await store.updateMemberScore(trx, {
      audience_id: gold.audience_id,
      labeler_id: labeler.id,
      state: drop ? 'dropped' : member.state,
      user_score: scores.audience,
      updated_at: now,
    });
  }
  await store.setLabelerScore(trx, labeler.id, scores.global);
  return { id: responseId, taskCompleted: false, createdAt: now };
}

/**
 * Records the answer to a leased task, in one transaction: checks the lease (exists, is this labeler's, has
 * not expired) and the answer, appends the response (unique per labeler and task), releases the lease, counts
 * it, applies the stopping rule and completes the task (and the job when no task is open any more).
 */
export async function submitResponse(
  deps: LabelingDeps,
  labeler: LabelerRow,
  input: SubmitLabelerResponse,
): Promise<SubmittedLabelerResponse> {
  const now = deps.clock.now().toISOString();
  const responseId = responseIdFor(input.leaseId);
  let goldAnswered = false;
  const notHeld = () =>
    new AppError(
      'NOT_FOUND',
      `You hold no task under lease ${input.leaseId}; ask GET /api/v1/labeler/tasks/next for a task and answer with its leaseId.`,
    );
  try {
    const result = await store.writeTransaction(deps.db, deps.dialect, async (trx) => {
      const lease = await store.findLease(trx, input.leaseId);
      if (!lease) {
        const gold = await store.findGoldLease(trx, input.leaseId);
        if (gold) {
          goldAnswered = true;
          return answerGold(deps, trx, labeler, gold, input, now, responseId, notHeld);
        }
        const earlier =
          (await store.findResponse(trx, responseId)) ?? (await store.findGoldAnswer(trx, responseId));
        if (earlier)
          throw new AppError('CONFLICT', `You already answered this task (lease ${input.leaseId}).`, {
            responseId: earlier.id,
            answeredAt: earlier.created_at,
          });
        throw notHeld();
      }
      if (lease.labeler_id !== labeler.id) throw notHeld();
      if (lease.expires_at <= now) throw leaseExpired(lease.expires_at);
      const meta = await jobMeta(deps.db, lease.job_id, trx);
      const source: TaskSource = {
        taskType: meta.task_type,
        instruction: meta.instruction,
        dataType: meta.data_type,
        items: '[]',
        context: null,
        mediaContext: null,
        answerOptions: meta.answer_options,
        settings: meta.settings,
      };
      const answer = acceptAnswer(source, input.answer);
      await store.insertResponse(trx, {
        id: responseId,
        task_id: lease.task_id,
        job_id: lease.job_id,
        datapoint_id: lease.datapoint_id,
        labeler_id: labeler.id,
        answer: JSON.stringify(answer),
        presentation: lease.presentation,
        user_score: labeler.user_score,
        audience_user_score: await audienceScore(trx, meta.audience_id, labeler),
        created_at: now,
      });
      await store.deleteLease(trx, lease.lease_id);
      const task = await store.incrementResponses(trx, lease.task_id);
      let taskCompleted = false;
      if (task.status === 'open') {
        const thresholds = meta.quorum_threshold !== null || meta.confidence_threshold !== null;
        const votes =
          thresholds && task.responses_count < meta.responses_per_datapoint
            ? await store.taskVotes(trx, lease.task_id)
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
              userScore: v.audience_user_score,
            })),
        );
        if (stop) {
          await store.completeTask(trx, lease.task_id, now);
          await store.completeJobIfDone(trx, deps.dialect, lease.job_id, now);
          taskCompleted = true;
        }
      }
      return { id: responseId, taskCompleted, createdAt: now };
    });
    // A gold answer changed the labeler's trust scores: drop the cached row.
    if (goldAnswered) forgetLabeler(deps.db, labeler.id);
    return result;
  } catch (err) {
    // The unique (task, labeler) constraint is the guarantee; reaching it means a second answer.
    if (isUniqueViolation(err))
      throw new AppError('CONFLICT', 'You already answered this datapoint; each labeler answers it once.');
    throw err;
  }
}

/**
 * Grades a qualification answer and updates the labeler's membership of the custom audience (the pass rule
 * decides `qualified`/`dropped` once every example is answered) and their trust scores (@jury/stats
 * `userScore`: chance level from the example's random_correct_probability; difficulty from the crowd's answers
 * to the example once it has 10, else the default).
 */
export async function submitQualificationAnswer(
  deps: LabelingDeps,
  labeler: LabelerRow,
  input: LabelerQualificationAnswer,
): Promise<LabelerQualificationResult> {
  const now = deps.clock.now().toISOString();
  const example = await store.findExample(deps.db, input.exampleId);
  const audience = await store.findAudience(deps.db, input.audienceId);
  if (!example || !audience || example.audience_id !== audience.id || audience.base_audience_id !== null)
    throw new AppError(
      'NOT_FOUND',
      `Audience ${input.audienceId} has no qualification example ${input.exampleId}; answer the exampleId and audienceId GET /api/v1/labeler/tasks/next gave you.`,
    );
  const filters = audience.filters
    ? (JSON.parse(audience.filters) as Parameters<typeof matchesFilters>[0])
    : [];
  if (!matchesFilters(Array.isArray(filters) ? filters : [filters], labeler))
    throw new AppError(
      'CONFLICT',
      `Audience ${audience.id} is for other labelers (its filters do not match your country/language); you owe it nothing.`,
    );
  const rule = parsePassRule(audience.pass_rule);
  const examples = (await store.exampleCounts(deps.db, [audience.id])).get(audience.id) ?? 0;
  if (examples < rule.minExamples)
    throw new AppError(
      'CONFLICT',
      `Audience ${audience.id} is not open for qualification yet (it has ${examples} of the ${rule.minExamples} examples its pass rule needs).`,
    );
  const source = exampleSource(example);
  const answer = acceptAnswer(source, input.answer);
  const truth = truthLabels(example.task_type, example.items, example.truth);
  const correct = isCorrect(answer, truth);
  try {
    const result = await store.writeTransaction(deps.db, deps.dialect, async (trx) => {
      const member = await store.findMembership(trx, audience.id, labeler.id);
      if (member && member.state !== 'qualifying')
        throw new AppError(
          'CONFLICT',
          `You already finished the qualification of audience ${audience.id} (${member.state}); nothing more is owed.`,
          { state: member.state },
        );
      await store.insertExampleAnswer(trx, {
        id: newId('exa'),
        example_id: example.id,
        audience_id: audience.id,
        labeler_id: labeler.id,
        answer: JSON.stringify(answer),
        correct: correct ? 1 : 0,
        created_at: now,
      });
      const scores = await trustScores(trx, labeler.id, audience.id);
      const mine = scores.mine.filter((g) => g.source === 'qualification');
      const answered = mine.length;
      const right = mine.filter((g) => g.correct === 1).length;
      const state = qualificationState(rule, { answered, correct: right, examples });
      const memberScore = scores.audience;
      await store.upsertMembership(trx, {
        audience_id: audience.id,
        labeler_id: labeler.id,
        state,
        answered,
        correct: right,
        user_score: memberScore,
        updated_at: now,
      });
      await store.setLabelerScore(trx, labeler.id, scores.global);
      return {
        correct,
        truth,
        explanation: example.explanation,
        membership: {
          audienceId: audience.id,
          state,
          answered,
          correct: right,
          total: examples,
          userScore: memberScore,
        },
      };
    });
    forgetLabeler(deps.db, labeler.id);
    return result;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('CONFLICT', `You already answered qualification example ${example.id}.`);
    throw err;
  }
}
