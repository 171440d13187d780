// `npm run check`: no code outside the task-type modules names a task type. Each package dispatches through its
// `Record<TaskType, …>` (packages/*/src/**/task-types/, the simulator's oracles/), so adding a type is a new
// module per package plus its registration. Tests and test fixtures may name types; so may the few places below.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
// A task type's name (any spelling, the reference product's capitalised results names included) as a string.
const NAME = /(['"`])(compare|classification|classify|Compare|Classify)\1/g;
const MODULE_FOLDERS = /\/(task-types|oracles)\//;
const FIXTURES = /(\.test\.tsx?|\.contract\.ts|\/test-helpers\.ts)$/;
/** Where a name stands for itself, with why. */
const ALLOWED: Record<string, string> = {
  'packages/server/src/db/migrations.ts': "the migration that renamed 'classify' rows",
  'packages/sdk/src/jobs/manager.ts':
    'createCompareJobDefinition/createClassificationJobDefinition name their type',
  'packages/sdk/src/audiences/audience.ts': 'addCompareExample/addClassificationExample name their type',
  'packages/server/src/benchmarks/matchup-source.ts':
    'a matchup is by definition served and answered as a compare task',
  'packages/server/src/flows/ranking-source.ts':
    'a ranking matchup (two items of a flow item or ranking job) is served and answered as a compare task',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The code without its comments (names in prose are fine), line numbers kept. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const problems: string[] = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', pkg, 'src');
  let files: string[];
  try {
    files = sourceFiles(src);
  } catch {
    continue;
  }
  for (const file of files) {
    const rel = relative(root, file);
    if (MODULE_FOLDERS.test(rel) || FIXTURES.test(rel) || rel in ALLOWED) continue;
    code(readFileSync(file, 'utf8'))
      .split('\n')
      .forEach((line, i) => {
        for (const m of line.matchAll(NAME)) problems.push(`${rel}:${i + 1}: ${m[0]}`);
      });
  }
}
if (problems.length > 0) {
  console.error(
    `Task types are named only in their modules (task-types/, oracles/); dispatch through the registry instead:\n${problems.join('\n')}`,
  );
  process.exit(1);
}
console.log('task types: named only in their modules');
