import type { Item, LabelerItem, LabelerTaskSettings, LabelerTaskView, TaskType } from '@jury/api';
import { type Presentation, taskTypeModule } from '../task-types/index.ts';
import type { ShownItem } from '../task-types/task-type.ts';

// How a datapoint or qualification example is shown to one labeler. Pure: the jobs feature's preview uses the same
// two functions, so a preview follows the same presentation rules as real tasks; each task type's part (sides,
// option order) is in its module (task-types/).

/** How a task was shown (the lease's presentation → responses.presentation); its type's shape. */
export type { Presentation };

/** The fields of a datapoint/example and its definition that the labeler sees. Columns as stored (JSON text). */
export interface TaskSource {
  taskType: TaskType;
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

/** Whether labelers all see the definition's order: NoShuffle, or options that are a numbered scale. */
export function keepsOrder(source: Pick<TaskSource, 'taskType' | 'answerOptions' | 'settings'>): boolean {
  if (parseSettings(source.settings).noShuffle) return true;
  return taskTypeModule(source.taskType).keepsOrder(parseOptions(source.answerOptions) ?? []);
}

/**
 * A fresh presentation for one labeler (e.g. compare A/B order at random, classification options shuffled); it
 * keeps the definition's order when `keepsOrder`.
 */
export function choosePresentation(source: TaskSource, random: () => number = Math.random): Presentation {
  const options = parseOptions(source.answerOptions) ?? [];
  return taskTypeModule(source.taskType).choosePresentation(options, keepsOrder(source), random);
}

/** Turns a stored item into what the labeler may see (assets/media-refs.ts `mediaSealer`: media as references). */
export type SealItem = (item: ShownItem) => LabelerItem;

/**
 * The labeler's view of a datapoint or example under a presentation (items and options in display order; the n-th
 * option is the one the labeler picks with key n). `settings.noShuffle` says whether every labeler sees this order.
 * Media go through `seal`, so no file name, asset id or content hash reaches the labeler (blind comparisons).
 */
export function presentTaskView(
  source: TaskSource,
  presentation: Presentation,
  seal: SealItem,
): LabelerTaskView {
  const settings = { ...parseSettings(source.settings), noShuffle: keepsOrder(source) };
  const shown = taskTypeModule(source.taskType).present(JSON.parse(source.items) as Item[], presentation);
  return {
    taskType: source.taskType,
    instruction: source.instruction,
    dataType: source.dataType,
    items: shown.items.map(seal),
    context: source.context,
    mediaContext: source.mediaContext ? (JSON.parse(source.mediaContext) as Item[]).map(seal) : null,
    answerOptions: shown.answerOptions,
    settings,
  };
}
