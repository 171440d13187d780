// The grader of a run: MixEval's rules, or a registered judge model asked with MixEval's judge prompts. The judge
// is called through its endpoint's limiter (limiters.ts), the one the runner uses: a judge grading while runs ask
// it, or several runs judged at once, stay within its requests/min, tokens/min and concurrency together.
import type { EvaluationItem } from '@jury/api';
import { AppError } from '../../http/errors.ts';
import { parseRetryAfter } from '../../models/limiter.ts';
import { getRunnableModel } from '../../models/service.ts';
import { estimateTokens } from '../../models/usage.ts';
import { type Grade, gradeItem, judgeItem } from '../grading/index.ts';
import { isTransient } from '../runner/retry.ts';
import { endpointCall } from './call.ts';
import type { RunDeps } from './deps.ts';
import { endpointLimiter } from './limiters.ts';

export type Grader = (item: EvaluationItem, answer: string) => Promise<Grade>;

const JUDGE_ATTEMPTS = 4;
const JUDGE_TIMEOUT_MS = 60_000;
/** MixEval's judge replies are a line or two: what a request reserves before its reply is known. */
const JUDGE_OUTPUT_TOKENS = 64;

/** 'rules' or a judge model the organization may run (else NOT_FOUND, as for the model run). */
export async function graderFor(deps: RunDeps, organizationId: string, grader: string): Promise<Grader> {
  if (grader === 'rules') return async (item, answer) => gradeItem(item, answer);
  const judge = await getRunnableModel(deps, organizationId, grader);
  const call = endpointCall(judge.endpoint, { allowedHosts: deps.allowedHosts });
  const limiter = endpointLimiter(deps, judge);
  const window = judge.limits.contextWindowTokens;
  const complete = async (prompt: string) => {
    const inputTokens = estimateTokens(prompt);
    if (window !== null && inputTokens + JUDGE_OUTPUT_TOKENS > window)
      throw new AppError(
        'VALIDATION_FAILED',
        `The judge prompt (about ${inputTokens} tokens) does not fit the judge model ${judge.name}'s context window of ${window} tokens.`,
      );
    let last = '';
    for (let attempt = 1; attempt <= JUDGE_ATTEMPTS; attempt++) {
      const permit = await limiter.acquire(inputTokens + JUDGE_OUTPUT_TOKENS);
      let result: Awaited<ReturnType<typeof call>>;
      try {
        result = await call(prompt, {
          signal: AbortSignal.timeout(JUDGE_TIMEOUT_MS),
          timeoutMs: JUDGE_TIMEOUT_MS,
        });
      } catch (error) {
        permit.released();
        throw error;
      }
      if (result.ok) {
        permit.succeeded(
          (result.usage?.inputTokens ?? inputTokens) +
            (result.usage?.outputTokens ?? estimateTokens(result.raw)),
        );
        return result.answer;
      }
      last = result.message;
      const retryAfterMs = parseRetryAfter(result.retryAfter, deps.clock.now());
      if (result.kind === 'rate-limited' || result.kind === 'server-error') permit.throttled(retryAfterMs);
      else permit.released();
      if (!isTransient(result.kind)) break;
      // The limiter pauses every request of this endpoint until Retry-After; back off a little more.
      await new Promise((r) => setTimeout(r, Math.max(retryAfterMs ?? 0, 250 * attempt)));
    }
    throw new AppError('VALIDATION_FAILED', `The judge model ${judge.name} did not answer: ${last}`);
  };
  return (item, answer) => judgeItem(item, answer, { complete, judge: judge.id });
}
