// Items from the import formats (objects, JSON Lines, MixEval's JSON), checked one by one: any bad entry fails the
// whole import with where it is (line number, MixEval id or list index), so nothing is half-imported.
import {
  type EvaluationItemInput,
  type EvaluationSplit,
  evaluationItemInputSchema,
  type ImportEvaluationVersion,
  MAX_EVALUATION_ITEMS,
} from '@jury/api';
import type { z } from 'zod';
import { AppError } from '../http/errors.ts';

/** An item ready to store: its key filled in. */
export type ParsedItem = EvaluationItemInput & { key: string };

interface Problem {
  /** Where: `line 3`, `free-form id "12"`, `items[4]`. */
  at: string;
  message: string;
}

const MAX_PROBLEMS = 20;

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

function fail(problems: Problem[], total: number): never {
  const first = problems[0]!;
  const more = total > 1 ? ` (${total} problems; details lists the first ${problems.length})` : '';
  throw new AppError('VALIDATION_FAILED', `Nothing was imported: ${first.at}: ${first.message}${more}`, {
    problems,
  });
}

interface Entry {
  at: string;
  value: unknown;
  key?: string;
  /** Known wrong before the schema looks at it. */
  problem?: string;
}

/** Checks entries, fills keys (default: 1-based position within the split) and refuses repeated keys. */
function checkEntries(entries: Entry[]): ParsedItem[] {
  const problems: Problem[] = [];
  let total = 0;
  const add = (p: Problem) => {
    total++;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  if (entries.length === 0)
    add({ at: 'the import', message: 'it has no items: a version needs at least one.' });
  if (entries.length > MAX_EVALUATION_ITEMS)
    add({
      at: 'the import',
      message: `it has ${entries.length} items; a version holds at most ${MAX_EVALUATION_ITEMS}.`,
    });
  const items: ParsedItem[] = [];
  const seen = new Map<string, string>();
  const counts: Record<EvaluationSplit, number> = { 'free-form': 0, 'multiple-choice': 0 };
  for (const entry of entries) {
    if (entry.problem) {
      add({ at: entry.at, message: entry.problem });
      continue;
    }
    const parsed = evaluationItemInputSchema.safeParse(entry.value);
    if (!parsed.success) {
      add({ at: entry.at, message: issuesText(parsed.error) });
      continue;
    }
    const item = parsed.data;
    counts[item.split]++;
    const key = entry.key ?? item.key ?? String(counts[item.split]);
    const id = `${item.split}/${key}`;
    const earlier = seen.get(id);
    if (earlier)
      add({ at: entry.at, message: `the ${item.split} key "${key}" is already used at ${earlier}.` });
    seen.set(id, entry.at);
    items.push({ ...item, key });
  }
  if (total > 0) fail(problems, total);
  return items;
}

/** JSON Lines: one item object per line (see EvaluationItemInput); blank lines are skipped. */
export function parseJsonl(text: string): ParsedItem[] {
  const entries: { at: string; value: unknown }[] = [];
  const bad: Problem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const at = `line ${i + 1}`;
    try {
      entries.push({ at, value: JSON.parse(line) });
    } catch (err) {
      bad.push({ at, message: `not valid JSON (${(err as Error).message})` });
    }
  });
  if (bad.length > 0) fail(bad.slice(0, MAX_PROBLEMS), bad.length);
  return checkEntries(entries);
}

/** One MixEval entry (problem_type, context, prompt, target, options, benchmark_name) as an item. */
function fromMixEval(split: EvaluationSplit, entry: unknown): unknown {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return entry;
  const e = entry as Record<string, unknown>;
  const common = {
    split,
    question: e.prompt,
    context: e.context,
    ...(e.benchmark_name !== undefined ? { benchmark: e.benchmark_name } : {}),
  };
  if (split === 'free-form') return { ...common, answers: e.target };
  const target = e.target;
  return {
    ...common,
    options: e.options,
    // MixEval's target is a one-element list holding the right option's index.
    correctOption: Array.isArray(target) && target.length === 1 ? target[0] : target,
  };
}

/** MixEval's JSON format: per split, an object keyed by item id; the ids become the items' keys. */
export function parseMixEval(source: {
  freeForm?: Record<string, unknown> | undefined;
  multipleChoice?: Record<string, unknown> | undefined;
}): ParsedItem[] {
  const entries: Entry[] = [];
  const splits = [
    ['free-form', source.freeForm],
    ['multiple-choice', source.multipleChoice],
  ] as const;
  for (const [split, file] of splits)
    for (const [id, value] of Object.entries(file ?? {})) {
      const type = (value as { problem_type?: unknown } | null)?.problem_type;
      entries.push({
        at: `${split} id "${id}"`,
        value: fromMixEval(split, value),
        key: id,
        ...(type !== undefined && type !== split
          ? { problem: `problem_type is ${JSON.stringify(type)} in the ${split} split.` }
          : {}),
      });
    }
  return checkEntries(entries);
}

/** The items of an import body, from whichever source it gives. */
export function importedItems(body: ImportEvaluationVersion): ParsedItem[] {
  if (body.jsonl !== undefined) return parseJsonl(body.jsonl);
  if (body.mixeval !== undefined) return parseMixEval(body.mixeval);
  return checkEntries((body.items ?? []).map((value, i) => ({ at: `items[${i}]`, value })));
}
