// `@jury/sdk/client` runs in the web app: its whole module graph, bundled for the browser, reaches no Node
// built-in (esbuild fails on `node:*` for platform browser) and no Node-only package of the SDK.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const NODE_ONLY_PACKAGES = ['cli-progress', 'file-type'];

test('the client entry bundles for the browser without Node modules', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const nodeOnly = inputs.filter((input) =>
    NODE_ONLY_PACKAGES.some((name) => input.includes(`node_modules/${name}/`)),
  );
  assert.deepEqual(nodeOnly, []);
  // Of the SDK itself only the client and the error builder belong in the graph (not credentials, files, bars).
  const sdkFiles = inputs
    .filter((input) => input.includes('packages/sdk/src/'))
    .map((input) => input.slice(input.indexOf('packages/sdk/src/') + 'packages/sdk/src/'.length))
    .sort();
  assert.deepEqual(sdkFiles, ['errors.ts', 'http/client.ts', 'http/index.ts']);
});
