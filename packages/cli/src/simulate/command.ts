import { readFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { CommandSpec } from '../commands.ts';
import type { TruthFile } from './oracle.ts';
import { runSimulation, type SimulationProgress, type SimulationReport } from './simulation.ts';

/** The `jury simulate` row of the command table. */
export const simulateCommand = {
  name: 'simulate',
  description:
    'Run simulated labelers against a server through the labeler API (demos, tests, benchmarks). Truth oracle: item A of a compare task (the first item given) and the first answer option (alphabetically first when options are shuffled) are "correct" unless --truth-file says otherwise.',
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
      description: 'stop once no labeler has had anything to do for --idle-seconds',
      type: 'boolean',
      default: false,
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
        'JSON truths: compare { "<item name>": score }, classification { "<item name or text>": "<option>" }',
      type: 'string',
    },
    { flags: '--json', description: 'print the report as JSON', type: 'boolean', default: false },
  ],
  examples: [
    'jury simulate --labelers 20 --until-idle',
    'jury simulate --labelers 50 --accuracy-distribution beta:8,2 --adversarial-share 0.1 --duration 60',
    'jury simulate --country US,DE --language en,de --pace 800 --truth-file truths.json',
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
  maxAnswers?: number | undefined;
  seed: number;
  truthFile?: string | undefined;
  json: boolean;
}

/** An error the user can fix (a bad option, no server at --url), printed without a stack by the CLI. */
export class SimulateError extends Error {}

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

function drawBar(p: SimulationProgress, totalMs: number | undefined): string {
  const width = 24;
  const fraction = totalMs ? Math.min(1, p.elapsedMs / totalMs) : p.busy / p.labelers;
  const filled = Math.round(fraction * width);
  const rate = p.elapsedMs > 0 ? (p.answers / (p.elapsedMs / 1000)).toFixed(1) : '0';
  const what = totalMs
    ? `${Math.round(p.elapsedMs / 1000)}/${Math.round(totalMs / 1000)} s`
    : `${p.busy}/${p.labelers} busy`;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${what} | ${p.answers} answers (${rate}/s) | ${p.qualificationAnswers} qualification | ${p.rejected} rejected`;
}

function printReport(report: SimulationReport) {
  const lines = [
    `Simulated ${report.labelers} labelers for ${(report.durationMs / 1000).toFixed(1)} s (stopped: ${report.stoppedBecause}).`,
    `Answers: ${report.answers} (${report.answersPerSecond}/s), qualification answers: ${report.qualificationAnswers}, rejected: ${report.rejected}, errors: ${report.errors}.`,
    `Latency claim+answer: p50 ${report.claimAndAnswerLatency.p50Ms} ms, p95 ${report.claimAndAnswerLatency.p95Ms} ms, p99 ${report.claimAndAnswerLatency.p99Ms} ms.`,
  ];
  for (const e of report.errorSamples.slice(0, 3)) lines.push(`Error: ${e}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `jury simulate`: parses the options, shows a progress bar, prints the report. */
export async function runSimulateCommand(options: SimulateCommandOptions): Promise<void> {
  const truth = options.truthFile
    ? (JSON.parse(await readFile(options.truthFile, 'utf8')) as TruthFile)
    : undefined;
  if (options.duration === undefined && !options.untilIdle && options.maxAnswers === undefined)
    process.stderr.write(
      'Running until interrupted (Ctrl-C); use --duration or --until-idle to stop on its own.\n',
    );
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const totalMs = options.duration !== undefined ? options.duration * 1000 : undefined;
  const tty = process.stderr.isTTY && !options.json;
  const bar = tty
    ? new cliProgress.SingleBar({ format: '{line}', hideCursor: true, stream: process.stderr, fps: 4 })
    : undefined;
  bar?.start(1, 0, { line: '' });
  let lastLog = 0;
  try {
    const report = await runSimulation({
      url: options.url,
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
      ...(options.maxAnswers !== undefined ? { maxAnswers: options.maxAnswers } : {}),
      seed: options.seed,
      ...(truth ? { truth } : {}),
      signal: controller.signal,
      onProgress: (p) => {
        if (bar) bar.update(0, { line: drawBar(p, totalMs) });
        else if (!options.json && p.elapsedMs - lastLog >= 5000) {
          lastLog = p.elapsedMs;
          process.stderr.write(`${drawBar(p, totalMs)}\n`);
        }
      },
    });
    bar?.stop();
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printReport(report);
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
