// Models: registered by their endpoint, owned by one organization, readable by every organization when public.
// Writes (edit, delete, test) look the model up among the caller's organization's models only, so another
// organization's model is NOT_FOUND there as everywhere else. Header values are encrypted (secrets.ts) and leave
// only masked; getRunnableModel is the one place that hands them out decrypted, to the evaluation runner.
import type {
  CreateModel,
  EndpointInput,
  EndpointPatch,
  EndpointTestResult,
  FindModelsQuery,
  Model,
  ModelSort,
  TestEndpoint,
  TestNewEndpoint,
  UpdateModel,
} from '@jury/api';
import {
  createModelSchema,
  findModelsQuerySchema,
  MAX_TEST_RESPONSE_CHARS,
  testEndpointSchema,
  testNewEndpointSchema,
  updateModelSchema,
} from '@jury/api';
import { findOrganization } from '../auth/store.ts';
import type { Db } from '../db/database.ts';
import type { ModelsTable } from '../db/schema.ts';
import type { Clock } from '../http/clock.ts';
import { AppError, notFound } from '../http/errors.ts';
import { newId } from '../http/ids.ts';
import {
  callEndpoint,
  type Endpoint,
  endpointFingerprint,
  hostAllowed,
  type ResponsePath,
} from './endpoint.ts';
import { expandPreset } from './presets.ts';
import { decryptHeaders, encryptHeaders, maskHeaders, secretsKey } from './secrets.ts';
import * as store from './store.ts';
import type { ModelCosts } from './usage.ts';

export interface ModelDeps {
  db: Db;
  clock: Clock;
  /** The operator's key (JURY_SECRETS_KEY); else one kept in server_settings. */
  secretsKey?: Buffer | undefined;
  /** Hosts the server may call (JURY_MODEL_HOSTS); empty or absent: every host. */
  allowedHosts?: readonly string[] | undefined;
  /** How long an endpoint test waits for the whole answer (default 30 s). */
  testTimeoutMs?: number | undefined;
}

const TEST_TIMEOUT_MS = 30_000;

// ---- Endpoints

function setHeaders(
  headers: Record<string, string>,
  patch: Record<string, string | null>,
): Record<string, string> {
  const out = { ...headers };
  for (const [name, value] of Object.entries(patch)) {
    for (const existing of Object.keys(out))
      if (existing.toLowerCase() === name.toLowerCase()) delete out[existing];
    if (value !== null) out[name] = value;
  }
  return out;
}

function checkHost(deps: ModelDeps, url: string): void {
  if (!hostAllowed(url, deps.allowedHosts))
    throw new AppError(
      'VALIDATION_FAILED',
      `This server only calls the hosts its operator allows (JURY_MODEL_HOSTS: ${deps.allowedHosts?.join(', ')}); ${new URL(url).hostname} is not one of them.`,
      { target: 'body', issues: [{ path: 'endpoint.url', message: 'host not allowed', code: 'custom' }] },
    );
}

/** The endpoint an input describes: a preset expanded, or the fields as given ([] path by default). */
function endpointFrom(input: EndpointInput): Endpoint {
  if (input.preset) {
    const preset = expandPreset({ ...input, preset: input.preset });
    return {
      url: input.url,
      headers: setHeaders(input.headers ?? {}, preset.headers),
      bodyTemplate: preset.bodyTemplate,
      responsePath: preset.responsePath,
    };
  }
  return {
    url: input.url,
    headers: setHeaders({}, input.headers ?? {}),
    bodyTemplate: input.bodyTemplate ?? '',
    responsePath: input.responsePath ?? [],
  };
}

/** The endpoint after a change: given fields replace, headers are patched, a preset resets body and path. */
function patchedEndpoint(current: Endpoint, patch: EndpointPatch): Endpoint {
  let headers = setHeaders(current.headers, patch.headers ?? {});
  let { bodyTemplate, responsePath } = current;
  if (patch.preset) {
    const preset = expandPreset({ ...patch, preset: patch.preset });
    headers = setHeaders(headers, preset.headers);
    ({ bodyTemplate, responsePath } = preset);
  } else {
    bodyTemplate = patch.bodyTemplate ?? bodyTemplate;
    responsePath = patch.responsePath ?? responsePath;
  }
  return { url: patch.url ?? current.url, headers, bodyTemplate, responsePath };
}

function endpointColumns(key: Buffer, modelId: string, endpoint: Endpoint) {
  return {
    endpoint_url: endpoint.url,
    endpoint_headers: encryptHeaders(key, modelId, endpoint.headers),
    body_template: endpoint.bodyTemplate,
    response_path: JSON.stringify(endpoint.responsePath),
  };
}

function endpointOf(key: Buffer, row: ModelsTable): Endpoint {
  return {
    url: row.endpoint_url,
    headers: decryptHeaders(key, row.id, row.endpoint_headers),
    bodyTemplate: row.body_template,
    responsePath: JSON.parse(row.response_path) as ResponsePath,
  };
}

// ---- Presenting

const num = (v: number | null) => (v === null ? null : Number(v));

function limitsOf(row: ModelsTable) {
  return {
    requestsPerMinute: num(row.requests_per_minute),
    tokensPerMinute: num(row.tokens_per_minute),
    contextWindowTokens: num(row.context_window_tokens),
  };
}

function costsOf(row: ModelsTable) {
  return {
    perThousandInputTokens: num(row.cost_per_1k_input),
    perThousandOutputTokens: num(row.cost_per_1k_output),
    perInstanceHour: num(row.cost_per_hour),
  };
}

async function presentModels(deps: ModelDeps, organizationId: string, rows: ModelsTable[]): Promise<Model[]> {
  const names = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.organization_id)))
    names.set(id, (await findOrganization(deps.db, id))?.name ?? id);
  const key = rows.some((r) => r.organization_id === organizationId) ? await secretsKey(deps) : undefined;
  return rows.map((r) => {
    const owned = r.organization_id === organizationId;
    const endpoint = owned && key ? endpointOf(key, r) : undefined;
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      publisher: r.publisher,
      architecture: r.architecture,
      parameterCount: num(r.parameter_count),
      visibility: r.visibility as Model['visibility'],
      publiclyRunnable: Number(r.publicly_runnable) === 1,
      owned,
      organizationName: names.get(r.organization_id) ?? r.organization_id,
      endpoint: endpoint
        ? {
            url: endpoint.url,
            headers: maskHeaders(endpoint.headers),
            bodyTemplate: endpoint.bodyTemplate,
            responsePath: [...endpoint.responsePath],
          }
        : null,
      limits: limitsOf(r),
      costs: costsOf(r),
      createdAt: String(r.created_at),
      updatedAt: String(r.updated_at),
    };
  });
}

async function presentModel(deps: ModelDeps, organizationId: string, row: ModelsTable): Promise<Model> {
  return (await presentModels(deps, organizationId, [row]))[0]!;
}

// ---- Models

async function requireOwnModel(deps: Pick<ModelDeps, 'db'>, organizationId: string, id: string) {
  const row = await store.findOwnModel(deps.db, organizationId, id);
  if (!row) throw notFound('Model', id);
  return row;
}

async function checkNameFree(db: Db, organizationId: string, name: string, except?: string) {
  const taken = await store.findModelByName(db, organizationId, name);
  if (taken && taken.id !== except)
    throw new AppError(
      'CONFLICT',
      `Your organization already has a model named ${JSON.stringify(name)} (${taken.id}); model names are unique per organization.`,
      { modelId: taken.id },
    );
}

/** Registers a model; its name must be free in the organization. */
export async function createModel(
  deps: ModelDeps,
  organizationId: string,
  input: CreateModel,
): Promise<Model> {
  const body = createModelSchema.parse(input);
  const endpoint = endpointFrom(body.endpoint);
  checkHost(deps, endpoint.url);
  await checkNameFree(deps.db, organizationId, body.name);
  const now = deps.clock.now().toISOString();
  const id = newId('mdl');
  const row: ModelsTable = {
    id,
    organization_id: organizationId,
    name: body.name,
    description: body.description ?? null,
    publisher: body.publisher ?? null,
    architecture: body.architecture ?? null,
    parameter_count: body.parameterCount ?? null,
    visibility: body.visibility,
    publicly_runnable: body.publiclyRunnable ? 1 : 0,
    ...endpointColumns(await secretsKey(deps), id, endpoint),
    requests_per_minute: body.limits?.requestsPerMinute ?? null,
    tokens_per_minute: body.limits?.tokensPerMinute ?? null,
    context_window_tokens: body.limits?.contextWindowTokens ?? null,
    cost_per_1k_input: body.costs?.perThousandInputTokens ?? null,
    cost_per_1k_output: body.costs?.perThousandOutputTokens ?? null,
    cost_per_hour: body.costs?.perInstanceHour ?? null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  try {
    await store.insertModel(deps.db, row);
  } catch (err) {
    // A concurrent create of the same name won the unique index: the same answer as the check above.
    await checkNameFree(deps.db, organizationId, body.name);
    throw err;
  }
  return presentModel(deps, organizationId, row);
}

const SORTS: Record<ModelSort, { column: store.ModelSortColumn; direction: 'asc' | 'desc' }> = {
  name: { column: 'name', direction: 'asc' },
  '-name': { column: 'name', direction: 'desc' },
  createdAt: { column: 'created_at', direction: 'asc' },
  '-createdAt': { column: 'created_at', direction: 'desc' },
  parameterCount: { column: 'parameter_count', direction: 'asc' },
  '-parameterCount': { column: 'parameter_count', direction: 'desc' },
};

/** The organization's models and other organizations' public ones, filtered and sorted. */
export async function findModels(deps: ModelDeps, organizationId: string, input: FindModelsQuery = {}) {
  const query = findModelsQuerySchema.parse(input);
  const page = await store.findModels(deps.db, organizationId, { ...query, sort: SORTS[query.sort] });
  return { ...page, data: await presentModels(deps, organizationId, page.data) };
}

/** A model the organization owns, or another organization's public one (without its endpoint). */
export async function getModel(deps: ModelDeps, organizationId: string, id: string): Promise<Model> {
  const row = await store.findVisibleModel(deps.db, organizationId, id);
  if (!row) throw notFound('Model', id);
  return presentModel(deps, organizationId, row);
}

type Nullable<T> = { [K in keyof T]?: T[K] | null | undefined };
/** A field given (null too) replaces the stored one; a field left out keeps it. */
const given = <T, C extends string>(value: T | null | undefined, column: C) =>
  (value === undefined ? {} : { [column]: value }) as Partial<Record<C, T | null>>;

/** Changes the organization's model; making it private also stops it being publicly runnable. */
export async function updateModel(
  deps: ModelDeps,
  organizationId: string,
  id: string,
  input: UpdateModel,
): Promise<Model> {
  const body = updateModelSchema.parse(input);
  const row = await requireOwnModel(deps, organizationId, id);
  if (body.name !== undefined) await checkNameFree(deps.db, organizationId, body.name, id);
  const visibility = body.visibility ?? row.visibility;
  const runnable =
    body.publiclyRunnable ?? (body.visibility === 'private' ? false : Number(row.publicly_runnable) === 1);
  if (runnable && visibility === 'private')
    throw new AppError(
      'VALIDATION_FAILED',
      'A private model cannot be publicly runnable: make it public first.',
      {
        target: 'body',
        issues: [{ path: 'publiclyRunnable', message: 'needs visibility public', code: 'custom' }],
      },
    );
  let endpoint = {};
  if (body.endpoint) {
    const key = await secretsKey(deps);
    const next = patchedEndpoint(endpointOf(key, row), body.endpoint);
    checkHost(deps, next.url);
    endpoint = endpointColumns(key, id, next);
  }
  const limits: Nullable<{
    requestsPerMinute: number;
    tokensPerMinute: number;
    contextWindowTokens: number;
  }> = body.limits ?? {};
  const costs: Nullable<ModelCosts> = body.costs ?? {};
  await store.updateModel(deps.db, id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...given(body.description, 'description'),
    ...given(body.publisher, 'publisher'),
    ...given(body.architecture, 'architecture'),
    ...given(body.parameterCount, 'parameter_count'),
    visibility,
    publicly_runnable: runnable ? 1 : 0,
    ...endpoint,
    ...given(limits.requestsPerMinute, 'requests_per_minute'),
    ...given(limits.tokensPerMinute, 'tokens_per_minute'),
    ...given(limits.contextWindowTokens, 'context_window_tokens'),
    ...given(costs.perThousandInputTokens, 'cost_per_1k_input'),
    ...given(costs.perThousandOutputTokens, 'cost_per_1k_output'),
    ...given(costs.perInstanceHour, 'cost_per_hour'),
    updated_at: deps.clock.now().toISOString(),
  });
  return presentModel(deps, organizationId, await requireOwnModel(deps, organizationId, id));
}

/** Deletes the organization's model: no longer found, its name free again; the row stays for past runs. */
export async function deleteModel(deps: ModelDeps, organizationId: string, id: string): Promise<void> {
  await requireOwnModel(deps, organizationId, id);
  await store.updateModel(deps.db, id, { deleted_at: deps.clock.now().toISOString() });
}

/**
 * Sends one real request to the organization's model's endpoint (with `endpoint` changes tried, not saved): the
 * request as sent (headers masked), the raw response (bounded), what the response path extracts or which step failed.
 */
export async function testModelEndpoint(
  deps: ModelDeps,
  organizationId: string,
  id: string,
  input: TestEndpoint,
): Promise<EndpointTestResult> {
  const body = testEndpointSchema.parse(input);
  const row = await requireOwnModel(deps, organizationId, id);
  let endpoint = endpointOf(await secretsKey(deps), row);
  if (body.endpoint) {
    endpoint = patchedEndpoint(endpoint, body.endpoint);
    checkHost(deps, endpoint.url);
  }
  return testResult(deps, endpoint, body.prompt);
}

/** The same test for an endpoint not saved yet (the add wizard's steps 4 and 5); nothing is stored. */
export async function testNewEndpoint(deps: ModelDeps, input: TestNewEndpoint): Promise<EndpointTestResult> {
  const body = testNewEndpointSchema.parse(input);
  const endpoint = endpointFrom(body.endpoint);
  checkHost(deps, endpoint.url);
  return testResult(deps, endpoint, body.prompt);
}

async function testResult(deps: ModelDeps, endpoint: Endpoint, prompt: string): Promise<EndpointTestResult> {
  const call = await callEndpoint(endpoint, prompt, {
    timeoutMs: deps.testTimeoutMs ?? TEST_TIMEOUT_MS,
    allowedHosts: deps.allowedHosts,
  });
  const secret = new Set(Object.keys(endpoint.headers));
  const masked = maskHeaders(endpoint.headers);
  const bounded = (text: string) => text.slice(0, MAX_TEST_RESPONSE_CHARS);
  const extracted =
    call.ok && JSON.stringify(call.value ?? null).length <= MAX_TEST_RESPONSE_CHARS
      ? { extracted: call.value }
      : {};
  return {
    ok: call.ok,
    status: call.status,
    latencyMs: call.latencyMs,
    request: {
      url: call.request.url,
      headers: Object.fromEntries(
        Object.entries(call.request.headers).map(([n, v]) => [n, secret.has(n) ? (masked[n] ?? '••••') : v]),
      ),
      body: bounded(call.request.body),
    },
    response: {
      body: bounded(call.bodyText),
      truncated: call.bodyText.length > MAX_TEST_RESPONSE_CHARS,
      contentType: call.contentType,
    },
    ...extracted,
    answer: call.ok ? bounded(call.answer) : null,
    error: call.ok
      ? null
      : {
          kind: call.error.kind,
          message: call.error.message,
          ...(call.error.step !== undefined ? { step: call.error.step } : {}),
          transient: call.transient,
        },
  };
}

/** What a run needs of a model: its endpoint with headers decrypted, its limits and costs. */
export interface RunnableModel {
  id: string;
  organizationId: string;
  name: string;
  endpoint: Endpoint;
  /** Changes whenever url, headers, body template or response path change: a cache key part for answers. */
  endpointFingerprint: string;
  limits: {
    requestsPerMinute: number | null;
    tokensPerMinute: number | null;
    contextWindowTokens: number | null;
  };
  costs: {
    perThousandInputTokens: number | null;
    perThousandOutputTokens: number | null;
    perInstanceHour: number | null;
  };
}

/**
 * The model a run of `organizationId` may call: its own, or another organization's public and publicly runnable
 * one; anything else is NOT_FOUND (a public model that is not runnable too, saying so).
 */
export async function getRunnableModel(
  deps: Pick<ModelDeps, 'db' | 'clock' | 'secretsKey'>,
  organizationId: string,
  id: string,
): Promise<RunnableModel> {
  const row = await store.findVisibleModel(deps.db, organizationId, id);
  if (!row) throw notFound('Model', id);
  if (row.organization_id !== organizationId && Number(row.publicly_runnable) !== 1)
    throw new AppError(
      'NOT_FOUND',
      `Model ${id} is not publicly runnable: only its own organization may run evaluations on it.`,
    );
  const endpoint = endpointOf(await secretsKey(deps), row);
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    endpoint,
    endpointFingerprint: endpointFingerprint(endpoint),
    limits: limitsOf(row),
    costs: costsOf(row),
  };
}
