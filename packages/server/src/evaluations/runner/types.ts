// The run engine's collaborators, injected: the model call, the store of item records (durable, with claims),
// the response cache. The engine knows no database and no endpoint format; the wiring supplies them.

/** One thing to ask the model: a stable id (unique in the run) and the prompt to send. */
export interface RunItem {
  id: string;
  prompt: string;
}

/**
 * Why a call failed. Transient (retried up to maxAttempts): `rate-limited` (429), `server-error` (5xx), `network`,
 * `timeout` (no answer in time, or 408), `malformed` (a 2xx whose body does not parse or whose path does not
 * resolve: usually a truncated one-off; recorded with its raw body when every attempt is malformed). Permanent:
 * `refused` (any other 4xx: credentials, a bad request; asking again gives the same answer).
 */
export type CallFailureKind =
  | 'rate-limited'
  | 'server-error'
  | 'network'
  | 'timeout'
  | 'malformed'
  | 'refused';

export interface TokenUsage {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
}

export type CallResult =
  | { ok: true; raw: string; answer: string; usage?: TokenUsage | undefined }
  | {
      ok: false;
      kind: CallFailureKind;
      message: string;
      status?: number | undefined;
      /** The Retry-After header as sent (seconds or an HTTP date). */
      retryAfter?: string | null | undefined;
      raw?: string | undefined;
    };

/**
 * Sends one prompt to the model and says what came back; must stop when `signal` aborts (the engine aborts it
 * at `timeoutMs` itself, so honouring the signal is enough). A throw counts as a `network` failure.
 */
export type ModelCall = (
  prompt: string,
  options: { signal: AbortSignal; timeoutMs: number },
) => Promise<CallResult>;

export type ItemStatus = 'answered' | 'failed' | 'skipped';

/** What the run keeps of one item: everything needed to grade it again, audit it, and cost it. */
export interface ItemRecord<TGrade = unknown> {
  itemId: string;
  status: ItemStatus;
  /** The prompt as sent (or as it would have been, for a skipped item). */
  prompt: string;
  /** The raw response body of the answering attempt (or of the last failed one, when it had one). */
  raw?: string | undefined;
  /** What the endpoint's response path extracted. */
  answer?: string | undefined;
  grade?: TGrade | undefined;
  gradeError?: string | undefined;
  error?: { kind: CallFailureKind; message: string; status?: number | undefined } | undefined;
  /** Why no request was sent (the prompt does not fit the context window). */
  skipReason?: string | undefined;
  /** Requests sent for this item (0 for a skipped or cached one). */
  attempts: number;
  /** Answered from the response cache: no request this run. */
  cached: boolean;
  /** Time from sending to the answer, of the answering attempt. */
  latencyMs?: number | undefined;
  inputTokens: number;
  outputTokens: number;
  /** The token counts are estimates (the response reported no usage). */
  tokensEstimated: boolean;
  /** From the `cost` hook; a cached answer cost nothing this run. */
  cost?: number | undefined;
  finishedAt: string;
}

export type ClaimResult<TGrade = unknown> =
  | { status: 'claimed' }
  /** The item already has its record: never ask again. */
  | { status: 'done'; record: ItemRecord<TGrade> }
  /** Another holder's lease is live until then. */
  | { status: 'held'; until: Date };

export interface ClaimOptions {
  holder: string;
  leaseMs: number;
  /** A `failed` record does not count as done: the item may be claimed and asked again. */
  retakeFailed?: boolean | undefined;
}

/**
 * Where a run keeps its item records, one per item. The contract (`store.contract.ts` proves an implementation):
 * - `claim` is atomic: of several holders asking at once, at most one gets `claimed`, and it holds a lease until
 *   `leaseMs` from now (the store's clock); an expired lease may be taken by anyone; the same holder claiming again
 *   renews. An item with a record is `done` (a `failed` one is claimable when `retakeFailed`).
 * - `renew` extends the holder's lease; false when the holder no longer holds it.
 * - `save` is durable when its promise settles, drops the lease, and never replaces an `answered` or `skipped`
 *   record (first answer wins: false); a `failed` record may be replaced.
 * - `release` drops the holder's lease without a record (a run stopping), so another may take the item at once.
 */
export interface RunStore<TGrade = unknown> {
  claim(itemId: string, options: ClaimOptions): Promise<ClaimResult<TGrade>>;
  renew(itemId: string, options: { holder: string; leaseMs: number }): Promise<boolean>;
  save(record: ItemRecord<TGrade>, holder: string): Promise<boolean>;
  release(itemId: string, holder: string): Promise<void>;
}

/** A response kept for the same request: keyed by `cacheKey(modelId, endpointHash, prompt)`. */
export interface CachedResponse {
  raw: string;
  answer: string;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  latencyMs: number;
}

export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse): Promise<void>;
}

export interface RunProgress {
  total: number;
  /** Items with a record (any status), this run's or found in the store. */
  finished: number;
  answered: number;
  failed: number;
  skipped: number;
  /** Of the answered, from the cache. */
  cached: number;
  /** Found already recorded in the store (an earlier run, or another process). */
  alreadyStored: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
  inFlight: number;
}

export interface RunSummary extends RunProgress {
  status: 'completed' | 'aborted';
  /** This engine's start and end (the clock's), for a cost per instance hour. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  /** Saves refused because another holder recorded the item first (a lease lost to a stall). */
  duplicates: number;
}
