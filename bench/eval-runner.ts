/**
 * `npm run bench:eval`: the evaluation run engine against the loopback model server (`startModelServer`).
 * Writes bench/results/eval-runner.json. A benchmark, not a test: it reports, it does not fail.
 *
 * 1. Limits: BENCH_EVAL_SECONDS (default 120) against a server answering 429 above 120 requests per sliding
 *    minute, the engine's limiter at 120 rpm, concurrency 8, 200 ms latency: requests the server saw in the second
 *    minute (`observedRpm`, target within 5% of 120) and its 429s (`tooManyRequests`, target 0).
 * 2. Kill and resume: a child process (this script, `--child`) runs 200 items into a SQLite-file store; once it
 *    has stored 60 it is killed with SIGKILL, then a second child resumes the run to the end. The server counts
 *    requests per prompt: `resumedReasked` = items whose answer was stored before the kill and that the server was
 *    asked again after it (target 0). Items in flight at the kill had no stored answer, so they are asked again;
 *    they are reported apart (`askedAgainInFlightAtKill`).
 * 3. Unlimited: no limits, concurrency 32, 10 ms latency, 3,000 items: `itemsPerSecondUnlimited` (memory store),
 *    and the same with the SQLite-file store (one fsync'd commit per answer).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createLimiter,
  createMemoryRunStore,
  createSqliteFileRunStore,
  runItems,
  systemClock,
} from '@jury/server';
import { createChatCall, startModelServer } from '@jury/server/testing';
import { describeMachine } from './machine.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const SECONDS = Math.max(30, Number(process.env.BENCH_EVAL_SECONDS ?? 120));
const RPM_LIMIT = 120;
const RESUME_ITEMS = 200;
const KILL_AFTER_STORED = 60;
const UNLIMITED = { items: 3000, concurrency: 32, latencyMs: 10 };
const estimateTokens = (text: string) => Math.ceil(text.length / 4);
const itemsOf = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    prompt: `${prefix} question ${i}: what is ${i} + ${i}?`,
  }));
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The child: runs the resume phase's items into the SQLite file, printing each stored answer's count. */
async function child(chatUrl: string, file: string) {
  const store = createSqliteFileRunStore({ path: file, runId: 'bench-resume' });
  const summary = await runItems({
    items: itemsOf(RESUME_ITEMS, 'resume'),
    call: createChatCall(chatUrl),
    store,
    estimateTokens,
    concurrency: 4,
    leaseMs: 5000,
    onProgress: (p) => process.stdout.write(`${p.finished}\n`),
  });
  store.close();
  process.stdout.write(`done ${JSON.stringify(summary)}\n`);
}

async function limitsPhase() {
  const server = await startModelServer({ rpmLimit: RPM_LIMIT, latencyMs: 200 });
  try {
    const controller = new AbortController();
    const started = Date.now();
    const timer = setTimeout(() => controller.abort(new Error('time is up')), SECONDS * 1000);
    const summary = await runItems({
      items: itemsOf(Math.ceil((SECONDS / 60) * RPM_LIMIT * 1.5), 'limits'),
      call: createChatCall(server.chatUrl),
      store: createMemoryRunStore(),
      estimateTokens,
      limiter: createLimiter({ requestsPerMinute: RPM_LIMIT, maxConcurrency: 8 }, { clock: systemClock }),
      concurrency: 8,
      signal: controller.signal,
    });
    clearTimeout(timer);
    // The second minute, or with a shorter run its second half, counted per minute.
    const from = started + (SECONDS >= 120 ? 60_000 : (SECONDS * 1000) / 2);
    const to = SECONDS >= 120 ? started + 120_000 : started + SECONDS * 1000;
    const inWindow = server.requests.filter((r) => r.at >= from && r.at < to);
    const observedRpm = round((inWindow.length * 60_000) / (to - from));
    return {
      observedRpm,
      tooManyRequests: server.requests.filter((r) => r.status === 429).length,
      detail: {
        seconds: SECONDS,
        window: SECONDS >= 120 ? 'second minute' : 'second half, per minute',
        requestsInWindow: inWindow.length,
        tooManyRequestsInWindow: inWindow.filter((r) => r.status === 429).length,
        firstMinuteRequests: server.requests.filter((r) => r.at < started + 60_000).length,
        answered: summary.answered,
        withinFivePercent: Math.abs(observedRpm - RPM_LIMIT) <= 0.05 * RPM_LIMIT,
        serverLatencyMs: 200,
        concurrency: 8,
      },
    };
  } finally {
    await server.close();
  }
}

function runChild(
  chatUrl: string,
  file: string,
  killAfter?: number,
): Promise<{ killed: boolean; stored: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [SELF, '--child', chatUrl, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stored = 0;
    let killed = false;
    let buffer = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const n = Number(line);
        if (Number.isFinite(n)) stored = Math.max(stored, n);
        if (killAfter !== undefined && !killed && stored >= killAfter) {
          killed = true;
          proc.kill('SIGKILL');
        }
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (killed && signal === 'SIGKILL') resolve({ killed, stored });
      else if (code === 0) resolve({ killed, stored });
      else reject(new Error(`child exited with ${code ?? signal}`));
    });
  });
}

async function resumePhase() {
  const dir = mkdtempSync(path.join(tmpdir(), 'jury-bench-eval-'));
  const file = path.join(dir, 'run.sqlite');
  const server = await startModelServer({ latencyMs: 50 });
  try {
    const first = await runChild(server.chatUrl, file, KILL_AFTER_STORED);
    // The server records a request when it answers: let the ones cut off by the kill land.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const store = createSqliteFileRunStore({ path: file, runId: 'bench-resume' });
    const storedBeforeKill = new Set(store.records().map((r) => r.prompt));
    store.close();
    const askedBefore = new Map<string, number>();
    for (const r of server.requests) askedBefore.set(r.prompt, (askedBefore.get(r.prompt) ?? 0) + 1);
    const requestsBefore = server.requests.length;

    await runChild(server.chatUrl, file);
    const after = server.requests.slice(requestsBefore);
    const askedAfter = new Set(after.map((r) => r.prompt));
    const reopened = createSqliteFileRunStore({ path: file, runId: 'bench-resume' });
    const finalRecords = reopened.records();
    reopened.close();
    const resumedReasked = [...storedBeforeKill].filter((p) => askedAfter.has(p)).length;
    const inFlightAtKill = [...askedBefore.keys()].filter((p) => !storedBeforeKill.has(p));
    return {
      resumedReasked,
      detail: {
        items: RESUME_ITEMS,
        killedWithSigkill: first.killed,
        storedBeforeKill: storedBeforeKill.size,
        askedAgainInFlightAtKill: inFlightAtKill.filter((p) => askedAfter.has(p)).length,
        requestsAfterResume: after.length,
        answeredAtEnd: finalRecords.filter((r) => r.status === 'answered').length,
        promptsAskedMoreThanOnce: [...new Set(server.requests.map((r) => r.prompt))].filter(
          (p) => server.requests.filter((r) => r.prompt === p).length > 1,
        ).length,
        store:
          'SQLite file (node:sqlite, WAL): each answer committed with an fsync (synchronous=FULL), claims without',
      },
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function unlimitedPhase(storeKind: 'memory' | 'sqlite-file') {
  const server = await startModelServer({ latencyMs: UNLIMITED.latencyMs });
  const dir = mkdtempSync(path.join(tmpdir(), 'jury-bench-eval-'));
  const fileStore =
    storeKind === 'sqlite-file'
      ? createSqliteFileRunStore({ path: path.join(dir, 'run.sqlite'), runId: 'unlimited' })
      : undefined;
  try {
    const started = performance.now();
    const summary = await runItems({
      items: itemsOf(UNLIMITED.items, `unlimited-${storeKind}`),
      call: createChatCall(server.chatUrl),
      store: fileStore ?? createMemoryRunStore(),
      estimateTokens,
      concurrency: UNLIMITED.concurrency,
    });
    const seconds = (performance.now() - started) / 1000;
    return { itemsPerSecond: round(summary.answered / seconds), seconds: round(seconds, 2) };
  } finally {
    fileStore?.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const loadBefore = loadavg();
  const startedAt = new Date().toISOString();
  console.log(`limits: ${SECONDS} s at ${RPM_LIMIT} rpm…`);
  const limits = await limitsPhase();
  console.log(`  observed ${limits.observedRpm} rpm, ${limits.tooManyRequests} × 429`);
  console.log('kill and resume…');
  const resume = await resumePhase();
  console.log(
    `  ${resume.detail.storedBeforeKill} stored before SIGKILL, re-asked after resume: ${resume.resumedReasked}`,
  );
  console.log('unlimited…');
  const memory = await unlimitedPhase('memory');
  const file = await unlimitedPhase('sqlite-file');
  console.log(
    `  ${memory.itemsPerSecond} items/s (memory store), ${file.itemsPerSecond} items/s (SQLite file)`,
  );

  const result = {
    machine: describeMachine(),
    date: startedAt,
    rpmLimit: RPM_LIMIT,
    observedRpm: limits.observedRpm,
    tooManyRequests: limits.tooManyRequests,
    resumedReasked: resume.resumedReasked,
    itemsPerSecondUnlimited: memory.itemsPerSecond,
    details: {
      limits: limits.detail,
      resume: resume.detail,
      unlimited: {
        ...UNLIMITED,
        memoryStore: memory,
        sqliteFileStore: file,
        note: 'engine and model server share one process on the shared machine',
      },
    },
    loadAverage: {
      before: loadBefore.map((x) => round(x, 2)),
      after: loadavg().map((x) => round(x, 2)),
      note: '1/5/15-minute load averages of the shared 2-core machine',
    },
  };
  mkdirSync(path.join(here, 'results'), { recursive: true });
  writeFileSync(path.join(here, 'results', 'eval-runner.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('wrote bench/results/eval-runner.json');
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main();
