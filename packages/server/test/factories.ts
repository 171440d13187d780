/**
 * Test factories: each writes real rows through the services and creates the parents it is not given (a job
 * without a definition gets one, a definition without an organization gets one), as Outline's
 * server/test/factories.ts does. Overrides are the API's own input shapes.
 */
import {
  type CreateAudience,
  type CreateJob,
  type CreateJobDefinition,
  createJobDefinitionSchema,
  createJobSchema,
} from '@jury/api';
import { createAudience } from '../src/audiences/service.ts';
import { createApiClient, createOrganization } from '../src/auth/service.ts';
import type { Db } from '../src/db/database.ts';
import type { Clock } from '../src/http/clock.ts';
import { createJob, createJobDefinition } from '../src/jobs/service.ts';

export interface FactoryDeps {
  db: Db;
  clock: Clock;
}

let made = 0;
const unique = (what: string) => `${what} ${++made}`;

export function buildOrganization(deps: FactoryDeps, overrides: { name?: string } = {}) {
  return createOrganization(deps, overrides.name ?? unique('Organization'));
}

/** An API client (and its secret) of `organizationId`, or of a new organization. */
export async function buildClient(
  deps: FactoryDeps,
  overrides: { organizationId?: string; displayName?: string } = {},
) {
  const organizationId = overrides.organizationId ?? (await buildOrganization(deps)).id;
  const { client, secret } = await createApiClient(deps, {
    organizationId,
    displayName: overrides.displayName ?? unique('client'),
  });
  return { organizationId, clientId: client.id, secret };
}

/** An access token for a client, through the real grant (POST /connect/token). */
export async function requestToken(baseUrl: string, client: { clientId: string; secret: string }) {
  const r = await fetch(`${baseUrl}/connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
    }),
  });
  if (r.status !== 200) throw new Error(`token for ${client.clientId} → ${r.status} ${await r.text()}`);
  return ((await r.json()) as { access_token: string }).access_token;
}

/** A client of `organizationId` (or of a new organization) with a bearer token: calling the API as someone. */
export async function buildCredentials(
  server: { url: string; db: Db; clock: Clock },
  overrides: { organizationId?: string; displayName?: string } = {},
) {
  const client = await buildClient(server, overrides);
  return { ...client, token: await requestToken(server.url, client) };
}

export async function buildAudience(
  deps: FactoryDeps,
  overrides: Partial<CreateAudience> & { organizationId?: string } = {},
) {
  const { organizationId = (await buildOrganization(deps)).id, ...input } = overrides;
  return createAudience(deps, organizationId, { name: unique('Audience'), ...input });
}

/** A text compare definition of two datapoints unless overridden (any CreateJobDefinition field). */
export async function buildDefinition(
  deps: FactoryDeps,
  overrides: Partial<CreateJobDefinition> & { organizationId?: string } = {},
) {
  const { organizationId = (await buildOrganization(deps)).id, ...input } = overrides;
  const body = createJobDefinitionSchema.parse({
    type: 'compare',
    name: unique('Definition'),
    instruction: 'Which text is better?',
    dataType: 'text',
    datapoints: [
      [{ text: 'one' }, { text: 'two' }],
      [{ text: 'three' }, { text: 'four' }],
    ],
    ...input,
  });
  const { definition } = await createJobDefinition(deps, organizationId, body);
  return { ...definition, organizationId };
}

/** A running job of `definitionId` (or of a new definition of `organizationId`) for the global audience. */
export async function buildJob(
  deps: FactoryDeps,
  overrides: Partial<CreateJob> & { organizationId?: string } = {},
) {
  const { organizationId, definitionId, ...input } = overrides;
  const definition = definitionId
    ? { id: definitionId, organizationId: organizationId ?? '' }
    : await buildDefinition(deps, organizationId ? { organizationId } : {});
  if (!definition.organizationId) throw new Error('buildJob: pass organizationId with definitionId');
  const body = createJobSchema.parse({ definitionId: definition.id, audienceId: 'global', ...input });
  const { job } = await createJob(deps, definition.organizationId, body);
  return { ...job, organizationId: definition.organizationId };
}

/** A labeler row, and its memberships, written straight to the database (labelers have no requester API). */
export async function buildLabeler(
  db: Db,
  overrides: {
    id?: string;
    country?: string | null;
    language?: string | null;
    memberships?: Record<string, 'qualifying' | 'qualified' | 'dropped'>;
  } = {},
) {
  const id = overrides.id ?? `lbr_test${++made}`;
  const profile = { country: overrides.country ?? null, language: overrides.language ?? null };
  const now = '2026-04-01T00:00:00.000Z';
  await db
    .insertInto('labelers')
    .values({
      id,
      kind: 'human',
      ...profile,
      demographics: null,
      user_score: 0.5,
      created_at: now,
      last_seen_at: now,
    })
    .execute();
  for (const [audienceId, state] of Object.entries(overrides.memberships ?? {}))
    await db
      .insertInto('audience_members')
      .values({
        audience_id: audienceId,
        labeler_id: id,
        state,
        answered: 0,
        correct: 0,
        user_score: 0.5,
        updated_at: now,
      })
      .execute();
  return { id, ...profile };
}
