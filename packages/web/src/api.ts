// The one client of the app: the SDK's typed client, on the page's origin with its cookies. Errors are the
// SDK's typed errors (JuryAuthError for a lost session, JuryConflictError for an expired lease, …).
import { createHttpClient, JuryNetworkError } from '@jury/sdk/client';

export const jury = createHttpClient();

/** The server's clock at the response (Date header), for deadlines that must not trust the local clock. */
export function serverNow(response: Response): number {
  const date = Date.parse(response.headers.get('date') ?? '');
  return Number.isNaN(date) ? Date.now() : date;
}

export function errorMessage(error: unknown): string {
  if (error instanceof JuryNetworkError)
    return 'Cannot reach the server. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}
