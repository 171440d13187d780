import { LABELER_COOKIE } from '@jury/api';
import { getCookie } from 'hono/cookie';
import type { PrincipalResolver } from '../auth/principal.ts';
import { authenticateLabeler, type LabelerDeps } from './service.ts';

/** The `labelerSession` scheme's resolver: the labeler of the signed session cookie, from the open labeler app. */
export function labelerSessionResolver(deps: LabelerDeps): PrincipalResolver<'labelerSession'> {
  return async (c) => {
    const labeler = await authenticateLabeler(deps, getCookie(c, LABELER_COOKIE));
    return { kind: 'labeler', labelerId: labeler.id, via: 'open', labeler };
  };
}
