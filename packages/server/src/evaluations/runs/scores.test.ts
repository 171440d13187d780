// Models' scores over real HTTP on SQLite and (with TEST_DATABASE_URL) Postgres: the aggregate counts only the
// trusted built-in evaluations and the viewer's own trusted ones (another organization marking its public
// evaluation trusted changes nothing for you), the models list with scores (sorted by score, latest per
// evaluation, filters, bad input), and a judge model graded through its endpoint's limiter at its limits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../../test/environment.ts';
import { buildCredentials } from '../../../test/factories.ts';
import { type LabelingHarness, Requester, startLabelingHarness } from '../../../test/labeling-harness.ts';
import { type ModelServer, startModelServer } from '../../../test/model-server.ts';
import { systemClock } from '../../http/clock.ts';

const ITEMS = [
  { split: 'multiple-choice', question: '[mc1] First letter?', options: ['a', 'b', 'c'], correctOption: 0 },
  { split: 'multiple-choice', question: '[mc2] Second letter?', options: ['a', 'b', 'c'], correctOption: 1 },
  { split: 'free-form', question: '[ff1] Capital of France?', answers: ['Paris'] },
  { split: 'free-form', question: '[ff2] Two plus two?', answers: ['4'] },
];
// The strong fixture answers all four right; the weak one only mc1.
const STRONG: Record<string, string> = { mc1: 'A', mc2: 'B', ff1: 'Paris', ff2: '4' };
const WEAK: Record<string, string> = { mc1: 'A', mc2: 'C', ff1: 'Lyon', ff2: '5' };
const by = (table: Record<string, string>) => (prompt: string) =>
  table[/\[(\w+)\]/.exec(prompt)?.[1] ?? ''] ?? 'no idea';

const close = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 1e-9;

for (const target of testDatabaseTargets()) {
  describe(`model scores on ${target.name}`, () => {
    let h: LabelingHarness;
    let r: Requester;
    let other: Requester;
    let strongServer: ModelServer;
    let weakServer: ModelServer;
    let judgeServer: ModelServer;
    const preset = (url: string) => ({ preset: 'openai-chat', url, model: 'fixture' });
    let strong = '';
    let weak = '';
    let theirs = '';

    async function run(who: Requester, body: Record<string, unknown>) {
      const id = (await who.ok('POST', '/api/v1/evaluation-runs', { version: 'v1', ...body })).data.id;
      for (let i = 0; i < 300; i++) {
        const got = (await who.ok('GET', `/api/v1/evaluation-runs/${id}`)).data;
        if (!['queued', 'running'].includes(got.status)) return got;
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error(`run ${id} did not finish`);
    }

    before(async () => {
      strongServer = await startModelServer({ answer: by(STRONG) });
      weakServer = await startModelServer({ answer: by(WEAK) });
      // A judge refusing more than 120 requests a minute (429 + Retry-After above it).
      judgeServer = await startModelServer({
        rpmLimit: 120,
        answer: (p) =>
          p.includes('option extractor')
            ? 'The option chosen by the model: [[A]]'
            : 'The correctness score: [[1]]',
      });
      h = await startLabelingHarness(target);
      r = h.requester;
      other = new Requester(
        h.base,
        (await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock })).token,
      );
      strong = (
        await r.ok('POST', '/api/v1/models', { name: 'Strong', endpoint: preset(strongServer.chatUrl) })
      ).data.id;
      weak = (await r.ok('POST', '/api/v1/models', { name: 'Weak', endpoint: preset(weakServer.chatUrl) }))
        .data.id;
      theirs = (
        await other.ok('POST', '/api/v1/models', {
          name: 'Theirs',
          visibility: 'public',
          publiclyRunnable: true,
          endpoint: preset(weakServer.chatUrl),
        })
      ).data.id;
      // Ours, trusted: counts for us. Theirs, public and trusted: counts for them only.
      await r.ok('POST', '/api/v1/evaluations', {
        name: 'ours',
        trusted: true,
        import: { version: 'v1', items: ITEMS },
      });
      await other.ok('POST', '/api/v1/evaluations', {
        name: 'theirs-easy',
        trusted: true,
        visibility: 'public',
        import: { version: 'v1', items: ITEMS },
      });
      await r.ok('POST', '/api/v1/evaluations', {
        name: 'untrusted',
        import: { version: 'v1', items: ITEMS },
      });
    });
    after(async () => {
      await h.close();
      await Promise.all([strongServer.close(), weakServer.close(), judgeServer.close()]);
    });

    it("counts only built-in evaluations and the viewer's own trusted ones in the aggregate", async () => {
      const easy = (await other.ok('GET', '/api/v1/evaluations/theirs-easy')).data.id;
      // Strong takes ours (100) and untrusted; weak takes theirs-easy (25) only, visible to us as public.
      assert.equal((await run(r, { model: strong, evaluation: 'ours' })).score, 100);
      assert.equal((await run(r, { model: strong, evaluation: 'untrusted' })).score, 100);
      assert.equal((await run(r, { model: weak, evaluation: easy })).score, 25);
      // They run their model on theirs-easy and on ours? Ours is private: they cannot. Theirs-easy: 25.
      assert.equal((await run(other, { model: theirs, evaluation: 'theirs-easy' })).score, 25);

      const s = (await r.ok('GET', `/api/v1/models/${strong}/scores`)).data;
      assert.deepEqual(
        s.aggregate.parts.map((p: { evaluationId: string }) => p.evaluationId),
        [(await r.ok('GET', '/api/v1/evaluations/ours')).data.id],
        'their trusted evaluation and our untrusted one do not count for us',
      );
      assert.ok(close(s.aggregate.score, 100));
      assert.equal(s.history.length, 2);
      // Weak has no score on ours: it gets ours' median (strong's 100, the only model there), scaled 100.
      const w = (await r.ok('GET', `/api/v1/models/${weak}/scores`)).data;
      assert.equal(w.aggregate.taken, 0, 'theirs-easy does not count for us');
      assert.equal(w.aggregate.score, null);
      assert.deepEqual(
        w.aggregate.parts.map((p: { imputed: boolean }) => p.imputed),
        [true],
      );

      // For them, theirs-easy counts (their own trusted evaluation) and ours does not (not theirs, not built-in).
      const t = (await other.ok('GET', `/api/v1/models/${theirs}/scores`)).data;
      assert.equal(t.aggregate.taken, 1);
      assert.deepEqual(
        t.aggregate.parts.map((p: { evaluationId: string }) => p.evaluationId),
        [easy],
      );
      // Best there is 25 (weak and theirs both): 100 after rescaling.
      assert.ok(close(t.aggregate.score, 100), JSON.stringify(t.aggregate));
      // Their view of our public-less models: none; of their own model through the list: the same aggregate.
      const theirList = await other.ok('GET', '/api/v1/model-scores?owner=mine');
      assert.equal(theirList.total, 1);
      assert.ok(close(theirList.data[0].aggregate.score, 100));
    });

    it('lists the models with their aggregate and latest score per evaluation, sorted and filtered', async () => {
      const list = await r.ok('GET', '/api/v1/model-scores');
      // Default -score: strong (100) first; weak and theirs have no aggregate for us, by name after it.
      assert.deepEqual(
        list.data.map((m: { model: { name: string } }) => m.model.name),
        ['Strong', 'Theirs', 'Weak'],
      );
      assert.equal(list.total, 3);
      const first = list.data[0];
      assert.ok(close(first.aggregate.score, 100));
      assert.deepEqual(
        first.latest.map((l: { evaluation: string; counted: boolean; score: number }) => [
          l.evaluation,
          l.counted,
          l.score,
        ]),
        [
          ['ours', true, 100],
          ['untrusted', false, 100],
        ],
      );
      assert.equal(first.model.id, strong);
      const weakRow = list.data[2];
      assert.deepEqual(
        weakRow.latest.map((l: { evaluation: string; counted: boolean }) => [l.evaluation, l.counted]),
        [['theirs-easy', false]],
      );
      // Their model's latest scores are their runs: we ran none on it.
      assert.deepEqual(list.data[1].latest, []);
      const ascending = await r.ok('GET', '/api/v1/model-scores?sort=score');
      assert.deepEqual(
        ascending.data.map((m: { model: { name: string } }) => m.model.name),
        ['Strong', 'Theirs', 'Weak'],
        'models without a score stay last either way',
      );
      const byName = await r.ok('GET', '/api/v1/model-scores?sort=-name&owner=mine');
      assert.deepEqual(
        byName.data.map((m: { model: { name: string } }) => m.model.name),
        ['Weak', 'Strong'],
      );
      const paged = await r.ok('GET', '/api/v1/model-scores?amount=1&page=2');
      assert.equal(paged.total, 3);
      assert.equal(paged.data[0].model.name, 'Theirs');
      const named = await r.ok('GET', '/api/v1/model-scores?name=tro');
      assert.deepEqual(
        named.data.map((m: { model: { name: string } }) => m.model.name),
        ['Strong'],
      );
    });

    it('grades with a judge model through its limiter: its requests per minute hold, no 429', async () => {
      const judge = (
        await r.ok('POST', '/api/v1/models', {
          name: 'Limited judge',
          endpoint: preset(judgeServer.chatUrl),
          limits: { requestsPerMinute: 120 },
        })
      ).data.id;
      const before = judgeServer.requests.length;
      const done = await run(r, { model: strong, evaluation: 'untrusted', grader: judge, cache: false });
      assert.equal(done.status, 'completed', JSON.stringify(done));
      // The judge picks A (mc1 right, mc2 wrong) and gives each free-form answer 1: 3 of 4.
      assert.equal(done.score, 75);
      const asked = judgeServer.requests.slice(before);
      assert.equal(asked.length, 4, 'one judge request per item');
      assert.ok(
        asked.every((q) => q.status === 200),
        'no 429',
      );
      // 120 a minute: the limiter spaces starts 500 ms apart (the runner asks up to 8 at once, unpaced).
      const gaps = asked.slice(1).map((q, i) => q.at - asked[i]!.at);
      assert.ok(Math.min(...gaps) >= 400, `judge requests ${gaps.join(', ')} ms apart`);
      // Re-scoring with the judge (a request, not the runner) goes through the same limiter.
      const mark = judgeServer.requests.length;
      const rescored = (await r.ok('POST', `/api/v1/evaluation-runs/${done.id}/score`, { grader: judge }))
        .data;
      assert.equal(rescored.score, 75);
      const again = judgeServer.requests.slice(mark);
      assert.equal(again.length, 4);
      assert.ok(again[0]!.at - asked.at(-1)!.at >= 400, 'the limiter remembers the last request');
      const regaps = again.slice(1).map((q, i) => q.at - again[i]!.at);
      assert.ok(Math.min(...regaps) >= 400, `re-score judge requests ${regaps.join(', ')} ms apart`);
      console.log(
        `[judge-limiter] ${target.name}: run ${gaps.join(', ')} ms apart; re-score ${regaps.join(', ')} ms`,
      );
    });

    it('bad input: GET /model-scores', async () => {
      for (const query of ['sort=best', 'amount=0', 'amount=501', 'page=0', 'owner=everyone', 'colour=red']) {
        const res = await r.request('GET', `/api/v1/model-scores?${query}`);
        assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      }
      const anonymous = await fetch(`${h.base}/api/v1/model-scores`);
      assert.equal(anonymous.status, 401);
    });
  });
}
