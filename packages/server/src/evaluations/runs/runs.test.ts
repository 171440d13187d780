// Evaluation runs over real HTTP on SQLite and (with TEST_DATABASE_URL) Postgres, against a loopback model
// server answering from a fixture: the score the fixture implies, the response cache, inference-only then
// scoring (rules and a judge model), cancel, filters, a model's score history and aggregate, and bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../../test/environment.ts';
import { buildCredentials } from '../../../test/factories.ts';
import { type LabelingHarness, Requester, startLabelingHarness } from '../../../test/labeling-harness.ts';
import { type ModelServer, startModelServer } from '../../../test/model-server.ts';
import { systemClock } from '../../http/clock.ts';

// Each item carries a tag the fixture answers by; the answers make 2 of 4 multiple-choice and 2 of 2 free-form right.
const ITEMS = [
  { split: 'multiple-choice', question: '[mc1] First letter?', options: ['a', 'b', 'c'], correctOption: 0 },
  { split: 'multiple-choice', question: '[mc2] Second letter?', options: ['a', 'b', 'c'], correctOption: 1 },
  { split: 'multiple-choice', question: '[mc3] Third letter?', options: ['a', 'b', 'c'], correctOption: 2 },
  { split: 'multiple-choice', question: '[mc4] First again?', options: ['a', 'b', 'c'], correctOption: 0 },
  { split: 'free-form', question: '[ff1] Capital of France?', answers: ['Paris'] },
  { split: 'free-form', question: '[ff2] Two plus two?', answers: ['4'] },
];
const FIXTURE: Record<string, string> = { mc1: 'A', mc2: 'A', mc3: 'C', mc4: 'B', ff1: 'Paris', ff2: '4' };
const answerOf = (prompt: string) => FIXTURE[/\[(\w+)\]/.exec(prompt)?.[1] ?? ''] ?? 'no idea';

async function waitFor(
  r: Requester,
  id: string,
  until: (run: { status: string }) => boolean = (x) => !['queued', 'running'].includes(x.status),
) {
  for (let i = 0; i < 300; i++) {
    const run = (await r.ok('GET', `/api/v1/evaluation-runs/${id}`)).data;
    if (until(run)) return run;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`run ${id} did not finish`);
}

for (const target of testDatabaseTargets()) {
  describe(`evaluation runs on ${target.name}`, () => {
    let h: LabelingHarness;
    let r: Requester;
    let other: Requester;
    let models: ModelServer;
    let judgeServer: ModelServer;
    let slow: ModelServer;
    let model = '';
    const preset = (url: string) => ({
      preset: 'openai-chat',
      url,
      model: 'fixture',
      apiKey: 'sk-test-1234',
    });

    before(async () => {
      models = await startModelServer({ answer: answerOf });
      // A judge that always extracts option A and calls every free-form answer half right.
      judgeServer = await startModelServer({
        answer: (p) =>
          p.includes('option extractor')
            ? 'The option chosen by the model: [[A]]'
            : 'The correctness score: [[0.5]]',
      });
      slow = await startModelServer({ answer: answerOf, latencyMs: 400 });
      h = await startLabelingHarness(target);
      r = h.requester;
      other = new Requester(
        h.base,
        (await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock })).token,
      );
      await r.ok('POST', '/api/v1/evaluations', { name: 'quiz', import: { version: 'v1', items: ITEMS } });
      model = (
        await r.ok('POST', '/api/v1/models', {
          name: 'Fixture',
          endpoint: preset(models.chatUrl),
          costs: { perThousandInputTokens: 1 },
        })
      ).data.id;
    });
    after(async () => {
      await h.close();
      await Promise.all([models.close(), judgeServer.close(), slow.close()]);
    });

    let firstRun = '';
    it('runs a model on an evaluation version and scores it as the fixture implies, per split', async () => {
      const created = await r.request('POST', '/api/v1/evaluation-runs', {
        model,
        evaluation: 'quiz',
        version: 'v1',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.data.grader, 'rules');
      firstRun = created.body.data.id;
      const run = await waitFor(r, firstRun);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.deepEqual(run.progress, {
        total: 6,
        finished: 6,
        answered: 6,
        failed: 0,
        skipped: 0,
        cached: 0,
      });
      assert.ok(Math.abs(run.score - 400 / 6) < 1e-9, String(run.score));
      assert.deepEqual(run.splits, {
        'multiple-choice': { score: 50, items: 4 },
        'free-form': { score: 100, items: 2 },
      });
      assert.ok(run.inputTokens > 0 && run.cost > 0, 'tokens and cost are reported');
      assert.equal(models.requests.length, 6, 'each item asked once');
      const items = await r.ok('GET', `/api/v1/evaluation-runs/${firstRun}/items?split=multiple-choice`);
      assert.equal(items.total, 4);
      const mc2 = items.data[1];
      assert.equal(mc2.key, '2');
      assert.equal(mc2.answer, 'A');
      assert.equal(mc2.score, 0);
      assert.equal(mc2.grade.parser, 'rules');
      assert.match(mc2.prompt, /\[mc2\]/);
      assert.match(mc2.rawResponse, /"choices"/);
      assert.equal(mc2.attempts, 1);
      // Tokens as the body's usage reports them (the fixture counts 4 characters a token: 'A' is 1).
      assert.equal(mc2.outputTokens, 1);
      assert.ok(mc2.latencyMs >= 0);
    });

    it('answers a repeated request from the cache, and asks again with cache: false', async () => {
      const cached = await waitFor(
        r,
        (await r.ok('POST', '/api/v1/evaluation-runs', { model, evaluation: 'quiz', version: 'v1' })).data.id,
      );
      assert.equal(cached.progress.cached, 6);
      assert.equal(cached.cost, 0, 'a cached answer costs nothing this run');
      assert.equal(models.requests.length, 6, 'no new request');
      const fresh = await waitFor(
        r,
        (
          await r.ok('POST', '/api/v1/evaluation-runs', {
            model,
            evaluation: 'quiz',
            version: 'v1',
            cache: false,
          })
        ).data.id,
      );
      assert.equal(fresh.progress.cached, 0);
      assert.equal(models.requests.length, 12);
      assert.equal(fresh.score, cached.score);
    });

    it('collects answers only, then scores them with the rules and again with a judge model', async () => {
      const run = await waitFor(
        r,
        (
          await r.ok('POST', '/api/v1/evaluation-runs', {
            model,
            evaluation: 'quiz',
            version: 'v1',
            inferenceOnly: true,
          })
        ).data.id,
      );
      assert.equal(run.status, 'completed');
      assert.equal(run.score, null);
      assert.equal(run.grader, null);
      const scored = (await r.ok('POST', `/api/v1/evaluation-runs/${run.id}/score`, {})).data;
      assert.ok(Math.abs(scored.score - 400 / 6) < 1e-9);
      assert.equal(scored.grader, 'rules');
      const judge = (
        await r.ok('POST', '/api/v1/models', { name: 'Judge', endpoint: preset(judgeServer.chatUrl) })
      ).data.id;
      const judged = (await r.ok('POST', `/api/v1/evaluation-runs/${run.id}/score`, { grader: judge })).data;
      // The judge picks A everywhere (mc1 and mc4 right) and gives each free-form answer 0.5: (2 + 1) / 6.
      assert.ok(Math.abs(judged.score - 50) < 1e-9, String(judged.score));
      assert.equal(judged.grader, judge);
      const items = await r.ok('GET', `/api/v1/evaluation-runs/${run.id}/items?split=free-form`);
      assert.equal(items.data[0].grade.parser, judge);
      assert.match(items.data[0].grade.judgement, /\[\[0\.5\]\]/);
      // The same judge grading as the run goes (answers from the cache: the model is not asked again).
      const asked = models.requests.length;
      const graded = await waitFor(
        r,
        (
          await r.ok('POST', '/api/v1/evaluation-runs', {
            model,
            evaluation: 'quiz',
            version: 'v1',
            grader: judge,
          })
        ).data.id,
      );
      assert.equal(graded.grader, judge);
      assert.ok(Math.abs(graded.score - 50) < 1e-9, String(graded.score));
      assert.equal(models.requests.length, asked);
    });

    it('cancels a running run, keeping what it stored; a finished run cannot be cancelled', async () => {
      const slowModel = (
        await r.ok('POST', '/api/v1/models', { name: 'Slow', endpoint: preset(slow.chatUrl) })
      ).data.id;
      const id = (
        await r.ok('POST', '/api/v1/evaluation-runs', {
          model: slowModel,
          evaluation: 'quiz',
          version: 'v1',
          cache: false,
        })
      ).data.id;
      await waitFor(r, id, (x) => x.status === 'running');
      const cancelled = (await r.ok('POST', `/api/v1/evaluation-runs/${id}/cancel`)).data;
      assert.equal(cancelled.status, 'cancelled');
      const again = await r.request('POST', `/api/v1/evaluation-runs/${id}/cancel`);
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'CONFLICT');
      assert.equal((await r.request('POST', `/api/v1/evaluation-runs/${firstRun}/cancel`)).status, 409);
    });

    it('lists runs by model, evaluation, status, date and score', async () => {
      const all = await r.ok('GET', `/api/v1/evaluation-runs?model=${model}`);
      assert.equal(all.total, 5);
      assert.equal((await r.ok('GET', '/api/v1/evaluation-runs?status=cancelled')).total, 1);
      assert.equal((await r.ok('GET', '/api/v1/evaluation-runs?evaluation=quiz&minScore=60')).total, 3);
      assert.equal((await r.ok('GET', '/api/v1/evaluation-runs?evaluation=quiz&minScore=40')).total, 5);
      assert.equal((await r.ok('GET', '/api/v1/evaluation-runs?evaluation=mixeval')).total, 0);
      assert.equal((await r.ok('GET', '/api/v1/evaluation-runs?since=2999-01-01T00:00:00Z')).total, 0);
      assert.equal(
        (await other.ok('GET', '/api/v1/evaluation-runs')).total,
        0,
        "another organization's runs are not listed",
      );
    });

    it("gives a model's score history and its aggregate score", async () => {
      const scores = (await r.ok('GET', `/api/v1/models/${model}/scores`)).data;
      assert.equal(scores.history.length, 5);
      assert.ok(
        scores.history.every(
          (s: { evaluation: string; version: string }) => s.evaluation === 'quiz' && s.version === 'v1',
        ),
      );
      // quiz is not trusted: it does not count towards the aggregate.
      assert.equal(scores.aggregate.score, null);
      assert.equal(scores.aggregate.taken, 0);
    });

    it('charges per instance hour for the run time, and deleting an evaluation deletes its runs', async () => {
      await r.ok('POST', '/api/v1/evaluations', {
        name: 'throwaway',
        import: { version: 'v1', items: ITEMS },
      });
      const hourly = (
        await r.ok('POST', '/api/v1/models', {
          name: 'Hourly',
          endpoint: preset(slow.chatUrl),
          costs: { perInstanceHour: 3600 },
        })
      ).data.id;
      const id = (
        await r.ok('POST', '/api/v1/evaluation-runs', {
          model: hourly,
          evaluation: 'throwaway',
          version: 'v1',
        })
      ).data.id;
      const done = await waitFor(r, id);
      assert.equal(done.status, 'completed');
      // 6 items at 400 ms, 8 at once: at least 0.4 s, at $1 a second.
      assert.ok(done.cost >= 0.4, String(done.cost));
      assert.equal((await r.request('DELETE', '/api/v1/evaluations/throwaway')).status, 204);
      assert.equal((await r.request('GET', `/api/v1/evaluation-runs/${id}`)).status, 404);
    });

    it('counts trusted evaluations in the aggregate: rescaled to the best model, the median for a model without one', async () => {
      await r.ok('POST', '/api/v1/evaluations', {
        name: 'trusted-quiz',
        trusted: true,
        import: { version: 'v1', items: ITEMS },
      });
      // A second model: the judge fixture's replies, graded by the rules (a lower score than the fixture's).
      const weak = (
        await r.ok('POST', '/api/v1/models', { name: 'Weak', endpoint: preset(judgeServer.chatUrl) })
      ).data.id;
      for (const m of [model, weak]) {
        const run = (
          await r.ok('POST', '/api/v1/evaluation-runs', {
            model: m,
            evaluation: 'trusted-quiz',
            version: 'v1',
          })
        ).data;
        assert.equal((await waitFor(r, run.id)).status, 'completed');
      }
      const strong = (await r.ok('GET', `/api/v1/models/${model}/scores`)).data;
      assert.equal(strong.aggregate.taken, 1);
      assert.ok(
        Math.abs(strong.aggregate.score - 100) < 1e-9,
        'the best model on its only trusted evaluation has 100',
      );
      const other = (await r.ok('GET', `/api/v1/models/${weak}/scores`)).data;
      const best = 400 / 6;
      const weakScore = other.history[0].score;
      assert.ok(Math.abs(other.aggregate.score - (100 * weakScore) / best) < 1e-9, JSON.stringify(other));
    });

    it('records a response path that does not resolve as a permanent failure per item, asked once', async () => {
      const wrongPath = (
        await r.ok('POST', '/api/v1/models', {
          name: 'Wrong path',
          endpoint: {
            url: models.chatUrl,
            bodyTemplate: JSON.stringify({ messages: [{ role: 'user', content: '%PROMPT%' }] }),
            responsePath: ['json', 'choices', 0, 'text'],
          },
        })
      ).data.id;
      const asked = models.requests.length;
      const done = await waitFor(
        r,
        (
          await r.ok('POST', '/api/v1/evaluation-runs', {
            model: wrongPath,
            evaluation: 'quiz',
            version: 'v1',
          })
        ).data.id,
      );
      assert.equal(done.status, 'completed');
      assert.equal(done.progress.failed, 6);
      assert.equal(done.score, 0);
      assert.equal(models.requests.length - asked, 6, 'not retried: the path is the set-up, not a hiccup');
      const [item] = (await r.ok('GET', `/api/v1/evaluation-runs/${done.id}/items?amount=1`)).data;
      assert.equal(item.attempts, 1);
      assert.match(item.error.message, /Step 3 \("text"\) not found/);
      assert.match(item.rawResponse, /"choices"/);
    });

    describe('bad input', () => {
      let theirs = '';
      let theirPublic = '';
      let theirEvaluation = '';
      before(async () => {
        theirs = (
          await other.ok('POST', '/api/v1/models', { name: 'Theirs', endpoint: preset(models.chatUrl) })
        ).data.id;
        theirEvaluation = (
          await other.ok('POST', '/api/v1/evaluations', {
            name: 'their-quiz',
            import: { version: 'v1', items: ITEMS },
          })
        ).data.id;
        theirPublic = (
          await other.ok('POST', '/api/v1/models', {
            name: 'Their public',
            visibility: 'public',
            endpoint: preset(models.chatUrl),
          })
        ).data.id;
      });
      const run = (body: Record<string, unknown>) => ({ model, evaluation: 'quiz', version: 'v1', ...body });
      const cases: [string, () => Record<string, unknown>, number, string][] = [
        ['unknown model', () => run({ model: 'mdl_nope' }), 404, 'NOT_FOUND'],
        ['unknown evaluation', () => run({ evaluation: 'nope' }), 404, 'NOT_FOUND'],
        ['unknown version', () => run({ version: '1999' }), 404, 'NOT_FOUND'],
        [
          'inference only with a grader',
          () => run({ inferenceOnly: true, grader: 'rules' }),
          400,
          'VALIDATION_FAILED',
        ],
        ["another organization's private model", () => run({ model: theirs }), 404, 'NOT_FOUND'],
        ['a public model that is not publicly runnable', () => run({ model: theirPublic }), 404, 'NOT_FOUND'],
        ['an unknown judge model', () => run({ grader: 'mdl_nope' }), 404, 'NOT_FOUND'],
        ['an unknown field', () => run({ speed: 'fast' }), 400, 'VALIDATION_FAILED'],
        ['no model', () => ({ evaluation: 'quiz', version: 'v1' }), 400, 'VALIDATION_FAILED'],
        ['inferenceOnly not a boolean', () => run({ inferenceOnly: 'yes' }), 400, 'VALIDATION_FAILED'],
        ['cache not a boolean', () => run({ cache: 'no' }), 400, 'VALIDATION_FAILED'],
        ['no version', () => ({ model, evaluation: 'quiz' }), 400, 'VALIDATION_FAILED'],
        ['an empty evaluation', () => run({ evaluation: '' }), 400, 'VALIDATION_FAILED'],
        ['an empty grader', () => run({ grader: '' }), 400, 'VALIDATION_FAILED'],
        [
          'a version of a built-in that does not exist',
          () => run({ evaluation: 'mixeval-hard', version: '2023-01-01' }),
          404,
          'NOT_FOUND',
        ],
        [
          "another organization's private evaluation",
          () => run({ evaluation: theirEvaluation }),
          404,
          'NOT_FOUND',
        ],
        [
          "a judge that is another organization's private model",
          () => run({ grader: theirs }),
          404,
          'NOT_FOUND',
        ],
      ];
      for (const [name, body, status, code] of cases)
        it(`POST /evaluation-runs: ${name} → ${status}`, async () => {
          const res = await r.request('POST', '/api/v1/evaluation-runs', body());
          assert.equal(res.status, status, JSON.stringify(res.body));
          assert.equal(res.body.error.code, code);
        });
      it('other routes: unknown or another organization’s run → 404, bad queries → 400', async () => {
        for (const [method, path, status] of [
          ['GET', '/api/v1/evaluation-runs/evr_nope', 404],
          ['GET', `/api/v1/evaluation-runs/${firstRun}`, 404],
          ['GET', `/api/v1/evaluation-runs/${firstRun}/items`, 404],
          ['POST', `/api/v1/evaluation-runs/${firstRun}/cancel`, 404],
          ['GET', '/api/v1/models/mdl_nope/scores', 404],
          ['GET', `/api/v1/models/${model}/scores`, 404],
          ['GET', '/api/v1/evaluation-runs?status=done', 400],
          ['GET', '/api/v1/evaluation-runs?minScore=101', 400],
          ['GET', '/api/v1/evaluation-runs?since=yesterday', 400],
          ['GET', '/api/v1/evaluation-runs?until=tomorrow', 400],
          ['GET', '/api/v1/evaluation-runs?minScore=-1', 400],
          ['GET', '/api/v1/evaluation-runs?amount=0', 400],
          ['GET', '/api/v1/evaluation-runs?amount=501', 400],
          ['GET', '/api/v1/evaluation-runs?page=0', 400],
          ['GET', '/api/v1/evaluation-runs?colour=red', 400],
          ['POST', '/api/v1/evaluation-runs/evr_nope/score', 404],
        ] as const) {
          const res = await other.request(method, path, method === 'POST' ? {} : undefined);
          assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
        }
        const score = await other.request('POST', `/api/v1/evaluation-runs/${firstRun}/score`, {});
        assert.equal(score.status, 404);
        const badGrader = await r.request('POST', `/api/v1/evaluation-runs/${firstRun}/score`, {
          grader: '',
        });
        assert.equal(badGrader.status, 400);
        for (const [query, status] of [
          ['split=essay', 400],
          ['status=queued', 400],
          ['amount=1001', 400],
          ['page=0', 400],
          ['colour=red', 400],
        ] as const) {
          const res = await r.request('GET', `/api/v1/evaluation-runs/${firstRun}/items?${query}`);
          assert.equal(res.status, status, `items?${query}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.error.code, 'VALIDATION_FAILED');
        }
        for (const [body, status, code] of [
          [{ grader: 'mdl_nope' }, 404, 'NOT_FOUND'],
          [{ grader: theirs }, 404, 'NOT_FOUND'],
          [{ grader: 'rules', speed: 'fast' }, 400, 'VALIDATION_FAILED'],
          [{ grader: 7 }, 400, 'VALIDATION_FAILED'],
        ] as const) {
          const res = await r.request('POST', `/api/v1/evaluation-runs/${firstRun}/score`, body);
          assert.equal(res.status, status, `score ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.error.code, code);
        }
        const unauthenticated = await fetch(`${h.base}/api/v1/evaluation-runs`);
        assert.equal(unauthenticated.status, 401);
      });
    });
  });
}
