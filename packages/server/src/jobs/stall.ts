// Whether a running job can progress, derived when its progress is read (nothing is stored). With no lease out on
// it, a job is stalled when no labeler its audience admits may claim any open task: each has answered every open
// datapoint already (NO_ELIGIBLE_LABELERS: only new labelers can move it on), or the audience admits nobody yet
// (NO_ADMITTED_LABELERS), or those who may still answer have not been seen for ACTIVE_WINDOW_MS
// (NO_ACTIVE_LABELERS: they left). Who is admitted is the audiences feature's rule (`admittedLabelers`), the one
// labeling claims by, recruitment included (an invite or study audience says how labelers get in).
import type { JobStall } from '@jury/api';
import { type AdmittedLabelers, admittedLabelers } from '../audiences/service.ts';
import type { JobsTable } from '../db/schema.ts';
import type { JobDeps } from './service.ts';
import * as store from './store.ts';

/** A labeler not seen for this long counts as gone (last_seen_at is written at most once a minute). */
export const ACTIVE_WINDOW_MS = 2 * 60_000;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function crowdName(audience: AdmittedLabelers['audience'], n: number): string {
  const who = n === 1 ? 'the only' : `all ${n}`;
  const labelers = n === 1 ? 'labeler' : 'labelers';
  if (!audience || audience.kind === 'global') return `${who} ${labelers}`;
  if (audience.kind === 'custom') return `${who} qualified ${labelers} of audience "${audience.name}"`;
  return `${who} ${labelers} admitted by audience "${audience.name}"`;
}

function waitingReason({ audience, recruitment }: AdmittedLabelers): string {
  if (!audience || audience.kind === 'global')
    return 'Waiting for labelers: none has joined yet (people answer at /label; `jury simulate` runs simulated ones).';
  // A custom audience that is not open takes only labelers who came in its way: say which way.
  if (recruitment === 'invite')
    return `Waiting for labelers: audience "${audience.name}" takes only labelers who open one of its invite links, and none has qualified yet (create a link on the audience's Recruitment card or with createInvite, and send it).`;
  if (recruitment === 'study')
    return `Waiting for labelers: audience "${audience.name}" takes only study participants who arrive through its entry URL, and none has qualified yet (put the entry URL in the study on the recruiting site; docs/prolific.md).`;
  if (audience.kind === 'custom')
    return `Waiting for labelers: nobody has qualified for audience "${audience.name}" yet (labelers pass its qualification examples at /label first).`;
  return `Waiting for labelers: audience "${audience.name}" admits nobody yet (no labeler its base admits matches its filters).`;
}

type Spread = Awaited<ReturnType<typeof store.openTaskSpread>>;

/** Whether one of these (admitted) labelers may still claim an open task: someone has not answered everything. */
async function mayAnswer(deps: JobDeps, jobId: string, ids: readonly string[], spread: Spread) {
  // A labeler who answered every open datapoint is among each one's responses, so n > fewest responses ⇒ someone may.
  if (ids.length > spread.minResponses) return true;
  if (ids.length === 0) return false;
  return (await store.countOpenTaskResponsesBy(deps.db, jobId, ids)) < spread.open * ids.length;
}

/**
 * Why the job cannot progress now, or null when it can (or is not running). Cheap checks first: a live lease or
 * an active admitted labeler who has not answered some open datapoint means it can.
 */
export async function jobStall(
  deps: JobDeps,
  job: JobsTable,
  counts: store.TaskCounts | undefined,
): Promise<JobStall | null> {
  if (job.status !== 'running' || !counts || counts.completed >= counts.total) return null;
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  if ((await store.countLiveLeases(deps.db, job.id, nowIso)) > 0) return null;
  const spread = await store.openTaskSpread(deps.db, job.id);
  if (spread.open === 0) return null;
  const enough = spread.minResponses + 1;
  const seenSince = new Date(now.getTime() - ACTIVE_WINDOW_MS).toISOString();
  const active = await admittedLabelers(deps.db, job.audience_id, enough, { seenSince });
  if (await mayAnswer(deps, job.id, active.ids, spread)) return null;
  const all = await admittedLabelers(deps.db, job.audience_id, enough);
  const since = (await store.lastJobActivity(deps.db, job.id, nowIso)) ?? job.created_at;
  const n = all.ids.length;
  if (n === 0) return { code: 'NO_ADMITTED_LABELERS', reason: waitingReason(all), since };
  if (await mayAnswer(deps, job.id, all.ids, spread))
    return {
      code: 'NO_ACTIVE_LABELERS',
      reason: `Waiting for labelers: none of those who may still answer has been seen in the last ${ACTIVE_WINDOW_MS / 60_000} minutes (the job goes on when they come back or others join).`,
      since,
    };
  const revision = await store.findRevision(deps.db, job.definition_id, Number(job.revision));
  const needed = Number(revision?.responses_per_datapoint ?? 0);
  const at =
    spread.minResponses === spread.maxResponses
      ? `each at ${spread.minResponses} of ${needed} responses`
      : `at ${spread.minResponses}–${spread.maxResponses} of ${needed} responses`;
  const join = all.audience?.kind === 'custom' ? 'join and qualify' : 'join';
  return {
    code: 'NO_ELIGIBLE_LABELERS',
    reason: `No labeler left who may answer: ${crowdName(all.audience, n)} ${n === 1 ? 'has' : 'have'} answered every open datapoint (${plural(spread.open, 'open datapoint')}, ${at}). It completes only if more labelers ${join}; getResults({ wait: false }) gives the results so far.`,
    since,
  };
}
