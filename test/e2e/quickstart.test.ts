// The README's quick example (examples/quickstart.ts) run as a user would: `jury serve` and `jury simulate` as
// processes, the script as a process with only the credentials file, results printed in the reference product's documented shape.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DATABASES, JURY_BIN, REPO_ROOT, runNode, serveOn, tempDirs } from './helpers.ts';

for (const database of DATABASES) {
  describe(`quickstart example on ${database}`, () => {
    const dirs = tempDirs();
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
      await (await dirs).cleanup();
    });

    it('prints compare results in the documented shape, answered by jury simulate', {
      timeout: 120_000,
    }, async () => {
      const d = await dirs;
      const { env, serve } = await serveOn(database, d, 'qs', cleanups);
      const stopSimulation = new AbortController();
      const simulate = runNode(
        [
          JURY_BIN,
          'simulate',
          '--url',
          serve.url,
          '--labelers',
          '12',
          '--accuracy',
          '0.9',
          '--duration',
          '60',
          '--seed',
          '7',
        ],
        env,
        90_000,
        stopSimulation.signal,
      );
      const quickstart = await runNode([join(REPO_ROOT, 'examples/quickstart.ts')], env, 90_000);
      assert.equal(quickstart.code, 0, quickstart.stderr + quickstart.stdout);
      const json = quickstart.stdout.slice(quickstart.stdout.indexOf('\n{') + 1);
      const results = JSON.parse(json);
      assert.match(quickstart.stdout, /Preview of Example Image Prompt Alignment .*\/label\/preview\//);

      assert.equal(results.info.type, 'Compare');
      assert.equal(results.info.name, 'Example Image Prompt Alignment');
      const [result] = results.results;
      assert.equal(results.results.length, 1);
      assert.equal(result.context, 'A small blue book sitting on a large red book.');
      assert.deepEqual(Object.keys(result.aggregatedResults).sort(), ['book-a.png', 'book-b.png']);
      const votes = result.aggregatedResults['book-a.png'] + result.aggregatedResults['book-b.png'];
      assert.ok(votes >= 10, `responsesPerDatapoint defaults to 10, got ${votes}`);
      assert.equal(result.detailedResults.length, votes);
      for (const key of ['aggregatedResultsRatios', 'summedUserScores', 'summedUserScoresRatios'])
        assert.ok(result[key], key);
      assert.ok(['book-a.png', 'book-b.png'].includes(result.winner));
      assert.equal(result.winner_index, result.winner === 'book-a.png' ? 0 : 1);
      assert.equal(results.summary.A_wins_total + results.summary.B_wins_total, 1);
      const detail = result.detailedResults[0];
      assert.equal(detail.userDetails.country, 'US');
      assert.equal(typeof detail.userDetails.userScores.global, 'number');

      // The simulated crowd did the work through the labeler API; stop it now rather than at --duration.
      stopSimulation.abort();
      const sim = await simulate;
      assert.doesNotMatch(sim.stderr, /Error/, sim.stderr);
    });
  });
}
