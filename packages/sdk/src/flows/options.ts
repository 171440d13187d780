import { invalidField } from '../mri/inputs.ts';
import { checkOptions } from '../options.ts';

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
