// The concurrency "done when": 50 simulated labelers (jury simulate's runSimulation, each with its own
// session cookie, over HTTP) on a 20-datapoint compare job with responsesPerDatapoint 5, against `jury serve`
// running as its own process. Checked in the database afterwards:
// - every datapoint has at least 5 responses and at most 5 + the leases out on it at once (the documented
//   bound; claims count live leases, so in fact exactly 5 without early stopping),
// - no labeler answered a datapoint twice,
// - nothing lost: every answer the server accepted is in `responses`, per labeler, and the task counters
//   equal the stored responses.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSimulation } from '@jury/cli/simulate';
import { type DatabaseHandle, openDatabase } from '@jury/server';
import {
  createPostgresDatabase,
  DATABASES,
  freePort,
  isolatedEnv,
  runJury,
  type ServeProcess,
  startServe,
  tempDirs,
} from './helpers.ts';

const LABELERS = 50;
const DATAPOINTS = 20;
const RESPONSES_PER_DATAPOINT = 5;

for (const database of DATABASES) {
  describe(`labeling concurrency (${database})`, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let serve: ServeProcess;
    let handle: DatabaseHandle;
    let dropDatabase: (() => Promise<void>) | undefined;
    let token = '';

    before(async () => {
      dirs = await tempDirs();
      const home = await dirs.make('home');
      const dataDir = await dirs.make('data');
      let dbArgs: string[] = [];
      if (database === 'postgres') {
        const pg = await createPostgresDatabase();
        dropDatabase = pg.drop;
        dbArgs = ['--database-url', pg.url];
      }
      const env = isolatedEnv(home);
      const port = await freePort();
      serve = await startServe(['--port', String(port), '--data-dir', dataDir, ...dbArgs], env);
      const created = await runJury(
        ['credentials', 'create', '--json', '--data-dir', dataDir, ...dbArgs],
        env,
      );
      assert.equal(created.code, 0, created.stderr);
      const { clientId, clientSecret } = JSON.parse(created.stdout) as {
        clientId: string;
        clientSecret: string;
      };
      const t = await fetch(`${serve.url}/connect/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
      });
      token = ((await t.json()) as { access_token: string }).access_token;
      handle = await openDatabase({
        databaseUrl: dbArgs[1],
        sqliteFile: join(dataDir, 'jury.sqlite'),
      });
    });

    after(async () => {
      await handle?.close();
      await serve?.stop();
      await dropDatabase?.();
      await dirs?.cleanup();
    });

    const api = async (method: string, path: string, body: unknown) => {
      const r = await fetch(`${serve.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await r.json()) as { data: { id: string } };
      assert.ok(r.status < 300, `${method} ${path}: ${JSON.stringify(json)}`);
      return json.data;
    };

    test(`${LABELERS} labelers, ${DATAPOINTS} datapoints × ${RESPONSES_PER_DATAPOINT} responses: bounded, once each, nothing lost`, async () => {
      const definition = await api('POST', '/api/v1/job-definitions', {
        type: 'compare',
        name: 'concurrency',
        instruction: 'Which is better?',
        dataType: 'text',
        datapoints: Array.from({ length: DATAPOINTS }, (_, i) => [
          { text: `left ${i}` },
          { text: `right ${i}` },
        ]),
        responsesPerDatapoint: RESPONSES_PER_DATAPOINT,
      });
      const job = await api('POST', '/api/v1/jobs', { definitionId: definition.id, audienceId: 'global' });
      const { db } = handle;

      // Sample the live leases per task while the crowd works: the bound is "5 + leases out at once".
      const maxLeases = new Map<string, number>();
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const now = new Date().toISOString();
          const rows = await db
            .selectFrom('leases')
            .select(['item_id as task_id', (eb) => eb.fn.countAll<number>().as('n')])
            .where('kind', '=', 'task')
            .where('job_id', '=', job.id)
            .where('expires_at', '>', now)
            .groupBy('item_id')
            .execute();
          for (const r of rows)
            maxLeases.set(r.task_id, Math.max(maxLeases.get(r.task_id) ?? 0, Number(r.n)));
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const report = await runSimulation({
        url: serve.url,
        labelers: LABELERS,
        accuracy: 0.8,
        paceMs: 5,
        untilIdle: true,
        idleMs: 500,
        pollMs: 100,
        seed: 2026,
      });
      sampling = false;
      await sampler;

      assert.equal(report.errors, 0, report.errorSamples.join('\n'));
      assert.ok(maxLeases.size > 0, 'leases were observed while labelers worked');

      const tasks = await db.selectFrom('tasks').selectAll().where('job_id', '=', job.id).execute();
      assert.equal(tasks.length, DATAPOINTS);
      const perTask = await db
        .selectFrom('responses')
        .select(['task_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('job_id', '=', job.id)
        .groupBy('task_id')
        .execute();
      const counts = new Map(perTask.map((r) => [r.task_id, Number(r.n)]));
      for (const t of tasks) {
        const n = counts.get(t.id) ?? 0;
        assert.ok(n >= RESPONSES_PER_DATAPOINT, `task ${t.id} has ${n} responses`);
        assert.ok(
          n <= RESPONSES_PER_DATAPOINT + (maxLeases.get(t.id) ?? 0),
          `task ${t.id}: ${n} responses > ${RESPONSES_PER_DATAPOINT} + ${maxLeases.get(t.id)} leases`,
        );
        assert.equal(n, RESPONSES_PER_DATAPOINT, 'claims count live leases, so no overflow at all');
        assert.equal(t.responses_count, n, 'the counter equals the stored responses');
        assert.equal(t.status, 'complete');
      }

      const twice = await db
        .selectFrom('responses')
        .select(['task_id', 'labeler_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('job_id', '=', job.id)
        .groupBy(['task_id', 'labeler_id'])
        .having((eb) => eb(eb.fn.countAll(), '>', 1))
        .execute();
      assert.deepEqual(twice, [], 'no labeler answered a datapoint twice');

      const total = perTask.reduce((s, r) => s + Number(r.n), 0);
      assert.equal(total, DATAPOINTS * RESPONSES_PER_DATAPOINT);
      assert.equal(report.answers, total, 'every accepted answer is stored, and only those');
      const perLabeler = await db
        .selectFrom('responses')
        .select(['labeler_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('job_id', '=', job.id)
        .groupBy('labeler_id')
        .execute();
      const stored = new Map(perLabeler.map((r) => [r.labeler_id, Number(r.n)]));
      for (const l of report.perLabeler) assert.equal(stored.get(l.id) ?? 0, l.answers, `labeler ${l.id}`);
      assert.ok(
        report.perLabeler.filter((l) => l.answers > 0).length > 10,
        'the work was spread over the crowd',
      );

      const jobRow = await db
        .selectFrom('jobs')
        .select('status')
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow();
      assert.equal(jobRow.status, 'completed');
      const leftover = await db.selectFrom('leases').select('id').where('job_id', '=', job.id).execute();
      assert.deepEqual(leftover, [], 'every lease was answered and released');
    });
  });
}
