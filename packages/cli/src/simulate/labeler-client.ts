import http from 'node:http';
import https from 'node:https';
import {
  type CreateLabelerSession,
  createLabelerSessionRoute,
  LABELER_COOKIE,
  type LabelerAnswer,
  type LabelerNextTask,
  type LabelerProfile,
  type LabelerQualificationResult,
  nextLabelerTaskRoute,
  type SubmittedLabelerResponse,
  submitLabelerResponseRoute,
  submitQualificationAnswerRoute,
} from '@jury/api';
import {
  type CallArgs,
  type CallOutput,
  errorFromResponse,
  networkError,
  prepareRequest,
  type Route,
} from '@jury/sdk/client';

// The SDK's typed client builds each request (prepareRequest) and its error builder reads each failure; the
// transport is node:http with keep-alive rather than fetch, or a fetch-shaped wrapper over it (a Response per
// answer costs ~20 µs): a crowd of hundreds of labelers then costs the client about half the CPU, which
// matters when the crowd and the server share a machine (benchmarks).
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
): Promise<{ status: number; body: string; setCookie: string[]; retryAfter: string | undefined }> {
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
            retryAfter: res.headers['retry-after'],
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const MAX_RATE_LIMITED = 5;

function retryAfterMs(header: string | undefined): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 1000;
}

/**
 * One labeler speaking the labeler HTTP API, exactly as the web app does, with its own cookie jar (the one
 * session cookie). Errors are the SDK's typed errors (`JuryConflictError` for an expired lease, …).
 */
export class LabelerClient {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly forwardedFor: string | undefined;
  private cookie = '';
  profile: LabelerProfile | undefined;

  /**
   * `forwardedFor`: the client address this labeler claims, as X-Forwarded-For (a server believes it only with
   * trustedProxyHops ≥ 1): a benchmark's crowd then looks like many people, not one address.
   */
  constructor(baseUrl: string, options: { forwardedFor?: string | undefined } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
    this.forwardedFor = options.forwardedFor;
  }

  private async call<R extends Route>(route: R, ...args: CallArgs<R>): Promise<CallOutput<R>> {
    const request = prepareRequest(this.baseUrl, route, ...args);
    const { headers } = request;
    // The server refuses cookie-authenticated writes without a same-origin Origin (CSRF); browsers send it.
    headers.origin = this.origin;
    if (this.cookie) headers.cookie = this.cookie;
    if (this.forwardedFor) headers['x-forwarded-for'] = this.forwardedFor;
    const payload = request.body as string | undefined; // JSON bodies only
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    let r: Awaited<ReturnType<typeof send>>;
    for (let attempt = 1; ; attempt++) {
      try {
        r = await send(request.url, request.method, headers, payload);
      } catch (err) {
        throw networkError(err, request.url);
      }
      // A rate limit (429): wait as long as Retry-After says, as a polite client does, a few times.
      if (r.status !== 429 || attempt >= MAX_RATE_LIMITED) break;
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs(r.retryAfter)));
    }
    for (const set of r.setCookie) {
      const pair = set.split(';')[0] ?? '';
      if (pair.startsWith(`${LABELER_COOKIE}=`)) this.cookie = pair;
    }
    if (r.status < 200 || r.status >= 300) throw errorFromResponse(r.status, r.body);
    return (r.body ? JSON.parse(r.body) : undefined) as CallOutput<R>;
  }

  async startSession(input: Partial<CreateLabelerSession> = {}): Promise<LabelerProfile> {
    this.profile = (await this.call(createLabelerSessionRoute, { json: input })).data;
    return this.profile;
  }

  async nextTask(): Promise<LabelerNextTask> {
    return (await this.call(nextLabelerTaskRoute)).data;
  }

  async answer(leaseId: string, answer: LabelerAnswer): Promise<SubmittedLabelerResponse> {
    return (await this.call(submitLabelerResponseRoute, { json: { leaseId, answer } })).data;
  }

  async answerQualification(
    exampleId: string,
    audienceId: string,
    answer: LabelerAnswer,
  ): Promise<LabelerQualificationResult> {
    return (await this.call(submitQualificationAnswerRoute, { json: { exampleId, audienceId, answer } }))
      .data;
  }
}
