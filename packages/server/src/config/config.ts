/**
 * The server's configuration: one zod slice per feature, composed here and parsed once when the server starts.
 * `jury serve` flags and the bare process's environment variables are derived from the same schema (CONFIG_KNOBS).
 */
import { z } from 'zod';
import { assetsConfig } from '../assets/config.ts';
import { authConfig } from '../auth/config.ts';
import { httpConfig } from '../http/config.ts';
import { labelingConfig } from '../labeling/config.ts';
import { limitsConfig } from '../limits/config.ts';
import { taskTypeConfig } from '../task-types/config.ts';
import { knobRegistry } from './knob.ts';

export const configSchema = z.strictObject({
  ...httpConfig.shape,
  ...authConfig.shape,
  ...assetsConfig.shape,
  ...labelingConfig.shape,
  ...limitsConfig.shape,
  ...taskTypeConfig.shape,
});

export type AppConfig = z.infer<typeof configSchema>;
type ConfigKey = keyof AppConfig;

/** A start-up configuration value is wrong; the message is one line naming the flag or variable to fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** One setting as `jury serve` and the environment spell it; values there are in `scale` units of the field. */
export interface ConfigKnob {
  key: ConfigKey;
  /** What the flag takes: a number (in `scale` units), a text, or on/off. */
  type: 'number' | 'string' | 'boolean';
  /** e.g. `--gold-rate`. */
  flag: string;
  /** e.g. `JURY_GOLD_RATE`. */
  env: string;
  description: string;
  /** The default as a flag value (in flag units). */
  default: number | string | boolean;
  scale: number;
  /** A secret (a key): never repeated in an error message. */
  secret: boolean;
  /** The flag's value in --help: `number`, or a text knob's own word (`url`, `name`, …). */
  placeholder: string;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const CONFIG_KNOBS: readonly ConfigKnob[] = (Object.keys(configSchema.shape) as ConfigKey[]).map(
  (key) => {
    const meta = knobRegistry.get(configSchema.shape[key]);
    if (!meta) throw new Error(`config field ${key} is not declared with knob()`);
    const name = meta.flag ?? kebab(key);
    const scale = meta.type === 'number' ? (meta.scale ?? 1) : 1;
    return {
      key,
      type: meta.type,
      flag: `--${name}`,
      env: `JURY_${name.toUpperCase().replaceAll('-', '_')}`,
      description: meta.description,
      default: typeof meta.default === 'number' ? meta.default / scale : meta.default,
      scale,
      secret: meta.type === 'string' && meta.secret === true,
      placeholder: meta.type === 'string' ? meta.placeholder : 'number',
    };
  },
);

/** The defaults of every slice. */
export const DEFAULT_CONFIG: AppConfig = configSchema.parse({});

/** What a field accepts, in the unit it was given in: "between 0 and 1", "a whole number greater than 0", … */
function accepted(key: ConfigKey, scale: number): string {
  const meta = knobRegistry.get(configSchema.shape[key]);
  if (meta?.type === 'string') return meta.accepts;
  if (meta?.type === 'boolean') return 'true or false';
  const rule = configSchema.shape[key].unwrap() as z.ZodNumber;
  const min = (rule.minValue ?? Number.NEGATIVE_INFINITY) / scale;
  const max = (rule.maxValue ?? Number.POSITIVE_INFINITY) / scale;
  const kind = rule.isInt && scale === 1 ? 'a whole number' : 'a number';
  if (max < Number.MAX_SAFE_INTEGER / scale) return `between ${min} and ${max}`;
  // positive() keeps 0 as minValue, exclusive.
  if (!rule.safeParse(rule.minValue).success) return `${kind} greater than ${min}`;
  if (Number.isFinite(min)) return `${kind}, ${min} or more`;
  return kind;
}

function check(
  input: Record<string, unknown>,
  name: (key: ConfigKey) => string,
  scaleOf: (key: ConfigKey) => number,
) {
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    throw new ConfigError(
      `Unknown configuration ${issue.keys.join(', ')}; known: ${Object.keys(configSchema.shape).join(', ')}.`,
    );
  const key = issue.path[0] as ConfigKey;
  const meta = knobRegistry.get(configSchema.shape[key]);
  const value = input[key];
  const got =
    meta?.type === 'string' && meta.secret
      ? ''
      : typeof value === 'number'
        ? ` (got ${value / scaleOf(key)})`
        : ` (got ${JSON.stringify(value)})`;
  throw new ConfigError(`${name(key)} must be ${accepted(key, scaleOf(key))}${got}.`);
}

/** Validates a configuration given in code (tests, embedders) and fills in the defaults. */
export function parseConfig(config: Partial<AppConfig> = {}): AppConfig {
  return check(
    config,
    (key) => `config.${key}`,
    () => 1,
  );
}

const ON = /^(true|1|yes|on)$/i;
const OFF = /^(false|0|no|off)$/i;

function fromValues(values: (knob: ConfigKnob) => unknown, name: (knob: ConfigKnob) => string): AppConfig {
  const input: Record<string, number | string | boolean> = {};
  for (const knob of CONFIG_KNOBS) {
    const value = values(knob);
    if (value === undefined || value === '') continue;
    if (knob.type === 'string') {
      input[knob.key] = String(value).trim();
      continue;
    }
    if (knob.type === 'boolean') {
      // A bare `--flag` arrives as true; the variable and `--flag false` as text.
      if (typeof value === 'boolean') input[knob.key] = value;
      else if (ON.test(String(value).trim())) input[knob.key] = true;
      else if (OFF.test(String(value).trim())) input[knob.key] = false;
      else throw new ConfigError(`${name(knob)} must be true or false (got "${String(value)}").`);
      continue;
    }
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (typeof value !== 'number' && (String(value).trim() === '' || !Number.isFinite(n)))
      throw new ConfigError(`${name(knob)} must be a number (got "${String(value)}").`);
    input[knob.key] = knob.scale === 1 ? n : Math.round(n * knob.scale);
  }
  const byKey = new Map(CONFIG_KNOBS.map((k) => [k.key, k]));
  return check(
    input,
    (key) => name(byKey.get(key)!),
    (key) => byKey.get(key)!.scale,
  );
}

/** `jury serve`'s parsed options (camelCase of each knob's flag, in flag units) as a configuration. */
export function configFromOptions(options: Record<string, unknown>): AppConfig {
  const camel = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return fromValues(
    (knob) => options[camel(knob.flag)],
    (knob) => `${knob.flag} (or ${knob.env})`,
  );
}

/** The bare process's configuration: each knob's JURY_* environment variable, in flag units. */
export function configFromEnvironment(env: Record<string, string | undefined>): AppConfig {
  return fromValues(
    (knob) => env[knob.env],
    (knob) => knob.env,
  );
}
