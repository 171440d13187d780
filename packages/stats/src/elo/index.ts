export type { EloOutcome, OnlineElo, OnlineEloOptions } from './elo.ts';
export { createOnlineElo, eloExpectedScore, onlineEloStandings, updateOnlineElo } from './elo.ts';
