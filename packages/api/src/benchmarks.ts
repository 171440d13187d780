import { createRoute } from '@hono/zod-openapi';
import {
  dataEnvelope,
  idParamSchema,
  listEnvelope,
  listQuerySchema,
  pageKeys,
  timestamp,
  z,
} from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { assetItemInputSchema, itemSchema } from './items.ts';
import { requesterSecurity } from './security.ts';

/**
 * Model Ranking Insights (MRI): benchmarks (a prompt set), leaderboards (one evaluation criterion each, with its
 * own votes) and participants (models, with media per prompt). Matchups of two models' media for the same prompt
 * are served to labelers as compare tasks; standings are Bradley-Terry fits of the leaderboard's votes.
 */

const MAX_PROMPTS = 10_000;
const MAX_MEDIA = 10_000;
const MAX_BATTLES = 200_000;

// ---- Benchmarks and prompts

const identifierSchema = z.string().min(1, 'An identifier cannot be empty.').max(500);
const promptTextSchema = z.string().min(1, 'A prompt cannot be empty.').max(20_000);
const tagSchema = z.string().min(1, 'A tag cannot be empty.').max(100);
const categorySchema = z.string().min(1, 'A tag category cannot be empty.').max(100);
const originSchema = z.string().min(1, 'An origin cannot be empty.').max(500);

/** A tag: its value (what filters match), or `{ value, category }` (the category groups tags in the dashboard). */
export const tagInputSchema = z
  .union([tagSchema, z.object({ value: tagSchema, category: categorySchema.nullable().optional() }).strict()])
  .openapi('TagInput');
export type TagInput = z.infer<typeof tagInputSchema>;
const promptTagsSchema = z.array(tagInputSchema).max(50, 'A prompt has at most 50 tags.');
/** Where a prompt comes from (a dataset, a team): a text or the reference SDK's `{ source }`. */
export const originInputSchema = z.union([originSchema, z.object({ source: originSchema }).strict()]);
export type OriginInput = z.infer<typeof originInputSchema>;

export const structuredTagSchema = z
  .object({ value: z.string(), category: z.string().nullable() })
  .openapi('StructuredTag');
export type StructuredTag = z.infer<typeof structuredTagSchema>;

/**
 * Prompts as parallel lists, matched by index (the reference product's shape): `identifiers` name them (default:
 * the prompt texts, which must then be unique), `prompts` are the texts, `promptAssets` media shown with them
 * (e.g. the input image of an image-to-video model), `tags` per prompt filter standings and are never shown,
 * `origins` say where each prompt comes from, `englishPrompts` are English versions (Jury does not translate:
 * default, the prompt itself).
 */
export const promptListSchema = z
  .object({
    identifiers: z.array(identifierSchema).max(MAX_PROMPTS).optional(),
    prompts: z.array(promptTextSchema.nullable()).max(MAX_PROMPTS).optional(),
    promptAssets: z.array(assetItemInputSchema.nullable()).max(MAX_PROMPTS).optional(),
    tags: z.array(promptTagsSchema.nullable()).max(MAX_PROMPTS).optional(),
    origins: z.array(originInputSchema.nullable()).max(MAX_PROMPTS).optional(),
    englishPrompts: z.array(promptTextSchema.nullable()).max(MAX_PROMPTS).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const lists = {
      identifiers: p.identifiers,
      prompts: p.prompts,
      promptAssets: p.promptAssets,
      tags: p.tags,
      origins: p.origins,
      englishPrompts: p.englishPrompts,
    };
    const given = Object.entries(lists).filter(([, v]) => v !== undefined) as [string, unknown[]][];
    if (!p.identifiers && !p.prompts)
      ctx.addIssue({ code: 'custom', message: 'Give identifiers, prompts, or both.', path: ['identifiers'] });
    if (!p.prompts && !p.promptAssets)
      ctx.addIssue({ code: 'custom', message: 'Give prompts, promptAssets, or both.', path: ['prompts'] });
    const length = given[0]?.[1].length ?? 0;
    for (const [name, list] of given)
      if (list.length !== length)
        ctx.addIssue({
          code: 'custom',
          message: `${given[0]![0]} has ${length} entries but ${name} has ${list.length}: the lists are matched by index and must be of equal length.`,
          path: [name],
        });
    const ids = p.identifiers ?? p.prompts;
    if (!p.identifiers && p.prompts?.some((t) => t === null))
      ctx.addIssue({
        code: 'custom',
        message: 'Without identifiers every prompt needs a text.',
        path: ['prompts'],
      });
    if (ids) {
      const seen = new Set<string | null>();
      const repeated: (string | null)[] = [];
      for (const id of ids) {
        if (seen.has(id)) repeated.push(id);
        seen.add(id);
      }
      if (repeated.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `${p.identifiers ? 'Identifiers' : 'Prompts (the identifiers when none are given)'} must be unique; repeated: ${JSON.stringify([...new Set(repeated)].slice(0, 10))}.`,
          path: [p.identifiers ? 'identifiers' : 'prompts'],
        });
    }
    p.prompts?.forEach((t, i) => {
      if (t === null && !p.promptAssets?.[i])
        ctx.addIssue({
          code: 'custom',
          message: `Prompt ${i + 1} has neither a text nor an asset.`,
          path: ['prompts', i],
        });
    });
  })
  .openapi('PromptList');
export type PromptList = z.infer<typeof promptListSchema>;

export const createBenchmarkSchema = z
  .object({
    name: z.string().trim().min(1, 'A benchmark needs a name.').max(200),
    prompts: promptListSchema.optional().openapi({ description: 'The prompt set (more with addPrompts)' }),
  })
  .strict()
  .openapi('CreateBenchmark');
export type CreateBenchmark = z.infer<typeof createBenchmarkSchema>;

export const benchmarkSchema = z
  .object({
    id: z.string().openapi({ example: 'bmk_4kq9x2m7p1d8s3wz' }),
    name: z.string(),
    promptCount: z.number().int(),
    participantCount: z.number().int(),
    leaderboardCount: z.number().int(),
    createdAt: timestamp,
  })
  .openapi('Benchmark');
export type Benchmark = z.infer<typeof benchmarkSchema>;

export const benchmarkPromptSchema = z
  .object({
    id: z.string(),
    identifier: z.string(),
    prompt: z.string().nullable(),
    promptAsset: itemSchema.nullable(),
    /** Tag values (what standings filters match). */
    tags: z.array(z.string()),
    /** The same tags with their categories (null where none was given). */
    structuredTags: z.array(structuredTagSchema),
    origin: z.string().nullable(),
    /** The English version given with the prompt, else the prompt itself (Jury does not translate). */
    englishPrompt: z.string().nullable(),
    createdAt: timestamp,
  })
  .openapi('BenchmarkPrompt');
export type BenchmarkPrompt = z.infer<typeof benchmarkPromptSchema>;

/** What `updatePrompt` changes: its tags (replaced), its origin (null clears it); a field left out is unchanged. */
export const updatePromptSchema = z
  .object({ tags: promptTagsSchema.optional(), origin: originInputSchema.nullable().optional() })
  .strict()
  .refine((u) => u.tags !== undefined || u.origin !== undefined, 'Give tags or an origin to change.')
  .openapi('UpdatePrompt');
export type UpdatePrompt = z.infer<typeof updatePromptSchema>;

export const listBenchmarkPartsQuerySchema = z.object(pageKeys(100, 1000)).strict();

// ---- Leaderboards

export const LEVELS_OF_DETAIL = ['debug', 'low', 'medium', 'high', 'very high'] as const;

export const levelOfDetailSchema = z
  .union([
    z.enum(LEVELS_OF_DETAIL),
    z.number().int('A custom level of detail is a whole number of responses.').min(1).max(1_000_000),
  ])
  .openapi('LevelOfDetail', {
    description:
      'Comparison responses per evaluation run: debug 20, low 2,000, medium 4,000, high 8,000, very high 16,000, or a custom number',
  });
export type LevelOfDetail = z.infer<typeof levelOfDetailSchema>;

export const VOTE_AGGREGATIONS = ['all', 'majority'] as const;
export type VoteAggregation = (typeof VOTE_AGGREGATIONS)[number];
export const voteAggregationSchema = z.enum(VOTE_AGGREGATIONS).openapi('VoteAggregation', {
  description:
    "How votes become Bradley-Terry outcomes: `all` (default): every vote is one; `majority`: each matchup gives one win to its majority side (a tie half to each). Jury defaults to `all` because the fit's intervals are those of the individual votes; `majority` reproduces the reference product's default",
});
const minResponsesPerMatchupSchema = z
  .number()
  .int('minResponsesPerMatchup is a whole number of responses.')
  .min(3, 'minResponsesPerMatchup is at least 3.')
  .max(100, 'minResponsesPerMatchup is at most 100.');
const leaderboardTagsSchema = z.array(tagSchema).max(100, 'At most 100 tags.');

export const createLeaderboardSchema = z
  .object({
    name: z.string().trim().min(1, 'A leaderboard needs a name.').max(200),
    instruction: z.string().trim().min(1, 'Labelers need an instruction.').max(2000),
    showPrompt: z.boolean().default(false).openapi({ description: 'Show the prompt text with each matchup' }),
    showPromptAsset: z
      .boolean()
      .default(false)
      .openapi({ description: "Show the prompt's asset with each matchup" }),
    inverseRanking: z.boolean().default(false).openapi({
      description: 'The instruction asks for the worse one ("Which image is worse?"): lower is better',
    }),
    levelOfDetail: levelOfDetailSchema.default('low'),
    audienceId: z.string().min(1).max(100).default('global').openapi({
      description: '`global` (every labeler), a custom (`aud_…`) or a filtered (`fau_…`) audience',
    }),
    minResponsesPerMatchup: minResponsesPerMatchupSchema.optional().openapi({
      description:
        'Labelers asked per matchup (each a separate vote; a matchup is served until it has them). Default: 1 with `all` votes (each vote a fresh pair from the posterior), 3 with `majority`',
    }),
    includedTags: leaderboardTagsSchema.default([]).openapi({
      description:
        'Only prompts with at least one of these tag values take part (none: every prompt); fixed at creation, applied when a run starts',
    }),
    excludedTags: leaderboardTagsSchema.default([]).openapi({
      description: 'Prompts with any of these tag values never take part; fixed at creation',
    }),
    voteAggregation: voteAggregationSchema.default('all'),
    skipInitialRun: z.boolean().default(false).openapi({
      description:
        'No run for the models already submitted; a model submitted later is still compared with the whole field',
    }),
  })
  .strict()
  .openapi('CreateLeaderboard');
export type CreateLeaderboard = z.input<typeof createLeaderboardSchema>;

/** What `leaderboard.update` changes (only the fields given); the tags and the instruction are fixed. */
export const updateLeaderboardSchema = z
  .object({
    name: z.string().trim().min(1, 'A leaderboard needs a name.').max(200).optional(),
    levelOfDetail: levelOfDetailSchema
      .optional()
      .openapi({ description: 'The budget of runs opened from now on' }),
    minResponsesPerMatchup: minResponsesPerMatchupSchema
      .optional()
      .openapi({ description: 'Responses of the matchups planned from now on' }),
    voteAggregation: voteAggregationSchema.optional().openapi({
      description: 'Standings are folded from the raw votes on every read, so this applies to past votes too',
    }),
  })
  .strict()
  .refine((u) => Object.values(u).some((v) => v !== undefined), 'Give at least one field to change.')
  .openapi('UpdateLeaderboard');
export type UpdateLeaderboard = z.infer<typeof updateLeaderboardSchema>;

export const leaderboardSchema = z
  .object({
    id: z.string().openapi({ example: 'lbd_3k9d2m1x0q7w5e8r' }),
    benchmarkId: z.string(),
    name: z.string(),
    instruction: z.string(),
    showPrompt: z.boolean(),
    showPromptAsset: z.boolean(),
    inverseRanking: z.boolean(),
    levelOfDetail: levelOfDetailSchema,
    /** Comparison responses per evaluation run (from levelOfDetail). */
    responseBudget: z.number().int(),
    audienceId: z.string(),
    /** Responses each matchup collects (planned from now on). */
    minResponsesPerMatchup: z.number().int(),
    includedTags: z.array(z.string()),
    excludedTags: z.array(z.string()),
    voteAggregation: voteAggregationSchema,
    /** Votes collected (matchup answers and imported battles). */
    votes: z.number().int(),
    /** Whether matchmaking still has comparisons to ask. */
    matching: z.boolean(),
    createdAt: timestamp,
  })
  .openapi('Leaderboard');
export type Leaderboard = z.infer<typeof leaderboardSchema>;

// ---- Participants

export const PARTICIPANT_STATUSES = ['created', 'submitted', 'disabled'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/**
 * Media of one model, each paired by index with a benchmark prompt: by `identifiers`, or by `prompts` (texts of
 * the benchmark's prompts). A prompt may come more than once.
 */
export const participantMediaSchema = z
  .object({
    media: z.array(assetItemInputSchema).min(1, 'Give at least one media item.').max(MAX_MEDIA),
    identifiers: z.array(identifierSchema).max(MAX_MEDIA).optional(),
    prompts: z.array(promptTextSchema).max(MAX_MEDIA).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if ((m.identifiers === undefined) === (m.prompts === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'Pair the media with either identifiers or prompts (exactly one of them).',
        path: ['identifiers'],
      });
    const keys = m.identifiers ?? m.prompts;
    if (keys && keys.length !== m.media.length)
      ctx.addIssue({
        code: 'custom',
        message: `${m.media.length} media but ${keys.length} ${m.identifiers ? 'identifiers' : 'prompts'}: each media item is paired by index with one.`,
        path: [m.identifiers ? 'identifiers' : 'prompts'],
      });
  })
  .openapi('ParticipantMedia');
export type ParticipantMedia = z.infer<typeof participantMediaSchema>;

export const createParticipantSchema = z
  .object({
    name: z.string().trim().min(1, 'A model needs a name.').max(200),
    media: participantMediaSchema.optional(),
    /** Submit at once (evaluateModel); otherwise it stays `created` until run. */
    submit: z.boolean().default(false),
  })
  .strict()
  .openapi('CreateParticipant');
export type CreateParticipant = z.input<typeof createParticipantSchema>;

export const updateParticipantSchema = z
  .object({
    name: z.string().trim().min(1, 'A model needs a name.').max(200).optional(),
    status: z.enum(['submitted', 'disabled']).optional().openapi({
      description: '`disabled` excludes it from matchmaking and standings; `submitted` enables it again',
    }),
  })
  .strict()
  .refine((u) => u.name !== undefined || u.status !== undefined, 'Give a name or a status to change.')
  .openapi('UpdateParticipant');
export type UpdateParticipant = z.infer<typeof updateParticipantSchema>;

export const participantSchema = z
  .object({
    id: z.string().openapi({ example: 'prt_8d2k1m0q7x3w9e1r' }),
    benchmarkId: z.string(),
    name: z.string(),
    status: z.enum(PARTICIPANT_STATUSES),
    mediaCount: z.number().int(),
    createdAt: timestamp,
    submittedAt: timestamp.nullable(),
  })
  .openapi('Participant');
export type Participant = z.infer<typeof participantSchema>;

/** One media item of a model, with the prompt it is paired with. */
export const participantMediaItemSchema = z
  .object({
    id: z.string().openapi({ example: 'pmd_2k9d1m0q7x3w8e5r' }),
    promptId: z.string(),
    identifier: z.string().openapi({ description: "The prompt's identifier" }),
    item: itemSchema,
    createdAt: timestamp,
  })
  .openapi('ParticipantMediaItem');
export type ParticipantMediaItem = z.infer<typeof participantMediaItemSchema>;

export const runBenchmarkResultSchema = z
  .object({ submitted: z.array(participantSchema) })
  .openapi('RunBenchmarkResult');

// ---- Standings

export const standingsQuerySchema = z
  .object({
    tags: z
      .string()
      .max(2000)
      .optional()
      .openapi({ description: 'Comma-separated tags: refit on the votes of prompts with any of them' }),
    intervals: z.enum(['sandwich', 'bootstrap']).default('sandwich'),
    sklearnC: z.coerce.number().positive('sklearnC is a positive number.').max(1e6).optional().openapi({
      description:
        "Fit with the L2 penalty of scikit-learn's LogisticRegression at this C, as the published Chatbot Arena and GenAI-Arena tables do (C = 1). Default: maximum likelihood, with a weak prior only where it has no solution (a warning says so)",
    }),
  })
  .strict();
export type StandingsQuery = z.infer<typeof standingsQuerySchema>;

export const standingSchema = z
  .object({
    /** The participant's id; null for a model known only from imported votes. */
    participantId: z.string().nullable(),
    name: z.string(),
    rank: z.number().int(),
    /** Bradley-Terry rating on the Elo scale (400 points per factor 10 in odds; mean 1000 per component). */
    score: z.number(),
    lower: z.number(),
    upper: z.number(),
    /** Best and worst rank the 95% intervals allow. */
    rankLower: z.number().int(),
    rankUpper: z.number().int(),
    votes: z.number(),
    wins: z.number(),
    ties: z.number(),
    winRate: z.number().nullable(),
  })
  .openapi('Standing');
export type Standing = z.infer<typeof standingSchema>;

export const standingsWarningSchema = z
  .object({ kind: z.string(), message: z.string(), models: z.array(z.string()) })
  .openapi('StandingsWarning');

export const standingsSchema = z
  .object({
    leaderboardId: z.string(),
    /** How the votes were folded: under `majority`, totalVotes (and each model's votes and wins) count matchups. */
    voteAggregation: voteAggregationSchema,
    method: z.enum(['sandwich', 'bootstrap']),
    level: z.number(),
    totalVotes: z.number(),
    tags: z.array(z.string()).nullable(),
    standings: z.array(standingSchema),
    warnings: z.array(standingsWarningSchema),
  })
  .openapi('Standings');
export type Standings = z.infer<typeof standingsSchema>;

export const benchmarkStandingsQuerySchema = standingsQuerySchema
  .extend({
    leaderboardIds: z.string().max(5000).optional().openapi({
      description:
        "Comma-separated ids of the benchmark's leaderboards to fold together (default: all of them)",
    }),
  })
  .strict();
export type BenchmarkStandingsQuery = z.infer<typeof benchmarkStandingsQuerySchema>;

/** A benchmark's overall standings: one Bradley-Terry fit of the votes of its leaderboards, each in its direction. */
export const benchmarkStandingsSchema = standingsSchema
  .omit({ leaderboardId: true, voteAggregation: true })
  .extend({ benchmarkId: z.string(), leaderboardIds: z.array(z.string()) })
  .openapi('BenchmarkStandings');
export type BenchmarkStandings = z.infer<typeof benchmarkStandingsSchema>;

export const winLossMatrixSchema = z
  .object({
    models: z.array(z.string()),
    /** wins[i][j]: votes where model i beat model j (ties count half to each). */
    wins: z.array(z.array(z.number())),
    /** votes[i][j]: votes between i and j. */
    votes: z.array(z.array(z.number())),
  })
  .openapi('WinLossMatrix');
export type WinLossMatrix = z.infer<typeof winLossMatrixSchema>;

const useWeightedScoringSchema = z.enum(['true', 'false']).default('false').openapi({
  description:
    "Weigh each vote by its labeler's trust score when it was cast (votes from before trust scores were kept weigh 1; imported battles weigh 1)",
});

export const winLossQuerySchema = z
  .object({ tags: standingsQuerySchema.shape.tags, useWeightedScoring: useWeightedScoringSchema })
  .strict();

export const benchmarkWinLossQuerySchema = winLossQuerySchema
  .extend({
    leaderboardIds: benchmarkStandingsQuerySchema.shape.leaderboardIds,
    participantIds: z.string().max(5000).optional().openapi({
      description:
        "Comma-separated ids of the benchmark's models the matrix is limited to (default: all of them)",
    }),
  })
  .strict();

// ---- Runs

export const LEADERBOARD_RUN_STATUSES = ['matching', 'collecting', 'done'] as const;

/** One round of matchmaking of a leaderboard: opened when models are submitted (or the leaderboard is created). */
export const leaderboardRunSchema = z
  .object({
    id: z.string().openapi({ example: 'lrn_5k2d9m1x0q7w3e8r' }),
    leaderboardId: z.string(),
    status: z.enum(LEADERBOARD_RUN_STATUSES).openapi({
      description:
        'matching: still planning matchups; collecting: its budget is planned, some matchups still take answers; done',
    }),
    /** The models the run is for: every matchup it plans includes one of them. */
    participantIds: z.array(z.string()),
    /** Responses the run may ask (the level of detail when it opened). */
    budget: z.number().int(),
    /** Responses of the matchups planned so far. */
    planned: z.number().int(),
    /** Votes its matchups received. */
    votes: z.number().int(),
    /** The prompts it uses (the leaderboard's tags applied when it opened); null: every prompt. */
    promptIds: z.array(z.string()).nullable(),
    createdAt: timestamp,
  })
  .openapi('LeaderboardRun');
export type LeaderboardRun = z.infer<typeof leaderboardRunSchema>;

// ---- Imported votes

export const BATTLE_WINNERS = ['model_a', 'model_b', 'a', 'b', 'tie', 'tie (bothbad)'] as const;

export const battleSchema = z
  .object({
    modelA: z.string().min(1).max(200),
    modelB: z.string().min(1).max(200),
    winner: z.enum(BATTLE_WINNERS),
    /** A benchmark prompt identifier (for tag filters); optional. */
    prompt: z.string().min(1).max(500).optional(),
  })
  .strict()
  .refine((b) => b.modelA !== b.modelB, 'A battle needs two different models.');
export type Battle = z.infer<typeof battleSchema>;

export const importVotesSchema = z
  .union([
    z
      .object({ battles: z.array(battleSchema).min(1, 'Give at least one battle.').max(MAX_BATTLES) })
      .strict(),
    z
      .object({
        csv: z
          .string()
          .min(1)
          .max(50_000_000)
          .openapi({ description: 'Header `model_a,model_b,winner[,prompt]`, one battle a line' }),
      })
      .strict(),
  ])
  .openapi('ImportVotes');
export type ImportVotes = z.infer<typeof importVotesSchema>;

export const importVotesResultSchema = z
  .object({ imported: z.number().int(), models: z.array(z.string()) })
  .openapi('ImportVotesResult');

// ---- Routes

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const benchmarkId = idParamSchema('BenchmarkId', 'bmk_4kq9x2m7p1d8s3wz');
const leaderboardId = idParamSchema('LeaderboardId', 'lbd_3k9d2m1x0q7w5e8r');
const participantId = idParamSchema('ParticipantId', 'prt_8d2k1m0q7x3w9e1r');
const promptId = idParamSchema('PromptId', 'bpr_7d1k2m9q0x3w8e5r');
const tags = ['benchmarks'];
const security = requesterSecurity;

export const createBenchmarkRoute = createRoute({
  operationId: 'createBenchmark',
  method: 'post',
  path: '/api/v1/benchmarks',
  tags,
  summary: 'Create a benchmark with its prompts',
  security,
  request: body(createBenchmarkSchema),
  responses: {
    201: json(dataEnvelope(benchmarkSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const findBenchmarksRoute = createRoute({
  operationId: 'findBenchmarks',
  method: 'get',
  path: '/api/v1/benchmarks',
  tags,
  summary: "Find your organization's benchmarks, newest first",
  security,
  request: { query: listQuerySchema },
  responses: {
    200: json(listEnvelope(benchmarkSchema), 'Benchmarks'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED'),
  },
});

export const getBenchmarkRoute = createRoute({
  operationId: 'getBenchmark',
  method: 'get',
  path: '/api/v1/benchmarks/{id}',
  tags,
  summary: 'A benchmark by id',
  security,
  request: { params: benchmarkId },
  responses: {
    200: json(dataEnvelope(benchmarkSchema), 'The benchmark'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const addPromptsRoute = createRoute({
  operationId: 'addPrompts',
  method: 'post',
  path: '/api/v1/benchmarks/{id}/prompts',
  tags,
  summary: 'Add prompts to a benchmark (they take part for models submitted afterwards)',
  security,
  request: { params: benchmarkId, ...body(promptListSchema) },
  responses: {
    201: json(z.object({ data: z.array(benchmarkPromptSchema) }), 'The prompts added'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const listPromptsRoute = createRoute({
  operationId: 'listPrompts',
  method: 'get',
  path: '/api/v1/benchmarks/{id}/prompts',
  tags,
  summary: "A benchmark's prompts, in the order they were added",
  security,
  request: { params: benchmarkId, query: listBenchmarkPartsQuerySchema },
  responses: {
    200: json(listEnvelope(benchmarkPromptSchema), 'Prompts'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const updatePromptRoute = createRoute({
  operationId: 'updatePrompt',
  method: 'patch',
  path: '/api/v1/prompts/{id}',
  tags,
  summary: "Change a prompt's tags or origin (fields left out stay as they are)",
  security,
  request: { params: promptId, ...body(updatePromptSchema) },
  responses: {
    200: json(dataEnvelope(benchmarkPromptSchema), 'The prompt'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const deletePromptRoute = createRoute({
  operationId: 'deletePrompt',
  method: 'delete',
  path: '/api/v1/prompts/{id}',
  tags,
  summary:
    'Delete a prompt with its media, matchups and votes (they leave every standings; cannot be undone)',
  security,
  request: { params: promptId },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const createLeaderboardRoute = createRoute({
  operationId: 'createLeaderboard',
  method: 'post',
  path: '/api/v1/benchmarks/{id}/leaderboards',
  tags,
  summary:
    'Create a leaderboard (an evaluation criterion with its own votes); matchmaking starts for the submitted models',
  security,
  request: { params: benchmarkId, ...body(createLeaderboardSchema) },
  responses: {
    201: json(dataEnvelope(leaderboardSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const listLeaderboardsRoute = createRoute({
  operationId: 'listLeaderboards',
  method: 'get',
  path: '/api/v1/benchmarks/{id}/leaderboards',
  tags,
  summary: "A benchmark's leaderboards",
  security,
  request: { params: benchmarkId, query: listBenchmarkPartsQuerySchema },
  responses: {
    200: json(listEnvelope(leaderboardSchema), 'Leaderboards'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getLeaderboardRoute = createRoute({
  operationId: 'getLeaderboard',
  method: 'get',
  path: '/api/v1/leaderboards/{id}',
  tags,
  summary: 'A leaderboard by id',
  security,
  request: { params: leaderboardId },
  responses: {
    200: json(dataEnvelope(leaderboardSchema), 'The leaderboard'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const updateLeaderboardRoute = createRoute({
  operationId: 'updateLeaderboard',
  method: 'patch',
  path: '/api/v1/leaderboards/{id}',
  tags,
  summary:
    'Change a leaderboard: name, level of detail, responses per matchup, vote aggregation (only those given)',
  security,
  request: { params: leaderboardId, ...body(updateLeaderboardSchema) },
  responses: {
    200: json(dataEnvelope(leaderboardSchema), 'Updated'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const listLeaderboardRunsRoute = createRoute({
  operationId: 'listLeaderboardRuns',
  method: 'get',
  path: '/api/v1/leaderboards/{id}/runs',
  tags,
  summary: "A leaderboard's matchmaking runs, newest first, with status, budget and votes",
  security,
  request: { params: leaderboardId, query: listBenchmarkPartsQuerySchema },
  responses: {
    200: json(listEnvelope(leaderboardRunSchema), 'Runs'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getBenchmarkWinLossMatrixRoute = createRoute({
  operationId: 'getBenchmarkWinLossMatrix',
  method: 'get',
  path: '/api/v1/benchmarks/{id}/win-loss-matrix',
  tags,
  summary:
    "Wins of every model over every other across the benchmark's leaderboards (all, or those named), each in its direction",
  security,
  request: { params: benchmarkId, query: benchmarkWinLossQuerySchema },
  responses: {
    200: json(dataEnvelope(winLossMatrixSchema), 'The matrix'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getStandingsRoute = createRoute({
  operationId: 'getStandings',
  method: 'get',
  path: '/api/v1/leaderboards/{id}/standings',
  tags,
  summary:
    'Standings: Bradley-Terry ratings on the Elo scale with 95% intervals, votes, win rates, rank intervals',
  security,
  request: { params: leaderboardId, query: standingsQuerySchema },
  responses: {
    200: json(dataEnvelope(standingsSchema), 'Standings'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getBenchmarkStandingsRoute = createRoute({
  operationId: 'getBenchmarkStandings',
  method: 'get',
  path: '/api/v1/benchmarks/{id}/standings',
  tags,
  summary:
    "A benchmark's overall standings: the votes of its leaderboards (all, or those named) in one fit, as a leaderboard's",
  security,
  request: { params: benchmarkId, query: benchmarkStandingsQuerySchema },
  responses: {
    200: json(dataEnvelope(benchmarkStandingsSchema), 'Standings'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getWinLossMatrixRoute = createRoute({
  operationId: 'getWinLossMatrix',
  method: 'get',
  path: '/api/v1/leaderboards/{id}/win-loss-matrix',
  tags,
  summary: 'Wins of every model over every other',
  security,
  request: { params: leaderboardId, query: winLossQuerySchema },
  responses: {
    200: json(dataEnvelope(winLossMatrixSchema), 'The matrix'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const importVotesRoute = createRoute({
  operationId: 'importVotes',
  method: 'post',
  path: '/api/v1/leaderboards/{id}/votes',
  tags,
  summary: 'Import existing votes (battles: model A, model B, winner or tie, prompt optional)',
  security,
  request: { params: leaderboardId, ...body(importVotesSchema) },
  responses: {
    201: json(dataEnvelope(importVotesResultSchema), 'Imported'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const createParticipantRoute = createRoute({
  operationId: 'createParticipant',
  method: 'post',
  path: '/api/v1/benchmarks/{id}/participants',
  tags,
  summary: 'Add a model (participant) with its media per prompt; `submit: true` evaluates it at once',
  security,
  request: { params: benchmarkId, ...body(createParticipantSchema) },
  responses: {
    201: json(dataEnvelope(participantSchema), 'Created'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const listParticipantsRoute = createRoute({
  operationId: 'listParticipants',
  method: 'get',
  path: '/api/v1/benchmarks/{id}/participants',
  tags,
  summary: "A benchmark's models",
  security,
  request: { params: benchmarkId, query: listBenchmarkPartsQuerySchema },
  responses: {
    200: json(listEnvelope(participantSchema), 'Participants'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const runBenchmarkRoute = createRoute({
  operationId: 'runBenchmark',
  method: 'post',
  path: '/api/v1/benchmarks/{id}/run',
  tags,
  summary: 'Submit every model still `created` for evaluation',
  security,
  request: { params: benchmarkId },
  responses: {
    200: json(dataEnvelope(runBenchmarkResultSchema), 'Submitted'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const getParticipantRoute = createRoute({
  operationId: 'getParticipant',
  method: 'get',
  path: '/api/v1/participants/{id}',
  tags,
  summary: 'A model by id',
  security,
  request: { params: participantId },
  responses: {
    200: json(dataEnvelope(participantSchema), 'The participant'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const uploadParticipantMediaRoute = createRoute({
  operationId: 'uploadParticipantMedia',
  method: 'post',
  path: '/api/v1/participants/{id}/media',
  tags,
  summary:
    "Add media to a model (each paired with a benchmark prompt); a submitted model's new media is matched too",
  security,
  request: { params: participantId, ...body(participantMediaSchema) },
  responses: {
    201: json(dataEnvelope(participantSchema), 'Added'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND'),
  },
});

export const listParticipantMediaRoute = createRoute({
  operationId: 'listParticipantMedia',
  method: 'get',
  path: '/api/v1/participants/{id}/media',
  tags,
  summary: "A model's media, each with its prompt's identifier, oldest first",
  security,
  request: { params: participantId, query: listBenchmarkPartsQuerySchema },
  responses: {
    200: json(listEnvelope(participantMediaItemSchema), 'Media'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const runParticipantRoute = createRoute({
  operationId: 'runParticipant',
  method: 'post',
  path: '/api/v1/participants/{id}/run',
  tags,
  summary: 'Submit a model for evaluation: matchmaking re-opens on every leaderboard for it alone',
  security,
  request: { params: participantId },
  responses: {
    200: json(dataEnvelope(participantSchema), 'Submitted'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'),
  },
});

export const updateParticipantRoute = createRoute({
  operationId: 'updateParticipant',
  method: 'patch',
  path: '/api/v1/participants/{id}',
  tags,
  summary: 'Rename, disable or enable a model',
  security,
  request: { params: participantId, ...body(updateParticipantSchema) },
  responses: {
    200: json(dataEnvelope(participantSchema), 'Updated'),
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'NOT_FOUND', 'CONFLICT'),
  },
});

export const deleteParticipantRoute = createRoute({
  operationId: 'deleteParticipant',
  method: 'delete',
  path: '/api/v1/participants/{id}',
  tags,
  summary: 'Delete a model, its media and its votes (cannot be undone)',
  security,
  request: { params: participantId },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});
