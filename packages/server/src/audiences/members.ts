// An audience's members for the dashboard: qualification state, trust score in the audience, and why a dropped
// member was dropped, stated by the pass rule (pass-rule.ts) and the gold checks' drop rule (labeling/gold.ts).
import { type AudienceMember, GLOBAL_AUDIENCE_ID, type PassRule } from '@jury/api';
import { AppError } from '../http/errors.ts';
import { type Page, type PageRequest, pageArray } from '../http/pages.ts';
import { goldTallies } from '../labeling/audience-store.ts';
import { matchesFilters } from './filters.ts';
import { parsePassRule } from './pass-rule.ts';
import { parseFilters } from './presenters.ts';
import { type AudienceDeps, getAudience } from './service.ts';
import * as store from './store.ts';

type Tally = { answered: number; correct: number };

const percent = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Why a member is dropped: below the target accuracy over the qualification examples, or (qualified first) over
 * qualification and gold answers after gold checks.
 */
export function dropReason(rule: PassRule, qualification: Tally, gold: Tally): string {
  const target = percent(rule.targetAccuracy);
  const { answered, correct } = qualification;
  if (answered > 0 && correct / answered < rule.targetAccuracy)
    return `Failed qualification: ${correct} of ${answered} examples right (${percent(correct / answered)}); the audience needs ${target}.`;
  const total = answered + gold.answered;
  const right = correct + gold.correct;
  if (gold.answered > 0 && total > 0)
    return `Dropped after ${gold.answered} gold check${gold.answered === 1 ? '' : 's'}: ${right} of ${total} answers right (${percent(right / total)}) over qualification and gold checks; the audience needs ${target}.`;
  return `Dropped: below the audience's target accuracy of ${target}.`;
}

export async function listAudienceMembers(
  deps: Pick<AudienceDeps, 'db'>,
  organizationId: string,
  audienceId: string,
  query: PageRequest & { state?: AudienceMember['state'] | undefined },
): Promise<Page<AudienceMember>> {
  const audience = await getAudience(deps, organizationId, audienceId);
  const baseId = audience.kind === 'filtered' ? (audience.baseAudienceId as string) : audience.id;
  if (baseId === GLOBAL_AUDIENCE_ID) {
    const message = `Audience ${audience.id} has no members to list: every labeler is in the global audience${audience.kind === 'filtered' ? ' (the base of this filtered audience)' : ''} without qualifying; GET /api/v1/labelers/stats describes them.`;
    throw new AppError('VALIDATION_FAILED', message, {
      target: 'param',
      issues: [{ path: 'id', message, code: 'custom' }],
    });
  }
  const filters = [...audience.filters];
  let rule = audience.passRule;
  if (audience.kind === 'filtered') {
    // The base may be deleted since; its members still back this audience.
    const [base] = await store.findAudiencesByIds(deps.db, [baseId]);
    if (base) {
      filters.push(...parseFilters(base));
      rule = parsePassRule(base.pass_rule);
    }
  }
  const passRule = rule ?? parsePassRule(null);
  const members = (await store.listMembers(deps.db, baseId, { state: query.state })).filter((m) =>
    matchesFilters(filters, m),
  );
  const page = pageArray(members, query, 'members');
  const gold = await goldTallies(
    deps.db,
    baseId,
    page.data.map((m) => m.labeler_id),
  );
  return {
    ...page,
    data: page.data.map((m) => {
      const qualification = { answered: m.answered, correct: m.correct };
      const golden = gold.get(m.labeler_id) ?? { answered: 0, correct: 0 };
      return {
        labelerId: m.labeler_id,
        state: m.state,
        trustScore: m.user_score,
        country: m.country,
        language: m.language,
        qualification,
        gold: golden,
        dropReason: m.state === 'dropped' ? dropReason(passRule, qualification, golden) : null,
        updatedAt: m.updated_at,
      };
    }),
  };
}
