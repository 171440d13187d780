/**
 * The server's configuration: one zod slice per feature, composed here and parsed once when the server starts.
 * `jury serve` flags and the bare process's environment variables are derived from the same schema (CONFIG_KNOBS).
 */
import { z } from 'zod';
import { assetsConfig } from '../assets/config.ts';
import { authConfig } from '../auth/config.ts';
import { httpConfig } from '../http/config.ts';
import { labelingConfig } from '../labeling/config.ts';
import { knobRegistry } from './knob.ts';

export const configSchema = z.strictObject({
  ...httpConfig.shape,
  ...authConfig.shape,
  ...assetsConfig.shape,
  ...labelingConfig.shape,
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
  /** e.g. `--gold-rate`. */
  flag: string;
  /** e.g. `JURY_GOLD_RATE`. */
  env: string;
  description: string;
  /** The default as a flag value (in flag units). */
  default: number;
  scale: number;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const CONFIG_KNOBS: readonly ConfigKnob[] = (Object.keys(configSchema.shape) as ConfigKey[]).map(
  (key) => {
    const meta = knobRegistry.get(configSchema.shape[key]);
    if (!meta) throw new Error(`config field ${key} is not declared with knob()`);
    const name = meta.flag ?? kebab(key);
    const scale = meta.scale ?? 1;
    return {
      key,
      flag: `--${name}`,
      env: `JURY_${name.toUpperCase().replaceAll('-', '_')}`,
      description: meta.description,
      default: meta.default / scale,
      scale,
    };
  },
);

/** The defaults of every slice. */
export const DEFAULT_CONFIG: AppConfig = configSchema.parse({});

/** What a field accepts, in the unit it was given in: "between 0 and 1", "a whole number greater than 0", … */
function accepted(key: ConfigKey, scale: number): string {
  const rule = configSchema.shape[key].unwrap();
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
  const got = (input[key] as number) / scaleOf(key);
  throw new ConfigError(`${name(key)} must be ${accepted(key, scaleOf(key))} (got ${got}).`);
}

/** Validates a configuration given in code (tests, embedders) and fills in the defaults. */
export function parseConfig(config: Partial<AppConfig> = {}): AppConfig {
  return check(
    config,
    (key) => `config.${key}`,
    () => 1,
  );
}

function fromValues(values: (knob: ConfigKnob) => unknown, name: (knob: ConfigKnob) => string): AppConfig {
  const input: Record<string, number> = {};
  for (const knob of CONFIG_KNOBS) {
    const value = values(knob);
    if (value === undefined || value === '') continue;
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
