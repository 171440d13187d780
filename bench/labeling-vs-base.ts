/**
 * `npm run bench:labeling-vs-base`: the labeling benchmark on this tree and on an earlier checkout, alternating in
 * one run so both see the same machine, and their ratio. BENCH_BASE_DIR is a checkout of the earlier commit with
 * `npm install` done (e.g. `git worktree add ../jury-base <commit> && (cd ../jury-base && npm install)`).
 * BENCH_ROUNDS (default 2) alternations; BENCH_SECONDS is passed through (default here 10 s per phase).
 * Writes bench/results/labeling-vs-base.json. A benchmark, not a test: it reports, it does not fail.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const head = path.resolve(here, '..');
const base = process.env.BENCH_BASE_DIR;
if (!base) throw new Error('Set BENCH_BASE_DIR to a checkout of the earlier commit (with npm install done).');
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const env = { ...process.env, BENCH_SECONDS: process.env.BENCH_SECONDS ?? '10' };

interface Figures {
  pacedAnswersPerSecond: number;
  pacedP99Ms: number;
  saturatedAnswersPerSecond: number;
  serverMsPerAnswer: number;
}

const commit = (dir: string) =>
  spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();

function runOnce(dir: string): Record<'sqlite' | 'postgres', Figures> {
  const r = spawnSync('npm', ['run', 'bench:labeling'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`bench:labeling failed in ${dir}`);
  const read = (backend: string): Figures => {
    const file = JSON.parse(readFileSync(path.join(dir, `bench/results/labeling-${backend}.json`), 'utf8'));
    // One process against one process: a later bench:labeling also runs two on Postgres, kept as `oneProcess`.
    const j = file.oneProcess ?? file;
    return {
      pacedAnswersPerSecond: j.paced.answersPerSecond,
      pacedP99Ms: j.paced.p99Ms,
      saturatedAnswersPerSecond: j.saturated.answersPerSecond,
      serverMsPerAnswer: j.paced.cpu.serverMsPerAnswer,
    };
  };
  return { sqlite: read('sqlite'), postgres: read('postgres') };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const runs: { base: ReturnType<typeof runOnce>; head: ReturnType<typeof runOnce> }[] = [];
for (let i = 0; i < rounds; i++) {
  console.log(`\n== round ${i + 1}/${rounds}: base (${commit(base)})`);
  const b = runOnce(base);
  console.log(`\n== round ${i + 1}/${rounds}: head (${commit(head)})`);
  runs.push({ base: b, head: runOnce(head) });
}

const summary: Record<string, Record<string, { base: number; head: number; ratio: number }>> = {};
for (const backend of ['sqlite', 'postgres'] as const) {
  summary[backend] = {};
  for (const key of Object.keys(runs[0]?.base[backend] ?? {}) as (keyof Figures)[]) {
    const b = median(runs.map((r) => r.base[backend][key]));
    const h = median(runs.map((r) => r.head[backend][key]));
    (summary[backend] as Record<string, unknown>)[key] = {
      base: b,
      head: h,
      ratio: Math.round((h / b) * 1000) / 1000,
    };
  }
}
const out = {
  machine: describeMachine(),
  baseCommit: commit(base),
  headCommit: commit(head),
  rounds,
  secondsPerPhase: Number(env.BENCH_SECONDS),
  note: 'Medians over alternating rounds. ratio = head / base: above 1 is better for answers per second, below 1 is better for p99 and server CPU per answer.',
  summary,
  runs,
};
writeFileSync(path.join(here, 'results/labeling-vs-base.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
