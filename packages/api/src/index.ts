export * from './assets.ts';
export * from './auth.ts';
export * from './common.ts';
export * from './errors.ts';
export * from './items.ts';
export * from './labeler.ts';
export * from './system.ts';
export * from './jobs.ts';
