import { type Account, getSessionRoute } from '@jury/api';
import { JuryAuthError, JuryNotFoundError } from '@jury/sdk/client';
import { createContext, useContext } from 'react';
import { jury } from '../api.ts';

export interface SessionState {
  session: Account;
  /** After sign-out, or when a call finds the session gone. */
  signedOut(): void;
}

export const SessionContext = createContext<SessionState | null>(null);

/** The signed-in user and organization; only inside the signed-in layout. */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside the signed-in layout');
  return state;
}

/** The current session, or null when signed out. */
export async function loadSession(): Promise<Account | null> {
  try {
    return (await jury.call(getSessionRoute)).data;
  } catch (error) {
    if (error instanceof JuryAuthError || error instanceof JuryNotFoundError) return null;
    throw error;
  }
}
