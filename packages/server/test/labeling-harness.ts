// Test support for labeling and runtime tests: a real server, a requester speaking the HTTP API with a bearer
// token, and labelers with their own cookie jar. Not shipped: outside src/.

import type { Clock } from '../src/http/clock.ts';
import { type RunningServer, type ServerOptions, startServer } from '../src/server.ts';
import { createTestEnvironment, type TestDatabaseTarget } from './environment.ts';
import { requestToken } from './factories.ts';

// Response bodies are JSON the tests inspect freely (assertions check their shape).
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = any;

export interface HttpResult<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

async function call(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown },
): Promise<HttpResult> {
  const r = await fetch(url, {
    method: init.method,
    headers: init.body === undefined ? init.headers : { 'content-type': 'application/json', ...init.headers },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

/** A requester with a bearer token of the local organization. */
export class Requester {
  readonly base: string;
  readonly token: string;
  constructor(base: string, token: string) {
    this.base = base;
    this.token = token;
  }
  request(method: string, path: string, body?: unknown): Promise<HttpResult> {
    return call(`${this.base}${path}`, { method, headers: { authorization: `Bearer ${this.token}` }, body });
  }
  async ok(method: string, path: string, body?: unknown): Promise<Json> {
    const r = await this.request(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** The asset id a labeler's medium (`{ url }`: an opaque reference) stands for, as its owner resolves it. */
  async assetOf(item: { url: string }): Promise<string> {
    const ref = item.url.slice(item.url.lastIndexOf('/') + 1);
    return (await this.ok('GET', `/api/v1/media-references/${ref}`)).data.assetId;
  }

  /** A text compare definition (items `a<i>` vs `b<i>`) assigned to an audience; returns the job. */
  async compareJob(
    options: {
      datapoints?: number;
      responsesPerDatapoint?: number;
      quorumThreshold?: number;
      confidenceThreshold?: number;
      settings?: string[];
      audienceId?: string;
    } = {},
  ): Promise<{ id: string; definitionId: string }> {
    const n = options.datapoints ?? 3;
    const def = await this.ok('POST', '/api/v1/job-definitions', {
      type: 'compare',
      name: 'test compare',
      instruction: 'Which text is better?',
      dataType: 'text',
      datapoints: Array.from({ length: n }, (_, i) => [{ text: `a${i}` }, { text: `b${i}` }]),
      responsesPerDatapoint: options.responsesPerDatapoint ?? 3,
      ...(options.quorumThreshold ? { quorumThreshold: options.quorumThreshold } : {}),
      ...(options.confidenceThreshold ? { confidenceThreshold: options.confidenceThreshold } : {}),
      settings: options.settings ?? [],
    });
    const job = await this.ok('POST', '/api/v1/jobs', {
      definitionId: def.data.id,
      audienceId: options.audienceId ?? 'global',
    });
    return { id: job.data.id, definitionId: def.data.id };
  }

  /** A text classification definition assigned to an audience. */
  async classificationJob(
    options: {
      datapoints?: number;
      answerOptions?: string[];
      responsesPerDatapoint?: number;
      settings?: string[];
      audienceId?: string;
    } = {},
  ): Promise<{ id: string; definitionId: string }> {
    const n = options.datapoints ?? 2;
    const def = await this.ok('POST', '/api/v1/job-definitions', {
      type: 'classification',
      name: 'test classification',
      instruction: 'What is it?',
      dataType: 'text',
      datapoints: Array.from({ length: n }, (_, i) => ({ text: `thing ${i}` })),
      answerOptions: options.answerOptions ?? ['Cat', 'Dog', 'Bird', 'Fish'],
      responsesPerDatapoint: options.responsesPerDatapoint ?? 2,
      settings: options.settings ?? [],
    });
    const job = await this.ok('POST', '/api/v1/jobs', {
      definitionId: def.data.id,
      audienceId: options.audienceId ?? 'global',
    });
    return { id: job.data.id, definitionId: def.data.id };
  }
}

/**
 * A labeler with its own cookie jar (one cookie: the session). `address`: the client address it claims
 * (X-Forwarded-For), which a server with trustedProxyHops ≥ 1 believes, so tests can be many people (or one).
 */
export class Labeler {
  cookie = '';
  id = '';
  readonly base: string;
  readonly address: string | undefined;
  constructor(base: string, options: { address?: string } = {}) {
    this.base = base;
    this.address = options.address;
  }
  async request(method: string, path: string, body?: unknown): Promise<HttpResult> {
    const r = await call(`${this.base}${path}`, {
      method,
      // Same-origin, as the labeler app's requests are (cookie-authenticated writes need it).
      headers: {
        origin: this.base,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.address ? { 'x-forwarded-for': this.address } : {}),
      },
      body,
    });
    const set = r.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    return r;
  }
  async start(profile: Record<string, unknown> = {}): Promise<this> {
    const r = await this.request('POST', '/api/v1/labeler/session', profile);
    if (r.status !== 201) throw new Error(`session → ${r.status} ${JSON.stringify(r.body)}`);
    this.id = r.body.data.id;
    return this;
  }
  async next(): Promise<Json> {
    const r = await this.request('GET', '/api/v1/labeler/tasks/next');
    if (r.status !== 200) throw new Error(`next → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.data;
  }
  answer(leaseId: string, answer: unknown): Promise<HttpResult> {
    return this.request('POST', '/api/v1/labeler/responses', { leaseId, answer });
  }
  qualify(exampleId: string, audienceId: string, answer: unknown): Promise<HttpResult> {
    return this.request('POST', '/api/v1/labeler/qualification-answers', { exampleId, audienceId, answer });
  }
}

export interface LabelingHarness {
  server: RunningServer;
  base: string;
  requester: Requester;
  labeler(profile?: Record<string, unknown>, options?: { address?: string }): Promise<Labeler>;
  close(): Promise<void>;
}

/** A server on a fresh database of `target`, with a requester token of its local organization. */
export async function startLabelingHarness(
  target: TestDatabaseTarget,
  options: { clock?: Clock; config?: ServerOptions['config']; random?: () => number } = {},
): Promise<LabelingHarness> {
  const env = await createTestEnvironment(target);
  const server = await startServer({
    port: 0,
    dataDir: env.dataDir,
    databaseUrl: env.databaseUrl,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const base = server.url;
  const boot = server.bootstrap;
  if (!boot) throw new Error('expected a fresh server with a bootstrap client');
  const token = await requestToken(base, { clientId: boot.client.id, secret: boot.secret });
  return {
    server,
    base,
    requester: new Requester(base, token),
    labeler: (profile, labelerOptions) => new Labeler(base, labelerOptions).start(profile),
    async close() {
      await server.close();
      await env.cleanup();
    },
  };
}
