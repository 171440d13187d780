// A real loopback model server for tests and benchmarks: OpenAI-compatible chat completions (and plain
// completions) answered from a fixture, with latency, a requests-per-minute limit answered by 429 +
// Retry-After, scripted 5xx and malformed bodies. No test needs a real model. Not shipped (outside src/).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failureKindOfStatus } from '../src/evaluations/runner/retry.ts';
import type { ModelCall } from '../src/evaluations/runner/types.ts';

/** What one request gets instead of an answer. */
export type ModelFault = '429' | '500' | '503' | 'malformed' | 'empty' | 'hang';

export interface ModelServerOptions {
  /** The answer to a prompt (the last user message, or `prompt`): a map looked up first, then the function. */
  answers?: Map<string, string> | Record<string, string>;
  answer?: (prompt: string) => string;
  /** Added before every answer (ms). */
  latencyMs?: number | ((prompt: string) => number);
  /** Accepted requests per sliding minute; above it the server answers 429 with Retry-After. */
  rpmLimit?: number;
  /** A fault for the n-th request (1-based), decided before the rate limit. */
  fault?: (n: number, prompt: string) => ModelFault | undefined;
  /** Header every request must carry (e.g. `authorization: Bearer k`), else 401. */
  requireHeader?: { name: string; value: string };
  now?: () => number;
}

export interface ModelServerRequest {
  at: number;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  prompt: string;
  status: number;
}

export interface ModelServer {
  url: string;
  /** `${url}/v1/chat/completions`; any path ending in `/text` answers the content as text/plain. */
  chatUrl: string;
  requests: ModelServerRequest[];
  /** Answered requests (status 200) per prompt. */
  answeredCount(prompt: string): number;
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;

export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const now = options.now ?? Date.now;
  const answers =
    options.answers instanceof Map ? options.answers : new Map(Object.entries(options.answers ?? {}));
  const answerOf = (prompt: string) => answers.get(prompt) ?? options.answer?.(prompt) ?? `Echo: ${prompt}`;
  const requests: ModelServerRequest[] = [];
  const accepted: number[] = [];
  let count = 0;

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const n = ++count;
    const { prompt, style, model } = parsePrompt(body);
    const record = (status: number) =>
      requests.push({
        at: now(),
        path: req.url ?? '/',
        headers: req.headers,
        body,
        prompt: prompt ?? '',
        status,
      });
    const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
      record(status);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload);
    };

    if (req.method !== 'POST') return send(405, JSON.stringify({ error: { message: 'POST only' } }));
    const required = options.requireHeader;
    if (required && req.headers[required.name.toLowerCase()] !== required.value)
      return send(401, JSON.stringify({ error: { message: 'missing or wrong credentials' } }));
    if (prompt === undefined)
      return send(400, JSON.stringify({ error: { message: 'body needs messages or prompt' } }));

    const fault = options.fault?.(n, prompt);
    if (fault === 'hang') return; // never answers: the caller's timeout must fire
    if (fault === '429')
      return send(429, JSON.stringify({ error: { message: 'slow down' } }), { 'retry-after': '1' });
    if (fault === '500' || fault === '503')
      return send(Number(fault), JSON.stringify({ error: { message: 'upstream trouble' } }));
    if (fault === 'malformed') return send(200, '{"choices": [ {"message": ');
    if (fault === 'empty') return send(200, '');

    if (options.rpmLimit !== undefined) {
      const t = now();
      while (accepted.length > 0 && accepted[0]! <= t - WINDOW_MS) accepted.shift();
      if (accepted.length >= options.rpmLimit) {
        const retryAfter = Math.max(1, Math.ceil((accepted[0]! + WINDOW_MS - t) / 1000));
        return send(429, JSON.stringify({ error: { message: 'rate limit exceeded' } }), {
          'retry-after': String(retryAfter),
        });
      }
      accepted.push(t);
    }

    const latency = typeof options.latencyMs === 'function' ? options.latencyMs(prompt) : options.latencyMs;
    if (latency) await new Promise((resolve) => setTimeout(resolve, latency));
    const content = answerOf(prompt);
    // A plain-text endpoint (any path ending in /text): the answer is the whole body.
    if ((req.url ?? '').split('?')[0]!.endsWith('/text')) {
      record(200);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(content);
    }
    const usage = {
      prompt_tokens: Math.ceil(prompt.length / 4),
      completion_tokens: Math.ceil(content.length / 4),
      total_tokens: Math.ceil(prompt.length / 4) + Math.ceil(content.length / 4),
    };
    const payload =
      style === 'chat'
        ? {
            id: `chatcmpl-${n}`,
            object: 'chat.completion',
            created: Math.floor(now() / 1000),
            model,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage,
          }
        : {
            id: `cmpl-${n}`,
            object: 'text_completion',
            model,
            choices: [{ index: 0, text: content }],
            usage,
          };
    send(200, JSON.stringify(payload));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    chatUrl: `${url}/v1/chat/completions`,
    requests,
    answeredCount: (prompt) => requests.filter((r) => r.prompt === prompt && r.status === 200).length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parsePrompt(body: string): { prompt?: string; style: 'chat' | 'completion'; model: string } {
  try {
    const json = JSON.parse(body) as {
      messages?: { role?: string; content?: unknown }[];
      prompt?: unknown;
      model?: unknown;
    };
    const model = typeof json.model === 'string' ? json.model : 'fixture-model';
    if (Array.isArray(json.messages)) {
      const user = json.messages.filter((m) => m?.role === 'user').at(-1);
      return { prompt: typeof user?.content === 'string' ? user.content : undefined, style: 'chat', model };
    }
    if (typeof json.prompt === 'string') return { prompt: json.prompt, style: 'completion', model };
  } catch {
    // not JSON: no prompt
  }
  return { style: 'chat', model: 'fixture-model' };
}

/**
 * A minimal `ModelCall` for the runner's tests and benchmarks: POSTs the prompt as one user message to `chatUrl`,
 * reads choices[0].message.content and the usage, and classifies a failed status (the registry's endpoint call
 * does this for registered models).
 */
export function createChatCall(chatUrl: string, options: { model?: string } = {}): ModelCall {
  return async (prompt, { signal }) => {
    const response = await fetch(chatUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: options.model ?? 'fixture-model',
        messages: [{ role: 'user', content: prompt }],
      }),
      signal,
    });
    const raw = await response.text();
    const kind = failureKindOfStatus(response.status);
    if (kind)
      return {
        ok: false,
        kind,
        status: response.status,
        message: `HTTP ${response.status}`,
        retryAfter: response.headers.get('retry-after'),
        raw,
      };
    try {
      const body = JSON.parse(raw) as {
        choices: { message: { content: unknown } }[];
        usage?: { prompt_tokens?: number; completion_tokens?: number };
      };
      const content = body.choices[0]?.message.content;
      if (typeof content !== 'string') throw new Error('no choices[0].message.content');
      return {
        ok: true,
        raw,
        answer: content,
        usage: { inputTokens: body.usage?.prompt_tokens, outputTokens: body.usage?.completion_tokens },
      };
    } catch (error) {
      return { ok: false, kind: 'malformed', status: response.status, message: String(error), raw };
    }
  };
}
