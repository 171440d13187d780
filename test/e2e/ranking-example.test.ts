// examples/ranking.ts run as a user would: `jury serve` and `jury simulate --truth-file` as processes, the script
// as a process with only the credentials file. The ranking job's lists and the flow item come back in the true
// order; the flow item that asks for more than its 60 s time to live allows ends incomplete with the votes it had.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DATABASES, JURY_BIN, REPO_ROOT, runNode, serveOn, tempDirs } from './helpers.ts';

for (const database of DATABASES) {
  describe(`ranking example on ${database}`, () => {
    const dirs = tempDirs();
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
      await (await dirs).cleanup();
    });

    it('ranks a job’s lists and flow items by simulated votes; an expiring item reports what it has', {
      timeout: 180_000,
    }, async () => {
      const d = await dirs;
      const { env, serve } = await serveOn(database, d, 'rk', cleanups);
      const stopSimulation = new AbortController();
      const simulate = runNode(
        [
          JURY_BIN,
          'simulate',
          '--url',
          serve.url,
          '--labelers',
          '6',
          '--accuracy',
          '1',
          '--pace',
          '100',
          '--truth-file',
          join(REPO_ROOT, 'examples/ranking-truth.json'),
          '--duration',
          '150',
          '--seed',
          '3',
        ],
        env,
        170_000,
        stopSimulation.signal,
      );
      const example = await runNode([join(REPO_ROOT, 'examples/ranking.ts')], env, 160_000);
      assert.equal(example.code, 0, example.stderr + example.stdout);
      const out = JSON.parse(example.stdout.slice(example.stdout.indexOf('{')));
      const [first, second] = out.rankingJob;
      assert.equal(first.context, 'Baked desserts');
      assert.deepEqual(Object.keys(first.ranking), [
        'chocolate cake',
        'apple pie',
        'lemon tart',
        'plain rice',
      ]);
      assert.deepEqual(Object.keys(second.ranking), ['tiramisu', 'crème brûlée', 'dry toast']);
      assert.equal(first.totalVotes, 30);
      assert.equal(out.flowItem.status, 'completed');
      assert.equal(out.flowItem.totalVotes, 30);
      assert.deepEqual(Object.keys(out.flowItem.datapoints), ['tiramisu', 'apple pie', 'plain rice']);
      assert.equal(out.expiredFlowItem.status, 'incomplete');
      assert.ok(out.expiredFlowItem.totalVotes > 0 && out.expiredFlowItem.totalVotes < 100_000);
      assert.deepEqual(Object.keys(out.expiredFlowItem.datapoints), ['lemon tart', 'dry toast']);
      assert.deepEqual(out.matrix.models, ['apple pie', 'plain rice', 'tiramisu']);

      stopSimulation.abort();
      const sim = await simulate;
      assert.doesNotMatch(sim.stderr, /Error/, sim.stderr);
    });
  });
}
