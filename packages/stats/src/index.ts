export * from './agreement/index.ts';
export * from './bt/index.ts';
export * from './classification/index.ts';
export * from './elo/index.ts';
export * from './random.ts';
export * from './trust/index.ts';
