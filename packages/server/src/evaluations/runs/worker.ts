// Drives evaluation runs in this process: takes a queued run (or one whose driver's lease expired: a killed
// process) with a run-level lease, asks its items through the run engine with the database store (item leases:
// two processes never ask the same item; stored answers are never asked again), then scores it. One limiter per
// model endpoint per process (limiters.ts), shared by every run on it and by judges. A cancel from any process is seen at the next renewal.
import { hostname } from 'node:os';
import type { EvaluationItem } from '@jury/api';
import type { Db } from '../../db/database.ts';
import { newId } from '../../http/ids.ts';
import { getRunnableModel } from '../../models/service.ts';
import { costOf, estimateTokens } from '../../models/usage.ts';
import type { Grade } from '../grading/index.ts';
import { itemPrompt } from '../prompts.ts';
import { runItems } from '../runner/engine.ts';
import { versionItems } from '../service.ts';
import { endpointCall } from './call.ts';
import type { RunDeps } from './deps.ts';
import { graderFor } from './grader.ts';
import { createDbResponseCache, createDbRunStore } from './item-store.ts';
import { ENDPOINT_CONCURRENCY, endpointLimiter, limitsOf } from './limiters.ts';
import { finishScore } from './score.ts';
import * as store from './store.ts';

/** How long a run's and an item's claim holds without renewal: a killed process's runs resume after it. */
export const RUN_LEASE_MS = 15_000;
const RENEW_MS = RUN_LEASE_MS / 3;
const PROGRESS_WRITE_MS = 1000;
/** Runs one process drives at once. */
const MAX_ACTIVE_RUNS = 4;

interface Worker {
  holder: string;
  active: Map<string, AbortController>;
  executions: Set<Promise<void>>;
  stopped: boolean;
}

const workers = new WeakMap<Db, Worker>();

function workerOf(db: Db): Worker {
  let worker = workers.get(db);
  if (!worker) {
    worker = {
      holder: `${hostname()}:${process.pid}:${newId('rw', 8)}`,
      active: new Map(),
      executions: new Set(),
      stopped: false,
    };
    workers.set(db, worker);
  }
  return worker;
}

/** Starts the runs this process may take now; returns how many it started. */
export async function sweepRuns(deps: RunDeps): Promise<number> {
  const worker = workerOf(deps.db);
  if (worker.stopped) return 0;
  const free = MAX_ACTIVE_RUNS - worker.active.size;
  if (free <= 0) return 0;
  const now = deps.clock.now().getTime();
  let started = 0;
  for (const id of await store.findRunnableRunIds(deps.db, now, free * 2)) {
    if (worker.active.size >= MAX_ACTIVE_RUNS || worker.active.has(id)) continue;
    const taken = await store.claimRun(deps.db, id, {
      holder: worker.holder,
      now,
      until: now + RUN_LEASE_MS,
      startedAt: deps.clock.now().toISOString(),
    });
    if (!taken) continue;
    const controller = new AbortController();
    worker.active.set(id, controller);
    const execution = execute(deps, worker, id, controller).finally(() => {
      worker.active.delete(id);
      worker.executions.delete(execution);
    });
    worker.executions.add(execution);
    started++;
  }
  return started;
}

/** Stops this process's runs (their claims released, so another process or a restart resumes them). */
export async function stopRuns(db: Db): Promise<void> {
  const worker = workers.get(db);
  if (!worker) return;
  worker.stopped = true;
  for (const controller of worker.active.values()) controller.abort(new Error('the server is stopping'));
  await Promise.allSettled([...worker.executions]);
}

async function execute(deps: RunDeps, worker: Worker, runId: string, controller: AbortController) {
  const { db, clock } = deps;
  const drain = new AbortController();
  const renewal = setInterval(async () => {
    const status = await store
      .renewRun(db, runId, worker.holder, clock.now().getTime() + RUN_LEASE_MS)
      .catch(() => 'running');
    // Lost to another process (this one stalled past its lease): finish and save what is in flight, claim no
    // more. Cancelled or gone: stop at once.
    if (status === 'lost') drain.abort();
    else if (status !== 'running') controller.abort(new Error(`the run is ${status}`));
  }, RENEW_MS);
  try {
    const row = await store.findRunById(db, runId);
    if (!row) return;
    const view = (await store.findRun(db, row.organization_id, runId))!;
    const model = await getRunnableModel(deps, row.organization_id, row.model_id);
    const { items } = await versionItems(deps, row.organization_id, row.evaluation_id, view.version_label);
    const grade =
      Number(row.inference_only) === 1
        ? undefined
        : await graderFor(deps, row.organization_id, row.grader ?? 'rules');
    const runItemsOf = items.map((item) => ({ id: item.id, prompt: itemPrompt(item), item }));
    const limits = limitsOf(model);
    // Shared with every run on this endpoint in this process, and with the judge when it grades with it.
    const limiter = endpointLimiter(deps, model);
    let lastWrite = 0;
    const summary = await runItems<(typeof runItemsOf)[number], Grade>({
      items: runItemsOf,
      call: endpointCall(model.endpoint, { allowedHosts: deps.allowedHosts }),
      store: createDbRunStore<Grade>({ db, runId, now: () => clock.now().getTime() }),
      estimateTokens,
      limits,
      limiter,
      cache:
        Number(row.use_cache) === 1
          ? {
              cache: createDbResponseCache(db, () => clock.now()),
              modelId: model.id,
              endpointHash: model.endpointFingerprint,
            }
          : undefined,
      grade: grade && ((item, answer) => grade(item.item as EvaluationItem, answer)),
      cost: (tokens) => costOf(tokens, model.costs),
      concurrency: ENDPOINT_CONCURRENCY,
      holder: worker.holder,
      leaseMs: RUN_LEASE_MS,
      signal: controller.signal,
      drain: drain.signal,
      clock,
      // The counts of what is stored, not this engine's own: a resumed run, or one two processes drive, shows
      // every item recorded so far.
      onProgress: () => {
        const t = Date.now();
        if (t - lastWrite < PROGRESS_WRITE_MS) return;
        lastWrite = t;
        void store
          .itemTotals(db, runId)
          .then(({ answered, failed, skipped, cached }) =>
            store.updateRun(db, runId, { answered, failed, skipped, cached }, ['running']),
          )
          .catch(() => undefined);
      },
    });
    const totals = await store.itemTotals(db, runId);
    if (summary.status === 'aborted') {
      // Cancelled: keep what was stored. Stopping: free the run at once for a restart or another process.
      // Lost: the new holder drives it; only the counts are written.
      await store.updateRun(db, runId, totals);
      await store.updateHeldRun(db, runId, worker.holder, { holder: null, lease_until: 0 });
      return;
    }
    const scored = Number(row.inference_only) === 1 ? {} : await finishScore(deps, runId, row.version_id);
    // Per-instance-hour models cost the run's wall time too (from its first start, resumes included).
    const started = new Date((await store.findRunById(db, runId))?.started_at ?? summary.startedAt).getTime();
    const hours = Math.max(0, clock.now().getTime() - started) / 3_600_000;
    totals.cost += costOf({ inputTokens: 0, outputTokens: 0, hours }, model.costs);
    await store.updateRun(
      db,
      runId,
      {
        ...totals,
        ...scored,
        status: 'completed',
        finished_at: clock.now().toISOString(),
        holder: null,
        lease_until: 0,
      },
      ['running'],
    );
  } catch (error) {
    if (controller.signal.aborted) {
      await store
        .updateHeldRun(db, runId, worker.holder, { holder: null, lease_until: 0 })
        .catch(() => undefined);
      return;
    }
    await store
      .updateHeldRun(
        db,
        runId,
        worker.holder,
        {
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          finished_at: clock.now().toISOString(),
          holder: null,
          lease_until: 0,
        },
        ['running'],
      )
      .catch(() => undefined);
  } finally {
    clearInterval(renewal);
  }
}
