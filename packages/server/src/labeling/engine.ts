/**
 * The labeling engine: leases, claims and responses for every kind of work a labeler is served. The feature that
 * owns a kind of work plugs in a {@link WorkSource}; the engine asks it for the next item, what the item shows,
 * how to accept an answer and whether the item needs more; sources never touch leases.
 *
 * Leases (one table, `leases`, with a `kind`): a claim leases one item to one labeler until `leaseMs` from now,
 * in one transaction with the source's pick (sources.ts says how each picks). The labeler answers under the
 * lease id with POST /responses; only their own unexpired lease is accepted, the lease is used up in the answer's
 * transaction, and the answer's id derives from the lease's, so a second answer is recognised as such.
 *
 * Order of service: a live lease the labeler already holds (asking again returns the same item), then each
 * source's `next` in the registry's order. When a source leases an item, the other sources may serve one of
 * theirs in its place (`among`: a gold check among a job's tasks), under a lease of their own kind.
 */
import type {
  LabelerAnswer,
  LabelerNextTask,
  SubmitLabelerResponse,
  SubmittedLabelerResponse,
  TaskType,
} from '@jury/api';
import { mediaSealer } from '../assets/media-refs.ts';
import { capabilitiesOf } from '../db/capabilities.ts';
import type { Db } from '../db/database.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Clock } from '../http/clock.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import { forgetLabeler } from '../labelers/service.ts';
import type { LabelerRow } from '../labelers/store.ts';
import * as leases from './lease-store.ts';
import { choosePresentation, type Presentation, presentTaskView, type TaskSource } from './task-view.ts';

type Sealer = Awaited<ReturnType<typeof mediaSealer>>;

export interface LabelingDeps {
  db: Db;
  clock: Clock;
  /** How long a claimed item stays reserved for its labeler. */
  leaseMs: number;
  /** Uniform [0, 1) source for A/B order, option shuffling and gold checks. */
  random?: () => number;
  /** Share of claims served as a gold check instead (0 disables; default 0). */
  goldRate?: number;
  /** Gold answers after which low audience accuracy drops a labeler (0 never; default 0). */
  goldDropAfter?: number;
  /** Live leases one labeler may hold at once (default 1). */
  leasesPerLabeler?: number;
  /** Live leases the labelers of one client address may hold together (0 or unset: no cap). */
  leasesPerAddress?: number;
  /** Responses + live leases the labelers of one address may have on one task (0 or unset: no cap). */
  answersPerAddressPerDatapoint?: number;
  /** An answer sooner than this after its lease was made is flagged 'too_fast', per task type (unset: never). */
  answerFloorMs?: Readonly<Record<TaskType, number>>;
  /** Weight of a flagged answer's trust score in the confidence stopping rule, as in results (default 1). */
  flaggedWeight?: number;
}

/** How long a labeler with nothing to do waits before asking again. */
export const RETRY_AFTER_MS = 2000;

/** A lease as sources see it: `item_id` is the item in the source's terms. */
export type Lease = leases.LeaseRow;

/** An item a source picked for the labeler, to be leased. */
export interface Claim {
  /** The item in its source's terms (the lease's item_id): a task id, an example id. */
  itemId: string;
  /** The job it is served under (the labeler's view names it); null for work of no job (a matchup). */
  jobId: string | null;
  /** The audience whose labelers it is for, as the job names it. */
  audienceId: string;
  /** What the labeler sees, before this labeler's presentation (order of sides and options) is drawn. */
  shown: TaskSource;
}

export interface WorkContext {
  deps: LabelingDeps;
  labeler: LabelerRow;
  now: Date;
  /** Keyed hash of the request's client address (limits/address.ts); null when exempt (loopback) or unknown. */
  addressHash: string | null;
}

/** One client address's cap of answers (and live leases) per item; none when the address is exempt or the cap off. */
export interface AddressCap {
  hash: string;
  cap: number;
}

export function addressCapOf(ctx: WorkContext): AddressCap | undefined {
  const cap = ctx.deps.answersPerAddressPerDatapoint ?? 0;
  return ctx.addressHash && cap > 0 ? { hash: ctx.addressHash, cap } : undefined;
}

export interface NextContext extends WorkContext {
  /**
   * Runs `pick` in the claim transaction (after the labeler's expired leases are deleted, so an item can be
   * leased to them again) and leases what it returns, or what another source serves in its place.
   */
  claim(pick: (trx: Db) => Promise<Claim | undefined>): Promise<LabelerNextTask | undefined>;
}

/** Inside the answer's transaction (`trx`); `answerId` is the id the answer is recorded under. */
export interface AnswerContext extends WorkContext {
  trx: Db;
  answerId: string;
}

export interface Accepted {
  /** The item needs no more answers (its stopping rule said stop). */
  completed: boolean;
  /** The answer changed the labeler's row (trust scores): its cached copy is dropped after commit. */
  rescored: boolean;
}

/** What a feature supplies for one lease kind (registered in sources.ts). */
export interface WorkSource {
  /** The labeler's next work from this source, via `ctx.claim`; or a view needing no lease; undefined: none. */
  next?(ctx: NextContext): Promise<LabelerNextTask | undefined>;
  /** Inside the claim transaction: an item of this source to serve in place of another source's claim. */
  among?(ctx: WorkContext & { trx: Db }, claim: Claim): Promise<Claim | undefined>;
  /**
   * What a held lease's item shows (the labeler asked again before answering); undefined if it is gone or takes
   * no more answers at `now` (a flow item whose time to live ran out).
   */
  view(db: Db, lease: Lease, now: Date): Promise<TaskSource | undefined>;
  /** Checks and records an answer under a live lease of this kind; throws AppError when it does not fit. */
  accept(ctx: AnswerContext, lease: Lease, answer: LabelerAnswer): Promise<Accepted>;
  /** The answer recorded under `id`, if any. */
  findAnswer(db: Db, id: string): Promise<{ id: string; created_at: string } | undefined>;
}

export interface LabelingEngine {
  nextTask(deps: LabelingDeps, labeler: LabelerRow, addressHash?: string | null): Promise<LabelerNextTask>;
  submitResponse(
    deps: LabelingDeps,
    labeler: LabelerRow,
    input: SubmitLabelerResponse,
  ): Promise<SubmittedLabelerResponse>;
}

/** An engine serving `sources`, keyed by lease kind, asked in key order. */
export function createEngine(sources: Readonly<Record<string, WorkSource>>): LabelingEngine {
  const kinds = Object.keys(sources);
  const sourceOf = (kind: string): WorkSource => {
    const source = sources[kind];
    if (!source) throw new Error(`no work source for lease kind '${kind}'`);
    return source;
  };

  /** A held lease's task; its media sealed for the lease's holder until it ends (assets/media-refs.ts). */
  function present(
    seal: Sealer,
    lease: Pick<Lease, 'id' | 'job_id' | 'expires_at' | 'labeler_id'>,
    shown: TaskSource,
    how: Presentation,
  ) {
    const scope = { labelerId: lease.labeler_id, leaseId: lease.id, expiresAt: lease.expires_at };
    return {
      kind: 'task' as const,
      leaseId: lease.id,
      jobId: lease.job_id,
      expiresAt: lease.expires_at,
      ...presentTaskView(shown, how, seal(scope)),
    };
  }

  /**
   * Whether the labeler (or their address) holds as many live leases as allowed. Where rows lock (Postgres) the
   * claims of one address (else of one labeler) are serialised first, so concurrent claims cannot both pass.
   */
  async function atLeaseCap(trx: Db, ctx: WorkContext): Promise<boolean> {
    const { deps, labeler, addressHash } = ctx;
    const perAddress = addressHash ? (deps.leasesPerAddress ?? 0) : 0;
    if (capabilitiesOf(trx).rowLocks) await leases.serialiseClaims(trx, addressHash ?? labeler.id);
    const held = await leases.liveLeasesHeld(
      trx,
      labeler.id,
      perAddress > 0 ? addressHash : null,
      ctx.now.toISOString(),
    );
    return held.labeler >= (deps.leasesPerLabeler ?? 1) || (perAddress > 0 && held.address >= perAddress);
  }

  async function claim(
    kind: string,
    ctx: WorkContext,
    state: { stale: string[]; capped: boolean },
    pick: (trx: Db) => Promise<Claim | undefined>,
  ): Promise<LabelerNextTask | undefined> {
    const { deps, labeler, now } = ctx;
    if (state.capped) return undefined;
    const seal = await mediaSealer(deps);
    // A lease lost in a database crash costs nothing (the item is claimed again): no need to wait for the flush.
    const served = await withTransaction(
      deps.db,
      async (trx) => {
        await leases.deleteLeases(trx, state.stale);
        state.stale.length = 0; // (rolled back with the rest if this throws: deleting again is harmless)
        if (await atLeaseCap(trx, ctx)) {
          state.capped = true;
          return undefined;
        }
        const picked = await pick(trx);
        if (!picked) return undefined;
        let leased = { kind, claim: picked };
        for (const other of kinds) {
          const instead = other === kind ? undefined : await sourceOf(other).among?.({ ...ctx, trx }, picked);
          if (instead) {
            leased = { kind: other, claim: instead };
            break;
          }
        }
        const how = choosePresentation(leased.claim.shown, deps.random);
        const row: leases.LeaseRow = {
          id: newId('lse'),
          kind: leased.kind,
          item_id: leased.claim.itemId,
          job_id: leased.claim.jobId,
          labeler_id: labeler.id,
          presentation: JSON.stringify(how),
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + deps.leaseMs).toISOString(),
          address_hash: ctx.addressHash,
        };
        await leases.insertLease(trx, row);
        return present(seal, row, leased.claim.shown, how);
      },
      { durable: false },
    );
    return served;
  }

  async function nextTask(
    deps: LabelingDeps,
    labeler: LabelerRow,
    addressHash: string | null = null,
  ): Promise<LabelerNextTask> {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const held = await leases.leasesOf(deps.db, labeler.id);
    const live = held
      .filter((l) => l.expires_at > nowIso)
      .sort(
        (a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || b.expires_at.localeCompare(a.expires_at),
      );
    // Leases not served again (expired, or their item takes no more answers) are deleted by the next claim, so
    // they count against no lease cap.
    const stale = held.filter((l) => l.expires_at <= nowIso).map((l) => l.id);
    for (const lease of live) {
      const shown = await sourceOf(lease.kind).view(deps.db, lease, now);
      if (shown)
        return present(await mediaSealer(deps), lease, shown, JSON.parse(lease.presentation) as Presentation);
      stale.push(lease.id);
    }
    const ctx: WorkContext = { deps, labeler, now, addressHash };
    const state = { stale, capped: false };
    for (const kind of kinds) {
      const served = await sourceOf(kind).next?.({
        ...ctx,
        claim: (pick) => claim(kind, ctx, state, pick),
      });
      if (served) return served;
    }
    return { kind: 'none', retryAfterMs: RETRY_AFTER_MS };
  }

  async function submitResponse(
    deps: LabelingDeps,
    labeler: LabelerRow,
    input: SubmitLabelerResponse,
  ): Promise<SubmittedLabelerResponse> {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const answerId = answerIdFor(input.leaseId);
    const notHeld = () =>
      new AppError(
        'NOT_FOUND',
        `You hold no task under lease ${input.leaseId}; ask GET /api/v1/labeler/tasks/next for a task and answer with its leaseId.`,
      );
    let rescored = false;
    try {
      const result = await withTransaction(deps.db, async (trx) => {
        const lease = await leases.findLease(trx, input.leaseId);
        if (!lease) {
          for (const kind of kinds) {
            const earlier = await sourceOf(kind).findAnswer(trx, answerId);
            if (earlier)
              throw new AppError('CONFLICT', `You already answered this task (lease ${input.leaseId}).`, {
                responseId: earlier.id,
                answeredAt: earlier.created_at,
              });
          }
          throw notHeld();
        }
        if (lease.labeler_id !== labeler.id) throw notHeld();
        if (lease.expires_at <= nowIso) throw leaseExpired(lease.expires_at);
        await leases.deleteLease(trx, lease.id);
        const accepted = await sourceOf(lease.kind).accept(
          { deps, labeler, now, trx, answerId, addressHash: lease.address_hash },
          lease,
          input.answer,
        );
        rescored = accepted.rescored;
        return { id: answerId, taskCompleted: accepted.completed, createdAt: nowIso };
      });
      if (rescored) forgetLabeler(deps.db, labeler.id);
      return result;
    } catch (err) {
      // A source's uniqueness constraint (one response per labeler and task) is the guarantee; reaching it means
      // a second answer.
      if (isUniqueViolation(err))
        throw new AppError('CONFLICT', 'You already answered this datapoint; each labeler answers it once.');
      throw err;
    }
  }

  return { nextTask, submitResponse };
}

/** An answer's id is derived from its lease's, so answering a lease twice is recognised as such. */
function answerIdFor(leaseId: string): string {
  return `rsp_${leaseId.slice('lse_'.length)}`;
}

function leaseExpired(expiresAt: string): AppError {
  return new AppError(
    'CONFLICT',
    `Your lease on this task expired at ${expiresAt}, so the answer was not recorded (the task may have gone to someone else); ask GET /api/v1/labeler/tasks/next for a new task.`,
    { expiredAt: expiresAt },
  );
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown };
  // Postgres unique_violation; SQLite SQLITE_CONSTRAINT_UNIQUE / SQLITE_CONSTRAINT_PRIMARYKEY.
  return e?.code === '23505' || e?.errcode === 2067 || e?.errcode === 1555;
}
