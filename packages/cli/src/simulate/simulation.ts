import { setTimeout as sleep } from 'node:timers/promises';
import type { LabelerAnswer, LabelerQualificationTask, LabelerWorkTask } from '@jury/api';
import { JuryError } from '@jury/sdk/client';
import { createRng, type Rng } from '@jury/stats';
import {
  type AccuracyDistribution,
  drawCrowd,
  parseAccuracyDistribution,
  type SimulatedBehaviour,
  type SimulatedLabelerSpec,
} from './crowd.ts';
import { LabelerClient } from './labeler-client.ts';
import { createStrengths, type ModelDirectory } from './models.ts';
import { createOracle, type TruthFile, type TruthOracle } from './oracle.ts';
import type { KnownItem } from './oracles/task-type-oracle.ts';

export interface SimulationOptions {
  /** Server URL, e.g. http://localhost:8787; or several server processes' URLs, labeler i working with url[i % n]. */
  url: string | readonly string[];
  /** How many simulated labelers work at once. Default 10. */
  labelers?: number;
  /** Accuracy of accurate labelers: a number, or a distribution (`uniform:0.6-0.95`, `beta:8,2`). Default 0.9. */
  accuracy?: number | string | AccuracyDistribution;
  /** Share of labelers answering uniformly at random. Default 0. */
  randomShare?: number;
  /** Share of labelers answering wrong on purpose. Default 0. */
  adversarialShare?: number;
  /** Countries to sample profiles from. Default ['US']. */
  countries?: readonly string[];
  /** Languages to sample profiles from. Default ['en']. */
  languages?: readonly string[];
  /** Mean think time before each answer, in ms (jittered ±50%). Default 0. */
  paceMs?: number;
  /** Stop after this long (ms). */
  durationMs?: number;
  /** Stop once every labeler has found nothing to do for `idleMs`, after work was seen (see `waitForWorkMs`). */
  untilIdle?: boolean;
  /** How long "nothing to do" must last to count as idle. Default 3000 ms. */
  idleMs?: number;
  /** With `untilIdle`: how long to wait for the first work (a task or qualification example) before stopping. Default 120000 ms. */
  waitForWorkMs?: number;
  /** Longest wait between polls when there is nothing to do. Default 1000 ms. */
  pollMs?: number;
  /** Stop after this many accepted answers (work tasks). */
  maxAnswers?: number;
  /**
   * The client address each simulated labeler claims (X-Forwarded-For), by its index; believed only by a server
   * with trustedProxyHops ≥ 1. The labeling benchmark gives each its own, so the per-address limits apply to a
   * crowd as they would to people. Default: none (every labeler is this machine's address).
   */
  forwardedFor?: (index: number) => string;
  /** Seed of every random choice (crowd, answers, pace). Default 1. */
  seed?: number;
  /** Truths that override the default oracle (see oracle.ts). */
  truth?: TruthFile;
  /**
   * Leaderboard matchups: true strength per model name (natural-log units); a model not listed gets a draw from
   * N(0, 1) seeded by `seed` and its name. Used only with `models`.
   */
  strengths?: Readonly<Record<string, number>>;
  /** Which model an asset is (models.ts `createModelDirectory` over requester credentials); without it matchups are answered like compare tasks (item A). */
  models?: ModelDirectory;
  /** Called about 4 times a second with the running totals. */
  onProgress?: (progress: SimulationProgress) => void;
  /** Called once with a note worth showing the user (e.g. classification items without a known truth). */
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
}

export interface SimulationProgress {
  elapsedMs: number;
  answers: number;
  qualificationAnswers: number;
  rejected: number;
  /** Labelers that currently have something to do. */
  busy: number;
  labelers: number;
  /** Whether any labeler has been served work (a task or qualification example) yet. */
  workSeen: boolean;
  /** How long every labeler has had nothing to do (0 while one is busy). */
  idleMs: number;
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SimulatedLabelerReport extends SimulatedLabelerSpec {
  id: string;
  answers: number;
  correctAnswers: number;
  qualificationAnswers: number;
  qualificationCorrect: number;
}

export interface SimulationReport {
  labelers: number;
  /** Accepted answers to work tasks (gold checks included: they look like tasks, see the server's labeling). */
  answers: number;
  qualificationAnswers: number;
  /** Answers the server refused (e.g. a lease that expired during a long think time). */
  rejected: number;
  /** Answers (tasks and qualification) to classification items without a known truth: given at random. */
  answersWithoutTruth: number;
  /** Answers to leaderboard matchups whose two models were known (drawn by Bradley-Terry from their strengths). */
  matchupAnswers: number;
  /** Answers to leaderboard matchups whose models were not known (answered like compare tasks: item A). */
  matchupsWithoutModels: number;
  /** The true strength of every model met in a matchup (given, or drawn from the seed). */
  strengths: Record<string, number>;
  /** Requests that failed otherwise (network, 5xx). */
  errors: number;
  durationMs: number;
  answersPerSecond: number;
  /** GET tasks/next that returned a task. */
  claimLatency: LatencySummary;
  /** POST responses. */
  answerLatency: LatencySummary;
  /** Claim + answer of the same task, think time excluded. */
  claimAndAnswerLatency: LatencySummary;
  /** `noWork`: with untilIdle, no work appeared within waitForWorkMs. */
  stoppedBecause: 'duration' | 'idle' | 'noWork' | 'maxAnswers' | 'aborted';
  perLabeler: SimulatedLabelerReport[];
  /** The first few error messages, for diagnosis. */
  errorSamples: string[];
}

/** Percentiles by the nearest-rank method. */
export function summarizeLatencies(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    count: sorted.length,
    meanMs: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
  };
}

function toDistribution(accuracy: SimulationOptions['accuracy']): AccuracyDistribution {
  if (accuracy === undefined) return { type: 'fixed', value: 0.9 };
  if (typeof accuracy === 'number') return parseAccuracyDistribution(String(accuracy));
  if (typeof accuracy === 'string') return parseAccuracyDistribution(accuracy);
  return accuracy;
}

/**
 * Adds to each medium of a task the asset and name its reference stands for, as the requester credentials resolve
 * them (labelers see references only): the truth file names items, leaderboard matchups need their models.
 */
async function unblind(models: ModelDirectory, task: LabelerWorkTask | LabelerQualificationTask) {
  for (const item of [...task.items, ...(task.mediaContext ?? [])] as KnownItem[]) {
    if (item.type !== 'asset') continue;
    const known = await models.resolve(item.url).catch(() => undefined);
    if (known) Object.assign(item, known);
  }
}

/** The answer a simulated labeler gives; `correct` is null when nobody told the simulator the truth. */
function chooseAnswer(
  behaviour: SimulatedBehaviour,
  accuracy: number | null,
  task: LabelerWorkTask | LabelerQualificationTask,
  oracle: TruthOracle,
  rng: Rng,
  strengths: { A: number; B: number } | undefined,
): { answer: LabelerAnswer; correct: boolean | null; unknownItem?: string } {
  const judged = oracle.judge(task, rng, strengths);
  if (judged.correct === null) {
    const answer = judged.choices[rng.int(judged.choices.length)] ?? { category: '' };
    return { answer, correct: null, unknownItem: judged.item };
  }
  const { correct, wrong } = judged;
  const all = [correct, ...wrong];
  const pickWrong = () => wrong[rng.int(wrong.length)] ?? correct;
  if (behaviour === 'random') {
    const answer = all[rng.int(all.length)] ?? correct;
    return { answer, correct: answer === correct };
  }
  if (behaviour === 'adversarial') {
    const answer = pickWrong();
    return { answer, correct: answer === correct };
  }
  if (rng.next() < (accuracy ?? 1)) return { answer: correct, correct: true };
  const answer = pickWrong();
  return { answer, correct: answer === correct };
}

/**
 * Runs a crowd of simulated labelers against a Jury server through the labeler HTTP API (each with its own
 * session cookie), answering qualification examples and tasks with a per-labeler accuracy against a truth
 * oracle, until the duration ends, the crowd is idle, enough answers were given, or the signal aborts.
 *
 * @example
 * const report = await runSimulation({ url: 'http://localhost:8787', labelers: 20, accuracy: 'uniform:0.7-0.95', untilIdle: true });
 * console.log(report.answers, report.answersPerSecond);
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  const n = options.labelers ?? 10;
  if (!(Number.isInteger(n) && n >= 1))
    throw new RangeError(`labelers must be a positive integer, got ${n}.`);
  const urls = typeof options.url === 'string' ? [options.url] : [...options.url];
  if (urls.length === 0) throw new RangeError('url: give at least one server URL.');
  if (
    options.durationMs === undefined &&
    !options.untilIdle &&
    options.maxAnswers === undefined &&
    !options.signal
  )
    throw new RangeError('Say when to stop: durationMs, untilIdle, maxAnswers or an abort signal.');
  const seed = options.seed ?? 1;
  const crowd = drawCrowd({
    labelers: n,
    accuracy: toDistribution(options.accuracy),
    randomShare: options.randomShare ?? 0,
    adversarialShare: options.adversarialShare ?? 0,
    countries: options.countries ?? ['US'],
    languages: options.languages ?? ['en'],
    seed,
  });
  const oracle = createOracle(options.truth);
  const strengths = createStrengths(seed, options.strengths);
  let matchupAnswers = 0;
  let matchupsWithoutModels = 0;
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    options.onWarning?.(message);
  };
  /** A matchup's sides' true strengths, when both models are known. */
  const matchupStrengths = async (task: LabelerWorkTask) => {
    if (!options.models) {
      warnOnce(
        'no-models',
        'A leaderboard matchup is blind (asset ids only) and the simulator has no requester credentials to find its models (JURY_CLIENT_ID / JURY_CLIENT_SECRET or the credentials file): matchups are answered like compare tasks (item A).',
      );
      return undefined;
    }
    const sides: Partial<Record<'A' | 'B', number>> = {};
    for (const item of task.items as KnownItem[]) {
      if (item.type !== 'asset' || !item.side) return undefined;
      let model: string | undefined;
      try {
        model = item.assetId === undefined ? undefined : await options.models.modelOf(item.assetId);
      } catch (err) {
        noteError(err);
        return undefined;
      }
      if (model === undefined) {
        warnOnce(
          'unknown-asset',
          `Medium ${item.assetId ?? item.url} of a leaderboard matchup is no media of a model the requester credentials can read (another organization's benchmark?): such matchups are answered like compare tasks (item A).`,
        );
        return undefined;
      }
      if (options.strengths && options.strengths[model] === undefined)
        warnOnce(
          `unlisted:${model}`,
          `Model ${JSON.stringify(model)} is not in the strengths file: its strength is drawn from N(0, 1) by --seed.`,
        );
      sides[item.side] = strengths.of(model);
    }
    return sides.A !== undefined && sides.B !== undefined ? { A: sides.A, B: sides.B } : undefined;
  };
  const paceMs = options.paceMs ?? 0;
  const idleMs = options.idleMs ?? 3000;
  const waitForWorkMs = options.waitForWorkMs ?? 120_000;
  const pollMs = options.pollMs ?? 1000;
  const started = performance.now();
  const claimMs: number[] = [];
  const answerMs: number[] = [];
  const bothMs: number[] = [];
  const errorSamples: string[] = [];
  let answers = 0;
  let qualificationAnswers = 0;
  let rejected = 0;
  let errors = 0;
  let answersWithoutTruth = 0;
  let workSeen = false;
  let warnedNoTruth = false;
  let stoppedBecause: SimulationReport['stoppedBecause'] | undefined;
  const idleSince: (number | null)[] = crowd.map(() => null);
  const stop = (why: SimulationReport['stoppedBecause']) => {
    stoppedBecause ??= why;
  };
  const stopWait = new AbortController();
  const onAbort = () => {
    stop('aborted');
    stopWait.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.durationMs !== undefined
      ? setTimeout(() => {
          stop('duration');
          stopWait.abort();
        }, options.durationMs)
      : undefined;
  const pause = (ms: number) =>
    ms > 0 ? sleep(ms, undefined, { signal: stopWait.signal }).catch(() => {}) : Promise.resolve();
  const crowdIdleMs = (now: number) =>
    idleSince.every((s) => s !== null) ? now - Math.max(...(idleSince as number[])) : 0;
  const progress = () => {
    const now = performance.now();
    options.onProgress?.({
      elapsedMs: now - started,
      answers,
      qualificationAnswers,
      rejected,
      busy: idleSince.filter((s) => s === null).length,
      labelers: n,
      workSeen,
      idleMs: crowdIdleMs(now),
    });
  };
  const ticker = options.onProgress ? setInterval(progress, 250) : undefined;
  const noteError = (err: unknown) => {
    errors++;
    if (errorSamples.length < 10) errorSamples.push(err instanceof Error ? err.message : String(err));
  };

  const reports: SimulatedLabelerReport[] = crowd.map((spec) => ({
    ...spec,
    id: '',
    answers: 0,
    correctAnswers: 0,
    qualificationAnswers: 0,
    qualificationCorrect: 0,
  }));

  const work = async (spec: SimulatedLabelerSpec) => {
    const report = reports[spec.index] as SimulatedLabelerReport;
    const rng = createRng((seed * 1_000_003 + spec.index * 7919) >>> 0);
    const client = new LabelerClient(urls[spec.index % urls.length] as string, {
      forwardedFor: options.forwardedFor?.(spec.index),
    });
    const profile = await client.startSession({
      kind: 'simulated',
      ...(spec.country ? { country: spec.country } : {}),
      ...(spec.language ? { language: spec.language } : {}),
    });
    report.id = profile.id;
    const think = () => pause(paceMs > 0 ? paceMs * (0.5 + rng.next()) : 0);
    while (stoppedBecause === undefined) {
      let t0 = performance.now();
      let task: Awaited<ReturnType<LabelerClient['nextTask']>>;
      try {
        task = await client.nextTask();
      } catch (err) {
        noteError(err);
        await pause(pollMs);
        continue;
      }
      const claimed = performance.now() - t0;
      if (task.kind === 'none') {
        const now = performance.now();
        idleSince[spec.index] ??= now;
        // Idle counts only after work was seen: started before the work, the crowd waits for it (bounded).
        if (options.untilIdle && workSeen && crowdIdleMs(now) >= idleMs) {
          stop('idle');
          stopWait.abort();
          break;
        }
        if (options.untilIdle && !workSeen && now - started >= waitForWorkMs) {
          stop('noWork');
          stopWait.abort();
          break;
        }
        await pause(Math.min(task.retryAfterMs, pollMs));
        continue;
      }
      idleSince[spec.index] = null;
      workSeen = true;
      if (options.models) await unblind(options.models, task);
      // A task of no job is a leaderboard matchup: its truth is its models' strengths.
      const matchup = task.kind === 'task' && task.jobId === null;
      const sides = task.kind === 'task' && matchup ? await matchupStrengths(task) : undefined;
      const { answer, correct, unknownItem } = chooseAnswer(
        spec.behaviour,
        spec.accuracy,
        task,
        oracle,
        rng,
        sides,
      );
      if (correct === null) {
        answersWithoutTruth++;
        if (!warnedNoTruth) {
          warnedNoTruth = true;
          options.onWarning?.(
            `Classification item ${JSON.stringify(unknownItem)} has no truth in --truth-file: simulated labelers answer it, and every classification item without one, at random.`,
          );
        }
      }
      await think();
      if (stoppedBecause !== undefined && task.kind === 'task') break;
      t0 = performance.now();
      try {
        if (task.kind === 'qualification') {
          const result = await client.answerQualification(task.exampleId, task.audienceId, answer);
          qualificationAnswers++;
          report.qualificationAnswers++;
          if (result.correct) report.qualificationCorrect++;
        } else {
          await client.answer(task.leaseId, answer);
          const answered = performance.now() - t0;
          claimMs.push(claimed);
          answerMs.push(answered);
          bothMs.push(claimed + answered);
          answers++;
          report.answers++;
          if (matchup && sides) matchupAnswers++;
          else if (matchup) matchupsWithoutModels++;
          if (correct === true) report.correctAnswers++;
          if (options.maxAnswers !== undefined && answers >= options.maxAnswers) {
            stop('maxAnswers');
            stopWait.abort();
          }
        }
      } catch (err) {
        if (err instanceof JuryError && err.status >= 400 && err.status < 500) rejected++;
        else noteError(err);
      }
    }
  };

  try {
    const results = await Promise.allSettled(crowd.map((spec) => work(spec)));
    for (const r of results) if (r.status === 'rejected') noteError(r.reason);
    if (results.every((r) => r.status === 'rejected'))
      throw new Error(
        `No simulated labeler could start a session at ${urls.join(', ')}: ${errorSamples[0] ?? 'unknown error'}`,
      );
  } finally {
    clearTimeout(timer);
    clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
  }
  progress();
  const durationMs = performance.now() - started;
  return {
    labelers: n,
    answers,
    qualificationAnswers,
    rejected,
    answersWithoutTruth,
    matchupAnswers,
    matchupsWithoutModels,
    strengths: { ...strengths.used },
    errors,
    durationMs: Math.round(durationMs),
    answersPerSecond: Math.round((answers / (durationMs / 1000)) * 10) / 10,
    claimLatency: summarizeLatencies(claimMs),
    answerLatency: summarizeLatencies(answerMs),
    claimAndAnswerLatency: summarizeLatencies(bothMs),
    stoppedBecause: stoppedBecause ?? 'aborted',
    perLabeler: reports,
    errorSamples,
  };
}
