import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startServer } from '../server.ts';
import {
  CONFIG_KNOBS,
  ConfigError,
  type ConfigKnob,
  configFromEnvironment,
  configFromOptions,
  DEFAULT_CONFIG,
  parseConfig,
} from './config.ts';

const camel = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A valid value other than the default, in flag units: a goldRate stays in [0, 1], counts stay whole. */
function otherValue(knob: ConfigKnob): number | string | boolean {
  if (knob.type === 'boolean') return !knob.default;
  if (knob.type === 'string')
    return knob.key === 's3Endpoint'
      ? 'http://127.0.0.1:9000'
      : knob.key === 'corsOrigins'
        ? 'https://tools.example'
        : 'jury-media';
  return knob.key === 'goldRate' || knob.key === 'flaggedWeight' ? 0.5 : (knob.default as number) + 1;
}
const inField = (knob: ConfigKnob, value: number | string | boolean) =>
  typeof value === 'number' ? value * knob.scale : value;

describe('configuration', () => {
  it('has one default per knob, the values the server always had', () => {
    assert.deepEqual(DEFAULT_CONFIG, {
      maxJsonBytes: 1024 * 1024,
      requestTimeoutSeconds: 120,
      trustedProxyHops: 0,
      corsOrigins: '',
      tokenTtlSeconds: 3600,
      tokenPurgeSeconds: 3600,
      maxUploadBytes: 100 * 1024 * 1024,
      labelerLeaseSeconds: 60,
      goldRate: 0.1,
      goldDropAfter: 10,
      leaseSweepSeconds: 60,
      s3Bucket: '',
      s3Prefix: '',
      s3Region: '',
      s3Endpoint: '',
      s3ForcePathStyle: false,
      s3AccessKeyId: '',
      s3SecretAccessKey: '',
      labelerSessionsPerAddress: 100,
      labelerRequestsPerMinute: 1200,
      tokenRequestsPerClient: 60,
      tokenRequestsPerAddress: 120,
      leasesPerLabeler: 1,
      leasesPerAddress: 50,
      answersPerAddressPerDatapoint: 2,
      flaggedWeight: 0.25,
      limitLoopback: false,
      compareAnswerFloorMs: 1000,
      classificationAnswerFloorMs: 700,
    });
    assert.deepEqual(CONFIG_KNOBS.map((k) => k.key).sort(), Object.keys(DEFAULT_CONFIG).sort());
  });

  it('every knob can be set by its flag and by its environment variable, in flag units', () => {
    for (const knob of CONFIG_KNOBS) {
      const value = otherValue(knob);
      const expected = { ...DEFAULT_CONFIG, [knob.key]: inField(knob, value) };
      assert.deepEqual(configFromOptions({ [camel(knob.flag)]: String(value) }), expected, knob.flag);
      assert.deepEqual(configFromEnvironment({ [knob.env]: String(value) }), expected, knob.env);
    }
    assert.deepEqual(configFromOptions({ maxUploadMb: '2' }).maxUploadBytes, 2 * 1024 * 1024);
    assert.deepEqual(configFromEnvironment({ JURY_GOLD_RATE: '0' }).goldRate, 0);
    // On/off: a bare flag is true; the variable takes true/false, 1/0, yes/no.
    assert.equal(configFromOptions({ s3ForcePathStyle: true }).s3ForcePathStyle, true);
    assert.equal(configFromEnvironment({ JURY_S3_FORCE_PATH_STYLE: '1' }).s3ForcePathStyle, true);
    assert.equal(configFromEnvironment({ JURY_S3_FORCE_PATH_STYLE: 'no' }).s3ForcePathStyle, false);
    assert.equal(configFromEnvironment({ JURY_S3_BUCKET: ' media.example ' }).s3Bucket, 'media.example');
  });

  it('a wrong value is one line naming the flag or variable and what it accepts', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        return err.message;
      }
      assert.fail('expected a ConfigError');
    };
    assert.equal(
      message(() => configFromOptions({ goldRate: '2' })),
      '--gold-rate (or JURY_GOLD_RATE) must be between 0 and 1 (got 2).',
    );
    assert.equal(
      message(() => configFromEnvironment({ JURY_LEASE_SECONDS: '0' })),
      'JURY_LEASE_SECONDS must be a whole number greater than 0 (got 0).',
    );
    assert.equal(
      message(() => configFromEnvironment({ JURY_GOLD_DROP_AFTER: '2.5' })),
      'JURY_GOLD_DROP_AFTER must be a whole number, 0 or more (got 2.5).',
    );
    assert.equal(
      message(() => configFromOptions({ maxUploadMb: 'lots' })),
      '--max-upload-mb (or JURY_MAX_UPLOAD_MB) must be a number (got "lots").',
    );
    assert.equal(
      message(() => parseConfig({ tokenTtlSeconds: -1 })),
      'config.tokenTtlSeconds must be a whole number greater than 0 (got -1).',
    );
    assert.equal(
      message(() => configFromEnvironment({ JURY_S3_BUCKET: 'My_Bucket' })),
      'JURY_S3_BUCKET must be an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens) (got "My_Bucket").',
    );
    assert.equal(
      message(() => configFromOptions({ s3Endpoint: 'minio:9000' })),
      '--s3-endpoint (or JURY_S3_ENDPOINT) must be an http:// or https:// URL such as http://127.0.0.1:9000 (got "minio:9000").',
    );
    assert.equal(
      message(() => configFromEnvironment({ JURY_S3_FORCE_PATH_STYLE: 'maybe' })),
      'JURY_S3_FORCE_PATH_STYLE must be true or false (got "maybe").',
    );
    // A secret is not repeated.
    assert.equal(
      message(() => configFromEnvironment({ JURY_S3_SECRET_ACCESS_KEY: 'top secret' })),
      'JURY_S3_SECRET_ACCESS_KEY must be a secret access key without spaces.',
    );
    assert.match(
      message(() => parseConfig({ goldRat: 1 } as never)),
      /^Unknown configuration goldRat; known: .*goldRate/,
    );
  });

  it('startServer parses its configuration before opening anything', async () => {
    await assert.rejects(
      startServer({ port: 0, dataDir: '/nonexistent/never-created', config: { goldRate: 1.5 } }),
      (err) => err instanceof ConfigError && /config\.goldRate must be between 0 and 1/.test(err.message),
    );
  });
});
