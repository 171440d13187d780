// Child processes for tests (@jury/cli/testing): the one way the CLI's and the cross-package tests start
// `jury`, `jury serve`, npm or a script. Not shipped: outside src/.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const JURY_BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

/** An environment for child processes: HOME in a temp dir and no JURY_* or DATABASE_URL leaking in. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('JURY_') && k !== 'DATABASE_URL' && k !== 'PORT' && !k.startsWith('NODE_TEST'))
      env[k] = v;
  return { ...env, HOME: home, ...extra };
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they came. */
  output: string;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Then the process is killed (SIGKILL), or with `interrupt` its process group gets SIGINT, as Ctrl-C sends. */
  timeoutMs?: number;
  interrupt?: boolean;
  /** Aborting sends SIGTERM. */
  signal?: AbortSignal;
  /** Written to standard input, which then closes (e.g. a password for `--password-stdin`). */
  input?: string;
}

/** Runs argv (no shell) to completion; `cwd` defaults to the repository. */
export function runProcess(argv: string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      env: options.env,
      cwd: options.cwd ?? REPO_ROOT,
      // Its own process group, so the interrupt reaches what npm starts.
      detached: options.interrupt === true,
    });
    options.signal?.addEventListener('abort', () => child.kill('SIGTERM'));
    if (options.input !== undefined) child.stdin.end(options.input);
    const result: ProcessResult = { code: null, stdout: '', stderr: '', output: '' };
    child.stdout.on('data', (d) => {
      result.stdout += d;
      result.output += d;
    });
    child.stderr.on('data', (d) => {
      result.stderr += d;
      result.output += d;
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              options.interrupt ? process.kill(-(child.pid as number), 'SIGINT') : child.kill('SIGKILL'),
            options.timeoutMs,
          );
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ...result, code });
    });
  });
}

/** Runs `jury <args>` to completion with the Node running the tests (Node 26 under npm test). */
export function runJury(args: string[], env: NodeJS.ProcessEnv, options: Omit<RunOptions, 'env'> = {}) {
  return runProcess([process.execPath, JURY_BIN, ...args], { ...options, env });
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends `signal` (default SIGTERM) and waits for the exit; returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `jury serve <args>` as a process and waits until it prints its addresses. */
export async function startServe(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [JURY_BIN, 'serve', ...args], { env, cwd: REPO_ROOT });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jury serve did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /API\s+(http:\/\/\S+)\/api\/v1/.exec(out);
      if (m?.[1] && out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`jury serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
