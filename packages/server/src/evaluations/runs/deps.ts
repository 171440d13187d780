import type { Db } from '../../db/database.ts';
import type { Clock } from '../../http/clock.ts';

/** What runs need: storage, the clock, and the models room's settings (secrets key, allowed hosts). */
export interface RunDeps {
  db: Db;
  clock: Clock;
  secretsKey?: Buffer | undefined;
  allowedHosts?: readonly string[] | undefined;
}
