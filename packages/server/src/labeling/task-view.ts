import type { Item, LabelerItem, LabelerTaskSettings, LabelerTaskView } from '@jury/api';

// How a datapoint or qualification example is shown to one labeler. Pure: the jobs feature's preview uses the same
// two functions, so a preview follows the same presentation rules as real tasks.

export type CompareOrder = ['A', 'B'] | ['B', 'A'];
/** How a task was shown (task_leases.presentation → responses.presentation). */
export type Presentation = { order: CompareOrder } | { options: string[] };

/** The fields of a datapoint/example and its definition that the labeler sees. Columns as stored (JSON text). */
export interface TaskSource {
  taskType: 'compare' | 'classify';
  instruction: string;
  dataType: 'media' | 'text';
  /** JSON array of stored items. */
  items: string;
  context: string | null;
  /** JSON array of stored items, or null. */
  mediaContext: string | null;
  /** JSON array of options, or null. */
  answerOptions: string | null;
  /** JSON: a settings object `{ noShuffle, markdown, allowNeitherBoth }` or a list like `["NoShuffle"]`. */
  settings: string;
}

/** Settings stored either as the flags object or as the SDK's setting names; absent means false. */
export function parseSettings(text: string | null): LabelerTaskSettings {
  const value: unknown = text ? JSON.parse(text) : null;
  if (Array.isArray(value)) {
    const names = new Set(value.map((v) => String(v).toLowerCase()));
    return {
      markdown: names.has('markdown'),
      allowNeitherBoth: names.has('allowneitherboth'),
      noShuffle: names.has('noshuffle'),
    };
  }
  const flags = (value ?? {}) as Partial<Record<keyof LabelerTaskSettings, unknown>>;
  return {
    markdown: flags.markdown === true,
    allowNeitherBoth: flags.allowNeitherBoth === true,
    noShuffle: flags.noShuffle === true,
  };
}

export function parseOptions(text: string | null): string[] | null {
  return text ? (JSON.parse(text) as string[]) : null;
}

/** Fisher-Yates with the given uniform [0, 1) source. */
function shuffled<T>(values: readonly T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Options that each start with their own number ("1", "2: Slightly", "3 - Moderately", …) are a scale: shuffled,
 * the labeler's key 1 would sit on "3: Moderately". They keep their order, like NoShuffle.
 */
export function isNumberedScale(options: readonly string[]): boolean {
  if (options.length < 2) return false;
  const numbers = options.map((o) => /^\s*(\d+)(?!\d)/.exec(o)?.[1]);
  return numbers.every((n) => n !== undefined) && new Set(numbers).size === numbers.length;
}

/** Whether labelers all see the definition's order: NoShuffle, or options that are a numbered scale. */
export function keepsOrder(source: Pick<TaskSource, 'taskType' | 'answerOptions' | 'settings'>): boolean {
  if (parseSettings(source.settings).noShuffle) return true;
  return source.taskType === 'classify' && isNumberedScale(parseOptions(source.answerOptions) ?? []);
}

/**
 * A fresh presentation for one labeler: compare A/B order at random, classification options shuffled; both keep
 * the definition's order when `keepsOrder`.
 */
export function choosePresentation(source: TaskSource, random: () => number = Math.random): Presentation {
  const fixed = keepsOrder(source);
  if (source.taskType === 'compare') return { order: fixed || random() < 0.5 ? ['A', 'B'] : ['B', 'A'] };
  const options = parseOptions(source.answerOptions) ?? [];
  return { options: fixed ? options : shuffled(options, random) };
}

function withSide(item: Item, side: 'A' | 'B' | undefined): LabelerItem {
  return side ? { ...item, side } : { ...item };
}

/**
 * The labeler's view of a datapoint or example under a presentation (items and options in display order; the n-th
 * option is the one the labeler picks with key n). `settings.noShuffle` says whether every labeler sees this order.
 */
export function presentTaskView(source: TaskSource, presentation: Presentation): LabelerTaskView {
  const items = JSON.parse(source.items) as Item[];
  const settings = { ...parseSettings(source.settings), noShuffle: keepsOrder(source) };
  const shownItems =
    'order' in presentation
      ? presentation.order.map((side) => withSide(items[side === 'A' ? 0 : 1] as Item, side))
      : items.map((item) => withSide(item, undefined));
  return {
    taskType: source.taskType,
    instruction: source.instruction,
    dataType: source.dataType,
    items: shownItems,
    context: source.context,
    mediaContext: source.mediaContext
      ? (JSON.parse(source.mediaContext) as Item[]).map((i) => withSide(i, undefined))
      : null,
    answerOptions: 'options' in presentation ? presentation.options : null,
    settings,
  };
}
