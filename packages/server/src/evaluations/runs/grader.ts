// The grader of a run: MixEval's rules, or a registered judge model asked with MixEval's judge prompts.
import type { EvaluationItem } from '@jury/api';
import { AppError } from '../../http/errors.ts';
import { getRunnableModel } from '../../models/service.ts';
import { type Grade, gradeItem, judgeItem } from '../grading/index.ts';
import { endpointCall } from './call.ts';
import type { RunDeps } from './deps.ts';

export type Grader = (item: EvaluationItem, answer: string) => Promise<Grade>;

/** 'rules' or a judge model the organization may run (else NOT_FOUND, as for the model run). */
export async function graderFor(deps: RunDeps, organizationId: string, grader: string): Promise<Grader> {
  if (grader === 'rules') return async (item, answer) => gradeItem(item, answer);
  const judge = await getRunnableModel(deps, organizationId, grader);
  const call = endpointCall(judge.endpoint, { allowedHosts: deps.allowedHosts });
  const complete = async (prompt: string) => {
    let last = '';
    for (let attempt = 1; attempt <= 4; attempt++) {
      const result = await call(prompt, { signal: AbortSignal.timeout(60_000), timeoutMs: 60_000 });
      if (result.ok) return result.answer;
      last = result.message;
      if (result.kind === 'refused') break;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
    throw new AppError('VALIDATION_FAILED', `The judge model ${judge.name} did not answer: ${last}`);
  };
  return (item, answer) => judgeItem(item, answer, { complete, judge: judge.id });
}
