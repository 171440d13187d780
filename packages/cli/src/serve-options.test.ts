import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_KNOBS, configFromOptions, DEFAULT_CONFIG } from '@jury/server';
import type { CommandOptions } from './commands.ts';
import { handlers } from './handlers.ts';
import { buildProgram } from './program.ts';

/** Parses `jury serve <argv>` with the real option table and returns the configuration serve would start with. */
async function serveConfig(argv: string[], env: Record<string, string> = {}) {
  let seen: CommandOptions<'serve'> | undefined;
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await buildProgram(
      {
        ...handlers,
        serve: async (_args, options) => {
          seen = options;
        },
      },
      '0.0.0',
    )
      .exitOverride()
      .parseAsync(['node', 'jury', 'serve', ...argv]);
  } finally {
    for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
  }
  assert.ok(seen);
  return configFromOptions(seen as Record<string, unknown>);
}

describe('jury serve options', () => {
  it('without flags starts with the defaults', async () => {
    assert.deepEqual(await serveConfig([]), DEFAULT_CONFIG);
  });

  it('has a flag for every configuration knob, and each reaches the configuration', async () => {
    const argv: string[] = [];
    const expected: Record<string, number | string | boolean> = { ...DEFAULT_CONFIG };
    for (const knob of CONFIG_KNOBS) {
      if (knob.type === 'boolean') {
        argv.push(knob.flag);
        expected[knob.key] = true;
      } else if (knob.type === 'string') {
        const value =
          knob.key === 's3Endpoint'
            ? 'http://127.0.0.1:9000'
            : knob.key === 'corsOrigins'
              ? 'https://tools.example'
              : 'jury-media';
        argv.push(knob.flag, value);
        expected[knob.key] = value;
      } else {
        // Shares stay in [0, 1] (a gold rate, the flagged answers' weight); counts stay whole.
        const value =
          knob.key === 'goldRate' ? 0.25 : knob.key === 'flaggedWeight' ? 0.5 : (knob.default as number) + 2;
        argv.push(knob.flag, String(value));
        expected[knob.key] = value * knob.scale;
      }
    }
    assert.deepEqual(await serveConfig(argv), expected);
  });

  it('an on/off knob takes false after the flag and from its variable', async () => {
    assert.equal((await serveConfig(['--s3-force-path-style', 'false'])).s3ForcePathStyle, false);
    assert.equal((await serveConfig([], { JURY_S3_FORCE_PATH_STYLE: 'false' })).s3ForcePathStyle, false);
    assert.equal((await serveConfig([], { JURY_S3_FORCE_PATH_STYLE: 'true' })).s3ForcePathStyle, true);
  });

  it('reads a knob from its JURY_* variable when the flag is absent', async () => {
    const config = await serveConfig([], { JURY_GOLD_RATE: '0', JURY_LEASE_SWEEP_SECONDS: '5' });
    assert.equal(config.goldRate, 0);
    assert.equal(config.leaseSweepSeconds, 5);
  });
});
