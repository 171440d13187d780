// A job's responses one by one, for the dashboard's per-response table: the datapoint, the answer as the results
// name it, the labeler's country, language and trust scores when they answered, and whether the response is flagged
// or left out of the results (its labeler dropped from the audience), as the results' integrity block counts them.
import type { Item, JobResponse, LabelerAnswer } from '@jury/api';
import { droppedLabelers } from '../audiences/service.ts';
import type { Page, PageRequest } from '../http/pages.ts';
import { TASK_TYPE_MODULES } from '../task-types/index.ts';
import { type JobDeps, parse } from './definitions.ts';
import { loadJob } from './jobs.ts';
import * as store from './store.ts';

export async function listJobResponses(
  deps: JobDeps,
  organizationId: string,
  id: string,
  query: PageRequest & { datapointId?: string | undefined },
): Promise<Page<JobResponse>> {
  const job = await loadJob(deps, organizationId, id);
  const [revision, datapoints, page] = await Promise.all([
    store.findRevision(deps.db, job.definition_id, job.revision),
    store.listDatapoints(deps.db, job.definition_id, job.revision),
    store.listJobResponsesPage(deps.db, id, query),
  ]);
  const aBNames = parse<string[]>(revision?.ab_names ?? null);
  const index = new Map(datapoints.map((d, i) => [d.id, { i, items: parse<Item[]>(d.items) ?? [] }]));
  const type = TASK_TYPE_MODULES[job.task_type];
  const dropped = await droppedLabelers(
    deps.db,
    job.audience_id,
    page.data.map((r) => r.labeler_id),
  );
  return {
    ...page,
    data: page.data.map((r) => {
      const datapoint = index.get(r.datapoint_id) ?? { i: -1, items: [] };
      const answer = JSON.parse(r.answer) as LabelerAnswer;
      return {
        id: r.id,
        datapoint: { id: r.datapoint_id, index: datapoint.i, items: datapoint.items },
        answer,
        votedFor: type.votedFor(answer, datapoint.items, aBNames),
        labeler: {
          id: r.labeler_id,
          country: r.country,
          language: r.language,
          trustScore: Number(r.user_score),
          audienceTrustScore: Number(r.audience_user_score),
        },
        flaggedReason: r.flagged_reason,
        excluded: dropped.has(r.labeler_id) ? ('dropped' as const) : null,
        createdAt: r.created_at,
      };
    }),
  };
}
