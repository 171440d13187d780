/**
 * `npm run bench:peer-fixtures`: runs the Python peers once and writes what they answered to test/fixtures, so the
 * tests compare @jury/stats with the peers' numbers without Python on the machine.
 *
 * - test/fixtures/genai-arena-20240220/peer-bt-cells-anony.json: bt_reference.py cells on the anonymous votes;
 * - test/fixtures/bt-synthetic/peer-bt-cells.json: the votes (as count cells) and bt_reference.py cells on them;
 * - test/fixtures/rank-correlations/peer-scipy.json: random samples with ties and scipy.stats' Kendall tau-b and
 *   Spearman rho on them.
 *
 * `-- --check` writes nothing: it reruns the peers and fails unless the committed fixtures say the same.
 * Needs Debian's python3 with numpy, scipy and scikit-learn (apt-get install -y python3-sklearn) and
 * ../shared/peers/bt_reference.py (JURY_SHARED_DIR elsewhere).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@jury/stats';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../test/fixtures');
const shared = process.env.JURY_SHARED_DIR ?? path.resolve(here, '../../shared');
const peer = path.join(shared, 'peers/bt_reference.py');
const check = process.argv.includes('--check');
const WRITTEN_BY = 'npm run bench:peer-fixtures (bench/peer-fixtures.ts)';

type Winner = 'model_a' | 'model_b' | 'tie';

function findPython(): string {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import numpy, scipy, sklearn'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  throw new Error('no python3 with numpy, scipy and scikit-learn: apt-get install -y python3-sklearn');
}

function runPython(python: string, args: string[], input?: string): string {
  const run = spawnSync(python, args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`${python} ${args.slice(0, 2).join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

function peerVersions(python: string): Record<string, string> {
  const script =
    'import json, platform, numpy, scipy, sklearn; print(json.dumps({"python": platform.python_version(), ' +
    '"numpy": numpy.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__}))';
  return JSON.parse(runPython(python, ['-c', script])) as Record<string, string>;
}

function btCells(python: string, file: string, extra: string[] = []): Record<string, number> {
  const out = JSON.parse(runPython(python, [peer, 'cells', file, ...extra])) as {
    ratings: Record<string, number>;
  };
  return out.ratings;
}

function genaiArena(python: string, versions: Record<string, string>) {
  const battles = path.join(fixtures, 'genai-arena-20240220/battles.json');
  return {
    writtenBy: WRITTEN_BY,
    peer: 'bt_reference.py cells battles.json --anony-only (scipy L-BFGS-B on vote cells, mean 1000)',
    versions,
    ratings: btCells(python, battles, ['--anony-only']),
  };
}

/** The synthetic votes the BT test has always used: 30 models, θ ~ N(0, 0.8²), 20% ties, seed 4242. */
function syntheticVotes(): { model_a: string; model_b: string; winner: Winner }[] {
  const rng = createRng(4242);
  const m = 30;
  const theta = Array.from({ length: m }, () => 0.8 * rng.normal());
  const names = theta.map((_, i) => `model-${i}`);
  const winner = ['model_a', 'model_b', 'tie'] as const;
  return Array.from({ length: 60000 }, () => {
    const i = rng.int(m);
    let j = rng.int(m - 1);
    if (j >= i) j++;
    const o = rng.next() < 0.2 ? 2 : rng.next() < 1 / (1 + Math.exp(theta[j]! - theta[i]!)) ? 0 : 1;
    return { model_a: names[i]!, model_b: names[j]!, winner: winner[o] };
  });
}

function btSynthetic(python: string, versions: Record<string, string>) {
  const votes = syntheticVotes();
  const cells = new Map<string, number>();
  for (const v of votes) {
    const key = JSON.stringify([v.model_a, v.model_b, v.winner]);
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'jury-peer-fixtures-'));
  try {
    const file = path.join(dir, 'votes.jsonl');
    writeFileSync(file, `${votes.map((v) => JSON.stringify(v)).join('\n')}\n`);
    return {
      writtenBy: WRITTEN_BY,
      peer: 'bt_reference.py cells votes.jsonl (scipy L-BFGS-B on vote cells, mean 1000)',
      votes:
        '60,000 synthetic votes over 30 models: θ ~ N(0, 0.8²), pairs uniform, 20% ties, createRng(4242)',
      versions,
      // [model_a, model_b, winner, number of votes]: the peer saw each vote once, in generation order
      cells: [...cells].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => [...JSON.parse(k), n]),
      ratings: btCells(python, file),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rankCorrelations(python: string, versions: Record<string, string>) {
  const rng = createRng(2026);
  const cases = Array.from({ length: 50 }, () => {
    const n = 5 + rng.int(60);
    const levels = 2 + rng.int(12);
    const x = Array.from({ length: n }, () => rng.int(levels));
    const y = x.map((v) => (rng.next() < 0.6 ? v + rng.int(3) : rng.int(levels)));
    return { x, y };
  });
  const script = [
    'import json, sys',
    'from scipy import stats',
    'cases = json.load(sys.stdin)',
    'out = [{"kendallTauB": stats.kendalltau(c["x"], c["y"]).statistic,',
    '        "spearmanRho": stats.spearmanr(c["x"], c["y"]).statistic} for c in cases]',
    'print(json.dumps(out))',
  ].join('\n');
  const expected = JSON.parse(runPython(python, ['-c', script], JSON.stringify(cases))) as object[];
  return {
    writtenBy: WRITTEN_BY,
    peer: 'scipy.stats.kendalltau (tau-b) and scipy.stats.spearmanr on 50 random samples with ties, createRng(2026)',
    versions,
    cases: cases.map((c, k) => ({ ...c, ...expected[k] })),
  };
}

/** Two-space JSON with arrays of plain values on one line: small, readable diffs. */
function format(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    const inner = `${indent}  `;
    return `[\n${value.map((v) => inner + format(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(
      ([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`,
    );
    return `{\n${entries.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Inputs must be identical; the peers' numbers may move by `tolerance` (another BLAS, another scipy). */
function compare(name: string, fresh: unknown, committed: unknown, tolerance: number, at = ''): string[] {
  if (typeof fresh === 'number' && typeof committed === 'number') {
    return Math.abs(fresh - committed) <= tolerance
      ? []
      : [`${name}${at}: committed ${committed}, peer now ${fresh}`];
  }
  if (fresh !== null && typeof fresh === 'object' && committed !== null && typeof committed === 'object') {
    const keys = new Set([...Object.keys(fresh), ...Object.keys(committed)]);
    keys.delete('versions');
    return [...keys].flatMap((k) =>
      compare(
        name,
        (fresh as Record<string, unknown>)[k],
        (committed as Record<string, unknown>)[k],
        tolerance,
        `${at}.${k}`,
      ),
    );
  }
  return fresh === committed ? [] : [`${name}${at}: committed ${String(committed)}, now ${String(fresh)}`];
}

const python = findPython();
assert.ok(existsSync(peer), `peer not found at ${peer} (set JURY_SHARED_DIR)`);
const versions = peerVersions(python);
const outputs: [string, unknown, number][] = [
  ['genai-arena-20240220/peer-bt-cells-anony.json', genaiArena(python, versions), 1e-6],
  ['bt-synthetic/peer-bt-cells.json', btSynthetic(python, versions), 1e-6],
  ['rank-correlations/peer-scipy.json', rankCorrelations(python, versions), 1e-12],
];
console.log(
  `peers: ${python} ${Object.entries(versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
const problems: string[] = [];
for (const [name, value, tolerance] of outputs) {
  const file = path.join(fixtures, name);
  if (check) {
    if (!existsSync(file)) problems.push(`${name}: missing`);
    else problems.push(...compare(name, value, JSON.parse(readFileSync(file, 'utf8')), tolerance));
  } else {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${format(value)}\n`);
    console.log(`wrote test/fixtures/${name}`);
  }
}
if (problems.length > 0) {
  console.error(`${problems.length} difference(s) from a live peer run (rerun npm run bench:peer-fixtures):`);
  for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
  process.exit(1);
}
if (check) console.log(`the ${outputs.length} committed peer fixtures match a live peer run`);
