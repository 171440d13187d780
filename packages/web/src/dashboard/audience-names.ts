import { findAudiencesRoute, GLOBAL_AUDIENCE_ID } from '@jury/api';
import { jury } from '../api.ts';
import { useLoad } from './ui.tsx';

/** Audience id → name, for lists that show a job's audience (global included). */
export function useAudienceNames(): Map<string, string> {
  const [audiences] = useLoad(async () => {
    const { data } = await jury.call(findAudiencesRoute, { query: { amount: 500 } });
    return new Map([[GLOBAL_AUDIENCE_ID, 'Global'], ...data.map((a) => [a.id, a.name] as [string, string])]);
  }, 'audiences');
  return audiences.state === 'ok' ? audiences.data : new Map([[GLOBAL_AUDIENCE_ID, 'Global']]);
}
