import { type Item, listDatapointsRoute, listJobResponsesRoute, type StoredDatapoint } from '@jury/api';
import { JuryNotFoundError } from '@jury/sdk/client';
import { jury } from '../api.ts';

const PAGE = 500;
/** Enough responses to see every datapoint of a job of a few hundred; later ones show their names only. */
const MAX_RESPONSE_PAGES = 10;

/** Every datapoint of a definition, in its order (the order of its results); null when the server cannot list them. */
export async function loadDatapoints(definitionId: string): Promise<StoredDatapoint[] | null> {
  const all: StoredDatapoint[] = [];
  try {
    for (let page = 1; ; page++) {
      const body = await jury.call(listDatapointsRoute, {
        params: { id: definitionId },
        query: { amount: PAGE, page },
      });
      all.push(...body.data);
      if (body.data.length < PAGE || all.length >= body.total) return all;
    }
  } catch (error) {
    if (error instanceof JuryNotFoundError && all.length === 0) return null;
    throw error;
  }
}

/**
 * Each result's items by its index: the definition's datapoints, else those its responses name (a datapoint
 * nobody answered yet has none).
 */
export async function loadResultItems(jobId: string, definitionId: string): Promise<(Item[] | undefined)[]> {
  const datapoints = await loadDatapoints(definitionId);
  if (datapoints) return datapoints.map((d) => d.items);
  const items: (Item[] | undefined)[] = [];
  for (let page = 1; page <= MAX_RESPONSE_PAGES; page++) {
    const { data, total } = await jury.call(listJobResponsesRoute, {
      params: { id: jobId },
      query: { amount: PAGE, page },
    });
    for (const r of data) items[r.datapoint.index] ??= r.datapoint.items;
    if (page * PAGE >= total) break;
  }
  return items;
}
