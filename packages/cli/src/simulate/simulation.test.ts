// The simulator against a real server over HTTP: crowds answer through the labeler API, pass qualification
// with a truth file, and accurate/random/adversarial labelers answer as configured. SQLite always; Postgres
// when TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JuryClient } from '@jury/sdk';
import { type RunningServer, startServer } from '@jury/server';
import { createTestEnvironment, testDatabaseTargets } from '@jury/server/testing';
import { drawBar, runProgress } from './command.ts';
import { drawCrowd, parseAccuracyDistribution } from './crowd.ts';
import { createModelDirectory, createStrengths } from './models.ts';
import { runSimulation, type SimulationProgress } from './simulation.ts';

const PNG_1X1 =
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082';

describe('crowd', () => {
  it('parses accuracy distributions and rejects nonsense with a hint', () => {
    assert.deepEqual(parseAccuracyDistribution('0.8'), { type: 'fixed', value: 0.8 });
    assert.deepEqual(parseAccuracyDistribution('uniform:0.6-0.95'), { type: 'uniform', min: 0.6, max: 0.95 });
    assert.deepEqual(parseAccuracyDistribution('beta:8,2'), { type: 'beta', a: 8, b: 2 });
    assert.throws(() => parseAccuracyDistribution('1.5'), /\[0, 1\]/);
    assert.throws(() => parseAccuracyDistribution('gauss:1'), /uniform:MIN-MAX/);
    assert.throws(() => parseAccuracyDistribution('uniform:0.9-0.5'), /minimum is above/);
  });

  it('draws shares, accuracies and profiles reproducibly from the seed', () => {
    const options = {
      labelers: 100,
      accuracy: parseAccuracyDistribution('beta:8,2'),
      randomShare: 0.2,
      adversarialShare: 0.1,
      countries: ['US', 'DE'],
      languages: ['en'],
      seed: 7,
    };
    const crowd = drawCrowd(options);
    assert.deepEqual(crowd, drawCrowd(options));
    assert.equal(crowd.filter((c) => c.behaviour === 'random').length, 20);
    assert.equal(crowd.filter((c) => c.behaviour === 'adversarial').length, 10);
    const acc = crowd.filter((c) => c.behaviour === 'accurate').map((c) => c.accuracy ?? 0);
    const mean = acc.reduce((s, v) => s + v, 0) / acc.length;
    assert.ok(Math.abs(mean - 0.8) < 0.05, `Beta(8,2) has mean 0.8, got ${mean}`);
    assert.deepEqual(new Set(crowd.map((c) => c.country)), new Set(['US', 'DE']));
    assert.throws(() => drawCrowd({ ...options, randomShare: 0.7, adversarialShare: 0.5 }), /more than 1/);
  });
});

describe('the progress bar', () => {
  const p = (over: Partial<SimulationProgress>): SimulationProgress => ({
    elapsedMs: 0,
    answers: 0,
    qualificationAnswers: 0,
    rejected: 0,
    busy: 0,
    labelers: 10,
    workSeen: true,
    idleMs: 0,
    ...over,
  });
  const idle = { untilIdle: true, idleMs: 5000, waitForWorkMs: 120_000 };
  it("fills toward the run's end: time, answers, or the idle countdown after work; full when it stops", () => {
    const timed = { untilIdle: false, idleMs: 5000, waitForWorkMs: 120_000, durationMs: 60_000 };
    assert.deepEqual(runProgress(p({ elapsedMs: 30_000 }), timed), { fraction: 0.5, what: '30/60 s' });
    assert.equal(runProgress(p({ elapsedMs: 60_400 }), timed).fraction, 1);
    const capped = { ...timed, durationMs: undefined, maxAnswers: 200 };
    assert.deepEqual(runProgress(p({ answers: 50 }), capped), { fraction: 0.25, what: '50/200 answers' });
    // Busy labelers are not progress: ten of ten busy is an empty bar while the crowd works.
    assert.deepEqual(runProgress(p({ busy: 10, answers: 7 }), idle), { fraction: 0, what: 'working' });
    assert.deepEqual(runProgress(p({ idleMs: 2500 }), idle), { fraction: 0.5, what: 'idle 2/5 s' });
    assert.equal(runProgress(p({ idleMs: 5100 }), idle).fraction, 1, 'stopped when idle: the bar is full');
    assert.deepEqual(runProgress(p({ workSeen: false, elapsedMs: 12_000 }), idle), {
      fraction: 0.1,
      what: 'waiting for work 12/120 s',
    });
    const unbounded = { untilIdle: false, idleMs: 5000, waitForWorkMs: 120_000 };
    assert.equal(runProgress(p({ busy: 10 }), unbounded).fraction, null, 'no end, no bar');
    assert.match(
      drawBar(p({ busy: 3, answers: 9, elapsedMs: 3000 }), unbounded),
      /^until Ctrl-C \| 9 answers \(3\.0\/s\).* 3\/10 busy$/,
    );
    assert.match(drawBar(p({ idleMs: 5000 }), idle), /^\[█{24}\] idle 5\/5 s \|/);
  });
});

for (const target of testDatabaseTargets()) {
  describe(`jury simulate against a server on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    let token = '';
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await r.json()) as { data: { id: string } };
      assert.ok(r.status < 300, `${method} ${path}: ${JSON.stringify(json)}`);
      return json.data;
    };
    const compareJob = async (datapoints: number, responsesPerDatapoint: number, audienceId = 'global') => {
      const def = await api('POST', '/api/v1/job-definitions', {
        type: 'compare',
        name: 'sim',
        instruction: 'Which is better?',
        dataType: 'text',
        datapoints: Array.from({ length: datapoints }, (_, i) => [
          { text: `good ${i}` },
          { text: `bad ${i}` },
        ]),
        responsesPerDatapoint,
      });
      return api('POST', '/api/v1/jobs', { definitionId: def.id, audienceId });
    };
    const db = () => server.database.db;
    const jobStatus = async (id: string) =>
      (await db().selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    before(async () => {
      env = await createTestEnvironment(target);
      server = await startServer({ port: 0, dataDir: env.dataDir, databaseUrl: env.databaseUrl });
      const boot = server.bootstrap;
      assert.ok(boot);
      const t = await fetch(`${server.url}/connect/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: boot.client.id,
          client_secret: boot.secret,
        }),
      });
      token = ((await t.json()) as { access_token: string }).access_token;
    });
    after(async () => {
      await server.close();
      await env.cleanup();
    });

    it('--until-idle waits for work to appear (bounded), answers it, then stops when idle', async () => {
      const nothing = await runSimulation({
        url: server.url,
        labelers: 2,
        untilIdle: true,
        idleMs: 200,
        waitForWorkMs: 400,
        pollMs: 50,
      });
      assert.equal(
        nothing.stoppedBecause,
        'noWork',
        'no job: gives up after waitForWorkMs, not after idleMs',
      );
      assert.ok(nothing.durationMs >= 400, `waited ${nothing.durationMs} ms`);
      const seen: SimulationProgress[] = [];
      const run = runSimulation({
        url: server.url,
        labelers: 3,
        accuracy: 1,
        untilIdle: true,
        idleMs: 300,
        waitForWorkMs: 30_000,
        pollMs: 50,
        onProgress: (x) => seen.push(x),
      });
      await new Promise((r) => setTimeout(r, 1000)); // longer than idleMs: the old rule stopped here
      const job = await compareJob(2, 3);
      const report = await run;
      assert.equal(report.stoppedBecause, 'idle');
      assert.equal(report.answers, 6);
      assert.ok(
        seen.some((x) => !x.workSeen),
        'progress said it was waiting for work',
      );
      const last = seen.at(-1);
      assert.ok(last?.workSeen && last.idleMs >= 300, 'the last progress is idle after work');
      assert.equal(await jobStatus(job.id), 'completed');
    });

    it('classification without a known truth is answered at random, with a warning; the truth file decides otherwise', async () => {
      const def = await api('POST', '/api/v1/job-definitions', {
        type: 'classification',
        name: 'sim classes',
        instruction: 'What is it?',
        dataType: 'text',
        datapoints: Array.from({ length: 20 }, (_, i) => ({ text: `thing ${i}` })),
        answerOptions: ['Ant', 'Bee', 'Cat'],
        responsesPerDatapoint: 3,
        settings: ['NoShuffle'],
      });
      const job = await api('POST', '/api/v1/jobs', { definitionId: def.id, audienceId: 'global' });
      const warnings: string[] = [];
      const report = await runSimulation({
        url: server.url,
        labelers: 6,
        accuracy: 1,
        truth: { 'thing 0': 'Cat', 'thing 1': ['Bee'] },
        untilIdle: true,
        idleMs: 300,
        pollMs: 50,
        seed: 5,
        onWarning: (m) => warnings.push(m),
      });
      assert.equal(report.answers, 60);
      assert.equal(report.answersWithoutTruth, 54, 'all but the 6 answers to the two items with a truth');
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0] ?? '',
        /has no truth in --truth-file: simulated labelers answer it.* at random/,
      );
      const rows = await db()
        .selectFrom('responses')
        .innerJoin('datapoints', 'datapoints.id', 'responses.datapoint_id')
        .select(['responses.answer', 'datapoints.items'])
        .where('responses.job_id', '=', job.id)
        .execute();
      const answersTo = (text: string) =>
        rows
          .filter((r) => JSON.parse(r.items)[0].text === text)
          .map((r) => Object.values(JSON.parse(r.answer))[0]);
      assert.deepEqual(answersTo('thing 0'), ['Cat', 'Cat', 'Cat']);
      assert.deepEqual(answersTo('thing 1'), ['Bee', 'Bee', 'Bee']);
      const rest = rows.filter((r) => !['thing 0', 'thing 1'].includes(JSON.parse(r.items)[0].text));
      const counts = new Map<unknown, number>();
      for (const r of rest) {
        const a = Object.values(JSON.parse(r.answer))[0];
        counts.set(a, (counts.get(a) ?? 0) + 1);
      }
      // Not the first option (the old default): each of the three about a third of 54.
      for (const option of ['Ant', 'Bee', 'Cat'])
        assert.ok((counts.get(option) ?? 0) >= 8, `${option}: ${counts.get(option)} of 54`);
    });

    it('a perfect crowd answers every slot with item A and stops when idle', async () => {
      const job = await compareJob(6, 3);
      const report = await runSimulation({
        url: server.url,
        labelers: 5,
        accuracy: 1,
        untilIdle: true,
        idleMs: 300,
        pollMs: 100,
        seed: 3,
      });
      assert.equal(report.stoppedBecause, 'idle');
      assert.equal(report.answers, 18);
      assert.equal(report.errors, 0, report.errorSamples.join('\n'));
      assert.equal(report.claimAndAnswerLatency.count, 18);
      const rows = await db().selectFrom('responses').selectAll().where('job_id', '=', job.id).execute();
      assert.equal(rows.length, 18);
      assert.ok(rows.every((r) => JSON.parse(r.answer).choice === 'A'));
      const labelers = await db().selectFrom('labelers').select(['kind', 'country', 'language']).execute();
      assert.ok(labelers.every((l) => l.kind === 'simulated' && l.country === 'US' && l.language === 'en'));
      assert.equal(await jobStatus(job.id), 'completed');
    });

    it('adversarial labelers always answer B; random ones about half the time', async () => {
      const job = await compareJob(40, 5);
      const report = await runSimulation({
        url: server.url,
        labelers: 10,
        randomShare: 0.5,
        adversarialShare: 0.5,
        untilIdle: true,
        idleMs: 300,
        pollMs: 100,
        seed: 11,
      });
      assert.equal(report.answers, 200);
      const kinds = new Map(report.perLabeler.map((l) => [l.id, l.behaviour]));
      const rows = await db().selectFrom('responses').selectAll().where('job_id', '=', job.id).execute();
      const adversarial = rows.filter((r) => kinds.get(r.labeler_id) === 'adversarial');
      const random = rows.filter((r) => kinds.get(r.labeler_id) === 'random');
      assert.ok(adversarial.length > 0 && adversarial.every((r) => JSON.parse(r.answer).choice === 'B'));
      const randomA = random.filter((r) => JSON.parse(r.answer).choice === 'A').length / random.length;
      assert.ok(randomA > 0.3 && randomA < 0.7, `random labelers chose A ${randomA} of the time`);
    });

    it('passes a custom audience qualification when the truth file knows the answers, then works', async () => {
      const audience = await api('POST', '/api/v1/audiences', {
        name: 'Sim experts',
        passRule: { minExamples: 2 },
      });
      for (const i of [0, 1])
        await api('POST', `/api/v1/audiences/${audience.id}/examples`, {
          taskType: 'compare',
          instruction: 'Which is right?',
          dataType: 'text',
          datapoint: [{ text: `wrong ${i}` }, { text: `right ${i}` }],
          truth: `right ${i}`,
        });
      const job = await compareJob(3, 2, audience.id);
      const report = await runSimulation({
        url: server.url,
        labelers: 3,
        accuracy: 1,
        truth: { 'right 0': 1, 'right 1': 1 },
        untilIdle: true,
        idleMs: 300,
        pollMs: 100,
      });
      assert.equal(report.qualificationAnswers, 6);
      assert.ok(report.perLabeler.every((l) => l.qualificationCorrect === 2));
      // Gold checks look like tasks to the simulator: its answers are the 6 responses plus any gold checks,
      // which the truth file lets it answer right.
      const responses = await db()
        .selectFrom('responses')
        .select('id')
        .where('job_id', '=', job.id)
        .execute();
      assert.equal(responses.length, 6);
      const gold = await db().selectFrom('gold_answers').select('correct').execute();
      assert.equal(report.answers, 6 + gold.length);
      assert.ok(gold.every((g) => g.correct === 1));
      const members = await db()
        .selectFrom('audience_members')
        .select('state')
        .where('audience_id', '=', audience.id)
        .execute();
      assert.deepEqual(
        members.map((m) => m.state),
        ['qualified', 'qualified', 'qualified'],
      );
      assert.equal(await jobStatus(job.id), 'completed');
    });

    it('answers leaderboard matchups by Bradley-Terry from the models, found with requester credentials', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'jury-sim-mri-'));
      const png = (name: string) => {
        const path = join(dir, `${name}.png`);
        // bytes after IEND make each file (and so its asset) distinct
        writeFileSync(path, Buffer.concat([Buffer.from(PNG_1X1, 'hex'), Buffer.from(name)]));
        return path;
      };
      const boot = server.bootstrap!;
      const requester = new JuryClient({
        clientId: boot.client.id,
        clientSecret: boot.secret,
        url: server.url,
      });
      const benchmark = await requester.mri.createNewBenchmark('Sim arena', { prompts: ['a cat', 'a dog'] });
      const board = await benchmark.createLeaderboard({
        name: 'Q',
        instruction: 'Which is better?',
        levelOfDetail: 40,
      });
      for (const model of ['strong', 'weak'])
        await benchmark.evaluateModel(model, {
          media: [png(`${model}-cat`), png(`${model}-dog`)],
          prompts: ['a cat', 'a dog'],
        });
      const report = await runSimulation({
        url: server.url,
        labelers: 6,
        accuracy: 1,
        untilIdle: true,
        idleMs: 400,
        pollMs: 50,
        strengths: { strong: 2.5, weak: -2.5 },
        models: createModelDirectory(requester),
      });
      assert.equal(report.matchupAnswers, 80, 'each submission opened a run of 40');
      assert.equal(report.matchupsWithoutModels, 0);
      assert.deepEqual(report.strengths, { strong: 2.5, weak: -2.5 });
      const { standings } = await board.getStandings();
      assert.deepEqual(
        standings.map((s) => s.name),
        ['strong', 'weak'],
      );
      assert.ok(
        standings[0]!.winRate! > 0.9,
        `P(strong) = 1 / (1 + e^-5) ≈ 0.99; got ${standings[0]!.winRate}`,
      );

      // a model added later, unknown to the directory until it refreshes, and unlisted: drawn from the seed
      const warnings: string[] = [];
      await benchmark.evaluateModel('late', { media: [png('late-cat')], prompts: ['a cat'] });
      const later = await runSimulation({
        url: server.url,
        labelers: 4,
        accuracy: 1,
        untilIdle: true,
        idleMs: 400,
        pollMs: 50,
        seed: 9,
        strengths: { strong: 2.5, weak: -2.5 },
        models: createModelDirectory(requester),
        onWarning: (m) => warnings.push(m),
      });
      assert.equal(later.matchupAnswers, 40);
      assert.equal(later.strengths.late, createStrengths(9).of('late'));
      assert.ok(
        warnings.some((w) => /"late" is not in the strengths file/.test(w)),
        warnings.join('\n'),
      );

      // without requester credentials a matchup's models are unknown: answered as compare tasks, with a warning
      await benchmark.evaluateModel('anon', { media: [png('anon-dog')], prompts: ['a dog'] });
      const blind: string[] = [];
      const noModels = await runSimulation({
        url: server.url,
        labelers: 4,
        untilIdle: true,
        idleMs: 400,
        pollMs: 50,
        onWarning: (m) => blind.push(m),
      });
      assert.equal(noModels.matchupsWithoutModels, 40);
      assert.deepEqual(noModels.strengths, {});
      assert.ok(
        blind.some((w) => /no requester credentials/.test(w)),
        blind.join('\n'),
      );
      await rm(dir, { recursive: true, force: true });
    });

    it('stops after a duration or a number of answers, and reports an unreachable server clearly', async () => {
      await compareJob(50, 10);
      const capped = await runSimulation({ url: server.url, labelers: 4, maxAnswers: 10, pollMs: 100 });
      assert.equal(capped.stoppedBecause, 'maxAnswers');
      assert.ok(capped.answers >= 10 && capped.answers <= 13);
      const timed = await runSimulation({ url: server.url, labelers: 2, durationMs: 300, paceMs: 50 });
      assert.equal(timed.stoppedBecause, 'duration');
      assert.ok(timed.durationMs < 1500);
      await assert.rejects(
        runSimulation({ url: 'http://127.0.0.1:9', labelers: 2, durationMs: 200 }),
        /No simulated labeler could start a session/,
      );
    });
  });
}
