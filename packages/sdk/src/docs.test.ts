import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as sdk from './index.ts';

const SDK_ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTRIES = Object.values(
  (JSON.parse(readFileSync(`${SDK_ROOT}package.json`, 'utf8')) as { exports: Record<string, string> })
    .exports,
).map((path) => resolve(SDK_ROOT, path));

const text = (file: string) => readFileSync(file, 'utf8');
const stripped = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));

/** The names an `export { a, type b, c as d }` list gives out, as [exported name, local name]. */
function exportList(list: string): [string, string][] {
  return list
    .split(',')
    .map((s) => s.trim().replace(/^type\s+/, ''))
    .filter(Boolean)
    .map((s) => {
      const [local, , exported] = s.split(/\s+/);
      return [exported ?? (local as string), local as string];
    });
}

/** The JSDoc right above the first declaration of `name` in `file`, or undefined when there is none. */
function jsdocOf(file: string, name: string): string | undefined {
  const source = text(file);
  const declaration = new RegExp(
    `^(?:export )?(?:declare )?(?:abstract )?(?:async )?(?:function\\*?|class|const|let|interface|type|enum) ${name}\\b`,
    'm',
  );
  const m = declaration.exec(stripped(source));
  if (!m) return undefined;
  const before = source.slice(0, m.index).trimEnd();
  return before.endsWith('*/') ? before.slice(before.lastIndexOf('/**')) : '';
}

/**
 * Every symbol a module exports, resolved through `export … from` and `export *` to the file that declares it.
 * Re-exports of other packages (@jury/api types) are theirs to document and are left out.
 */
function exportedSymbols(
  file: string,
  seen = new Set<string>(),
): Map<string, { file: string; local: string }> {
  const symbols = new Map<string, { file: string; local: string }>();
  if (seen.has(file)) return symbols;
  seen.add(file);
  const source = stripped(text(file));
  const resolveFrom = (from: string) => resolve(dirname(file), from);
  for (const m of source.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/gm)) {
    if (!m[2]!.startsWith('.')) continue;
    const target = exportedSymbols(resolveFrom(m[2]!));
    for (const [exported, local] of exportList(m[1]!)) {
      const found = target.get(local);
      assert.ok(found, `${file}: ${local} is not exported by ${m[2]}`);
      symbols.set(exported, found);
    }
  }
  for (const m of source.matchAll(/^export\s+\*\s+from\s*'([^']+)'/gm))
    for (const [name, found] of exportedSymbols(resolveFrom(m[1]!))) symbols.set(name, found);
  for (const m of source.matchAll(
    /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|interface|type|enum)\s+(\w+)/gm,
  ))
    symbols.set(m[1]!, { file, local: m[1]! });
  for (const m of source.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*;/gm))
    for (const [exported, local] of exportList(m[1]!)) symbols.set(exported, { file, local });
  return symbols;
}

// House style: every public SDK export carries JSDoc with an @example (or says it is @internal).
test('every export of every SDK entry, through its re-exports, has JSDoc with an @example', () => {
  const missing: string[] = [];
  let checked = 0;
  for (const entry of ENTRIES)
    for (const [name, { file, local }] of exportedSymbols(entry)) {
      checked++;
      const doc = jsdocOf(file, local);
      assert.notEqual(doc, undefined, `${name}: no declaration of ${local} found in ${file}`);
      if (!doc?.includes('@example') && !doc?.includes('@internal'))
        missing.push(`${file.slice(SDK_ROOT.length)}: ${name}`);
    }
  assert.ok(checked > 100, `walked only ${checked} exports`);
  assert.deepEqual(missing, []);
});

test('the walk finds what the public entry really exports', () => {
  const names = new Set(exportedSymbols(ENTRIES[0]!).keys());
  for (const name of Object.keys(sdk)) assert.ok(names.has(name), `${name} is exported but not walked`);
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
