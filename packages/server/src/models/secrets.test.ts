import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptHeaders, encryptHeaders, keyIdOf, maskSecret, parseSecretsKey } from './secrets.ts';

describe('endpoint header secrets', () => {
  const key = randomBytes(32);
  const headers = { Authorization: 'Bearer sk-proj-abcdefghijklmnopqrstuvwxyz1234', 'X-Team': 'evals' };

  it('round-trips, with a fresh IV each time and no plain text in the stored form', () => {
    const a = encryptHeaders(key, 'mdl_1', headers);
    const b = encryptHeaders(key, 'mdl_1', headers);
    assert.notEqual(a, b);
    assert.doesNotMatch(a, /sk-proj|evals|Authorization/);
    assert.match(a, new RegExp(`^v1\\.${keyIdOf(key)}\\.`));
    assert.deepEqual(decryptHeaders(key, 'mdl_1', a), headers);
  });

  it('refuses another key (naming it), another model, an altered ciphertext', () => {
    const stored = encryptHeaders(key, 'mdl_1', headers);
    assert.throws(
      () => decryptHeaders(randomBytes(32), 'mdl_1', stored),
      /encrypted with another key .*JURY_SECRETS_KEY/,
    );
    assert.throws(
      () => decryptHeaders(key, 'mdl_2', stored),
      /Unsupported state or unable to authenticate data/,
    );
    const parts = stored.split('.');
    const data = Buffer.from(parts[4]!, 'base64url');
    data[0] = (data[0] ?? 0) ^ 1;
    parts[4] = data.toString('base64url');
    assert.throws(() => decryptHeaders(key, 'mdl_1', parts.join('.')), /unable to authenticate/);
  });

  it('parseSecretsKey takes 32 bytes as base64, base64url or hex', () => {
    assert.deepEqual(parseSecretsKey(key.toString('base64')), key);
    assert.deepEqual(parseSecretsKey(key.toString('base64url')), key);
    assert.deepEqual(parseSecretsKey(key.toString('hex')), key);
    assert.throws(() => parseSecretsKey('short'), /32 bytes .*openssl rand -base64 32/);
  });

  it('maskSecret keeps the scheme and, for long secrets, 3 + 4 characters', () => {
    assert.equal(maskSecret('Bearer sk-proj-abcdefghijklmnopqrstuvwxyz1234'), 'Bearer sk-…1234');
    assert.equal(maskSecret('Bearer short-key'), 'Bearer ••••');
    assert.equal(maskSecret('evals'), '••••');
    assert.equal(maskSecret('a'.repeat(30)), 'aaa…aaaa');
  });
});
