// The reference product's MRI example (examples/mri.ts) run as a user would: `jury serve` and `jury simulate` as
// processes, the script as a process with only the credentials file. The simulated labelers answer the blind
// matchups by Bradley-Terry from true strengths (--strengths-file); the printed standings must recover their order
// with intervals, first of three models, then with a fourth added later and matched against the field.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DATABASES, JURY_BIN, REPO_ROOT, runNode, serveOn, tempDirs } from './helpers.ts';

/** True strengths in natural-log units; model-d comes later and is the strongest. */
const STRENGTHS = { 'model-a': 1, 'model-b': 0, 'model-c': -1, 'model-d': 2 };
const ELO_PER_UNIT = 400 / Math.LN10;

interface Row {
  rank: number;
  name: string;
  score: number;
  lower: number;
  upper: number;
  votes: number;
}

/** The example's standings tables: a title line, then `  1. name  score [lower, upper]  n votes` rows. */
function tables(stdout: string): { title: string; votes: number; rows: Row[] }[] {
  const out: { title: string; votes: number; rows: Row[] }[] = [];
  for (const line of stdout.split('\n')) {
    const head = /^(Standings.*) \((\d+) votes\)$/.exec(line);
    if (head) out.push({ title: head[1]!, votes: Number(head[2]), rows: [] });
    const row = /^\s+(\d+)\. (\S+)\s+(-?\d+) \[(-?\d+), (-?\d+)\]\s+(\d+(?:\.\d+)?) votes$/.exec(line);
    if (row)
      out.at(-1)?.rows.push({
        rank: Number(row[1]),
        name: row[2]!,
        score: Number(row[3]),
        lower: Number(row[4]),
        upper: Number(row[5]),
        votes: Number(row[6]),
      });
  }
  return out;
}

/** Order, intervals, and each rating within twice its interval of the truth (on the fit's centring). */
function assertRecovers(rows: Row[], names: (keyof typeof STRENGTHS)[]) {
  assert.deepEqual(
    rows.map((r) => r.name),
    names,
    'the standings follow the true strengths',
  );
  const meanScore = rows.reduce((s, r) => s + r.score, 0) / rows.length;
  const meanTruth = names.reduce((s, n) => s + STRENGTHS[n], 0) / names.length;
  for (const r of rows) {
    assert.ok(
      r.lower < r.score && r.score < r.upper,
      `${r.name}: [${r.lower}, ${r.upper}] around ${r.score}`,
    );
    const truth = meanScore + ELO_PER_UNIT * (STRENGTHS[r.name as keyof typeof STRENGTHS] - meanTruth);
    assert.ok(
      Math.abs(r.score - truth) <= r.upper - r.lower,
      `${r.name}: ${r.score} [${r.lower}, ${r.upper}] vs true ${truth.toFixed(0)}`,
    );
  }
}

for (const database of DATABASES) {
  describe(`MRI example on ${database}`, () => {
    const dirs = tempDirs();
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
      await (await dirs).cleanup();
    });

    it('standings recover the simulated strengths, and a model added later is matched and ranked', {
      timeout: 90_000,
    }, async () => {
      const d = await dirs;
      const { home, env, serve } = await serveOn(database, d, 'mri', cleanups);
      const strengthsFile = join(home, 'strengths.json');
      await writeFile(strengthsFile, JSON.stringify(STRENGTHS));
      const stopSimulation = new AbortController();
      const simulate = runNode(
        [
          JURY_BIN,
          'simulate',
          '--url',
          serve.url,
          '--labelers',
          '10',
          '--accuracy',
          '1',
          '--strengths-file',
          strengthsFile,
          '--duration',
          '80',
          '--seed',
          '3',
          '--json',
        ],
        env,
        85_000,
        stopSimulation.signal,
      );
      const example = await runNode([join(REPO_ROOT, 'examples/mri.ts')], env, 80_000);
      stopSimulation.abort();
      const simulated = await simulate;
      assert.equal(example.code, 0, example.stderr + example.stdout);
      assert.equal(simulated.code, 0, simulated.stderr);

      const [first, second] = tables(example.stdout);
      assert.ok(first && second, example.stdout);
      assert.equal(first.votes, 300, 'the level of detail is the budget of the run');
      assertRecovers(first.rows, ['model-a', 'model-b', 'model-c']);
      assert.equal(second.votes, 600, 'the later model had its own run');
      assertRecovers(second.rows, ['model-d', 'model-a', 'model-b', 'model-c']);
      const d4 = second.rows.find((r) => r.name === 'model-d')!;
      assert.equal(d4.votes, 300, 'every matchup of the later run includes the new model');

      const report = JSON.parse(simulated.stdout) as {
        answers: number;
        matchupAnswers: number;
        matchupsWithoutModels: number;
        strengths: Record<string, number>;
        errors: number;
      };
      assert.equal(report.matchupAnswers, 600);
      assert.equal(report.matchupsWithoutModels, 0);
      assert.equal(report.errors, 0);
      assert.deepEqual(report.strengths, STRENGTHS);
    });
  });
}
