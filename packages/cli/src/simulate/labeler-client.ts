import http from 'node:http';
import https from 'node:https';
import type {
  CreateLabelerSession,
  ErrorBody,
  LabelerAnswer,
  LabelerNextTask,
  LabelerProfile,
  LabelerQualificationResult,
  SubmittedLabelerResponse,
} from '@jury/api';
import { LABELER_COOKIE } from '@jury/api';

// node:http with keep-alive rather than fetch: a crowd of hundreds of labelers costs the client about half
// the CPU, which matters when the crowd and the server share a machine (benchmarks).
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
): Promise<{ status: number; body: string; setCookie: string[] }> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      target,
      { method, headers, agent: secure ? agents.https : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            setCookie: res.headers['set-cookie'] ?? [],
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** An error answer of the labeler API, with its code (e.g. CONFLICT for an expired lease). */
export class LabelerApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'LabelerApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * One labeler speaking the labeler HTTP API, exactly as the web app does, with its own cookie jar (the one
 * session cookie).
 */
export class LabelerClient {
  readonly baseUrl: string;
  private cookie = '';
  profile: LabelerProfile | undefined;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    // The server refuses cookie-authenticated writes without a same-origin Origin (CSRF); browsers send it.
    const headers: Record<string, string> = { origin: new URL(this.baseUrl).origin };
    if (this.cookie) headers.cookie = this.cookie;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const r = await send(`${this.baseUrl}${path}`, method, headers, payload);
    for (const set of r.setCookie) {
      const pair = set.split(';')[0] ?? '';
      if (pair.startsWith(`${LABELER_COOKIE}=`)) this.cookie = pair;
    }
    const json = r.body ? (JSON.parse(r.body) as unknown) : null;
    if (r.status < 200 || r.status >= 300) {
      const err = (json as ErrorBody | null)?.error;
      throw new LabelerApiError(
        r.status,
        err?.code ?? 'HTTP_ERROR',
        err?.message ?? `${method} ${path} → ${r.status}`,
      );
    }
    return (json as { data: T }).data;
  }

  async startSession(input: Partial<CreateLabelerSession> = {}): Promise<LabelerProfile> {
    this.profile = await this.call<LabelerProfile>('POST', '/api/v1/labeler/session', input);
    return this.profile;
  }

  nextTask(): Promise<LabelerNextTask> {
    return this.call('GET', '/api/v1/labeler/tasks/next');
  }

  answer(leaseId: string, answer: LabelerAnswer): Promise<SubmittedLabelerResponse> {
    return this.call('POST', '/api/v1/labeler/responses', { leaseId, answer });
  }

  answerQualification(
    exampleId: string,
    audienceId: string,
    answer: LabelerAnswer,
  ): Promise<LabelerQualificationResult> {
    return this.call('POST', '/api/v1/labeler/qualification-answers', { exampleId, audienceId, answer });
  }
}
