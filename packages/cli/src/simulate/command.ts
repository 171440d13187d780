import { readFile } from 'node:fs/promises';
import { JuryClient, JuryCredentialsError, parseServerUrl } from '@jury/sdk';
import cliProgress from 'cli-progress';
import type { CommandSpec } from '../commands.ts';
import { createModelDirectory, type ModelDirectory, parseStrengths } from './models.ts';
import type { TruthFile } from './oracle.ts';
import { runSimulation, type SimulationProgress, type SimulationReport } from './simulation.ts';

/** The `jury simulate` row of the command table. */
export const simulateCommand = {
  name: 'simulate',
  description:
    'Run simulated labelers against a server through the labeler API (demos, tests, benchmarks). Truth: in a compare task item A (the first item given) is "correct" unless --truth-file says otherwise; a classification item has a correct option only when --truth-file names it, else simulated labelers answer it at random; in a leaderboard matchup the side preferred is drawn by Bradley-Terry from the true strengths of its models (--strengths-file, else drawn from N(0, 1) by --seed), the models found with the requester credentials (JURY_CLIENT_ID / JURY_CLIENT_SECRET or the saved credentials file). The bar shows how near the run is to its end: time (--duration), answers (--max-answers) or the idle countdown (--until-idle).',
  options: [
    {
      flags: '--url <url>',
      description: 'server URL',
      type: 'string',
      default: 'http://localhost:8787',
      env: 'JURY_URL',
    },
    {
      flags: '--labelers <number>',
      description: 'simulated labelers working at once',
      type: 'int',
      default: 10,
      min: 1,
    },
    {
      flags: '--accuracy <p>',
      description: 'accuracy of accurate labelers in [0, 1]',
      type: 'string',
      default: '0.9',
    },
    {
      flags: '--accuracy-distribution <spec>',
      description:
        'per-labeler accuracy instead: uniform:MIN-MAX (e.g. uniform:0.6-0.95) or beta:A,B (e.g. beta:8,2)',
      type: 'string',
    },
    {
      flags: '--random-share <share>',
      description: 'share of labelers answering at random',
      type: 'string',
      default: '0',
    },
    {
      flags: '--adversarial-share <share>',
      description: 'share of labelers answering wrong on purpose',
      type: 'string',
      default: '0',
    },
    {
      flags: '--country <codes>',
      description: 'profile country, or a comma-separated list to sample from (e.g. US,DE,FR)',
      type: 'string',
      default: 'US',
    },
    {
      flags: '--language <codes>',
      description: 'profile language, or a comma-separated list to sample from (e.g. en,de)',
      type: 'string',
      default: 'en',
    },
    {
      flags: '--pace <ms>',
      description: 'mean think time before each answer, in ms',
      type: 'int',
      default: 0,
      min: 0,
    },
    { flags: '--duration <seconds>', description: 'stop after this many seconds', type: 'int', min: 1 },
    {
      flags: '--until-idle',
      description:
        'stop once no labeler has had anything to do for --idle-seconds after work was seen (started before any work exists, wait for it up to --wait-for-work)',
      type: 'boolean',
      default: false,
    },
    {
      flags: '--wait-for-work <seconds>',
      description: 'with --until-idle: how long to wait for the first work before stopping',
      type: 'int',
      default: 120,
      min: 1,
    },
    {
      flags: '--idle-seconds <seconds>',
      description: 'how long idle means idle',
      type: 'int',
      default: 5,
      min: 1,
    },
    { flags: '--max-answers <number>', description: 'stop after this many answers', type: 'int', min: 1 },
    { flags: '--seed <number>', description: 'seed of every random choice', type: 'int', default: 1 },
    {
      flags: '--truth-file <path>',
      description:
        'JSON truths, keyed by item name (file name, URL or text): compare { "<item>": score } (higher wins), classification { "<item>": "<option>" or ["<option>", …] }; also for qualification examples',
      type: 'string',
    },
    {
      flags: '--strengths-file <path>',
      description:
        'JSON true strengths of leaderboard models by name, in natural-log units: { "<model name>": strength } (P(A beats B) = 1 / (1 + e^(s_B − s_A))); models not listed are drawn from N(0, 1) by --seed',
      type: 'string',
    },
    { flags: '--json', description: 'print the report as JSON', type: 'boolean', default: false },
  ],
  examples: [
    'jury simulate --labelers 20 --until-idle',
    'jury simulate --labelers 50 --accuracy-distribution beta:8,2 --adversarial-share 0.1 --duration 60',
    'jury simulate --country US,DE --language en,de --pace 800 --truth-file truths.json',
    'jury simulate --accuracy 1 --strengths-file strengths.json --until-idle',
  ],
} as const satisfies CommandSpec;

export interface SimulateCommandOptions {
  url: string;
  labelers: number;
  accuracy: string;
  accuracyDistribution?: string | undefined;
  randomShare: string;
  adversarialShare: string;
  country: string;
  language: string;
  pace: number;
  duration?: number | undefined;
  untilIdle: boolean;
  idleSeconds: number;
  waitForWork: number;
  maxAnswers?: number | undefined;
  seed: number;
  truthFile?: string | undefined;
  strengthsFile?: string | undefined;
  json: boolean;
}

/** An error the user can fix (a bad option, no server at --url), printed without a stack by the CLI. */
export class SimulateError extends Error {}

/** --url as users type it (`localhost:8787`, or the banner's `…/api/v1`), as the SDK reads JURY_URL. */
function serverUrl(text: string): string {
  try {
    return parseServerUrl(text, '--url');
  } catch (err) {
    throw new SimulateError((err as Error).message);
  }
}

function share(text: string, flag: string): number {
  const v = Number(text);
  if (!(text.trim() !== '' && v >= 0 && v <= 1))
    throw new SimulateError(`${flag} must be a number in [0, 1], got "${text}".`);
  return v;
}

function codes(text: string, flag: string, pattern: RegExp, example: string): string[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const c of list)
    if (!pattern.test(c)) throw new SimulateError(`${flag}: "${c}" is not a 2-letter code like ${example}.`);
  return list;
}

/** The requester's view of which model an asset is, with the credentials the SDK finds for `url`. */
function modelDirectory(url: string, strengthsFile: string | undefined): ModelDirectory | undefined {
  try {
    return createModelDirectory(new JuryClient({ url }));
  } catch (err) {
    if (!(err instanceof JuryCredentialsError)) throw err;
    if (strengthsFile)
      throw new SimulateError(
        `--strengths-file needs requester credentials: matchups are blind, and the simulator reads which model made which side from the benchmarks of your organization. ${err.message}`,
      );
    return undefined;
  }
}

async function readStrengths(path: string): Promise<Record<string, number>> {
  try {
    return parseStrengths(JSON.parse(await readFile(path, 'utf8')));
  } catch (err) {
    throw new SimulateError(`--strengths-file ${path}: ${(err as Error).message}`);
  }
}

/** When the run ends: the bounds the options set. */
export interface RunBounds {
  durationMs?: number | undefined;
  maxAnswers?: number | undefined;
  untilIdle: boolean;
  idleMs: number;
  waitForWorkMs: number;
}

/** How far the run is toward its nearest end (0..1), and what that is; null fraction: no end to measure. */
export function runProgress(
  p: SimulationProgress,
  bounds: RunBounds,
): { fraction: number | null; what: string } {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const parts: { fraction: number; what: string }[] = [];
  if (bounds.durationMs)
    parts.push({
      fraction: p.elapsedMs / bounds.durationMs,
      what: `${seconds(p.elapsedMs)}/${seconds(bounds.durationMs)} s`,
    });
  if (bounds.maxAnswers)
    parts.push({
      fraction: p.answers / bounds.maxAnswers,
      what: `${p.answers}/${bounds.maxAnswers} answers`,
    });
  if (bounds.untilIdle)
    parts.push(
      p.workSeen
        ? {
            fraction: p.idleMs / bounds.idleMs,
            what: p.idleMs > 0 ? `idle ${seconds(p.idleMs)}/${seconds(bounds.idleMs)} s` : 'working',
          }
        : {
            fraction: p.elapsedMs / bounds.waitForWorkMs,
            what: `waiting for work ${seconds(p.elapsedMs)}/${seconds(bounds.waitForWorkMs)} s`,
          },
    );
  if (parts.length === 0) return { fraction: null, what: 'until Ctrl-C' };
  return {
    fraction: Math.min(1, Math.max(...parts.map((x) => x.fraction))),
    what: parts.map((x) => x.what).join(', '),
  };
}

export function drawBar(p: SimulationProgress, bounds: RunBounds): string {
  const width = 24;
  const { fraction, what } = runProgress(p, bounds);
  const filled = Math.round((fraction ?? 0) * width);
  const bar = fraction === null ? '' : `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] `;
  const rate = p.elapsedMs > 0 ? (p.answers / (p.elapsedMs / 1000)).toFixed(1) : '0';
  return `${bar}${what} | ${p.answers} answers (${rate}/s) | ${p.qualificationAnswers} qualification | ${p.rejected} rejected | ${p.busy}/${p.labelers} busy`;
}

function printReport(report: SimulationReport, waitForWork: number) {
  const lines = [
    `Simulated ${report.labelers} labelers for ${(report.durationMs / 1000).toFixed(1)} s (stopped: ${report.stoppedBecause}).`,
    `Answers: ${report.answers} (${report.answersPerSecond}/s), qualification answers: ${report.qualificationAnswers}, rejected: ${report.rejected}, errors: ${report.errors}.`,
    `Latency claim+answer: p50 ${report.claimAndAnswerLatency.p50Ms} ms, p95 ${report.claimAndAnswerLatency.p95Ms} ms, p99 ${report.claimAndAnswerLatency.p99Ms} ms.`,
  ];
  if (report.stoppedBecause === 'noWork')
    lines.unshift(
      `No work appeared within ${waitForWork} s (--wait-for-work): no running job had a task or qualification example for these labelers.`,
    );
  if (report.answersWithoutTruth > 0)
    lines.push(
      `${report.answersWithoutTruth} answers were to classification items without a truth in --truth-file, given at random.`,
    );
  const models = Object.entries(report.strengths).sort((a, b) => b[1] - a[1]);
  if (models.length > 0)
    lines.push(
      `Matchups: ${report.matchupAnswers} answers by true strength (${models.map(([m, s]) => `${m} ${s.toFixed(2)}`).join(', ')})${report.matchupsWithoutModels > 0 ? `, ${report.matchupsWithoutModels} without known models` : ''}.`,
    );
  for (const e of report.errorSamples.slice(0, 3)) lines.push(`Error: ${e}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `jury simulate`: parses the options, shows a progress bar, prints the report. */
export async function runSimulateCommand(options: SimulateCommandOptions): Promise<void> {
  const truth = options.truthFile
    ? (JSON.parse(await readFile(options.truthFile, 'utf8')) as TruthFile)
    : undefined;
  const strengths = options.strengthsFile ? await readStrengths(options.strengthsFile) : undefined;
  const url = serverUrl(options.url);
  const models = modelDirectory(url, options.strengthsFile);
  if (options.duration === undefined && !options.untilIdle && options.maxAnswers === undefined)
    process.stderr.write(
      'Running until interrupted (Ctrl-C); use --duration or --until-idle to stop on its own.\n',
    );
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const totalMs = options.duration !== undefined ? options.duration * 1000 : undefined;
  const bounds: RunBounds = {
    durationMs: totalMs,
    maxAnswers: options.maxAnswers,
    untilIdle: options.untilIdle,
    idleMs: options.idleSeconds * 1000,
    waitForWorkMs: options.waitForWork * 1000,
  };
  const tty = process.stderr.isTTY && !options.json;
  const bar = tty
    ? new cliProgress.SingleBar({ format: '{line}', hideCursor: true, stream: process.stderr, fps: 4 })
    : undefined;
  bar?.start(1, 0, { line: '' });
  // A line above the bar (on a terminal: clear the bar's line first; it is redrawn below).
  const note = (message: string) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}${message}\n`);
  let lastLog = 0;
  let announcedWait = false;
  try {
    const report = await runSimulation({
      url,
      labelers: options.labelers,
      accuracy: options.accuracyDistribution ?? options.accuracy,
      randomShare: share(options.randomShare, '--random-share'),
      adversarialShare: share(options.adversarialShare, '--adversarial-share'),
      countries: codes(options.country, '--country', /^[A-Z]{2}$/, 'US'),
      languages: codes(options.language, '--language', /^[a-z]{2}$/, 'en'),
      paceMs: options.pace,
      ...(totalMs !== undefined ? { durationMs: totalMs } : {}),
      untilIdle: options.untilIdle,
      idleMs: options.idleSeconds * 1000,
      waitForWorkMs: options.waitForWork * 1000,
      ...(options.maxAnswers !== undefined ? { maxAnswers: options.maxAnswers } : {}),
      seed: options.seed,
      ...(truth ? { truth } : {}),
      ...(strengths ? { strengths } : {}),
      ...(models ? { models } : {}),
      signal: controller.signal,
      onWarning: (message) => {
        if (!options.json) note(message);
      },
      onProgress: (p) => {
        if (options.untilIdle && !p.workSeen && !announcedWait && p.elapsedMs >= 1000 && !options.json) {
          announcedWait = true;
          note(
            `Waiting for work (up to ${options.waitForWork} s, --wait-for-work): no running job has a task for these labelers yet; start one, e.g. npx node examples/quickstart.ts.`,
          );
        }
        if (bar) bar.update(0, { line: drawBar(p, bounds) });
        else if (!options.json && p.elapsedMs - lastLog >= 5000) {
          lastLog = p.elapsedMs;
          process.stderr.write(`${drawBar(p, bounds)}\n`);
        }
      },
    });
    bar?.stop();
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printReport(report, options.waitForWork);
  } catch (err) {
    bar?.stop();
    if (err instanceof RangeError || (err instanceof Error && err.message.startsWith('No simulated labeler')))
      throw new SimulateError(err.message);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
