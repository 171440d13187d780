import {
  MAX_CONTEXT_CHARS,
  MAX_INSTRUCTION_CHARS,
  MAX_MEDIA_CONTEXT_ITEMS,
  SETTING_NAMES,
  type SettingName,
} from '@jury/api';
import { JuryValidationError } from '../errors.ts';
import type { JurySetting } from '../jobs/settings.ts';

// Early checks of qualification examples, mirroring the server's rules (same limits, same wording), so mistakes
// surface before any file is uploaded.

/** @internal */
export const invalid = (message: string, field?: string) =>
  new JuryValidationError({
    code: 'VALIDATION_FAILED',
    message,
    details: field ? { issues: [{ path: field, message }] } : undefined,
  });

/** @internal */
export function checkInstruction(instruction: unknown): string {
  if (typeof instruction !== 'string' || instruction.trim() === '')
    throw invalid('Give an instruction (a non-empty string).', 'instruction');
  if (instruction.length > MAX_INSTRUCTION_CHARS)
    throw invalid(
      `instruction is ${instruction.length} characters; maximum is ${MAX_INSTRUCTION_CHARS}.`,
      'instruction',
    );
  return instruction;
}

/** @internal */
export function checkContext(context: unknown): string | undefined {
  if (context === undefined || context === null) return undefined;
  if (typeof context !== 'string') throw invalid('context must be a string.', 'context');
  if (context.trim() === '')
    throw invalid('context cannot be an empty string; leave it out instead.', 'context');
  if (context.length > MAX_CONTEXT_CHARS)
    throw invalid(`context is ${context.length} characters; maximum is ${MAX_CONTEXT_CHARS}.`, 'context');
  return context;
}

/** @internal */
export function checkMediaContext(mediaContext: unknown): string[] | undefined {
  if (mediaContext === undefined || mediaContext === null) return undefined;
  if (!Array.isArray(mediaContext) || mediaContext.some((m) => typeof m !== 'string' || m.trim() === ''))
    throw invalid('mediaContext must be a list of file paths or URLs.', 'mediaContext');
  if (mediaContext.length === 0)
    throw invalid('mediaContext cannot be empty; leave it out instead.', 'mediaContext');
  if (mediaContext.length > MAX_MEDIA_CONTEXT_ITEMS)
    throw invalid(`mediaContext has at most ${MAX_MEDIA_CONTEXT_ITEMS} items.`, 'mediaContext');
  return mediaContext;
}

/** @internal */
export function checkDataType(dataType: unknown): 'media' | 'text' {
  if (dataType === undefined) return 'media';
  if (dataType !== 'media' && dataType !== 'text')
    throw invalid(`dataType is "media" or "text"; got ${JSON.stringify(dataType)}.`, 'dataType');
  return dataType;
}

/** @internal */
export function checkSettings(settings: readonly (JurySetting | SettingName)[] | undefined): SettingName[] {
  if (settings === undefined) return [];
  if (!Array.isArray(settings)) throw invalid('settings must be a list of settings.', 'settings');
  const names = settings.map((s) => (typeof s === 'string' ? s : s?.name));
  for (const name of names)
    if (!SETTING_NAMES.includes(name as SettingName))
      throw invalid(
        `Unknown setting ${JSON.stringify(name)}; use NoShuffleSetting, MarkdownSetting or AllowNeitherBothSetting.`,
        'settings',
      );
  return [...new Set(names as SettingName[])];
}

/** @internal */
export function checkExplanation(explanation: unknown): string | undefined {
  if (explanation === undefined || explanation === null) return undefined;
  if (typeof explanation !== 'string' || explanation.trim() === '' || explanation.length > 2000)
    throw invalid('explanation is a non-empty string of at most 2000 characters.', 'explanation');
  return explanation;
}

/** @internal */
export function checkPurpose(purpose: unknown): 'qualification' | 'gold' {
  if (purpose === undefined || purpose === null) return 'qualification';
  if (purpose !== 'qualification' && purpose !== 'gold')
    throw invalid(`purpose is 'qualification' or 'gold'; got ${JSON.stringify(purpose)}.`, 'purpose');
  return purpose;
}

/** @internal */
export function checkCompareDatapoint(datapoint: unknown, truth: unknown): [string, string] {
  if (!Array.isArray(datapoint) || datapoint.some((d) => typeof d !== 'string' || d.trim() === ''))
    throw invalid('A compare example datapoint is a list of 2 paths, URLs or texts.', 'datapoint');
  if (datapoint.length !== 2)
    throw invalid(
      `A compare example needs exactly two items in datapoint; got ${datapoint.length}.`,
      'datapoint',
    );
  const [a, b] = datapoint as [string, string];
  if (a === b)
    throw invalid(`A compare example needs two different items; both are ${JSON.stringify(a)}.`, 'datapoint');
  if (typeof truth !== 'string' || (truth !== a && truth !== b))
    throw invalid(
      `Truth must be one of the datapoint's items (${JSON.stringify(a)} or ${JSON.stringify(b)}); got ${JSON.stringify(truth)}.`,
      'truth',
    );
  return [a, b];
}

/** @internal */
export function checkClassification(
  answerOptions: unknown,
  datapoint: unknown,
  truth: unknown,
): { answerOptions: string[]; truth: string[] } {
  if (!Array.isArray(answerOptions) || answerOptions.some((o) => typeof o !== 'string'))
    throw invalid('answerOptions must be a list of strings.', 'answerOptions');
  if (answerOptions.length < 2) throw invalid('Give at least two answer options.', 'answerOptions');
  if (answerOptions.length > 50) throw invalid('At most 50 answer options.', 'answerOptions');
  const seen = new Set<string>();
  for (const o of answerOptions as string[]) {
    if (o.trim() === '') throw invalid('Answer options cannot be empty strings.', 'answerOptions');
    if (o.trim().length > 200) throw invalid('An answer option is at most 200 characters.', 'answerOptions');
    if (seen.has(o))
      throw invalid(`Answer options must be unique; ${JSON.stringify(o)} is listed twice.`, 'answerOptions');
    seen.add(o);
  }
  if (typeof datapoint !== 'string' || datapoint.trim() === '')
    throw invalid(
      'A classification example datapoint is one path, URL or text (a string, not a list).',
      'datapoint',
    );
  if (!Array.isArray(truth) || truth.some((t) => typeof t !== 'string'))
    throw invalid('Truth must be a list of strings (the correct answer options).', 'truth');
  if (truth.length === 0) throw invalid('truth lists at least one of the answer options.', 'truth');
  const truthSeen = new Set<string>();
  for (const t of truth as string[]) {
    if (!seen.has(t))
      throw invalid(
        `Truth must be part of the answer options; ${JSON.stringify(t)} is not one of ${JSON.stringify(answerOptions)}.`,
        'truth',
      );
    if (truthSeen.has(t)) throw invalid(`truth lists ${JSON.stringify(t)} twice.`, 'truth');
    truthSeen.add(t);
  }
  return { answerOptions: (answerOptions as string[]).map((o) => o.trim()), truth: truth as string[] };
}
