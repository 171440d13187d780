// The built-in evaluations: MixEval and MixEval-Hard, releases 2024-06-01 and 2024-08-11, from the gzipped
// MixEval files in packages/server/data/mixeval/ (see its SOURCE.md). Seeded lazily, once per database.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Db } from '../db/database.ts';
import { withTransaction } from '../db/transaction.ts';
import { cachePerDatabase } from '../http/cache.ts';
import type { Clock } from '../http/clock.ts';
import { newId } from '../http/ids.ts';
import { type ParsedItem, parseMixEval } from './import.ts';
import * as store from './store.ts';

const DATA = new URL('../../data/mixeval/', import.meta.url);

export const BUILT_IN_VERSIONS = ['2024-06-01', '2024-08-11'] as const;

interface BuiltIn {
  id: string;
  name: string;
  /** The folder under data/mixeval/<version>/. */
  folder: string;
  description: string;
}

export const BUILT_IN_EVALUATIONS: readonly BuiltIn[] = [
  {
    id: 'evl_mixeval',
    name: 'mixeval',
    folder: 'mixeval',
    description:
      'MixEval (Ni et al. 2024, arXiv:2406.06565): ground-truth questions from 18 benchmarks, chosen to match the distribution of real user queries; a free-form and a multiple-choice split.',
  },
  {
    id: 'evl_mixeval-hard',
    name: 'mixeval-hard',
    folder: 'mixeval-hard',
    description:
      'MixEval-Hard: the harder subset of MixEval (sampled towards the questions strong models miss), 500 free-form and 500 multiple-choice items.',
  },
];

export const builtInVersionId = (evaluation: BuiltIn, version: string) => `evv_${evaluation.name}_${version}`;

/** A built-in version's items, read from the shipped MixEval files. */
export function builtInItems(folder: string, version: string): ParsedItem[] {
  const read = (split: string) =>
    JSON.parse(
      gunzipSync(readFileSync(new URL(`${version}/${folder}/${split}.json.gz`, DATA))).toString('utf8'),
    );
  return parseMixEval({ freeForm: read('free-form'), multipleChoice: read('multiple-choice') });
}

/** A parsed item as its row. */
export function itemRow(versionId: string, item: ParsedItem, position: number): store.ItemRow {
  const mc = item.split === 'multiple-choice';
  return {
    id: newId('evi'),
    version_id: versionId,
    position,
    split: item.split,
    key: item.key,
    question: item.question,
    context: item.context,
    options: mc ? JSON.stringify(item.options) : null,
    answers: mc ? null : JSON.stringify(item.answers),
    correct_option: mc ? item.correctOption : null,
    benchmark: item.benchmark,
  };
}

// Per database: the seeding (or the check that it was done), shared by concurrent first requests.
const seededIn = cachePerDatabase<'built-ins', Promise<void>>({ max: 1 });

/**
 * Makes sure every built-in version is in the database: one query once seeded. Each missing version is
 * inserted in its own transaction; another process seeding at the same time makes the insert a no-op (the
 * version row is claimed first, ON CONFLICT DO NOTHING), so no version is ever stored twice or in part.
 */
export function ensureBuiltIns(deps: { db: Db; clock: Clock }): Promise<void> {
  const cache = seededIn(deps.db);
  const known = cache.get('built-ins');
  if (known) return known;
  const run = seedBuiltIns(deps).catch((err) => {
    cache.delete('built-ins');
    throw err;
  });
  cache.set('built-ins', run);
  return run;
}

async function seedBuiltIns({ db, clock }: { db: Db; clock: Clock }): Promise<void> {
  const wanted = BUILT_IN_EVALUATIONS.flatMap((e) =>
    BUILT_IN_VERSIONS.map((version) => ({ evaluation: e, version, id: builtInVersionId(e, version) })),
  );
  const present = await store.existingVersionIds(
    db,
    wanted.map((w) => w.id),
  );
  for (const { evaluation, version, id } of wanted) {
    if (present.has(id)) continue;
    const items = builtInItems(evaluation.folder, version);
    const now = clock.now().toISOString();
    await withTransaction(db, async (trx) => {
      await store.insertEvaluation(trx, {
        id: evaluation.id,
        organization_id: null,
        name: evaluation.name,
        description: evaluation.description,
        trusted: 1,
        visibility: 'public',
        created_at: now,
      });
      const inserted = await store.insertVersion(trx, {
        id,
        evaluation_id: evaluation.id,
        version,
        free_form_count: items.filter((i) => i.split === 'free-form').length,
        multiple_choice_count: items.filter((i) => i.split === 'multiple-choice').length,
        created_at: now,
      });
      if (inserted)
        await store.insertItems(
          trx,
          items.map((item, i) => itemRow(id, item, i + 1)),
        );
    });
  }
}
