// Each table belongs to one room (a feature folder of packages/server/src); other rooms call that room's
// functions instead of naming its table in SQL. Run by `npm run check`; prints file:line and exits 1 on a breach.
//   node packages/server/scripts/check-rooms.ts [--list] [--src <dir>]   (--list: every cross-room use)
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Database } from '../src/db/schema.ts';

type Room =
  | 'auth'
  | 'users'
  | 'assets'
  | 'audiences'
  | 'labelers'
  | 'jobs'
  | 'labeling'
  | 'runtime'
  | 'benchmarks'
  | 'flows'
  | 'evaluations'
  | 'models'
  | 'limits'
  | 'recruitment';

/** The room that owns each table; a new table fails to type-check until it has one. */
const TABLE_OWNERS = {
  organizations: 'auth',
  api_clients: 'auth',
  access_tokens: 'auth',
  assets: 'assets',
  audiences: 'audiences',
  audience_examples: 'audiences',
  audience_members: 'audiences',
  example_answers: 'audiences',
  gold_answers: 'labeling',
  labelers: 'labelers',
  server_settings: 'labelers',
  job_definitions: 'jobs',
  job_definition_revisions: 'jobs',
  datapoints: 'jobs',
  jobs: 'jobs',
  tasks: 'jobs',
  job_previews: 'jobs',
  leases: 'labeling',
  responses: 'labeling',
  runtime_leases: 'runtime',
  users: 'users',
  user_sessions: 'users',
  user_tokens: 'users',
  benchmarks: 'benchmarks',
  benchmark_prompts: 'benchmarks',
  participants: 'benchmarks',
  participant_media: 'benchmarks',
  leaderboards: 'benchmarks',
  leaderboard_runs: 'benchmarks',
  matchups: 'benchmarks',
  matchup_votes: 'benchmarks',
  imported_votes: 'benchmarks',
  flows: 'flows',
  ranking_job_definitions: 'flows',
  ranking_jobs: 'flows',
  rankings: 'flows',
  ranking_matchups: 'flows',
  ranking_votes: 'flows',
  evaluations: 'evaluations',
  evaluation_versions: 'evaluations',
  evaluation_items: 'evaluations',
  models: 'models',
  evaluation_runs: 'evaluations',
  evaluation_run_items: 'evaluations',
  evaluation_response_cache: 'evaluations',
  rate_limits: 'limits',
  audience_recruitment: 'recruitment',
  invite_links: 'recruitment',
  audience_entries: 'recruitment',
  labeler_identities: 'recruitment',
} as const satisfies Record<keyof Database, Room>;

type Table = keyof typeof TABLE_OWNERS;

/**
 * Cross-room uses allowed for now, each with why (file relative to packages/server/src). Remove an entry when
 * its room calls the owner instead; an entry that no longer matches anything fails the check, so the list
 * only shrinks. Everything else is guarded: a new cross-room use fails.
 */
const EXCEPTIONS: readonly { file: string; tables: readonly Table[]; reason: string }[] = [
  {
    file: 'labeling/audience-store.ts',
    tables: ['audiences', 'audience_examples', 'audience_members', 'example_answers'],
    reason: 'temporary: the labeling engine is moving these reads and writes onto audiences/ functions',
  },
  {
    file: 'labeling/audience-store.ts',
    tables: ['labelers'],
    reason: 'temporary: trust updates write labelers.user_score; to move onto labelers/',
  },
  {
    file: 'labeling/store.ts',
    tables: ['jobs', 'tasks', 'job_definitions', 'job_definition_revisions', 'datapoints'],
    reason:
      'the claim and answer hot path joins the job tables in one statement, until jobs plug into the engine',
  },
  {
    file: 'jobs/store.ts',
    tables: ['responses', 'leases', 'labelers'],
    reason: 'results and stalls read the responses and leases of a job, with the answering labelers',
  },
  {
    file: 'audiences/store.ts',
    tables: ['labelers'],
    reason: 'member counts and admission candidates filter on the labelers’ country and language',
  },
  {
    file: 'app.ts',
    tables: ['organizations'],
    reason: 'the health check: one cheap query proves the database answers',
  },
];

/** Files that name every table by design. */
const SKIPPED = [/^db\/migrations\.ts$/, /^db\/schema\.ts$/, /^db\/store-contract\.ts$/, /\.contract\.ts$/];

const TABLES = new Set<string>(Object.keys(TABLE_OWNERS));
// Kysely calls whose first argument is a table ('t' or 't as alias').
const BUILDER =
  /\b(?:selectFrom|innerJoin|leftJoin|rightJoin|fullJoin|insertInto|updateTable|deleteFrom|mergeInto)\(\s*['"`]([a-z_]+)/g;
// SQL text: a table after FROM / JOIN / INTO / UPDATE, optionally double-quoted.
const SQL = /\b(?:from|join|into|update)\s+"?([a-z_]+)"?/gi;
const STRING = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;

interface Use {
  file: string;
  line: number;
  table: Table;
  owner: Room;
  room: string;
}

/** Comments blanked out (same length, newlines kept), so line numbers stay and prose does not match. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|(?<![:'"`\\])\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
}

/** Every place in `text` (a file of room `room`) that names a table owned by another room. */
function crossRoomUses(file: string, room: string, text: string): Use[] {
  const code = stripComments(text);
  const lineAt = (index: number) => code.slice(0, index).split('\n').length;
  const uses = new Map<string, Use>();
  const add = (name: string, index: number) => {
    if (!TABLES.has(name)) return;
    const table = name as Table;
    const owner = TABLE_OWNERS[table];
    if (owner === room) return;
    const line = lineAt(index);
    uses.set(`${line}:${table}`, { file, line, table, owner, room });
  };
  for (const m of code.matchAll(BUILDER)) add(m[1] as string, m.index);
  for (const s of code.matchAll(STRING))
    for (const m of s[0].matchAll(SQL)) add((m[1] as string).toLowerCase(), s.index + m.index);
  return [...uses.values()].sort((a, b) => a.line - b.line);
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

/** The check's complaints about these uses: breaches, then (for the whole tree) exceptions that match nothing. */
function checkRooms(uses: readonly Use[], wholeTree: boolean): string[] {
  const excepted = (u: Use) => EXCEPTIONS.some((e) => e.file === u.file && e.tables.includes(u.table));
  const breaches = uses
    .filter((u) => !excepted(u))
    .map(
      (u) =>
        `packages/server/src/${u.file}:${u.line}: ${u.room}/ names the table ${u.table}, which belongs to ${u.owner}/; call a function of packages/server/src/${u.owner}/ instead (or add one there).`,
    );
  const stale = EXCEPTIONS.flatMap((e) =>
    e.tables
      .filter((table) => !uses.some((u) => u.file === e.file && u.table === table))
      .map(
        (table) =>
          `packages/server/scripts/check-rooms.ts: the exception for ${e.file} naming ${table} matches nothing any more; remove it.`,
      ),
  );
  return wholeTree ? [...breaches, ...stale] : breaches;
}

/** Every cross-room use in the tree `src` (a room is its top folder). */
function scanRooms(src: string): Use[] {
  const uses: Use[] = [];
  for (const path of sourceFiles(src)) {
    const file = relative(src, path).split('\\').join('/');
    if (SKIPPED.some((p) => p.test(file))) continue;
    const room = file.includes('/') ? (file.split('/')[0] as string) : '(top level)';
    uses.push(...crossRoomUses(file, room, readFileSync(path, 'utf8')));
  }
  return uses;
}

if (import.meta.main) {
  // --src <dir>: check another tree (the tests' fixtures) instead of packages/server/src.
  const at = process.argv.indexOf('--src');
  const src = at > 0 ? (process.argv[at + 1] as string) : join(import.meta.dirname, '..', 'src');
  const uses = scanRooms(src);
  if (process.argv.includes('--list'))
    for (const u of uses) console.log(`${u.file}:${u.line}: ${u.table} (${u.owner})`);
  const problems = checkRooms(uses, at < 0);
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exit(1);
}
