import { createRoute } from '@hono/zod-openapi';
import { dataEnvelope, idParamSchema, timestamp, z } from './common.ts';
import { BODY_ERRORS, errorResponses } from './errors.ts';
import { ownerSecurity, USER_ROLES, userSecurity } from './security.ts';

// Dashboard sign-in and accounts: the first owner (setup link), sessions, members and invites. A signed-in user
// then calls the same /api/v1 routes as the SDK, authenticated by the session cookie instead of a bearer token.

/** The shortest password accepted (NIST SP 800-63B asks for at least 8; length beats composition rules). */
export const PASSWORD_MIN_LENGTH = 10;
/** Longer inputs only cost hashing time. */
export const PASSWORD_MAX_LENGTH = 1000;
/** The rule as one sentence, for every place that checks it (API, CLI). */
export const PASSWORD_RULE = `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, PASSWORD_RULE)
  .max(PASSWORD_MAX_LENGTH, `A password has at most ${PASSWORD_MAX_LENGTH} characters.`)
  .openapi({ format: 'password', description: PASSWORD_RULE });

const emailSchema = z.email().max(254).openapi({ example: 'ada@example.com' });
const nameSchema = z.string().trim().min(1).max(200).openapi({ example: 'Ada Lovelace' });
const tokenSchema = z.string().min(1).max(200).openapi({ description: "The link's one-time token" });

export const userRoleSchema = z.enum(USER_ROLES).openapi('UserRole');

export const userSchema = z
  .object({
    id: z.string().openapi({ example: 'usr_4kq9x2m7p1' }),
    email: z.string(),
    name: z.string(),
    role: userRoleSchema,
    createdAt: timestamp,
  })
  .openapi('User');

export const accountSchema = z
  .object({ user: userSchema, organization: z.object({ id: z.string(), name: z.string() }) })
  .openapi('Account');

export const setupStatusSchema = z.object({ needed: z.boolean() }).openapi('SetupStatus');

const newAccountFields = {
  token: tokenSchema,
  email: emailSchema,
  name: nameSchema,
  password: passwordSchema,
};

export const completeSetupSchema = z.object(newAccountFields).strict().openapi('CompleteSetup');
export const signInSchema = z
  .object({ email: emailSchema, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) })
  .strict()
  .openapi('SignIn');
export const createInviteSchema = z
  .object({ role: userRoleSchema.default('member') })
  .strict()
  .openapi('CreateInvite');
export const acceptInviteSchema = z.object(newAccountFields).strict().openapi('AcceptInvite');
export const resetPasswordSchema = z
  .object({ token: tokenSchema, password: passwordSchema })
  .strict()
  .openapi('ResetPassword');

export const inviteSchema = z
  .object({
    id: z.string().openapi({ example: 'inv_4kq9x2m7p1' }),
    role: userRoleSchema,
    createdAt: timestamp,
    expiresAt: timestamp,
  })
  .openapi('Invite');
export const createdInviteSchema = inviteSchema
  .extend({
    url: z.string().openapi({ description: 'The one-time link; shown once, only its hash is stored' }),
  })
  .openapi('CreatedInvite');
export const inviteLookupSchema = z
  .object({ organization: z.object({ name: z.string() }), role: userRoleSchema, expiresAt: timestamp })
  .openapi('InviteLookup');

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const getSetupRoute = createRoute({
  operationId: 'getSetup',
  method: 'get',
  path: '/api/v1/setup',
  tags: ['accounts'],
  summary: 'Whether the local organization still needs its first owner (the setup link)',
  responses: { 200: { description: 'Setup status', ...json(dataEnvelope(setupStatusSchema)) } },
});

export const completeSetupRoute = createRoute({
  operationId: 'completeSetup',
  method: 'post',
  path: '/api/v1/setup',
  tags: ['accounts'],
  summary: 'Create the first owner with the setup link printed by `jury serve`, and sign in',
  request: body(completeSetupSchema),
  responses: {
    201: { description: 'The owner, signed in (session cookie set)', ...json(dataEnvelope(accountSchema)) },
    ...errorResponses(...BODY_ERRORS, 'INVALID_LINK'),
  },
});

export const signInRoute = createRoute({
  operationId: 'signIn',
  method: 'post',
  path: '/api/v1/session',
  tags: ['accounts'],
  summary: 'Sign in with email and password (sets the session cookie)',
  request: body(signInSchema),
  responses: {
    200: { description: 'Signed in', ...json(dataEnvelope(accountSchema)) },
    ...errorResponses(...BODY_ERRORS, 'INVALID_CREDENTIALS'),
  },
});

export const getSessionRoute = createRoute({
  operationId: 'getSession',
  method: 'get',
  path: '/api/v1/session',
  tags: ['accounts'],
  summary: 'The signed-in user and their organization',
  security: userSecurity,
  responses: {
    200: { description: 'The account', ...json(dataEnvelope(accountSchema)) },
    ...errorResponses('UNAUTHENTICATED'),
  },
});

export const signOutRoute = createRoute({
  operationId: 'signOut',
  method: 'delete',
  path: '/api/v1/session',
  tags: ['accounts'],
  summary: 'Sign out: the session is deleted and its cookie cleared',
  security: userSecurity,
  responses: { 204: { description: 'Signed out' }, ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED') },
});

export const listMembersRoute = createRoute({
  operationId: 'listMembers',
  method: 'get',
  path: '/api/v1/members',
  tags: ['accounts'],
  summary: "Your organization's users",
  security: userSecurity,
  responses: {
    200: { description: 'Users, oldest first', ...json(dataEnvelope(z.array(userSchema))) },
    ...errorResponses('UNAUTHENTICATED'),
  },
});

export const removeMemberRoute = createRoute({
  operationId: 'removeMember',
  method: 'delete',
  path: '/api/v1/members/{id}',
  tags: ['accounts'],
  summary: 'Remove a user from your organization (owners only; the last owner cannot leave)',
  security: ownerSecurity,
  request: { params: idParamSchema('UserId', 'usr_4kq9x2m7p1') },
  responses: {
    204: { description: 'Removed; their sessions end at once' },
    ...errorResponses(
      'UNAUTHENTICATED',
      'CSRF_REJECTED',
      'VALIDATION_FAILED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
    ),
  },
});

export const createInviteRoute = createRoute({
  operationId: 'createInvite',
  method: 'post',
  path: '/api/v1/invites',
  tags: ['accounts'],
  summary: 'Invite someone: a one-time link, valid for 7 days (owners only)',
  security: ownerSecurity,
  request: body(createInviteSchema),
  responses: {
    201: { description: 'The invite with its link', ...json(dataEnvelope(createdInviteSchema)) },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', ...BODY_ERRORS, 'FORBIDDEN'),
  },
});

export const listInvitesRoute = createRoute({
  operationId: 'listInvites',
  method: 'get',
  path: '/api/v1/invites',
  tags: ['accounts'],
  summary: "Your organization's pending invites (their links are not stored)",
  security: userSecurity,
  responses: {
    200: { description: 'Pending invites, newest first', ...json(dataEnvelope(z.array(inviteSchema))) },
    ...errorResponses('UNAUTHENTICATED'),
  },
});

export const revokeInviteRoute = createRoute({
  operationId: 'revokeInvite',
  method: 'delete',
  path: '/api/v1/invites/{id}',
  tags: ['accounts'],
  summary: 'Withdraw a pending invite; its link stops working (owners only)',
  security: ownerSecurity,
  request: { params: idParamSchema('InviteId', 'inv_4kq9x2m7p1') },
  responses: {
    204: { description: 'Withdrawn' },
    ...errorResponses('UNAUTHENTICATED', 'CSRF_REJECTED', 'VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'),
  },
});

export const lookupInviteRoute = createRoute({
  operationId: 'lookupInvite',
  method: 'get',
  path: '/api/v1/invites/lookup',
  tags: ['accounts'],
  summary: 'What an invite link is for (the page before accepting it)',
  request: { query: z.object({ token: tokenSchema }).strict() },
  responses: {
    200: { description: 'The invite', ...json(dataEnvelope(inviteLookupSchema)) },
    ...errorResponses('VALIDATION_FAILED', 'INVALID_LINK'),
  },
});

export const acceptInviteRoute = createRoute({
  operationId: 'acceptInvite',
  method: 'post',
  path: '/api/v1/invites/accept',
  tags: ['accounts'],
  summary: 'Accept an invite: creates your user in the organization and signs you in',
  request: body(acceptInviteSchema),
  responses: {
    201: { description: 'The new user, signed in', ...json(dataEnvelope(accountSchema)) },
    ...errorResponses(...BODY_ERRORS, 'INVALID_LINK', 'CONFLICT'),
  },
});

export const resetPasswordRoute = createRoute({
  operationId: 'resetPassword',
  method: 'post',
  path: '/api/v1/password-reset',
  tags: ['accounts'],
  summary: 'Set a new password with a reset link from `jury users reset-password`, and sign in',
  request: body(resetPasswordSchema),
  responses: {
    200: {
      description: 'Password set, signed in; other sessions ended',
      ...json(dataEnvelope(accountSchema)),
    },
    ...errorResponses(...BODY_ERRORS, 'INVALID_LINK'),
  },
});

export type User = z.infer<typeof userSchema>;
export type Account = z.infer<typeof accountSchema>;
export type Invite = z.infer<typeof inviteSchema>;
export type CreatedInvite = z.infer<typeof createdInviteSchema>;
export type InviteLookup = z.infer<typeof inviteLookupSchema>;
