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

/** A text field (a bucket name, a URL): `accepts` says in words what the rule takes, for the error message. */
export interface TextKnobMeta {
  description: string;
  default: string;
  flag?: string;
  /** The flag's value in --help, e.g. `url` for `--s3-endpoint <url>`. */
  placeholder: string;
  accepts: string;
  /** A secret is never repeated in an error message. */
  secret?: boolean;
}

/** An on/off field: `--flag` or `--flag true|false`, and the variable `true`/`false` (or 1/0, yes/no). */
export interface SwitchKnobMeta {
  description: string;
  default: boolean;
  flag?: string;
}

export type AnyKnobMeta =
  | ({ type: 'number' } & KnobMeta)
  | ({ type: 'string' } & TextKnobMeta)
  | ({ type: 'boolean' } & SwitchKnobMeta);

/** The knobs of every feature's slice, read by config/config.ts to derive flags and environment names. */
export const knobRegistry = z.registry<AnyKnobMeta>();

/** A numeric configuration field: its rule, default and description in one place. */
export function knob(rule: z.ZodNumber, meta: KnobMeta) {
  return rule.default(meta.default).register(knobRegistry, { type: 'number', ...meta });
}

/** A text configuration field; an empty string means "not set" (the default of optional settings). */
export function textKnob(rule: z.ZodString, meta: TextKnobMeta) {
  return rule.default(meta.default).register(knobRegistry, { type: 'string', ...meta });
}

/** An on/off configuration field. */
export function switchKnob(meta: SwitchKnobMeta) {
  return z
    .boolean()
    .default(meta.default)
    .register(knobRegistry, { type: 'boolean', ...meta });
}
