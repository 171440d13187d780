import type { ExamplePurpose, TaskType, UserRole } from '@jury/api';
import type { Generated } from 'kysely';
// Timestamps are ISO-8601 strings on both dialects (timestamptz on Postgres is parsed back to ISO text).
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiClientsTable {
  id: string;
  organization_id: string;
  display_name: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AccessTokensTable {
  token_hash: string;
  client_id: string;
  organization_id: string;
  created_at: string;
  expires_at: string;
}

export interface AssetsTable {
  id: string;
  organization_id: string;
  source: 'upload' | 'url';
  kind: 'image' | 'video' | 'audio';
  mime_type: string;
  sha256: string | null;
  size: number | null;
  file_name: string | null;
  url: string | null;
  created_at: string;
}

export interface Database {
  organizations: OrganizationsTable;
  api_clients: ApiClientsTable;
  access_tokens: AccessTokensTable;
  assets: AssetsTable;
  audiences: AudiencesTable;
  audience_examples: AudienceExamplesTable;
  labelers: LabelersTable;
  audience_members: AudienceMembersTable;
  example_answers: ExampleAnswersTable;
  gold_answers: GoldAnswersTable;
  job_definitions: JobDefinitionsTable;
  job_definition_revisions: JobDefinitionRevisionsTable;
  datapoints: DatapointsTable;
  jobs: JobsTable;
  tasks: TasksTable;
  leases: LeasesTable;
  responses: ResponsesTable;
  job_previews: JobPreviewsTable;
  server_settings: ServerSettingsTable;
  runtime_leases: RuntimeLeasesTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  user_tokens: UserTokensTable;
  benchmarks: BenchmarksTable;
  benchmark_prompts: BenchmarkPromptsTable;
  participants: ParticipantsTable;
  participant_media: ParticipantMediaTable;
  leaderboards: LeaderboardsTable;
  leaderboard_runs: LeaderboardRunsTable;
  matchups: MatchupsTable;
  matchup_votes: MatchupVotesTable;
  imported_votes: ImportedVotesTable;
  flows: FlowsTable;
  ranking_job_definitions: RankingJobDefinitionsTable;
  ranking_jobs: RankingJobsTable;
  rankings: RankingsTable;
  ranking_matchups: RankingMatchupsTable;
  ranking_votes: RankingVotesTable;
  evaluations: EvaluationsTable;
  evaluation_versions: EvaluationVersionsTable;
  evaluation_items: EvaluationItemsTable;
  models: ModelsTable;
  evaluation_runs: EvaluationRunsTable;
  evaluation_run_items: EvaluationRunItemsTable;
  evaluation_response_cache: EvaluationResponseCacheTable;
  rate_limits: RateLimitsTable;
  audience_recruitment: AudienceRecruitmentTable;
  invite_links: InviteLinksTable;
  audience_entries: AudienceEntriesTable;
  labeler_identities: LabelerIdentitiesTable;
}

/**
 * One fixed-window counter of a rate limit (limits/store.ts), shared by every server process: `key` names the
 * limit and its subject (`labeler-requests:<labeler id>`), `count` what was handed out in the window starting at
 * `window_start` (ms since the epoch); rows past `expires_at` (ms) are swept.
 */
export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
  expires_at: number;
}

// ---- Labeling (audiences, job definitions, jobs, labelers, tasks, responses). JSON columns are text holding JSON.

export interface AudiencesTable {
  id: string;
  organization_id: string;
  name: string;
  /** For filtered audiences: the audience whose qualified pool they reuse ('global' allowed). */
  base_audience_id: string | null;
  /** JSON: the filter tree (see @jury/api `audienceFilterSchema`), or null. */
  filters: string | null;
  /** JSON: the qualification pass rule, e.g. `{ minExamples, targetAccuracy }`. */
  pass_rule: string;
  /** 1: qualification answers are told whether they were right, the truth and the explanation; 0: nothing. */
  show_qualification_feedback: number;
  created_at: string;
  deleted_at: string | null;
}

export interface AudienceExamplesTable {
  id: string;
  audience_id: string;
  organization_id: string;
  task_type: TaskType;
  instruction: string;
  data_type: 'media' | 'text';
  /** JSON: the resolved items (see `DatapointItem` in schema of datapoints). */
  items: string;
  /** JSON: answer options for classification, null for compare. */
  answer_options: string | null;
  /** JSON: the correct answers (compare: [item name]; classify: list of options). */
  truth: string;
  context: string | null;
  /** JSON: resolved media context items, or null. */
  media_context: string | null;
  /** JSON: settings list, e.g. ['NoShuffle']. */
  settings: string;
  explanation: string | null;
  /** Chance of answering right by guessing (difficulty baseline for trust scores). */
  random_correct_probability: number;
  sort_index: number;
  /** 'qualification' (served before work, with feedback) or 'gold' (secret checks among tasks). */
  purpose: ExamplePurpose;
  created_at: string;
}

export interface LabelersTable {
  id: string;
  kind: 'human' | 'simulated' | 'ai';
  country: string | null;
  language: string | null;
  /** JSON object of optional demographics (age, gender, occupation…), or null. */
  demographics: string | null;
  /** Global trust score in [0, 1). */
  user_score: number;
  created_at: string;
  last_seen_at: string;
}

export interface AudienceMembersTable {
  audience_id: string;
  labeler_id: string;
  state: 'qualifying' | 'qualified' | 'dropped';
  answered: number;
  correct: number;
  /** Trust score within this audience, in [0, 1). */
  user_score: number;
  updated_at: string;
}

export interface ExampleAnswersTable {
  id: string;
  example_id: string;
  audience_id: string;
  labeler_id: string;
  /** JSON: the labeler's answer. */
  answer: string;
  correct: number;
  created_at: string;
}

/** A graded answer to a gold check (repeats allowed: one row per answer). */
export interface GoldAnswersTable {
  id: string;
  example_id: string;
  audience_id: string;
  labeler_id: string;
  /** JSON: the labeler's answer. */
  answer: string;
  correct: number;
  created_at: string;
}

export interface JobDefinitionsTable {
  id: string;
  organization_id: string;
  name: string;
  task_type: TaskType;
  latest_revision: number;
  created_at: string;
}

export interface JobDefinitionRevisionsTable {
  definition_id: string;
  revision: number;
  instruction: string;
  data_type: 'media' | 'text';
  /** JSON: settings list. */
  settings: string;
  /** JSON: classification options, or null. */
  answer_options: string | null;
  /** JSON: [nameA, nameB] for compare, or null. */
  ab_names: string | null;
  responses_per_datapoint: number;
  confidence_threshold: number | null;
  quorum_threshold: number | null;
  created_at: string;
}

export interface DatapointsTable {
  id: string;
  definition_id: string;
  revision: number;
  organization_id: string;
  sort_index: number;
  /** JSON array of items: `{ type: 'text', text } | { type: 'asset', assetId, url, kind, name }`. */
  items: string;
  context: string | null;
  /** JSON array of media-context items, or null. */
  media_context: string | null;
  /** JSON object, or null. */
  private_metadata: string | null;
  created_at: string;
}

export interface JobsTable {
  id: string;
  organization_id: string;
  definition_id: string;
  revision: number;
  audience_id: string;
  name: string;
  status: 'created' | 'running' | 'completed' | 'failed' | 'paused';
  created_at: string;
  completed_at: string | null;
}

export interface TasksTable {
  id: string;
  job_id: string;
  datapoint_id: string;
  organization_id: string;
  status: 'open' | 'complete';
  /** Responses recorded so far (kept in step with `responses` in the same transaction). */
  responses_count: number;
  created_at: string;
  completed_at: string | null;
}

/** What the labeling engine leases: a job's task, or a gold check (an audience example served among a job's tasks). */
export type LeaseKind = 'task' | 'gold' | 'matchup' | 'ranking';

/** A labeler's hold on one work item (labeling/engine.ts): answer before expires_at, under this id. */
export interface LeasesTable {
  id: string;
  /** A LeaseKind; text so the engine's tests can plug in a kind of their own. */
  kind: string;
  /** The leased item in its source's terms: a task id ('task'), an audience example id ('gold'). */
  item_id: string;
  /**
   * The job the item is served under (a gold check: the job whose tasks it was served among); null for work of
   * no job (a leaderboard matchup).
   */
  job_id: string | null;
  labeler_id: string;
  /** JSON: how the item was shown (A/B order, option order), recorded with the answer. */
  presentation: string;
  created_at: string;
  expires_at: string;
  /**
   * Keyed hash of the claiming request's client address (limits/address.ts), for the per-address caps; null when
   * the address is exempt (loopback) or unknown.
   */
  address_hash: Generated<string | null>;
}

export interface ResponsesTable {
  id: string;
  task_id: string;
  job_id: string;
  datapoint_id: string;
  labeler_id: string;
  /** JSON: the answer, e.g. `{ votedFor }` / `{ selectedCategory }`. */
  answer: string;
  presentation: string;
  /** The labeler's trust score when answering (global and for the job's audience). */
  user_score: number;
  audience_user_score: number;
  created_at: string;
  /** The keyed address hash of the lease it was answered under (see LeasesTable.address_hash). */
  address_hash: Generated<string | null>;
  /** Why the answer is flagged ('too_fast': sooner after it was served than the task type's floor); null if not. */
  flagged_reason: Generated<string | null>;
}

/** Server-wide settings shared by every process on one database (key → value). */
export interface ServerSettingsTable {
  key: string;
  value: string;
  created_at: string;
}

/** Short-lived preview links of job definitions; only the key's hash is stored. */
export interface JobPreviewsTable {
  key_hash: string;
  definition_id: string;
  organization_id: string;
  revision: number;
  created_at: string;
  expires_at: string;
}

/** One row per background task (runtime/): who ran it last and until when nobody else may run it. */
export interface RuntimeLeasesTable {
  /** The task's name, e.g. 'auth.purge-expired-tokens'. */
  name: string;
  /** The runtime instance that claimed the last run; null until the first run. */
  holder: string | null;
  /** The claim time + the task's interval: no process runs the task again before this. */
  expires_at: string;
  last_run_at: string | null;
}

// ---- Benchmarks (MRI): prompt sets, models' media, leaderboards, matchups and their votes (benchmarks/).

export interface BenchmarksTable {
  id: string;
  organization_id: string;
  name: string;
  created_at: string;
}

export interface BenchmarkPromptsTable {
  id: string;
  benchmark_id: string;
  identifier: string;
  prompt: string | null;
  /** JSON: a stored item, or null. */
  prompt_asset: string | null;
  /** JSON array of tag values. */
  tags: string;
  /** JSON array of `{ value, category }` (0014); null: the tags without categories. */
  structured_tags: string | null;
  origin: string | null;
  /** The English version the requester gave; null: the prompt itself. */
  english_prompt: string | null;
  sort_index: number;
  created_at: string;
}

export interface ParticipantsTable {
  id: string;
  benchmark_id: string;
  name: string;
  /** 'created' | 'submitted' | 'disabled'. */
  status: string;
  created_at: string;
  submitted_at: string | null;
}

export interface ParticipantMediaTable {
  id: string;
  participant_id: string;
  prompt_id: string;
  /** JSON: the stored item (its name is the requester's; labelers never see it). */
  item: string;
  created_at: string;
}

export interface LeaderboardsTable {
  id: string;
  benchmark_id: string;
  name: string;
  instruction: string;
  show_prompt: number;
  show_prompt_asset: number;
  inverse_ranking: number;
  /** JSON: a level name or a number. */
  level_of_detail: string;
  response_budget: number;
  audience_id: string;
  /** Responses each matchup planned from now on collects (the API's minResponsesPerMatchup). */
  responses_per_comparison: number;
  /** JSON arrays of tag values: the prompts a run uses (fixed at creation). */
  included_tags: string;
  excluded_tags: string;
  /** 'all' | 'majority'. */
  vote_aggregation: string;
  created_at: string;
}

/** One round of matchmaking: the models it is for (focus) and the responses it may ask. */
export interface LeaderboardRunsTable {
  id: string;
  leaderboard_id: string;
  /** JSON array of participant ids the run's pairs must include. */
  focus: string;
  budget: number;
  /** Responses of the matchups made so far. */
  planned: number;
  /** 'open' (matchmaking) | 'planned' (budget used; matchups may still be answered). */
  status: string;
  /** JSON array of the prompt ids in the leaderboard's tag scope when the run opened; null: every prompt. */
  prompt_ids: string | null;
  created_at: string;
}

export interface MatchupsTable {
  id: string;
  leaderboard_id: string;
  run_id: string;
  prompt_id: string;
  media_a: string;
  media_b: string;
  participant_a: string;
  participant_b: string;
  wanted: number;
  responses: number;
  /** 'open' | 'done'. */
  status: string;
  created_at: string;
}

export interface MatchupVotesTable {
  id: string;
  matchup_id: string;
  leaderboard_id: string;
  prompt_id: string;
  participant_a: string;
  participant_b: string;
  labeler_id: string;
  /** 'a' | 'b' | 'tie', in the matchup's order (a = media_a). */
  outcome: string;
  presentation: string;
  /** The labeler's trust score when voting (weighted matrices); null for votes from before 0014. */
  user_score: number | null;
  created_at: string;
  /** The keyed address hash of the lease it was given under (see LeasesTable.address_hash). */
  address_hash: Generated<string | null>;
}

/** Battles brought from elsewhere, folded into counts per pair of model names (and prompt, when named). */
export interface ImportedVotesTable {
  id: string;
  leaderboard_id: string;
  model_a: string;
  model_b: string;
  prompt_identifier: string | null;
  wins_a: number;
  wins_b: number;
  ties: number;
  created_at: string;
}

// ---- Dashboard users (users/): accounts of an organization, their sessions, one-time links. Secrets are hashes.

export interface UsersTable {
  id: string;
  organization_id: string;
  /** Lower-cased; unique across the server (sign-in names no organization). */
  email: string;
  name: string;
  role: UserRole;
  /** A self-describing scrypt string (users/passwords.ts). */
  password_hash: string;
  created_at: string;
}

export interface UserSessionsTable {
  /** sha256 of the cookie's token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: string;
  /** Slides forward while the session is used (users/sessions.ts). */
  expires_at: string;
}

/** One-time links: the first owner's setup, invites, password resets; used ones are deleted. */
export interface UserTokensTable {
  id: string;
  /** sha256 of the link's token. */
  token_hash: string;
  kind: 'setup' | 'invite' | 'password_reset';
  organization_id: string;
  /** The user a password reset is for; null otherwise. */
  user_id: string | null;
  /** The role an invite (or setup: owner) gives; null for resets. */
  role: UserRole | null;
  created_at: string;
  expires_at: string;
}

// ---- Flows and ranking jobs (flows/): sets of items ordered by pairwise votes. A ranking is one such set (a flow
// item, or one datapoint of a ranking job) with its settings copied in, so a flow's config change only affects
// items created afterwards.

export interface FlowsTable {
  id: string;
  organization_id: string;
  name: string;
  instruction: string;
  audience_id: string;
  min_responses: number;
  max_responses: number;
  starting_elo: number;
  /** JSON array of setting names. */
  settings: string;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RankingJobDefinitionsTable {
  id: string;
  organization_id: string;
  name: string;
  instruction: string;
  data_type: string;
  comparison_budget: number;
  responses_per_comparison: number;
  random_ratio: number;
  /** JSON array of setting names. */
  settings: string;
  /** JSON: one `{ items, context, mediaContext }` per ranking (items resolved). */
  groups: string;
  created_at: string;
}

export interface RankingJobsTable {
  id: string;
  organization_id: string;
  definition_id: string;
  name: string;
  audience_id: string;
  created_at: string;
}

export interface RankingsTable {
  id: string;
  organization_id: string;
  /** The flow it is an item of, or null. */
  flow_id: string | null;
  /** The ranking job it is a datapoint of, or null. */
  job_id: string | null;
  sort_index: number;
  instruction: string;
  audience_id: string;
  data_type: string;
  /** JSON array of stored items, in the requester's order (matchups name them by index). */
  items: string;
  context: string | null;
  /** JSON array of stored items, or null. */
  media_context: string | null;
  /** JSON array of setting names. */
  settings: string;
  /** JSON object returned with a flow item, never shown to labelers; or null. */
  private_metadata: string | null;
  /** Responses below which an expired ranking is 'incomplete'. */
  min_responses: number;
  /** Responses it collects at most (a ranking job: budget × responses per comparison). */
  max_responses: number;
  responses_per_comparison: number;
  random_ratio: number;
  starting_elo: number;
  /** 'pending' | 'running' | 'completed' | 'incomplete' | 'stopped'. */
  status: string;
  responses: number;
  /** Responses of the matchups made so far. */
  planned: number;
  expires_at: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface RankingMatchupsTable {
  id: string;
  ranking_id: string;
  /** Indexes into the ranking's items. */
  item_a: number;
  item_b: number;
  wanted: number;
  responses: number;
  /** 'open' | 'done'. */
  status: string;
  created_at: string;
}

export interface RankingVotesTable {
  id: string;
  matchup_id: string;
  ranking_id: string;
  item_a: number;
  item_b: number;
  labeler_id: string;
  /** 'a' | 'b' | 'tie', in the matchup's order. */
  outcome: string;
  presentation: string;
  created_at: string;
  /** The keyed address hash of the lease it was given under (see LeasesTable.address_hash). */
  address_hash: Generated<string | null>;
}

// ---- Evaluations (ground-truth item sets)

export interface EvaluationsTable {
  id: string;
  /** null: built-in (shipped with the server, visible to every organization). */
  organization_id: string | null;
  name: string;
  description: string;
  /** 1: counts towards aggregate model scores. */
  trusted: number;
  /** 'private' | 'public'. */
  visibility: string;
  created_at: string;
}

export interface EvaluationVersionsTable {
  id: string;
  evaluation_id: string;
  version: string;
  free_form_count: number;
  multiple_choice_count: number;
  created_at: string;
}

export interface EvaluationItemsTable {
  id: string;
  version_id: string;
  /** 1-based import order. */
  position: number;
  /** 'free-form' | 'multiple-choice'. */
  split: string;
  /** The item's id in its source, unique per version and split. */
  key: string;
  question: string;
  context: string | null;
  /** JSON array of option texts (multiple-choice), else null. */
  options: string | null;
  /** JSON array of accepted answers (free-form), else null. */
  answers: string | null;
  correct_option: number | null;
  benchmark: string | null;
}

export interface ModelsTable {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  publisher: string | null;
  architecture: string | null;
  parameter_count: number | null;
  /** 'private' | 'public'. */
  visibility: string;
  /** 0 | 1: other organizations may run evaluations on it (public models only). */
  publicly_runnable: number;
  endpoint_url: string;
  /** The headers object as JSON, encrypted: `v1.<key id>.<iv>.<tag>.<ciphertext>` (models/secrets.ts). */
  endpoint_headers: string;
  /** JSON text with %PROMPT% inside its strings. */
  body_template: string;
  /** JSON array: ["json", key or index, …], ["text"] or []. */
  response_path: string;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  context_window_tokens: number | null;
  cost_per_1k_input: number | null;
  cost_per_1k_output: number | null;
  cost_per_hour: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

// ---- Evaluation runs (evaluations/runs/): a model on one evaluation version, per-item results, the response cache.

export interface EvaluationRunsTable {
  id: string;
  organization_id: string;
  model_id: string;
  evaluation_id: string;
  version_id: string;
  /** 'queued' | 'running' | 'completed' | 'failed' | 'cancelled'. */
  status: string;
  /** 0 | 1: answers collected, not graded. */
  inference_only: number;
  /** 'rules', a judge model's id, or null (inference only, not graded yet). */
  grader: string | null;
  /** 0 | 1: answer a repeated request from evaluation_response_cache. */
  use_cache: number;
  total_items: number;
  answered: number;
  failed: number;
  skipped: number;
  cached: number;
  /** 0-100, null until graded. */
  score: number | null;
  /** JSON: the RunScore (per split and per benchmark). */
  scores: string | null;
  input_tokens: number;
  output_tokens: number;
  cost: number;
  error: string | null;
  /** The process running it, and until when (ms since epoch) its claim holds. */
  holder: string | null;
  lease_until: number | string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  scored_at: string | null;
}

export interface EvaluationRunItemsTable {
  run_id: string;
  item_id: string;
  /** null while only claimed; 'answered' | 'failed' | 'skipped'. */
  status: string | null;
  prompt: string | null;
  raw_response: string | null;
  answer: string | null;
  /** JSON: the Grade. */
  grade: string | null;
  grade_error: string | null;
  score: number | null;
  parser: string | null;
  /** JSON: { kind, message, status? }. */
  error: string | null;
  skip_reason: string | null;
  attempts: number;
  cached: number;
  latency_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  tokens_estimated: number;
  cost: number | null;
  finished_at: string | null;
  holder: string | null;
  /** ms since epoch. */
  lease_until: number | string;
}

export interface EvaluationResponseCacheTable {
  key: string;
  raw_response: string;
  answer: string;
  input_tokens: number;
  output_tokens: number;
  tokens_estimated: number;
  latency_ms: number;
  created_at: string;
}

// ---- Recruitment (recruitment/): how labelers get into an audience.

/** An audience's recruitment mode; no row: `open`. */
export interface AudienceRecruitmentTable {
  audience_id: string;
  organization_id: string;
  mode: 'open' | 'invite' | 'study';
  /** JSON: the recruiting site's settings (`StudySettings` of @jury/api) when mode is `study`, else null. */
  study: string | null;
  updated_at: string;
}

/** An invite link: `single` admits one labeler, `shared` up to `max_uses`; the token is stored hashed. */
export interface InviteLinksTable {
  id: string;
  audience_id: string;
  organization_id: string;
  token_hash: string;
  kind: 'single' | 'shared';
  max_uses: number;
  uses: number;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** A labeler's way into a non-open audience (one per audience and labeler). */
export interface AudienceEntriesTable {
  audience_id: string;
  labeler_id: string;
  via: 'invite' | 'study';
  invite_id: string | null;
  created_at: string;
}

/** One labeler per participant id of a recruiting site; the latest study and session ids they came with. */
export interface LabelerIdentitiesTable {
  provider: string;
  external_id: string;
  labeler_id: string;
  study_id: string | null;
  session_id: string | null;
  created_at: string;
  updated_at: string;
}
