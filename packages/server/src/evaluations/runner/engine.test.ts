// The run engine against a real loopback model server (OpenAI-compatible, fixture answers, scripted faults):
// limits, retries, skips, cache, resumption after an abort, and two engines sharing one store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChatCall, type ModelServer, startModelServer } from '../../../test/model-server.ts';
import { createManualClock, systemClock } from '../../http/clock.ts';
import { createLimiter } from '../../models/limiter.ts';
import { createMemoryResponseCache, stableHash } from './cache.ts';
import { runItems } from './engine.ts';
import { createMemoryRunStore } from './memory-store.ts';
import { createSqliteFileRunStore } from './sqlite-file-store.ts';
import type { ItemRecord, RunProgress, RunStore } from './types.ts';

const estimateTokens = (text: string) => Math.ceil(text.length / 4);
const items = (n: number, prefix = 'q') =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, prompt: `${prefix} question ${i}?` }));
const fast = { backoff: { baseMs: 5, maxMs: 20 }, timeoutMs: 5000 };

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'jury-runner-'));
  return {
    path: (name: string) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Requests the server saw for this prompt (any status). */
const requestsFor = (server: ModelServer, prompt: string) =>
  server.requests.filter((r) => r.prompt === prompt).length;

describe('runItems', () => {
  it('asks every item once and records prompt, raw response, answer, grade, latency, tokens and cost', async () => {
    const server = await startModelServer({ answer: (p) => (p.endsWith('1?') ? 'B' : 'A'), latencyMs: 5 });
    try {
      const store = createMemoryRunStore<boolean>();
      const seen: RunProgress[] = [];
      const run = items(6).map((item, i) => ({ ...item, correct: i === 1 ? 'B' : 'C' }));
      const summary = await runItems({
        items: run,
        call: createChatCall(server.chatUrl),
        store,
        estimateTokens,
        grade: (item, answer) => answer === item.correct,
        cost: ({ inputTokens, outputTokens }) => inputTokens * 0.001 + outputTokens * 0.002,
        concurrency: 3,
        onProgress: (p) => seen.push(p),
        ...fast,
      });
      assert.equal(summary.status, 'completed');
      assert.ok(summary.durationMs >= 10 && summary.finishedAt > summary.startedAt);
      assert.deepEqual(
        {
          answered: summary.answered,
          finished: summary.finished,
          requests: summary.requests,
          retries: summary.retries,
        },
        { answered: 6, finished: 6, requests: 6, retries: 0 },
      );
      for (const item of run) assert.equal(server.answeredCount(item.prompt), 1);
      const record = store.records().find((r) => r.itemId === 'q1')!;
      assert.equal(record.status, 'answered');
      assert.equal(record.prompt, 'q question 1?');
      assert.equal(record.answer, 'B');
      assert.equal(record.grade, true);
      assert.equal(JSON.parse(record.raw!).choices[0].message.content, 'B');
      assert.equal(record.attempts, 1);
      assert.ok(record.latencyMs! >= 5, 'latency covers the server’s delay');
      assert.deepEqual([record.inputTokens, record.outputTokens, record.tokensEstimated], [4, 1, false]);
      assert.equal(record.cost, 4 * 0.001 + 0.002);
      assert.equal(store.records().filter((r) => r.grade === true).length, 1);
      assert.ok(Math.abs(summary.cost - 6 * 0.006) < 1e-9);
      assert.deepEqual(
        seen.map((p) => p.finished),
        [0, 1, 2, 3, 4, 5, 6],
        'progress after each item',
      );
    } finally {
      await server.close();
    }
  });

  it('honours Retry-After on a 429: every request waits it out, then the item is answered', async () => {
    // The first request gets 429 with Retry-After: 1.
    const server = await startModelServer({ fault: (n) => (n === 1 ? '429' : undefined) });
    try {
      const limiter = createLimiter({ maxConcurrency: 2 }, { clock: systemClock });
      const store = createMemoryRunStore();
      const summary = await runItems({
        items: items(4),
        call: createChatCall(server.chatUrl),
        store,
        estimateTokens,
        limiter,
        concurrency: 2,
        ...fast,
      });
      assert.equal(summary.answered, 4);
      assert.equal(summary.retries, 1);
      // The server records a request as it answers: the 429, then the one sent alongside it, then the rest.
      const [limited, alongside, ...later] = server.requests;
      assert.deepEqual([limited!.status, alongside!.status, later.length], [429, 200, 3]);
      for (const r of later)
        assert.ok(r.at - limited!.at >= 1000, `a request ${r.at - limited!.at} ms after the 429`);
      assert.equal(store.records().find((r) => r.prompt === limited!.prompt)!.attempts, 2);
      assert.equal(limiter.snapshot().throttled, 1, 'the 429 reached the endpoint’s limiter');
    } finally {
      await server.close();
    }
  });

  it('holds a server’s requests-per-minute limit with no 429, in virtual time', async () => {
    const clock = createManualClock();
    const server = await startModelServer({ rpmLimit: 10, now: () => clock.now().getTime() });
    try {
      const limiter = createLimiter({ requestsPerMinute: 10, maxConcurrency: 3 }, { clock });
      const done = runItems({
        items: items(25),
        call: createChatCall(server.chatUrl),
        store: createMemoryRunStore({ now: () => clock.now().getTime() }),
        estimateTokens,
        limiter,
        clock,
        timeoutMs: 3_600_000,
      });
      let finished = false;
      void done.finally(() => {
        finished = true;
      });
      // Virtual minutes pass in small steps while the real requests travel.
      while (!finished) {
        await clock.tick(250);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const summary = await done;
      assert.equal(summary.answered, 25);
      assert.equal(server.requests.filter((r) => r.status === 429).length, 0);
      assert.equal(server.requests.length, 25);
      const t0 = server.requests[0]!.at;
      const inSecondMinute = server.requests.filter((r) => r.at >= t0 + 60_000 && r.at < t0 + 120_000).length;
      assert.ok(inSecondMinute >= 9 && inSecondMinute <= 10, `${inSecondMinute} in the second minute`);
    } finally {
      await server.close();
    }
  });

  it('retries 5xx, timeouts and a malformed body; records a failure that persists, after maxAttempts', async () => {
    let slowAsked = 0;
    const server = await startModelServer({
      fault: (n, prompt) => {
        if (prompt === 'always down?') return '503';
        if (prompt === 'always garbled?') return 'malformed';
        if (prompt === 'slow once?' && slowAsked++ === 0) return 'hang';
        if (prompt === 'flaky?' && n <= 3) return n % 2 ? '500' : 'malformed';
        return undefined;
      },
    });
    try {
      const store = createMemoryRunStore();
      const prompts = ['always down?', 'always garbled?', 'slow once?', 'flaky?'];
      const summary = await runItems({
        items: prompts.map((prompt, i) => ({ id: `i${i}`, prompt })),
        call: createChatCall(server.chatUrl),
        store,
        estimateTokens,
        concurrency: 1,
        maxAttempts: 3,
        ...fast,
        timeoutMs: 300,
      });
      const byPrompt = new Map(store.records().map((r) => [r.prompt, r]));
      const down = byPrompt.get('always down?')!;
      assert.deepEqual(
        [down.status, down.attempts, down.error],
        ['failed', 3, { kind: 'server-error', message: 'HTTP 503', status: 503 }],
      );
      const garbled = byPrompt.get('always garbled?')!;
      assert.deepEqual([garbled.status, garbled.attempts, garbled.error!.kind], ['failed', 3, 'malformed']);
      assert.equal(garbled.raw, '{"choices": [ {"message": ', 'the raw body is kept to show what came back');
      const slow = byPrompt.get('slow once?')!;
      assert.deepEqual([slow.status, slow.attempts], ['answered', 2]);
      const flaky = byPrompt.get('flaky?')!;
      assert.equal(flaky.status, 'answered');
      assert.deepEqual(
        [summary.answered, summary.failed, summary.requests],
        [2, 2, 3 + 3 + 2 + flaky.attempts],
      );
    } finally {
      await server.close();
    }
  });

  it('records a refused request (a 4xx) after one attempt: asking again would get the same answer', async () => {
    const server = await startModelServer({ requireHeader: { name: 'authorization', value: 'Bearer k' } });
    try {
      const store = createMemoryRunStore();
      const summary = await runItems({
        items: items(2),
        call: createChatCall(server.chatUrl),
        store,
        estimateTokens,
        ...fast,
      });
      assert.deepEqual([summary.failed, summary.requests], [2, 2]);
      assert.deepEqual(store.records()[0]!.error, { kind: 'refused', message: 'HTTP 401', status: 401 });
    } finally {
      await server.close();
    }
  });

  it('asks an earlier run’s failed items again only when told to (retakeFailed)', async () => {
    let down = true;
    const server = await startModelServer({ fault: () => (down ? '503' : undefined) });
    try {
      const store = createMemoryRunStore();
      const run = (retakeFailed?: boolean) =>
        runItems({
          items: items(3),
          call: createChatCall(server.chatUrl),
          store,
          estimateTokens,
          maxAttempts: 2,
          retakeFailed,
          ...fast,
        });
      assert.equal((await run()).failed, 3);
      down = false;
      const again = await run();
      assert.deepEqual([again.requests, again.alreadyStored], [0, 3], 'a failure is a record like any other');
      const retaken = await run(true);
      assert.deepEqual([retaken.requests, retaken.answered], [3, 3]);
      assert.ok(
        store.records().every((r) => r.status === 'answered'),
        'the answers replaced the failures',
      );
    } finally {
      await server.close();
    }
  });

  it('skips a prompt that does not fit the context window, with the reason, and sends nothing for it', async () => {
    const server = await startModelServer();
    try {
      const store = createMemoryRunStore();
      const long = { id: 'long', prompt: 'x'.repeat(400) };
      const summary = await runItems({
        items: [long, ...items(2)],
        call: createChatCall(server.chatUrl),
        store,
        estimateTokens,
        limits: { contextWindowTokens: 50 },
        ...fast,
      });
      assert.deepEqual([summary.skipped, summary.answered, summary.requests], [1, 2, 2]);
      assert.equal(requestsFor(server, long.prompt), 0);
      const skipped = store.records().find((r) => r.itemId === 'long')!;
      assert.equal(skipped.status, 'skipped');
      assert.equal(skipped.skipReason, 'the prompt is about 100 tokens, the context window 50');
    } finally {
      await server.close();
    }
  });

  it('answers a repeated request from the cache, unless refreshed or the endpoint changed', async () => {
    const server = await startModelServer();
    try {
      const cache = createMemoryResponseCache();
      const endpoint = { url: server.chatUrl, body: { model: 'm', messages: '%PROMPT%' } };
      const cacheOptions = { cache, modelId: 'model-1', endpointHash: stableHash(endpoint) };
      const run = (options: Partial<typeof cacheOptions> & { refresh?: boolean } = {}) => {
        const store = createMemoryRunStore();
        return runItems({
          items: items(3),
          call: createChatCall(server.chatUrl),
          store,
          estimateTokens,
          cache: { ...cacheOptions, ...options },
          ...fast,
        }).then((summary) => ({ summary, records: store.records() }));
      };
      const first = await run();
      assert.deepEqual([first.summary.requests, first.summary.cached, cache.size], [3, 0, 3]);
      const second = await run();
      assert.deepEqual([second.summary.requests, second.summary.cached, second.summary.answered], [0, 3, 3]);
      const hit = second.records.find((r) => r.itemId === 'q0')!;
      const original = first.records.find((r) => r.itemId === 'q0')!;
      assert.deepEqual(
        [hit.cached, hit.attempts, hit.answer, hit.raw, hit.cost],
        [true, 0, original.answer, original.raw, 0],
      );
      assert.equal((await run({ refresh: true })).summary.requests, 3, 'refresh asks again');
      // Key order does not change the hash; a changed endpoint does.
      const reordered = stableHash({ body: { messages: '%PROMPT%', model: 'm' }, url: server.chatUrl });
      assert.equal((await run({ endpointHash: reordered })).summary.requests, 0);
      const changed = stableHash({ ...endpoint, body: { ...endpoint.body, temperature: 0 } });
      assert.equal((await run({ endpointHash: changed })).summary.requests, 3);
      assert.equal((await run({ modelId: 'model-2' })).summary.requests, 3);
    } finally {
      await server.close();
    }
  });

  describe('resumable and shared through the store', () => {
    let server: ModelServer;
    let dir: ReturnType<typeof tempDir>;
    before(async () => {
      server = await startModelServer({ latencyMs: 15 });
      dir = tempDir();
    });
    after(async () => {
      await server.close();
      dir.remove();
    });

    type Reopened = RunStore & { records(): ItemRecord[] };
    const stores: {
      name: string;
      open: (name: string) => { store: RunStore; reopen(): Reopened; close(): void };
    }[] = [
      {
        name: 'memory',
        open: () => {
          const store = createMemoryRunStore();
          return { store, reopen: () => store, close: () => {} };
        },
      },
      {
        name: 'SQLite file',
        open: (name) => {
          const opened = [createSqliteFileRunStore({ path: dir.path(`${name}.sqlite`), runId: 'run-1' })];
          return {
            store: opened[0]!,
            reopen: () => {
              opened[0]!.close(); // as a killed process would: only what was committed remains
              opened.push(createSqliteFileRunStore({ path: dir.path(`${name}.sqlite`), runId: 'run-1' }));
              return opened.at(-1)!;
            },
            close: () => opened.at(-1)!.close(),
          };
        },
      },
    ];

    it('takes over the items of a holder that died once their leases expire', async () => {
      const run = items(6, 'orphan-');
      const store = createMemoryRunStore();
      // A process claimed three items and died without a word.
      for (const item of run.slice(0, 3)) await store.claim(item.id, { holder: 'dead', leaseMs: 400 });
      const started = Date.now();
      const summary = await runItems({
        items: run,
        call: createChatCall(server.chatUrl),
        store,
        estimateTokens,
        heldRetryMs: 50,
        ...fast,
      });
      assert.deepEqual([summary.answered, summary.requests], [6, 6]);
      assert.ok(Date.now() - started >= 350, 'the orphans waited for their leases to end');
    });

    it('renews its leases while a slow request is out, so another engine does not take the item', async () => {
      const slow = await startModelServer({ latencyMs: 600 });
      try {
        const run = items(4, 'slow-');
        const store = createMemoryRunStore();
        const engine = (holder: string) =>
          runItems({
            items: run,
            call: createChatCall(slow.chatUrl),
            store,
            estimateTokens,
            concurrency: 4,
            leaseMs: 240,
            heldRetryMs: 50,
            holder,
            ...fast,
          });
        const [a, b] = await Promise.all([engine('a'), engine('b')]);
        for (const item of run) assert.equal(requestsFor(slow, item.prompt), 1, `${item.prompt} asked once`);
        assert.equal(a.answered + b.answered, 4);
      } finally {
        await slow.close();
      }
    });

    for (const { name, open } of stores) {
      it(`resumes an aborted run without asking again any stored item (${name})`, async () => {
        const prefix = `resume-${name}-`;
        const run = items(30, prefix);
        const { store, reopen, close } = open(`resume-${name}`);
        try {
          const controller = new AbortController();
          const first = await runItems({
            items: run,
            call: createChatCall(server.chatUrl),
            store,
            estimateTokens,
            concurrency: 4,
            signal: controller.signal,
            onProgress: (p) => {
              if (p.answered === 10) controller.abort(new Error('stopped'));
            },
            ...fast,
          });
          assert.equal(first.status, 'aborted');
          assert.ok(
            first.answered >= 10 && first.answered < 30,
            `${first.answered} answered before the stop`,
          );
          // The server records a request when it answers: let the ones the stop cut off land first.
          await new Promise((resolve) => setTimeout(resolve, 100));
          const resumedStore = reopen();
          const storedBefore = new Set(resumedStore.records().map((r) => r.prompt));
          assert.equal(storedBefore.size, first.answered, 'every answer was stored as it arrived');
          const countsBefore = new Map(run.map((item) => [item.prompt, requestsFor(server, item.prompt)]));
          const resumed = await runItems({
            items: run,
            call: createChatCall(server.chatUrl),
            store: resumedStore,
            estimateTokens,
            concurrency: 4,
            ...fast,
          });
          assert.equal(resumed.status, 'completed');
          assert.equal(resumed.alreadyStored, first.answered);
          assert.equal(resumed.answered, 30 - first.answered);
          assert.equal(resumed.requests, 30 - first.answered, 'only the unanswered items are asked');
          for (const item of run) {
            const askedAfter = requestsFor(server, item.prompt) - countsBefore.get(item.prompt)!;
            // Stored before: never asked again. Cut off in flight by the stop, or never sent: asked once now.
            assert.equal(askedAfter, storedBefore.has(item.prompt) ? 0 : 1, item.prompt);
          }
          const third = await runItems({
            items: run,
            call: createChatCall(server.chatUrl),
            store: resumedStore,
            estimateTokens,
            ...fast,
          });
          assert.deepEqual([third.requests, third.alreadyStored], [0, 30], 'a finished run re-asks 0 items');
        } finally {
          close();
        }
      });

      it(`never lets two engines on one store send the same item (${name})`, async () => {
        const prefix = `shared-${name}-`;
        const run = items(40, prefix);
        const { store, close } = open(`shared-${name}`);
        // The SQLite engines get a connection each, as two processes would.
        const other =
          name === 'memory'
            ? store
            : createSqliteFileRunStore({ path: dir.path(`shared-${name}.sqlite`), runId: 'run-1' });
        try {
          const [a, b] = await Promise.all(
            [store, other].map((s, i) =>
              runItems({
                items: i === 0 ? run : [...run].reverse(),
                call: createChatCall(server.chatUrl),
                store: s,
                estimateTokens,
                concurrency: 4,
                holder: `engine-${i}`,
                heldRetryMs: 20,
                ...fast,
              }),
            ),
          );
          for (const item of run)
            assert.equal(requestsFor(server, item.prompt), 1, `${item.prompt} asked once`);
          assert.equal(a!.answered + b!.answered, 40);
          assert.equal(a!.answered + a!.alreadyStored, 40, 'each engine ends with every item recorded');
          assert.equal(b!.answered + b!.alreadyStored, 40);
          assert.ok(a!.answered > 0 && b!.answered > 0, 'both did part of the work');
        } finally {
          if (other !== store) (other as ReturnType<typeof createSqliteFileRunStore>).close();
          close();
        }
      });
    }
  });
});
