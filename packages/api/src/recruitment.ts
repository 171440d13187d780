import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, idParamSchema, listEnvelope, pageQuerySchema, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { labelerNextTaskSchema, labelerProfileSchema } from './labeler.ts';
import { labelerSecurity, requesterSecurity } from './security.ts';

// Recruitment: how labelers get into a custom audience (open, invite links, a recruiting site such as Prolific).

/** `open`: anyone with a labeler session; `invite`: only through an invite link; `study`: a recruiting site's entry URL. */
export const RECRUITMENT_MODES = ['open', 'invite', 'study'] as const;
export type RecruitmentMode = (typeof RECRUITMENT_MODES)[number];

export const PROLIFIC_RETURN_URL = 'https://app.prolific.com/submissions/complete?cc={code}';

function isHttpUrl(u: string): boolean {
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const paramName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
    'A URL parameter name is a letter then letters, digits or _ (at most 64).',
  );
const code = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'A code is 1 to 100 letters, digits, _ or -.');

export const studySettingsSchema = z
  .object({
    provider: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,39}$/, 'provider is a lower-case name such as "prolific".')
      .default('prolific')
      .openapi({ description: 'The recruiting site; one labeler per participant id per provider' }),
    participantParam: paramName.default('PROLIFIC_PID'),
    studyParam: paramName.default('STUDY_ID'),
    sessionParam: paramName.default('SESSION_ID'),
    completionCode: code.openapi({ description: 'Sent back when the participant has finished' }),
    screenedOutCode: code.openapi({
      description: 'Sent back when qualification screened the participant out',
    }),
    returnUrl: z
      .string()
      .max(2000)
      .refine(isHttpUrl, 'returnUrl is an absolute http:// or https:// URL.')
      .refine((u) => u.includes('{code}'), 'returnUrl must contain {code}, where the code goes.')
      .default(PROLIFIC_RETURN_URL),
    tasksPerLabeler: z
      .number()
      .int('tasksPerLabeler is a whole number.')
      .min(1, 'tasksPerLabeler is at least 1.')
      .max(100_000)
      .nullable()
      .default(null)
      .openapi({ description: 'Finished after this many task answers; null: when no task is left for them' }),
  })
  .strict()
  .refine((s) => s.completionCode !== s.screenedOutCode, {
    message: 'The completion and screened-out codes must differ.',
    path: ['screenedOutCode'],
  })
  .openapi('StudySettings');
export type StudySettings = z.infer<typeof studySettingsSchema>;

export const recruitmentSchema = z
  .object({
    audienceId: z.string(),
    mode: z.enum(RECRUITMENT_MODES),
    /** Mode `study` only. */
    study: studySettingsSchema.nullable(),
    /** Mode `study`: the entry URL to give the recruiting site (its id parameters added by the site). */
    entryUrl: z.string().nullable(),
  })
  .openapi('Recruitment');
export type Recruitment = z.infer<typeof recruitmentSchema>;

export const setRecruitmentSchema = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('open') }).strict(),
    z.object({ mode: z.literal('invite') }).strict(),
    z.object({ mode: z.literal('study'), study: studySettingsSchema }).strict(),
  ])
  .openapi('SetRecruitment');
export type SetRecruitment = z.input<typeof setRecruitmentSchema>;

export const INVITE_KINDS = ['single', 'shared'] as const;

export const createAudienceInviteSchema = z
  .object({
    kind: z
      .enum(INVITE_KINDS)
      .openapi({ description: '`single`: one person, once; `shared`: up to maxUses labelers' }),
    maxUses: z
      .number()
      .int('maxUses is a whole number.')
      .min(1, 'maxUses is at least 1.')
      .max(1_000_000)
      .optional()
      .openapi({ description: 'Shared links only (required there)' }),
    label: z.string().trim().max(200, 'A label is at most 200 characters.').optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'shared' && v.maxUses === undefined)
      ctx.addIssue({ code: 'custom', path: ['maxUses'], message: 'A shared link needs maxUses.' });
    if (v.kind === 'single' && v.maxUses !== undefined && v.maxUses !== 1)
      ctx.addIssue({ code: 'custom', path: ['maxUses'], message: 'A single-use link admits one labeler.' });
  })
  .openapi('CreateAudienceInvite');
export type CreateAudienceInvite = z.infer<typeof createAudienceInviteSchema>;

export const audienceInviteSchema = z
  .object({
    id: z.string().openapi({ example: 'inv_4kq9x2m7p1d8s3wz' }),
    audienceId: z.string(),
    kind: z.enum(INVITE_KINDS),
    maxUses: z.number().int(),
    uses: z.number().int(),
    label: z.string().nullable(),
    /** `active` until revoked or used up. */
    state: z.enum(['active', 'used', 'revoked']),
    createdAt: timestamp,
    revokedAt: timestamp.nullable(),
  })
  .openapi('AudienceInvite');
export type AudienceInvite = z.infer<typeof audienceInviteSchema>;

export const createdAudienceInviteSchema = audienceInviteSchema
  .extend({ url: z.string().openapi({ description: 'The link; shown only now (stored hashed)' }) })
  .openapi('CreatedAudienceInvite');
export type CreatedAudienceInvite = z.infer<typeof createdAudienceInviteSchema>;

export const labelerEntrySchema = z
  .object({ audienceId: z.string(), labeler: labelerProfileSchema })
  .openapi('LabelerEntry');

export const enterStudySchema = z
  .object({
    params: z
      .record(z.string().max(100), z.string().max(500))
      .refine((p) => Object.keys(p).length <= 50, 'At most 50 parameters.')
      .openapi({ description: "The entry URL's query parameters as the recruiting site sent them" }),
  })
  .strict()
  .openapi('EnterStudy');

export const studyStepSchema = z
  .discriminatedUnion('step', [
    z.object({ step: z.literal('profile') }),
    z.object({ step: z.literal('work'), work: labelerNextTaskSchema }),
    z.object({
      step: z.literal('finished'),
      outcome: z.enum(['completed', 'screened_out']),
      code: z.string(),
      redirectUrl: z.string(),
    }),
  ])
  .openapi('StudyStep');
export type StudyStep = z.infer<typeof studyStepSchema>;

// ---- Routes

const audienceId = idParamSchema('RecruitmentAudienceId', 'aud_4kq9x2m7p1d8s3wz');
const inviteParams = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .openapi({ param: { name: 'id', in: 'path' } }),
    inviteId: z
      .string()
      .min(1)
      .max(100)
      .openapi({ param: { name: 'inviteId', in: 'path' } }),
  })
  .openapi('InviteParams');
const tokenParams = z
  .object({
    token: z
      .string()
      .regex(/^inv_[A-Za-z0-9_-]{16,100}$/, 'This is not an invite link token.')
      .openapi({ param: { name: 'token', in: 'path' } }),
  })
  .openapi('InviteTokenParams');
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const WRITE_ERRORS = ['UNAUTHENTICATED', 'CSRF_REJECTED', 'NOT_FOUND', 'FORBIDDEN'] as const;

export const getRecruitmentRoute = createRoute({
  operationId: 'getRecruitment',
  method: 'get',
  path: '/api/v1/audiences/{id}/recruitment',
  tags: ['recruitment'],
  summary: "How labelers get into the audience (open, invite links, a recruiting site's entry URL)",
  description:
    '`global` is open; a filtered audience recruits as the custom audience behind it does (shown here).',
  security: requesterSecurity,
  request: { params: audienceId },
  responses: {
    200: json(dataEnvelope(recruitmentSchema), 'Recruitment'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const setRecruitmentRoute = createRoute({
  operationId: 'setRecruitment',
  method: 'put',
  path: '/api/v1/audiences/{id}/recruitment',
  tags: ['recruitment'],
  summary: "Set the audience's recruitment mode (custom audiences; labelers already in keep their place)",
  security: requesterSecurity,
  request: { params: audienceId, ...body(setRecruitmentSchema) },
  responses: {
    200: json(dataEnvelope(recruitmentSchema), 'Recruitment'),
    ...errorResponses(...WRITE_ERRORS, ...BODY_ERRORS),
  },
});

export const createAudienceInviteRoute = createRoute({
  operationId: 'createAudienceInvite',
  method: 'post',
  path: '/api/v1/audiences/{id}/invites',
  tags: ['recruitment'],
  summary: 'Create an invite link (single use, or shared with a cap)',
  security: requesterSecurity,
  request: { params: audienceId, ...body(createAudienceInviteSchema) },
  responses: {
    201: json(dataEnvelope(createdAudienceInviteSchema), 'Created; the URL is shown only now'),
    ...errorResponses(...WRITE_ERRORS, ...BODY_ERRORS),
  },
});

export const listAudienceInvitesRoute = createRoute({
  operationId: 'listAudienceInvites',
  method: 'get',
  path: '/api/v1/audiences/{id}/invites',
  tags: ['recruitment'],
  summary: "The audience's invite links, newest first",
  description: 'A filtered audience shows the links of the custom audience behind it; `global` has none.',
  security: requesterSecurity,
  request: { params: audienceId, query: pageQuerySchema },
  responses: {
    200: json(listEnvelope(audienceInviteSchema), 'Invite links, a page at a time'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const revokeAudienceInviteRoute = createRoute({
  operationId: 'revokeAudienceInvite',
  method: 'delete',
  path: '/api/v1/audiences/{id}/invites/{inviteId}',
  tags: ['recruitment'],
  summary: 'Revoke an invite link (labelers it let in keep their place)',
  security: requesterSecurity,
  request: { params: inviteParams },
  responses: {
    204: { description: 'Revoked' },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});

export const acceptAudienceInviteRoute = createRoute({
  operationId: 'acceptAudienceInvite',
  method: 'post',
  path: '/api/v1/labeler/invites/{token}',
  tags: ['labeler'],
  summary: "Enter an audience through an invite link; starts (or resumes) the labeler's session",
  request: { params: tokenParams },
  responses: {
    200: json(dataEnvelope(labelerEntrySchema), 'Entered (or already in)'),
    ...errorResponses('VALIDATION_FAILED', 'INVALID_LINK'),
  },
});

export const enterStudyRoute = createRoute({
  operationId: 'enterStudy',
  method: 'post',
  path: '/api/v1/labeler/study/{id}',
  tags: ['labeler'],
  summary:
    "Enter a recruiting site's study: one labeler per participant id (created, or resumed); sets the cookie",
  request: { params: audienceId, ...body(enterStudySchema) },
  responses: {
    200: json(dataEnvelope(labelerEntrySchema), 'Entered'),
    ...errorResponses('NOT_FOUND', ...BODY_ERRORS),
  },
});

export const nextStudyStepRoute = createRoute({
  operationId: 'nextStudyStep',
  method: 'get',
  path: '/api/v1/labeler/study/{id}/next',
  tags: ['labeler'],
  summary:
    'What the study participant does next: profile, work (a qualification example or task), or finished',
  security: labelerSecurity,
  request: { params: audienceId },
  responses: {
    200: json(dataEnvelope(studyStepSchema), 'The next step'),
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});
