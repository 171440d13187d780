import type { StoredDatapoint } from '@jury/api';
import { JuryNotFoundError } from '@jury/sdk/client';
import { jury } from '../api.ts';
import { listDatapointsRoute } from './pending-routes.ts';

const PAGE = 500;

/** Every datapoint of a definition, in its order (the order of its results); empty when the server cannot list them. */
export async function loadDatapoints(definitionId: string): Promise<StoredDatapoint[]> {
  const all: StoredDatapoint[] = [];
  try {
    for (let page = 1; ; page++) {
      const body = (await jury.call(listDatapointsRoute, {
        params: { id: definitionId },
        query: { amount: PAGE, page },
      })) as { data: StoredDatapoint[]; total: number };
      all.push(...body.data);
      if (body.data.length < PAGE || all.length >= body.total) return all;
    }
  } catch (error) {
    if (error instanceof JuryNotFoundError) return all;
    throw error;
  }
}
