/**
 * `npm run bench:labeling`: claim+answer throughput and latency of the labeling engine with 200 concurrent
 * simulated labelers (`runSimulation`, the same labeler HTTP API and cookies as people), on SQLite and on
 * PostgreSQL (postgres://postgres@127.0.0.1:5432/test unless BENCH_DATABASE_URL / TEST_DATABASE_URL says
 * otherwise; a fresh database is created next to it and dropped). Writes bench/results/labeling-sqlite.json
 * and bench/results/labeling-postgres.json. A benchmark, not a test: it reports, it does not fail.
 *
 * Set-up per backend: `jury serve` in its own process (the server gets a core, the crowd the other), one
 * compare job of 5,000 text datapoints × 40 responses on `global`, so work never runs out. Then:
 * - warm-up, 3 s, not measured;
 * - "paced" (the headline figures): 200 labelers, each thinking 80–240 ms (uniform, mean 160 ms; BENCH_PACE_MS)
 *   before answering, which offers about 1,000 answers/s, the target's operating point. In a closed loop
 *   latency is concurrency ÷ throughput, so without think time the latency measures the queue the crowd
 *   itself builds, not the server;
 * - "saturated": the same 200 labelers with no think time: the most the server sustains.
 * The crowd-integrity limits are on at their defaults (README "Crowd integrity"): the server trusts one proxy hop
 * (`--trusted-proxy-hops 1`) and each simulated labeler claims its own address (X-Forwarded-For 10.0.x.y), so
 * sessions, leases and answers are counted per address as for 200 people; the loopback exemption does not apply.
 * Each phase runs BENCH_SECONDS seconds (default 20, at most 60). Latency is client-observed, per task: the
 * GET tasks/next that leased it plus the POST responses that answered it (think time excluded).
 * On PostgreSQL it runs twice: one `jury serve`, then two on the same database with the crowd spread over both
 * (labeler i on process i mod 2), as the scale-out issue asks; labeling-postgres.json's headline is the two.
 * CPU per answer is reported for the servers and for the PostgreSQL backends (every `postgres` process, /proc),
 * since on one machine they share its cores.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSimulation, type SimulationReport } from '@jury/cli/simulate';
import { createPostgresDatabase } from '@jury/server/testing';
import { describeMachine } from './machine.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const JURY_BIN = path.resolve(here, '../packages/cli/src/bin.ts');
const LABELERS = 200;
const DATAPOINTS = 5000;
const RESPONSES_PER_DATAPOINT = 40;
const PACE_MS = Number(process.env.BENCH_PACE_MS ?? 160);
const SECONDS = Math.min(60, Math.max(3, Number(process.env.BENCH_SECONDS ?? 20)));
const WARMUP_SECONDS = 3;
const TARGET = { answersPerSecond: 1000, p99Ms: 50 };
const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JURY_BIN, ...args], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`jury ${args[0]}: ${err}`))));
  });
}

// Extra Node flags for the server process only, e.g. BENCH_SERVE_NODE_ARGS=--cpu-prof to profile it.
const SERVE_NODE_ARGS = (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);

async function serve(args: string[], env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...SERVE_NODE_ARGS, JURY_BIN, 'serve', ...args], { env });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jury serve did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /API\s+(http:\/\/\S+)\/api\/v1/.exec(out);
      if (m?.[1] && out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`jury serve exited with ${code}:\n${out}`)));
  });
  return { url, child };
}

/** The PostgreSQL server's processes on this machine (the bench's database is local), from /proc. */
function postgresPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres';
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU ms of several processes together (one that has gone counts 0). */
function cpuOf(pids: readonly number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, processCpuMs(pid) ?? 0]));
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

interface Cpu {
  /** Server CPU per accepted answer (claim + answer requests, every server process), ms: the load-independent efficiency figure. */
  serverMsPerAnswer: number | null;
  /** Share of one core the server processes used during the phase. */
  serverCoreShare: number | null;
  /** PostgreSQL backends' CPU per accepted answer, ms (null on SQLite). */
  databaseMsPerAnswer: number | null;
  /** Share of one core the PostgreSQL processes used. */
  databaseCoreShare: number | null;
  /** Share of one core the crowd (this process) used. */
  crowdCoreShare: number;
  /** 1-minute load average when the phase started (other work on the machine skews the figures). */
  loadAverage1m: number;
}

async function measured(
  serverPids: (number | undefined)[],
  postgres: boolean,
  go: () => Promise<SimulationReport>,
) {
  const load = loadavg()[0] ?? 0;
  const total = (pids: (number | undefined)[]) => {
    const each = pids.map(processCpuMs);
    return each.every((v) => v !== undefined) ? each.reduce((a, b) => (a ?? 0) + (b ?? 0), 0) : undefined;
  };
  const server0 = total(serverPids);
  const db0 = postgres ? cpuOf(postgresPids()) : undefined;
  const crowd0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await go();
  const wall = performance.now() - t0;
  const server1 = total(serverPids);
  const db1 = postgres ? cpuOf(postgresPids()) : undefined;
  const crowd = process.cpuUsage(crowd0);
  const serverMs = server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined;
  const dbMs =
    db0 && db1 ? [...db1].reduce((sum, [pid, ms]) => sum + ms - (db0.get(pid) ?? 0), 0) : undefined;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const perAnswer = (ms: number | undefined) =>
    ms !== undefined && report.answers > 0 ? round(ms / report.answers) : null;
  const cpu: Cpu = {
    serverMsPerAnswer: perAnswer(serverMs),
    serverCoreShare: serverMs !== undefined ? round(serverMs / wall) : null,
    databaseMsPerAnswer: perAnswer(dbMs),
    databaseCoreShare: dbMs !== undefined ? round(dbMs / wall) : null,
    crowdCoreShare: round((crowd.user + crowd.system) / 1000 / wall),
    loadAverage1m: round(load),
  };
  return { report, cpu };
}

interface Phase {
  paceMs: number;
  seconds: number;
  answers: number;
  answersPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  claim: SimulationReport['claimLatency'];
  answer: SimulationReport['answerLatency'];
  rejected: number;
  errors: number;
  cpu: Cpu;
}

function phase({ report, cpu }: { report: SimulationReport; cpu: Cpu }, paceMs: number): Phase {
  const both = report.claimAndAnswerLatency;
  return {
    paceMs,
    seconds: Math.round(report.durationMs / 100) / 10,
    answers: report.answers,
    answersPerSecond: report.answersPerSecond,
    p50Ms: both.p50Ms,
    p95Ms: both.p95Ms,
    p99Ms: both.p99Ms,
    claim: report.claimLatency,
    answer: report.answerLatency,
    rejected: report.rejected,
    errors: report.errors,
    cpu,
  };
}

async function bench(backend: 'sqlite' | 'postgres', processes: 1 | 2) {
  const home = mkdtempSync(path.join(tmpdir(), 'jury-bench-home-'));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'jury-bench-data-'));
  const pg = backend === 'postgres' ? await createPostgresDatabase(POSTGRES_URL) : undefined;
  const dbArgs = pg ? ['--database-url', pg.url] : [];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home };
  const children: ChildProcess[] = [];
  try {
    const servers: string[] = [];
    for (let i = 0; i < processes; i++) {
      const port = await freePort();
      const started = await serve(
        ['--port', String(port), '--data-dir', dataDir, '--trusted-proxy-hops', '1', ...dbArgs],
        env,
      );
      children.push(started.child);
      servers.push(started.url);
    }
    const server = { url: servers[0] as string };
    const pids = children.map((c) => c.pid);
    const creds = JSON.parse(
      await run(['credentials', 'create', '--json', '--data-dir', dataDir, ...dbArgs], env),
    ) as { clientId: string; clientSecret: string };
    const token = (await (
      await fetch(`${server.url}/connect/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: creds.clientId,
          client_secret: creds.clientSecret,
        }),
      })
    ).json()) as { access_token: string };
    const api = async (p: string, body: unknown) => {
      const r = await fetch(`${server.url}${p}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (r.status >= 300) throw new Error(`${p}: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { data: { id: string } }).data;
    };
    const definition = await api('/api/v1/job-definitions', {
      type: 'compare',
      name: 'bench',
      instruction: 'Which text is better?',
      dataType: 'text',
      datapoints: Array.from({ length: DATAPOINTS }, (_, i) => [
        { text: `left ${i}` },
        { text: `right ${i}` },
      ]),
      responsesPerDatapoint: RESPONSES_PER_DATAPOINT,
    });
    await api('/api/v1/jobs', { definitionId: definition.id, audienceId: 'global' });

    const crowd = {
      url: servers,
      labelers: LABELERS,
      accuracy: 0.9,
      pollMs: 200,
      forwardedFor: (i: number) => `10.0.${i >> 8}.${i & 255}`,
    };
    await runSimulation({ ...crowd, durationMs: WARMUP_SECONDS * 1000, paceMs: PACE_MS, seed: 1 });
    process.stderr.write(`  ${backend}: paced (${PACE_MS} ms think time), ${SECONDS} s…\n`);
    const paced = phase(
      await measured(pids, pg !== undefined, () =>
        runSimulation({ ...crowd, durationMs: SECONDS * 1000, paceMs: PACE_MS, seed: 2 }),
      ),
      PACE_MS,
    );
    process.stderr.write(`  ${backend}: saturated (no think time), ${SECONDS} s…\n`);
    const saturated = phase(
      await measured(pids, pg !== undefined, () =>
        runSimulation({ ...crowd, durationMs: SECONDS * 1000, paceMs: 0, seed: 3 }),
      ),
      0,
    );
    return {
      machine: describeMachine(),
      backend,
      processes,
      labelers: LABELERS,
      answers: paced.answers,
      answersPerSecond: paced.answersPerSecond,
      p50Ms: paced.p50Ms,
      p95Ms: paced.p95Ms,
      p99Ms: paced.p99Ms,
      target: {
        ...TARGET,
        throughputMet: paced.answersPerSecond >= TARGET.answersPerSecond,
        p99Met: paced.p99Ms < TARGET.p99Ms,
        met: paced.answersPerSecond >= TARGET.answersPerSecond && paced.p99Ms < TARGET.p99Ms,
        note:
          backend === 'postgres'
            ? 'The scale-out issue: at least 1,000 answers/s with p99 under 50 ms in the paced phase, two jury serve processes on one PostgreSQL database.'
            : 'The issue sets the target for SQLite on this 2-core machine.',
      },
      serverMsPerAnswer: paced.cpu.serverMsPerAnswer,
      paced,
      saturated,
      setup: {
        datapoints: DATAPOINTS,
        responsesPerDatapoint: RESPONSES_PER_DATAPOINT,
        warmupSeconds: WARMUP_SECONDS,
        server: `${processes} \`jury serve\` process${processes > 1 ? 'es' : ''} (labeler i on process i mod ${processes}); the crowd in the benchmark process; PostgreSQL, when used, on the same machine`,
        thinkTimeMs: `uniform ${PACE_MS / 2}–${(PACE_MS * 3) / 2} (mean ${PACE_MS}) in the paced phase, 0 in the saturated phase`,
        latency:
          'client-observed per task: GET /api/v1/labeler/tasks/next that leased it + POST /api/v1/labeler/responses that answered it; think time excluded',
        headline: 'answers, answersPerSecond, p50Ms, p95Ms, p99Ms, serverMsPerAnswer are the paced phase',
        cpu: 'serverMsPerAnswer = server process CPU (user+system, /proc) ÷ accepted answers; it depends little on other load, unlike throughput and latency (see loadAverage1m)',
      },
      measuredAt: new Date().toISOString(),
    };
  } finally {
    for (const child of children)
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    await pg?.drop();
    rmSync(home, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const only = process.argv[2];
const resultsDir = path.join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
const line = (r: Awaited<ReturnType<typeof bench>>) =>
  `${r.backend} × ${r.processes}: ${r.answersPerSecond} answers/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (paced); saturated ${r.saturated.answersPerSecond} answers/s, p99 ${r.saturated.p99Ms} ms; CPU per answer: server ${r.paced.cpu.serverMsPerAnswer} ms, database ${r.paced.cpu.databaseMsPerAnswer} ms`;
for (const backend of ['sqlite', 'postgres'] as const) {
  if (only && only !== backend) continue;
  process.stderr.write(`bench:labeling on ${backend}\n`);
  const result = await bench(backend, backend === 'postgres' ? 2 : 1);
  process.stdout.write(`${line(result)}\n`);
  // Postgres: one process too, for the ratio (the headline stays the two-process figure).
  const oneProcess = backend === 'postgres' ? await bench(backend, 1) : undefined;
  if (oneProcess) process.stdout.write(`${line(oneProcess)}\n`);
  const file = path.join(resultsDir, `labeling-${backend}.json`);
  writeFileSync(file, `${JSON.stringify(oneProcess ? { ...result, oneProcess } : result, null, 2)}\n`);
  process.stdout.write(`→ ${path.relative(process.cwd(), file)}\n`);
}
