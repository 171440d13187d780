import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { juryConfig } from './config.ts';
import { logger } from './logger.ts';

const ENV_KEYS = [
  'JURY_LOG_LEVEL',
  'JURY_LOG_FILE',
  'JURY_SILENT_MODE',
  'JURY_MAX_WORKERS',
  'JURY_MAX_RETRIES',
];

describe('juryConfig', () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const k of ENV_KEYS) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
    juryConfig.reset();
  });
  afterEach(() => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    juryConfig.reset();
  });

  test('defaults', () => {
    assert.deepEqual(juryConfig.toJSON(), {
      logging: { level: 'warning', logFile: undefined, silentMode: false },
      upload: { maxWorkers: 25, maxRetries: 3 },
    });
  });

  test('environment overrides defaults, read at access time', () => {
    process.env.JURY_MAX_WORKERS = '7';
    process.env.JURY_MAX_RETRIES = '0';
    process.env.JURY_LOG_LEVEL = 'DEBUG';
    process.env.JURY_LOG_FILE = '/tmp/jury.log';
    assert.equal(juryConfig.upload.maxWorkers, 7);
    assert.equal(juryConfig.upload.maxRetries, 0);
    assert.equal(juryConfig.logging.level, 'debug');
    assert.equal(juryConfig.logging.logFile, '/tmp/jury.log');
    process.env.JURY_MAX_WORKERS = '9';
    assert.equal(juryConfig.upload.maxWorkers, 9);
  });

  test('code overrides environment; assigning undefined or reset() gives it back', () => {
    process.env.JURY_MAX_WORKERS = '7';
    juryConfig.upload.maxWorkers = 3;
    assert.equal(juryConfig.upload.maxWorkers, 3);
    (juryConfig.upload as { maxWorkers: number | undefined }).maxWorkers = undefined;
    assert.equal(juryConfig.upload.maxWorkers, 7);
    juryConfig.logging.level = 'error';
    process.env.JURY_LOG_LEVEL = 'debug';
    assert.equal(juryConfig.logging.level, 'error');
    juryConfig.reset();
    assert.equal(juryConfig.logging.level, 'debug');
  });

  test('booleans accept 1/true/yes, case-insensitive; anything else is false', () => {
    for (const v of ['1', 'true', 'YES', 'True']) {
      process.env.JURY_SILENT_MODE = v;
      assert.equal(juryConfig.logging.silentMode, true, v);
    }
    for (const v of ['0', 'no', 'off', 'nah']) {
      process.env.JURY_SILENT_MODE = v;
      assert.equal(juryConfig.logging.silentMode, false, v);
    }
    process.env.JURY_SILENT_MODE = '';
    assert.equal(juryConfig.logging.silentMode, false);
  });

  test('assignments are validated', () => {
    assert.throws(() => {
      juryConfig.upload.maxWorkers = 0;
    }, RangeError);
    assert.throws(() => {
      juryConfig.upload.maxWorkers = 2.5;
    }, RangeError);
    assert.throws(() => {
      juryConfig.upload.maxRetries = -1;
    }, RangeError);
    assert.throws(() => {
      juryConfig.logging.level = 'loud' as never;
    }, RangeError);
    assert.throws(() => {
      juryConfig.logging.silentMode = 'yes' as never;
    }, TypeError);
    assert.throws(() => {
      (juryConfig.upload as unknown as Record<string, number>).maxWorkerz = 3;
    }, TypeError);
    assert.equal(juryConfig.upload.maxWorkers, 25);
  });

  test('invalid environment values fall back to the default', () => {
    process.env.JURY_MAX_WORKERS = 'lots';
    assert.equal(juryConfig.upload.maxWorkers, 25);
    process.env.JURY_MAX_WORKERS = '0';
    assert.equal(juryConfig.upload.maxWorkers, 25);
    process.env.JURY_LOG_LEVEL = 'verbose';
    assert.equal(juryConfig.logging.level, 'warning');
  });

  test('the logger honours level and logFile, and reports a maxWorkers above 200', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jury-log-'));
    try {
      const file = join(dir, 'sdk.log');
      juryConfig.logging.logFile = file;
      juryConfig.logging.level = 'info';
      juryConfig.upload.maxWorkers = 500;
      logger.debug('hidden');
      logger.info('shown %d', 42);
      juryConfig.logging.level = 'error';
      logger.warning('hidden too');
      logger.error('boom');
      const text = readFileSync(file, 'utf8');
      assert.match(text, / - jury - WARNING - juryConfig\.upload\.maxWorkers = 500 is above 200/);
      assert.match(text, / - jury - INFO - shown 42\n/);
      assert.match(text, / - jury - ERROR - boom\n/);
      assert.doesNotMatch(text, /hidden/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
