import { z } from './common.ts';

/**
 * Task settings shared by job definitions and qualification examples (so qualification looks like the work).
 * The SDK's `NoShuffleSetting`, `MarkdownSetting` and `AllowNeitherBothSetting` serialise to these flags;
 * absent flags are false. Stored as this JSON object.
 */
export const taskSettingsSchema = z
  .object({
    noShuffle: z
      .boolean()
      .default(false)
      .openapi({ description: 'Classification: show answer options in the given order (no shuffling)' }),
    markdown: z
      .boolean()
      .default(false)
      .openapi({ description: 'Render texts (instruction, items) as Markdown' }),
    allowNeitherBoth: z
      .boolean()
      .default(false)
      .openapi({ description: 'Compare: also offer "Both" and "Neither"' }),
  })
  .strict()
  .openapi('TaskSettings');

export type TaskSettings = z.infer<typeof taskSettingsSchema>;
export type TaskSettingsInput = z.input<typeof taskSettingsSchema>;

export const DEFAULT_TASK_SETTINGS: TaskSettings = {
  noShuffle: false,
  markdown: false,
  allowNeitherBoth: false,
};
