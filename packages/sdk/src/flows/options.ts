import type { SettingName } from '@jury/api';
import { type JurySetting, settingNames } from '../jobs/settings.ts';
import { invalidField } from '../mri/inputs.ts';
import { checkOptions, optionKeys } from '../options.ts';

/**
 * A flow's configuration, as {@link FlowManager.createRankingFlow} sets it and {@link JuryFlow.updateConfig} changes
 * it (for items created afterwards). The reference SDK's `update_config(instruction, starting_elo, min_responses,
 * max_responses)` in Jury's names.
 *
 * @example
 * ```ts
 * const changes: FlowConfigChanges = { instruction: 'Which image has higher visual quality?', startingElo: 1000 };
 * ```
 */
export interface FlowConfigChanges {
  /** Shown with each comparison; phrase it for two items. */
  instruction?: string;
  /** Responses each flow item collects at most (default 100). */
  maxResponseThreshold?: number;
  /** Responses an item needs to be completed when its time to live runs out (default: the maximum). */
  minResponseThreshold?: number;
  /**
   * `global` (default), a custom or a filtered audience, by id or handle. The reference's `validationSetId` maps
   * here: Jury has no validation sets; a custom audience's qualification examples and gold checks do their work.
   */
  audienceId?: string | { id: string };
  /** Mean score of an item's datapoints on the Elo scale (default 1200). */
  startingElo?: number;
  settings?: (JurySetting | SettingName)[];
}

/** @internal */
export const CONFIG_KEYS = optionKeys<FlowConfigChanges>({
  instruction: true,
  maxResponseThreshold: true,
  minResponseThreshold: true,
  audienceId: true,
  startingElo: true,
  settings: true,
});

/** @internal The request body of a configuration: an audience handle as its id, settings by name. */
export function configBody<T extends FlowConfigChanges>(config: T) {
  const { audienceId, settings, ...rest } = config;
  return {
    ...rest,
    ...(audienceId !== undefined
      ? { audienceId: typeof audienceId === 'string' ? audienceId : audienceId?.id }
      : {}),
    ...(settings ? { settings: settingNames(settings) } : {}),
  };
}

/**
 * The reference SDK's names that Jury spells differently or does not have, with what to use instead (a plain
 * "unknown option" would not say that validation sets became audiences).
 */
const REFERENCE_NAMES: Record<string, string> = {
  validationSetId:
    'Jury has no validation sets: give a custom audience (qualification examples and gold checks) as audienceId; its labelers qualify before they rank.',
  minResponses: "Jury calls it 'minResponseThreshold'.",
  maxResponses: "Jury calls it 'maxResponseThreshold'.",
};

/** @internal Options checked by key, the reference SDK's names answered with Jury's. */
export function checkFlowOptions(method: string, given: unknown, allowed: readonly string[]): void {
  if (given && typeof given === 'object')
    for (const key of Object.keys(given))
      if (Object.hasOwn(REFERENCE_NAMES, key))
        throw invalidField(method, key, `${key}: ${REFERENCE_NAMES[key]}`);
  checkOptions(method, given, allowed);
}
