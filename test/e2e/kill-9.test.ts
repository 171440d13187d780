// The durability promise, pinned: a crowd answering, `jury serve` killed with SIGKILL mid-stream, restarted on
// the same data; every answer the crowd saw acknowledged (201) is there, none twice, no datapoint over its cap.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readCredentials } from '@jury/sdk';
import { Labeler, Requester, requestToken } from '@jury/server/testing';
import { createPostgresDatabase, DATABASES, isolatedEnv, startServe, tempDirs } from './helpers.ts';

const DATAPOINTS = 60;
const RESPONSES = 5;
const LABELERS = 24;

const dirs = await tempDirs();
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await dirs.cleanup();
});

async function tokenFor(home: string, url: string): Promise<string> {
  const { clients } = await readCredentials(join(home, '.config', 'jury', 'credentials.json'));
  const client = clients[0]!;
  return requestToken(url, { clientId: client.clientId, secret: client.clientSecret });
}

for (const database of DATABASES)
  test(`kill -9 mid-crowd on ${database}: every acknowledged answer survives, none twice, none over the cap`, async () => {
    const home = await dirs.make('kill9-home');
    const dataDir = await dirs.make('kill9-data');
    const env = isolatedEnv(home);
    const args = ['--port', '0', '--data-dir', dataDir];
    if (database === 'postgres') {
      const pg = await createPostgresDatabase();
      cleanups.push(() => pg.drop());
      args.push('--database-url', pg.url);
    }
    const first = await startServe(args, env);
    cleanups.push(() => first.stop('SIGKILL'));
    const requester = new Requester(first.url, await tokenFor(home, first.url));
    const job = await requester.compareJob({ datapoints: DATAPOINTS, responsesPerDatapoint: RESPONSES });

    const acknowledged = new Set<string>();
    let killed = false;
    const crowd = await Promise.all(Array.from({ length: LABELERS }, () => new Labeler(first.url).start()));
    const answering = crowd.map(async (labeler) => {
      while (!killed) {
        try {
          const task = await labeler.next();
          if (task?.kind !== 'task') return;
          const r = await labeler.answer(task.leaseId, { choice: Math.random() < 0.5 ? 'A' : 'B' });
          if (r.status === 201) acknowledged.add(r.body.data.id);
        } catch {
          return; // the server is gone
        }
      }
    });
    // Kill once a good share is answered, so answers are in flight at that moment.
    const deadline = Date.now() + 60_000;
    while (acknowledged.size < (DATAPOINTS * RESPONSES) / 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    killed = true;
    first.child.kill('SIGKILL');
    await first.stop('SIGKILL');
    await Promise.all(answering);
    assert.ok(acknowledged.size > 0, 'the crowd answered before the kill');

    const second = await startServe(args, env);
    cleanups.push(() => second.stop());
    const after = new Requester(second.url, await tokenFor(home, second.url));
    const stored: { id: string; datapoint: { id: string }; labeler: { id: string } }[] = [];
    for (let page = 1; ; page++) {
      const body = await after.ok('GET', `/api/v1/jobs/${job.id}/responses?amount=500&page=${page}`);
      stored.push(...body.data);
      if (stored.length >= body.total || body.data.length === 0) break;
    }
    const ids = new Set(stored.map((r) => r.id));
    const lost = [...acknowledged].filter((id) => !ids.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged answers lost`);
    assert.equal(ids.size, stored.length, 'no response twice');
    const pairs = new Set(stored.map((r) => `${r.labeler.id}/${r.datapoint.id}`));
    assert.equal(pairs.size, stored.length, 'no labeler answered a datapoint twice');
    const perDatapoint = new Map<string, number>();
    for (const r of stored) perDatapoint.set(r.datapoint.id, (perDatapoint.get(r.datapoint.id) ?? 0) + 1);
    assert.ok(Math.max(...perDatapoint.values()) <= RESPONSES, 'no datapoint over its cap');
  });
