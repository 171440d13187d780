import { createRoute } from '@hono/zod-openapi';
import { idParamSchema, listEnvelope, listQuerySchema, timestamp, z } from './common.ts';
import { errorResponses } from './errors.ts';
import { requesterSecurity } from './security.ts';

// The labelers of a custom audience (or of a filtered audience's base, restricted to its filters): where each
// stands in qualification, their trust score there, and why a dropped one was dropped.

export const MEMBER_STATES = ['qualifying', 'qualified', 'dropped'] as const;
export type MemberState = (typeof MEMBER_STATES)[number];

const tallySchema = z.object({
  answered: z.number().int(),
  correct: z.number().int(),
});

export const audienceMemberSchema = z
  .object({
    labelerId: z.string(),
    state: z.enum(MEMBER_STATES),
    trustScore: z.number().openapi({ description: "The labeler's trust score in this audience, in [0, 1)" }),
    country: z.string().nullable(),
    language: z.string().nullable(),
    qualification: tallySchema.openapi({
      description: 'Qualification examples answered, and answered right',
    }),
    gold: tallySchema.openapi({
      description: 'Gold checks (examples served among tasks) answered, and right',
    }),
    dropReason: z.string().nullable().openapi({
      description:
        'Why a dropped member was dropped: their accuracy against the target, after the qualification examples or after gold checks; null unless dropped',
      example:
        'Dropped after 10 gold checks: 9 of 14 answers right (64%) over qualification and gold checks; the audience needs 75%.',
    }),
    updatedAt: timestamp,
  })
  .openapi('AudienceMember');
export type AudienceMember = z.infer<typeof audienceMemberSchema>;

export const listAudienceMembersQuerySchema = listQuerySchema
  .omit({ name: true })
  .extend({ state: z.enum(MEMBER_STATES).optional().openapi({ description: 'Only members in this state' }) })
  .strict();

export const listAudienceMembersRoute = createRoute({
  operationId: 'listAudienceMembers',
  method: 'get',
  path: '/api/v1/audiences/{id}/members',
  tags: ['audiences'],
  summary:
    "An audience's labelers with their qualification state, trust score and drop reason, latest change first",
  description:
    'Custom audiences list their members; a filtered audience lists the members of its base who match its filters. The global audience (and a filtered audience of it) has no membership, every labeler is in it: 400.',
  security: requesterSecurity,
  request: {
    params: idParamSchema('AudienceId', 'aud_4kq9x2m7p1d8s3wz'),
    query: listAudienceMembersQuerySchema,
  },
  responses: {
    200: {
      description: 'Members',
      content: { 'application/json': { schema: listEnvelope(audienceMemberSchema) } },
    },
    ...errorResponses('UNAUTHENTICATED', 'VALIDATION_FAILED', 'NOT_FOUND'),
  },
});
