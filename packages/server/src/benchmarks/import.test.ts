/**
 * Imported votes: the GenAI-Arena battles of test/fixtures/genai-arena-20240220 (real human votes), imported into
 * a leaderboard as JSON and as CSV, reproduce the published leaderboard (its "Arena Elo rating (anony)" column)
 * within 3 Elo when fitted as it was (scikit-learn's penalty, C = 1), as test/e2e/stats-bt.test.ts checks for
 * @jury/stats directly; the disconnected graph (generation and editing models never met) is a warning.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testDatabaseTargets } from '../../test/environment.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';

const dataDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../test/fixtures/genai-arena-20240220',
);

interface ArenaBattle {
  model_a: string;
  model_b: string;
  winner: string;
  anony: boolean;
}

const battles = (
  JSON.parse(readFileSync(path.join(dataDir, 'battles.json'), 'utf8')) as ArenaBattle[]
).filter((b) => b.anony);

function published(): Map<string, number> {
  const lines = readFileSync(path.join(dataDir, 'leaderboard.csv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const model = header.indexOf('Model');
  const anony = header.indexOf('Arena Elo rating (anony)');
  return new Map(lines.slice(1).map((l) => [l.split(',')[model]!, Number(l.split(',')[anony])]));
}

for (const target of testDatabaseTargets()) {
  describe(`imported GenAI-Arena votes on ${target.name}`, () => {
    let h: LabelingHarness;
    let benchmarkId = '';
    before(async () => {
      h = await startLabelingHarness(target);
      benchmarkId = (await h.requester.ok('POST', '/api/v1/benchmarks', { name: 'GenAI-Arena' })).data.id;
    });
    after(() => h.close());

    const board = async (name: string) =>
      (
        await h.requester.ok('POST', `/api/v1/benchmarks/${benchmarkId}/leaderboards`, {
          name,
          instruction: 'Which image is better?',
        })
      ).data.id as string;

    const check = async (leaderboardId: string) => {
      const s = (await h.requester.ok('GET', `/api/v1/leaderboards/${leaderboardId}/standings?sklearnC=1`))
        .data;
      assert.equal(s.totalVotes, 1515);
      const table = published();
      assert.equal(s.standings.length, table.size);
      for (const row of s.standings) {
        const diff = Math.abs(row.score - table.get(row.name)!);
        assert.ok(diff < 3, `${row.name}: ours ${row.score.toFixed(2)} vs published ${table.get(row.name)}`);
        assert.equal(row.participantId, null, 'models known only from imported votes');
      }
      assert.ok(s.warnings.some((w: { kind: string }) => w.kind === 'disconnected'));
    };

    it('as JSON battles', async () => {
      const id = await board('JSON');
      const r = await h.requester.ok('POST', `/api/v1/leaderboards/${id}/votes`, {
        battles: battles.map((b) => ({ modelA: b.model_a, modelB: b.model_b, winner: b.winner })),
      });
      assert.equal(r.data.imported, 1515);
      assert.equal(r.data.models.length, 13);
      await check(id);
    });

    it('as CSV', async () => {
      const id = await board('CSV');
      const csv = [
        'model_a,model_b,winner',
        ...battles.map((b) => `${b.model_a},${b.model_b},"${b.winner}"`),
      ].join('\n');
      await h.requester.ok('POST', `/api/v1/leaderboards/${id}/votes`, { csv });
      await check(id);
      const matrix = (await h.requester.ok('GET', `/api/v1/leaderboards/${id}/win-loss-matrix`)).data;
      assert.equal(matrix.models.length, 13);
      const total = matrix.votes.flat().reduce((a: number, b: number) => a + b, 0) / 2;
      assert.equal(total, 1515);
    });
  });
}
