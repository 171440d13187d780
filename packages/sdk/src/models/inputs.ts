import type { CreateModel, EndpointInput, EndpointPatch, UpdateModel } from '@jury/api';

type Template = { bodyTemplate?: string | Record<string, unknown> | unknown[] | undefined };

/**
 * An endpoint as {@link ModelManager.create} takes it: the API's shape, with `bodyTemplate` as JSON text or as
 * an object (serialized for you).
 *
 * @example
 * ```ts
 * const endpoint: EndpointParams = { url: 'http://127.0.0.1:8000/generate', bodyTemplate: { prompt: '%PROMPT%' }, responsePath: ['json', 'text'] };
 * ```
 */
export type EndpointParams = Omit<EndpointInput, 'bodyTemplate'> & Template;

/**
 * Changes of an endpoint ({@link JuryModel.edit}, {@link JuryModel.testEndpoint}): the fields given replace the
 * stored ones; `headers` names only the headers to set (a value) or remove (null).
 *
 * @example
 * ```ts
 * const changes: EndpointChanges = { headers: { Authorization: 'Bearer sk-new', 'X-Old': null } };
 * ```
 */
export type EndpointChanges = Omit<EndpointPatch, 'bodyTemplate'> & Template;

/**
 * Parameters of {@link ModelManager.create}.
 *
 * @example
 * ```ts
 * const params: ModelParams = { name: 'Local Llama', endpoint: { preset: 'openai-chat', url: 'http://127.0.0.1:8000/v1/chat/completions', model: 'llama3' } };
 * ```
 */
export type ModelParams = Omit<CreateModel, 'endpoint'> & { endpoint: EndpointParams };

/**
 * What {@link JuryModel.edit} changes.
 *
 * @example
 * ```ts
 * const changes: ModelChanges = { description: 'Nightly build', costs: { perThousandOutputTokens: 0.002 } };
 * ```
 */
export type ModelChanges = Omit<UpdateModel, 'endpoint'> & { endpoint?: EndpointChanges };

const text = (t: Template['bodyTemplate']) =>
  t === undefined || typeof t === 'string' ? t : JSON.stringify(t);

export function endpointBody(e: EndpointParams): EndpointInput {
  const { bodyTemplate, ...rest } = e;
  const template = text(bodyTemplate);
  return { ...rest, ...(template !== undefined ? { bodyTemplate: template } : {}) };
}

export function endpointPatchBody(e: EndpointChanges): EndpointPatch {
  const { bodyTemplate, ...rest } = e;
  const template = text(bodyTemplate);
  return { ...rest, ...(template !== undefined ? { bodyTemplate: template } : {}) };
}
