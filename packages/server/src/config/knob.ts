import { z } from 'zod';

/** How one configuration field is described and set from outside the code (`jury serve`, the environment). */
export interface KnobMeta {
  description: string;
  /** The field's default, in its own unit (bytes, seconds, …). */
  default: number;
  /** The flag's name without `--` when it is not the field's name in kebab-case, e.g. `max-upload-mb`. */
  flag?: string;
  /** Flag and environment values are in a larger unit: the field is the value times `scale` (MiB → bytes). */
  scale?: number;
}

/** The knobs of every feature's slice, read by config/config.ts to derive flags and environment names. */
export const knobRegistry = z.registry<KnobMeta>();

/** A numeric configuration field: its rule, default and description in one place. */
export function knob(rule: z.ZodNumber, meta: KnobMeta) {
  return rule.default(meta.default).register(knobRegistry, meta);
}
