import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as sdk from './index.ts';

// House style: every public SDK export carries JSDoc with an @example.
test('every export of the SDK source has JSDoc with an @example', () => {
  const dir = new URL('.', import.meta.url);
  const missing: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    for (const m of text.matchAll(/^export (?:async )?(?:function|class|const|interface|type) (\w+)/gm)) {
      const before = text.slice(0, m.index).trimEnd();
      const doc = before.endsWith('*/') ? before.slice(before.lastIndexOf('/**')) : '';
      if (!doc.includes('@example') && !doc.includes('@internal')) missing.push(`${file}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('the public entry exposes the client, config, credentials helpers and typed errors', () => {
  for (const name of [
    'JuryClient',
    'juryConfig',
    'logger',
    'credentialsPath',
    'readCredentials',
    'saveCredential',
    'updateCredentialEndpoint',
    'errorFromResponse',
    'JuryError',
    'JuryValidationError',
    'JuryNotFoundError',
    'JuryAuthError',
    'JuryNetworkError',
  ])
    assert.ok(name in sdk, name);
});
