// Hono's SmartRouter falls back from RegExpRouter to the slower TrieRouter for the whole app when one route
// pattern does not fit it (a static sibling of a `:param` middleware did): keep every route within RegExpRouter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { createApp } from './app.ts';
import { DEFAULT_CONFIG } from './config/config.ts';
import { systemClock } from './http/clock.ts';

test("every route fits Hono's RegExpRouter (the app never falls back to TrieRouter)", () => {
  // Building the app touches no dependency; only requests would.
  const app = createApp({
    db: {},
    dialect: 'sqlite',
    clock: systemClock,
    blobs: {},
    config: DEFAULT_CONFIG,
  } as never);
  const router = new RegExpRouter<number>();
  for (const [i, route] of app.routes.entries()) router.add(route.method, route.path, i);
  assert.doesNotThrow(() => router.match('GET', '/api/v1/labeler/tasks/next'));
});
