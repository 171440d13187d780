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
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const set of r.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      if (pair.startsWith(`${LABELER_COOKIE}=`)) this.cookie = pair;
    }
    const text = await r.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (!r.ok) {
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
