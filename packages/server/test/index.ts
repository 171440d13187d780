// @jury/server/testing: what other packages' tests use (test databases, factories). Not shipped: outside src/.
export * from './environment.ts';
export * from './factories.ts';
export { Labeler, Requester } from './labeling-harness.ts';
export * from './model-server.ts';
export * from './s3-server.ts';
