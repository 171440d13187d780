/**
 * @jury/stats Bradley-Terry checked against the outside world, from files in test/fixtures (no Python needed):
 * - the published GenAI-Arena leaderboard (test/fixtures/genai-arena-20240220, real human votes);
 * - the Python reference peer bt_reference.py (`cells`: scipy L-BFGS-B on vote cells), whose answers
 *   `npm run bench:peer-fixtures` wrote to peer-*.json fixtures (`-- --check` reruns the peer).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  addPairCounts,
  addVote,
  bradleyTerryIntervals,
  createPairCounts,
  fitBradleyTerry,
  type PairCounts,
  type PairOutcome,
  SKLEARN_DEFAULT_PENALTY,
} from '@jury/stats';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const dataDir = path.join(fixtures, 'genai-arena-20240220');

interface Battle {
  model_a: string;
  model_b: string;
  winner: 'model_a' | 'model_b' | 'tie' | 'tie (bothbad)';
  anony: boolean;
}

const OUTCOME: Record<Battle['winner'], PairOutcome> = {
  model_a: 'a',
  model_b: 'b',
  tie: 'tie',
  'tie (bothbad)': 'tie',
};

/** What bt_reference.py answered, as `npm run bench:peer-fixtures` recorded it. */
function readPeer<T extends { ratings: Record<string, number> }>(file: string): T {
  return JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')) as T;
}

function anonyCounts(battles: Battle[]): PairCounts {
  const counts = createPairCounts();
  for (const b of battles) if (b.anony) addVote(counts, b.model_a, b.model_b, OUTCOME[b.winner]);
  return counts;
}

function readPublished(): Map<string, number> {
  const lines = readFileSync(path.join(dataDir, 'leaderboard.csv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const model = header.indexOf('Model');
  const anony = header.indexOf('Arena Elo rating (anony)');
  assert.ok(model >= 0 && anony >= 0, 'leaderboard.csv columns');
  return new Map(lines.slice(1).map((l) => [l.split(',')[model]!, Number(l.split(',')[anony])]));
}

describe('GenAI-Arena 2024-02-20 (real votes, published leaderboard)', () => {
  const battles = JSON.parse(readFileSync(path.join(dataDir, 'battles.json'), 'utf8')) as Battle[];
  const counts = anonyCounts(battles);
  const published = readPublished();
  const generation = [...published.keys()].filter((m) => m.endsWith('_generation')).sort();
  const edition = [...published.keys()].filter((m) => m.endsWith('_edition')).sort();

  test('1,515 anonymous votes over 13 models, as SOURCE.md says', () => {
    assert.equal(counts.votes, 1515);
    assert.equal(counts.items.length, 13);
    assert.equal(generation.length, 6);
    assert.equal(edition.length, 7);
  });

  test('with the published penalty (scikit-learn C = 1) every group is within 3 Elo of the published column', () => {
    const fit = fitBradleyTerry(counts, { penalty: SKLEARN_DEFAULT_PENALTY });
    assert.ok(fit.converged);
    let worst = 0;
    for (const group of [generation, edition]) {
      for (const model of group) {
        const ours = fit.ratings[fit.items.indexOf(model)]!;
        const diff = Math.abs(ours - published.get(model)!);
        worst = Math.max(worst, diff);
        assert.ok(
          diff < 3,
          `${model}: ours ${ours.toFixed(2)} vs published ${published.get(model)!.toFixed(2)}`,
        );
      }
    }
    // the penalty makes the whole fit well-posed: no separation or prior warnings, only the disconnected graph
    assert.deepEqual(
      fit.warnings.map((w) => w.kind),
      ['disconnected'],
    );
    assert.ok(worst > 0, 'a real comparison, not a copy');
  });

  test('without a penalty: the two disconnected groups and the poorly determined editing model are reported', () => {
    const fit = fitBradleyTerry(counts);
    const disconnected = fit.warnings.find((w) => w.kind === 'disconnected');
    assert.ok(disconnected?.kind === 'disconnected', 'disconnected graph reported');
    assert.deepEqual(
      disconnected.components.map((c) => [...c].sort()),
      [edition, generation],
    );
    const poor = fit.warnings.find((w) => w.kind === 'poorly-determined');
    assert.ok(poor?.kind === 'poorly-determined', 'near-separation reported');
    assert.deepEqual(
      poor.items.map((i) => i.item),
      ['imagenhub_SDEdit_edition'],
    );
    const sdedit = poor.items[0]!;
    // SOURCE.md: without the penalty that model moves by about 55 Elo
    assert.ok(Math.abs(sdedit.rating - sdedit.ratingWithPrior) > 45, JSON.stringify(sdedit));
    assert.ok(
      !fit.warnings.some((w) => w.kind === 'separation'),
      'the MLE exists: near, not exact, separation',
    );
    // each group centred on 1000 on its own scale
    for (const group of [generation, edition]) {
      const mean = group.reduce((s, m) => s + fit.ratings[fit.items.indexOf(m)]!, 0) / group.length;
      assert.ok(Math.abs(mean - 1000) < 1e-9);
    }
    // and its interval says the same: the widest in its group
    const ci = bradleyTerryIntervals(counts, fit);
    const width = (m: string): number => ci.upper[fit.items.indexOf(m)]! - ci.lower[fit.items.indexOf(m)]!;
    assert.equal(Math.max(...edition.map(width)), width('imagenhub_SDEdit_edition'));
  });

  test('aggregated into pair counts: identical ratings, sandwich and bootstrap intervals as the battles', () => {
    // a team importing an arena's win/loss table instead of its battles
    const table = new Map<string, { a: string; b: string; wins: number; losses: number; ties: number }>();
    for (const b of battles) {
      if (!b.anony) continue;
      const key = `${b.model_a}\u0000${b.model_b}`;
      const row = table.get(key) ?? { a: b.model_a, b: b.model_b, wins: 0, losses: 0, ties: 0 };
      const o = OUTCOME[b.winner];
      if (o === 'a') row.wins++;
      else if (o === 'b') row.losses++;
      else row.ties++;
      table.set(key, row);
    }
    const aggregated = createPairCounts(counts.items);
    for (const r of table.values()) addPairCounts(aggregated, r.a, r.b, r);
    assert.equal(aggregated.votes, counts.votes);
    assert.ok(table.size < 100, `${table.size} cells for ${counts.votes} votes`);
    for (const penalty of [SKLEARN_DEFAULT_PENALTY, 'auto'] as const) {
      const one = fitBradleyTerry(counts, { penalty });
      const agg = fitBradleyTerry(aggregated, { penalty });
      agg.ratings.forEach((r, i) => {
        assert.ok(Math.abs(r - one.ratings[i]!) < 1e-9, `${agg.items[i]}`);
      });
      assert.deepEqual(
        agg.warnings.map((w) => w.kind),
        one.warnings.map((w) => w.kind),
      );
      for (const options of [{}, { method: 'bootstrap', rounds: 100, seed: 11 }] as const) {
        const a = bradleyTerryIntervals(counts, one, options);
        const b = bradleyTerryIntervals(aggregated, agg, options);
        b.lower.forEach((x, i) => {
          assert.ok(Math.abs(x - a.lower[i]!) < 1e-6, `${b.items[i]} lower ${x} vs ${a.lower[i]}`);
          assert.ok(Math.abs(b.upper[i]! - a.upper[i]!) < 1e-6, `${b.items[i]} upper`);
        });
      }
    }
  });

  test('without a penalty the ratings equal bt_reference.py cells within 0.05 Elo', () => {
    const fit = fitBradleyTerry(counts, { penalty: 'none' });
    const { ratings } = readPeer('genai-arena-20240220/peer-bt-cells-anony.json');
    assert.deepEqual(
      Object.keys(ratings).sort(),
      [...counts.items].sort(),
      'the peer saw the same 13 models',
    );
    // the peer centres all 13 models together; both fits keep each group's mean where it started, so
    // compare within each group after centring
    for (const group of [generation, edition]) {
      const ourMean = group.reduce((s, m) => s + fit.ratings[fit.items.indexOf(m)]!, 0) / group.length;
      const peerMean = group.reduce((s, m) => s + ratings[m]!, 0) / group.length;
      for (const m of group) {
        const d = fit.ratings[fit.items.indexOf(m)]! - ourMean - (ratings[m]! - peerMean);
        assert.ok(Math.abs(d) < 0.05, `${m}: ${d}`);
      }
    }
  });
});

test('synthetic votes (60,000 over 30 models, 20% ties): ratings equal bt_reference.py cells within 0.05 Elo', () => {
  const { cells, ratings: peerRatings } = readPeer<{
    cells: [string, string, Battle['winner'], number][];
    ratings: Record<string, number>;
  }>('bt-synthetic/peer-bt-cells.json');
  const counts = createPairCounts();
  for (const [a, b, winner, n] of cells) for (let k = 0; k < n; k++) addVote(counts, a, b, OUTCOME[winner]);
  assert.equal(counts.votes, 60000);
  const names = Object.keys(peerRatings);
  assert.deepEqual([...counts.items].sort(), [...names].sort());
  const m = names.length;
  const peerMean = names.reduce((s, n) => s + peerRatings[n]!, 0) / m;
  for (const method of ['newton', 'lbfgs'] as const) {
    const fit = fitBradleyTerry(counts, { method });
    const ourMean = fit.ratings.reduce((s, r) => s + r, 0) / m;
    let worst = 0;
    fit.items.forEach((item, k) => {
      worst = Math.max(worst, Math.abs(fit.ratings[k]! - ourMean - (peerRatings[item]! - peerMean)));
    });
    assert.ok(worst < 0.05, `${method}: max |Δ| ${worst} Elo`);
    assert.ok(worst > 0, 'a real comparison, not a copy');
  }
});

test("the peer's count cells folded as counts: its ratings, and the intervals of the individual votes", () => {
  const { cells, ratings: peerRatings } = readPeer<{
    cells: [string, string, Battle['winner'], number][];
    ratings: Record<string, number>;
  }>('bt-synthetic/peer-bt-cells.json');
  const separate = createPairCounts();
  const counted = createPairCounts();
  const weighted = createPairCounts();
  for (const [a, b, winner, n] of cells) {
    for (let k = 0; k < n; k++) addVote(separate, a, b, OUTCOME[winner]);
    const o = OUTCOME[winner];
    addPairCounts(counted, a, b, o === 'a' ? { wins: n } : o === 'b' ? { losses: n } : { ties: n });
    addVote(weighted, a, b, o, n); // the old misuse: a count as a weight
  }
  assert.equal(counted.votes, 60000);
  const fit = fitBradleyTerry(counted);
  const names = Object.keys(peerRatings);
  const peerMean = names.reduce((s, n) => s + peerRatings[n]!, 0) / names.length;
  const ourMean = fit.ratings.reduce((s, r) => s + r, 0) / fit.ratings.length;
  fit.items.forEach((item, k) => {
    assert.ok(Math.abs(fit.ratings[k]! - ourMean - (peerRatings[item]! - peerMean)) < 0.05, item);
  });
  const reference = fitBradleyTerry(separate);
  for (const options of [{}, { method: 'bootstrap', rounds: 100, seed: 5 }] as const) {
    const a = bradleyTerryIntervals(separate, reference, options);
    const b = bradleyTerryIntervals(counted, fit, options);
    b.standardErrors.forEach((se, i) => {
      assert.ok(Math.abs(se - a.standardErrors[i]!) < 1e-6 * se);
    });
  }
  // with the counts as weights the ratings stay, the intervals are √(votes per cell) ≈ 11 times too wide,
  // and the fit says why
  const wrong = fitBradleyTerry(weighted);
  wrong.ratings.forEach((r, i) => {
    assert.ok(Math.abs(r - fit.ratings[i]!) < 1e-6);
  });
  assert.ok(wrong.warnings.some((w) => w.kind === 'weights-look-like-counts'));
  const se = bradleyTerryIntervals(counted, fit).standardErrors;
  const seWrong = bradleyTerryIntervals(weighted, wrong).standardErrors;
  const ratio = seWrong.reduce((s, x, i) => s + x / se[i]!, 0) / se.length;
  assert.ok(ratio > 5, `intervals ${ratio.toFixed(1)} times wider`);
});
