// The models room's operator settings, which are text (a key, host names) and so not numeric config knobs:
// JURY_SECRETS_KEY and JURY_MODEL_HOSTS, read by `jury serve` and the bare process from the environment.
import { ConfigError } from '../config/config.ts';
import { parseSecretsKey } from './secrets.ts';

export interface ModelOptions {
  /** 32 bytes (base64 or hex) encrypting endpoint headers; without it a key kept in the database is used. */
  secretsKey?: string | undefined;
  /** Hosts model endpoints may be on (`api.openai.com`, `*.internal`, `127.0.0.1`); empty: every host. */
  allowedHosts?: readonly string[] | undefined;
  /** How long an endpoint test waits for the whole answer (default 30 s). */
  testTimeoutMs?: number | undefined;
}

/** JURY_SECRETS_KEY and JURY_MODEL_HOSTS (comma-separated) as options; unset or empty means the default. */
export function modelOptionsFromEnvironment(env: Record<string, string | undefined>): ModelOptions {
  const hosts = (env.JURY_MODEL_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return {
    ...(env.JURY_SECRETS_KEY ? { secretsKey: env.JURY_SECRETS_KEY } : {}),
    ...(hosts.length ? { allowedHosts: hosts } : {}),
  };
}

/** The options as the models room's services take them; a malformed key is a one-line ConfigError. */
export function resolveModelOptions(options: ModelOptions = {}) {
  let secretsKey: Buffer | undefined;
  if (options.secretsKey !== undefined)
    try {
      secretsKey = parseSecretsKey(options.secretsKey);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  return { secretsKey, allowedHosts: options.allowedHosts, testTimeoutMs: options.testTimeoutMs };
}
