// The Python client (python/, package `jury`) against a real `jury serve` with the machine's python3: its unittest
// suites, then the seed's quick example (python/examples/quickstart.py: only the import and the client class changed)
// and the Quick Start guide with local images, answered by `jury simulate` as a process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runProcess } from '@jury/cli/testing';
import { DATABASES, JURY_BIN, REPO_ROOT, runNode, serveOn, tempDirs } from './helpers.ts';

const PYTHON_DIR = join(REPO_ROOT, 'python');
const PYTHON = process.env.JURY_TEST_PYTHON || 'python3';

/** Why the Python tests cannot run here, or null when `python3` is at least 3.10. */
function pythonMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
  });
  if (r.error)
    return `${PYTHON} could not be started (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  const version = r.stdout.trim();
  const [major, minor] = version.split('.').map(Number) as [number, number];
  if (r.status !== 0 || !(major > 3 || (major === 3 && minor >= 10)))
    return `${PYTHON} is ${version || `unusable (exit ${r.status}: ${r.stderr.trim()})`}; the client needs ≥ 3.10`;
  return null;
}
const missing = pythonMissing();

/** A Python dict as `print(results)` writes it, as JSON (through Python's own literal parser). */
async function pythonLiteral(text: string, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const r = await runProcess(
    [PYTHON, '-c', 'import ast, json, sys; print(json.dumps(ast.literal_eval(sys.stdin.read())))'],
    { env, input: text, timeoutMs: 10_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

for (const database of DATABASES) {
  describe(`Python client on ${database}`, () => {
    const dirs = tempDirs();
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
      await (await dirs).cleanup();
    });

    it('passes its unittest suites and runs the seed quick example against jury serve and jury simulate', {
      timeout: 290_000,
    }, async (t) => {
      if (missing) {
        t.skip(`python3 ≥ 3.10 not found: ${missing}`);
        return;
      }
      const d = await dirs;
      const { env, serve } = await serveOn(database, d, 'py', cleanups);
      const stopSimulation = new AbortController();
      const simulate = runNode(
        [JURY_BIN, 'simulate', '--url', serve.url, '--labelers', '12', '--duration', '280', '--seed', '7'],
        env,
        290_000,
        stopSimulation.signal,
      );
      // The saved credentials file in the isolated HOME is all the client has, as for a user after `jury serve`.
      const pyEnv = {
        ...env,
        PYTHONPATH: PYTHON_DIR,
        PYTHONDONTWRITEBYTECODE: '1',
        JURY_TEST_URL: serve.url,
      };
      try {
        const suites = await runProcess(
          [PYTHON, '-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'],
          {
            env: pyEnv,
            cwd: PYTHON_DIR,
            timeoutMs: 180_000,
          },
        );
        assert.equal(suites.code, 0, suites.output);
        assert.match(suites.stderr, /\nOK\n/, suites.output);
        assert.doesNotMatch(suites.stderr, /skipped/, 'the live suites ran against the server');

        const quick = await runProcess([PYTHON, 'examples/quickstart.py'], {
          env: pyEnv,
          cwd: PYTHON_DIR,
          timeoutMs: 90_000,
        });
        assert.equal(quick.code, 0, quick.output);
        assert.match(quick.stdout, /Job Example Text Comparison in the dashboard: http:\/\/\S+\/jobs\/job_/);
        const lines = quick.stdout.trim().split('\n');
        const results = await pythonLiteral(lines.at(-1) as string, pyEnv);
        const amazed = "The children were amazed by the magician's tricks";
        const amusing = "The children were amusing by the magician's tricks.";
        const info = results.info as { type: string; name: string };
        assert.equal(info.type, 'Compare');
        assert.equal(info.name, 'Example Text Comparison');
        const [result, ...others] = results.results as Record<string, unknown>[];
        assert.equal(others.length, 0);
        assert.ok(result);
        const votes = result.aggregatedResults as Record<string, number>;
        assert.deepEqual(Object.keys(votes).sort(), [amazed, amusing]);
        assert.equal(
          (votes[amazed] ?? 0) + (votes[amusing] ?? 0),
          10,
          'responsesPerDatapoint defaults to 10',
        );
        assert.equal((result.detailedResults as unknown[]).length, 10);
        assert.ok([amazed, amusing].includes(result.winner as string));
        const summary = results.summary as { A_wins_total: number; B_wins_total: number };
        assert.equal(summary.A_wins_total + summary.B_wins_total, 1);

        const images = await runProcess([PYTHON, 'examples/quickstart_images.py'], {
          env: pyEnv,
          cwd: PYTHON_DIR,
          timeoutMs: 90_000,
        });
        assert.equal(images.code, 0, images.output);
        assert.match(images.stdout, /Preview of Example Image Prompt Alignment .*\/label\/preview\/pvw_/);
        const imageResults = await pythonLiteral(images.stdout.trim().split('\n').at(-1) as string, pyEnv);
        const [imageResult] = imageResults.results as Record<string, unknown>[];
        assert.equal(imageResult?.context, 'A small blue book sitting on a large red book.');
        assert.deepEqual(Object.keys(imageResult?.aggregatedResults as object).sort(), [
          'book-a.png',
          'book-b.png',
        ]);
      } finally {
        stopSimulation.abort();
        const sim = await simulate;
        assert.doesNotMatch(sim.stderr, /Error/, sim.stderr);
      }
    });
  });
}
