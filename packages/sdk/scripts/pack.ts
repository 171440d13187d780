// Builds the installable SDK: packages/sdk/dist/jury-sdk-<version>.tgz, a normal npm package named @jury/sdk
// with compiled ESM (the SDK and its copy of @jury/api) and bundled declarations, for two entries: `@jury/sdk` and
// the browser-safe `@jury/sdk/client` (shared code in chunks/, so both see the same error classes).
// Usage: npm run sdk:pack   (prints the tarball's absolute path on its last line)
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const sdkDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(sdkDir, '../..');
const apiDir = join(repoDir, 'packages/api');
const distDir = join(sdkDir, 'dist');
const stageDir = join(distDir, 'package');
/** The package's entries: `.` and `./client`, by output name. */
const entries = { index: join(sdkDir, 'src/index.ts'), client: join(sdkDir, 'src/http/index.ts') };

interface Manifest {
  name: string;
  version: string;
  description?: string;
  dependencies?: Record<string, string>;
}

const readManifest = async (dir: string): Promise<Manifest> =>
  JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;

/** The npm dependencies of the SDK and of @jury/api (bundled in), with the ranges the workspace declares. */
export function thirdPartyDependencies(manifests: Manifest[]): Record<string, string> {
  const deps: Record<string, string> = {};
  for (const manifest of manifests)
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (name.startsWith('@jury/')) continue;
      const seen = deps[name];
      if (seen !== undefined && seen !== range)
        throw new Error(`${name} is required as ${seen} and as ${range}: make the workspace agree first`);
      deps[name] = range;
    }
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
}

/** The package name a bare import specifier refers to ('hono/utils/x' → 'hono', '@a/b/c' → '@a/b'). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));

async function buildJavaScript(dependencies: Record<string, string>): Promise<void> {
  const external = Object.keys(dependencies).flatMap((name) => [name, `${name}/*`]);
  const result = await build({
    entryPoints: entries,
    outdir: stageDir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    metafile: true,
    logLevel: 'warning',
  });
  // Only our own sources may be bundled; a third-party file here would mean a dependency missing from the list.
  const foreign = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/'));
  if (foreign.length > 0) throw new Error(`bundled third-party files: ${foreign.join(', ')}`);
  // Imports between the entries and their shared chunks are not external; the rest must be declared packages.
  const imports = Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external),
  );
  const undeclared = imports
    .map((i) => i.path)
    .filter((path) => !isBuiltin(path) && !(packageName(path) in dependencies));
  if (undeclared.length > 0)
    throw new Error(`the bundle imports undeclared packages: ${undeclared.join(', ')}`);
}

/** Declarations of the SDK and @jury/api by the repository's TypeScript, then bundled into one index.d.ts. */
async function buildTypes(dependencies: Record<string, string>): Promise<void> {
  const emitted = join(distDir, 'types');
  await rm(emitted, { recursive: true, force: true });
  const tsc = join(repoDir, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(sdkDir, 'scripts/tsconfig.types.json')], {
      stdio: 'pipe',
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the SDK's declarations do not type-check:\n${stdout}${stderr}`);
  }
  const bundle = await rollup({
    input: { index: join(emitted, 'sdk/src/index.d.ts'), client: join(emitted, 'sdk/src/http/index.d.ts') },
    // @jury/api is inlined like its code; the npm dependencies stay imports, resolved in the user's project.
    plugins: [
      dts({
        tsconfig: join(sdkDir, 'scripts/tsconfig.types.json'),
        compilerOptions: { paths: { '@jury/api': [join(emitted, 'api/src/index.d.ts')] } },
      }),
    ],
    external: (id) => isBuiltin(id) || packageName(id) in dependencies,
  });
  const { output } = await bundle.write({
    dir: stageDir,
    format: 'es',
    entryFileNames: '[name].d.ts',
    chunkFileNames: 'chunks/shared-[hash].d.ts',
  });
  await bundle.close();
  await rm(emitted, { recursive: true, force: true });
  const texts = await Promise.all(output.map((file) => readFile(join(stageDir, file.fileName), 'utf8')));
  const leftovers = [...texts.join('\n').matchAll(/^(?:import|export)\b[^;]*?\bfrom ['"]([^'"]+)['"]/gm)]
    .map((match) => match[1] ?? '')
    .filter((path) => !path.startsWith('./') && !isBuiltin(path) && !(packageName(path) in dependencies));
  if (leftovers.length > 0)
    throw new Error(`the declarations import undeclared modules: ${leftovers.join(', ')}`);
}

async function writeManifest(sdk: Manifest, dependencies: Record<string, string>): Promise<void> {
  const manifest = {
    name: sdk.name,
    version: sdk.version,
    description: 'TypeScript client of a Jury server, for requesters (built from the Jury repository).',
    type: 'module',
    exports: {
      '.': { types: './index.d.ts', default: './index.js' },
      './client': { types: './client.d.ts', default: './client.js' },
    },
    main: './index.js',
    types: './index.d.ts',
    files: ['index.js', 'index.d.ts', 'client.js', 'client.d.ts', 'chunks', 'README.md'],
    engines: { node: '>=20' },
    dependencies,
  };
  await writeFile(join(stageDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(
    join(stageDir, 'README.md'),
    `# ${sdk.name}\n\nThe TypeScript client of a Jury server, built from the Jury repository with \`npm run sdk:pack\`.\n` +
      'Its README shows how to use it: `new JuryClient()` reads JURY_CLIENT_ID / JURY_CLIENT_SECRET / JURY_URL, ' +
      'else ~/.config/jury/credentials.json.\n',
  );
}

/** Builds the tarball and returns its absolute path. */
export async function packSdk(): Promise<string> {
  const sdk = await readManifest(sdkDir);
  const dependencies = thirdPartyDependencies([sdk, await readManifest(apiDir)]);
  await rm(stageDir, { recursive: true, force: true });
  await mkdir(stageDir, { recursive: true });
  await buildJavaScript(dependencies);
  await buildTypes(dependencies);
  await writeManifest(sdk, dependencies);
  const tarball = join(distDir, `${sdk.name.replace('@', '').replace('/', '-')}-${sdk.version}.tgz`);
  await rm(tarball, { force: true });
  execFileSync('npm', ['pack', stageDir, '--pack-destination', distDir, '--silent'], { stdio: 'ignore' });
  return tarball;
}

if (import.meta.main) {
  const tarball = await packSdk();
  console.log(`SDK package: ${relative(process.cwd(), tarball) || tarball}`);
  console.log(tarball);
}
