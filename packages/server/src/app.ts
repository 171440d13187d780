import { healthRoute, SECURITY_SCHEMES } from '@jury/api';
import { bodyLimit } from 'hono/body-limit';
import type { BlobStore } from './assets/blob-store.ts';
import { assetRoutes } from './assets/routes.ts';
import { audienceRoutes } from './audiences/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { bearerResolver } from './auth/service.ts';
import { benchmarkRoutes } from './benchmarks/routes.ts';
import type { AppConfig } from './config/config.ts';
import type { Db, DialectName } from './db/database.ts';
import { evaluationRoutes, isEvaluationImport } from './evaluations/routes.ts';
import { evaluationRunRoutes } from './evaluations/runs/routes.ts';
import { flowRoutes } from './flows/routes.ts';
import { clientInfo, provideClientInfo } from './http/client-info.ts';
import type { Clock } from './http/clock.ts';
import { errorBody, handleError } from './http/errors.ts';
import { providePrincipalResolvers } from './http/guards.ts';
import { newId } from './http/ids.ts';
import { referenceRoutes } from './http/reference-page.ts';
import { createRouter } from './http/router.ts';
import {
  answerOptions,
  locationOfCreated,
  methodNotAllowed,
  parseCorsOrigins,
  revalidatedReads,
} from './http/semantics.ts';
import { wellFormedInput } from './http/well-formed.ts';
import { jobRoutes } from './jobs/routes.ts';
import { labelerSessionResolver } from './labelers/principal.ts';
import { labelingRoutes } from './labeling/routes.ts';
import { createLimits, limitedLabelerResolver } from './limits/limits.ts';
import type { resolveModelOptions } from './models/options.ts';
import { modelRoutes } from './models/routes.ts';
import { recruitmentRoutes } from './recruitment/routes.ts';
import { sessionResolver } from './users/principal.ts';
import { userRoutes } from './users/routes.ts';
import { webRoutes } from './web/routes.ts';

export const VERSION = '0.1.0';

export interface AppDeps {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  blobs: BlobStore;
  config: AppConfig;
  /** The built web app (packages/web/dist), served at / and /label; without it only the API is served. */
  webDir?: string | undefined;
  /** Uniform [0, 1) source for labeling's random choices (A/B order, shuffles, gold checks); tests inject one. */
  random?: (() => number) | undefined;
  /** The models room's settings (secrets key, allowed hosts), resolved by startServer. */
  models?: ReturnType<typeof resolveModelOptions> | undefined;
}

const UPLOAD_PATH = '/api/v1/assets';

/** The whole HTTP app, without listening: tests and `jury serve` both use it. */
export function createApp(deps: AppDeps) {
  const { db, clock, blobs, config } = deps;
  const app = createRouter();
  // Crowd-integrity rate limits, counted in the database so every process agrees (limits/).
  const limits = createLimits({ db, clock }, config);

  app.use('*', async (c, next) => {
    const requestId = newId('req', 12);
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    await next();
    // No response may be sniffed into another type (API JSON, the OpenAPI document, the reference page, media).
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  });
  const tooLarge = (limit: number) => (c: Parameters<typeof errorBody>[0]) =>
    c.json(
      errorBody(
        c,
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than the ${Math.round(limit / 1024)} KiB limit.`,
        { maxBytes: limit },
      ),
      413,
    );
  const jsonLimit = bodyLimit({ maxSize: config.maxJsonBytes, onError: tooLarge(config.maxJsonBytes) });
  const uploadLimit = bodyLimit({ maxSize: config.maxUploadBytes, onError: tooLarge(config.maxUploadBytes) });
  app.use('*', async (c, next) => {
    // Hono's bodyLimit reads c.req.raw.body, which makes @hono/node-server build a full Request (and a body
    // stream) for every request; a declared Content-Length is checked here the same way, without that.
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const upload = c.req.path === UPLOAD_PATH || isEvaluationImport(method, c.req.path);
    const limit = upload ? config.maxUploadBytes : config.maxJsonBytes;
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined)
      return Number.parseInt(length, 10) > limit ? tooLarge(limit)(c) : next();
    return upload ? uploadLimit(c, next) : jsonLimit(c, next);
  });
  // Before the guards: OPTIONS needs no credential, and a 304 is decided on the finished answer.
  app.use(
    '*',
    answerOptions(() => app.routes, parseCorsOrigins(config.corsOrigins)),
  );
  app.use('*', revalidatedReads());
  app.use(
    '*',
    locationOfCreated(() => app.routes),
  );
  app.use('*', wellFormedInput());
  app.use('*', provideClientInfo(config.trustedProxyHops));
  // Each route's guard comes from its contract's `security` (createRouter); these resolve each scheme's credential.
  app.use(
    '*',
    providePrincipalResolvers({
      bearer: bearerResolver({ db, clock }),
      session: sessionResolver({ db, clock }),
      labelerSession: limitedLabelerResolver(labelerSessionResolver({ db, clock }), limits),
    }),
  );

  app.openapi(healthRoute, async (c) => {
    await db.selectFrom('organizations').select('id').limit(1).execute();
    return c.json({ status: 'ok' as const, database: deps.dialect, version: VERSION }, 200);
  });
  app.route('/', authRoutes({ db, clock, tokenTtlSeconds: config.tokenTtlSeconds }, limits));
  app.route('/', userRoutes({ db, clock }));
  app.route('/', assetRoutes({ db, clock, blobs, maxUploadBytes: config.maxUploadBytes }));
  // Feature routers register here, one line each.
  app.route('/', audienceRoutes({ db, clock }));
  app.route('/', jobRoutes({ db, clock, random: deps.random, flaggedWeight: config.flaggedWeight }));
  app.route('/', benchmarkRoutes({ db, clock }));
  app.route('/', flowRoutes({ db, clock }));
  app.route('/', evaluationRoutes({ db, clock }));
  app.route('/', modelRoutes({ db, clock, ...deps.models }));
  app.route('/', evaluationRunRoutes({ db, clock, ...deps.models }));
  app.route('/', recruitmentRoutes({ db, clock, limits }));
  app.route('/', labelingRoutes({ db, dialect: deps.dialect, clock, config, limits, random: deps.random }));

  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES))
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Jury API',
      version: VERSION,
      description:
        'Self-hosted human and automated evaluation of AI models. Errors are always { error: { code, message, requestId } }, with `details` when there is more to say (e.g. the validation issues).',
    },
  };
  // `servers` is the origin the client sees (behind trusted proxies too), so generated clients need no base URL.
  app.doc31('/api/openapi.json', (c) => ({
    ...documentConfig,
    servers: [{ url: clientInfo(c).origin, description: 'This Jury server' }],
  }));
  app.route('/', referenceRoutes(documentConfig.info.title));
  if (deps.webDir) app.route('/', webRoutes(deps.webDir));

  app.notFound(
    (c) =>
      methodNotAllowed(c, app.routes) ??
      c.json(errorBody(c, 'NOT_FOUND', `No route ${c.req.method} ${c.req.path}; see /api/reference.`), 404),
  );
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
