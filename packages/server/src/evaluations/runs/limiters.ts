// One limiter per model endpoint per process (per database handle), shared by every caller of that endpoint:
// the runs asking a model and the judge grading with it hold it at one set of limits together.
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../http/clock.ts';
import { createLimiter, type Limiter } from '../../models/limiter.ts';
import type { RunnableModel } from '../../models/service.ts';

/** Requests one process keeps in flight to one endpoint at most (under its own limits). */
export const ENDPOINT_CONCURRENCY = 8;

const registries = new WeakMap<Db, Map<string, Limiter>>();

/** The endpoint's limits as the run engine and the limiter take them. */
export function limitsOf(model: RunnableModel) {
  return {
    requestsPerMinute: model.limits.requestsPerMinute ?? undefined,
    tokensPerMinute: model.limits.tokensPerMinute ?? undefined,
    contextWindowTokens: model.limits.contextWindowTokens ?? undefined,
  };
}

/** This process's limiter of the model's endpoint (a changed endpoint or limit is a new one). */
export function endpointLimiter(deps: { db: Db; clock: Clock }, model: RunnableModel): Limiter {
  let registry = registries.get(deps.db);
  if (!registry) {
    registry = new Map();
    registries.set(deps.db, registry);
  }
  const limits = limitsOf(model);
  const key = `${model.id}:${model.endpointFingerprint}:${limits.requestsPerMinute}:${limits.tokensPerMinute}`;
  let limiter = registry.get(key);
  if (!limiter) {
    limiter = createLimiter({ ...limits, maxConcurrency: ENDPOINT_CONCURRENCY }, { clock: deps.clock });
    registry.set(key, limiter);
  }
  return limiter;
}
