import type { SettingName } from '@jury/api';

/**
 * A display setting of a job definition or qualification example. Serialises to its name on the wire
 * (`settings: ['NoShuffle', ...]`). A setting that does not apply to a task type is accepted with a warning.
 *
 * @example
 * ```ts
 * import { MarkdownSetting, NoShuffleSetting } from '@jury/sdk';
 * const settings = [new NoShuffleSetting(), new MarkdownSetting()];
 * JSON.stringify(settings); // '["NoShuffle","Markdown"]'
 * ```
 */
export abstract class JurySetting {
  abstract readonly name: SettingName;
  /** The wire form: the setting's name. */
  toJSON(): SettingName {
    return this.name;
  }
}

/**
 * Keep classification answer options (and compare sides) in the order you gave; by default they are shuffled
 * per labeler to reduce position bias. Use it for Likert scales and other ordered options.
 *
 * @example
 * ```ts
 * await client.job.createClassificationJobDefinition({
 *   name: 'Likert', instruction: 'How well does the image match?',
 *   answerOptions: ['1', '2', '3', '4', '5'], datapoints: ['a.png'], settings: [new NoShuffleSetting()],
 * });
 * ```
 */
export class NoShuffleSetting extends JurySetting {
  readonly name = 'NoShuffle' as const;
}

/**
 * Render the instruction, contexts and text items as Markdown.
 *
 * @example
 * ```ts
 * settings: [new MarkdownSetting()]
 * ```
 */
export class MarkdownSetting extends JurySetting {
  readonly name = 'Markdown' as const;
}

/**
 * Compare only: labelers may also answer "Both" or "Neither"; results then count those too.
 *
 * @example
 * ```ts
 * await client.job.createCompareJobDefinition({
 *   name: 'Helpfulness', instruction: 'Which answer is more helpful?', dataType: 'text',
 *   datapoints: [['Answer one', 'Answer two']], settings: [new AllowNeitherBothSetting()],
 * });
 * ```
 */
export class AllowNeitherBothSetting extends JurySetting {
  readonly name = 'AllowNeitherBoth' as const;
}

/**
 * All settings by short name, like the reference SDK's `RapidataSettings`.
 *
 * @example
 * ```ts
 * import { JurySettings } from '@jury/sdk';
 * const settings = [new JurySettings.NoShuffle()];
 * ```
 */
export const JurySettings = {
  NoShuffle: NoShuffleSetting,
  Markdown: MarkdownSetting,
  AllowNeitherBoth: AllowNeitherBothSetting,
} as const;

/**
 * The wire names of settings (instances or names), without duplicates, in the given order.
 *
 * @example
 * ```ts
 * settingNames([new NoShuffleSetting(), 'Markdown', new NoShuffleSetting()]); // ['NoShuffle', 'Markdown']
 * ```
 */
export function settingNames(settings: readonly (JurySetting | SettingName)[] | undefined): SettingName[] {
  return [...new Set((settings ?? []).map((s) => (typeof s === 'string' ? s : s.name)))];
}
