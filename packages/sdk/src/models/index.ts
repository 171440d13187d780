// Models registered by their endpoint: `client.models` and the objects it returns.
export type { EndpointTestResult, Model, ModelEndpoint, ModelVisibility } from '@jury/api';
export type { EndpointChanges, EndpointParams, ModelChanges, ModelParams } from './inputs.ts';
export { type ListModelsOptions, ModelManager } from './manager.ts';
export { JuryModel } from './model.ts';
