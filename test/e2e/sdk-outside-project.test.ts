// The SDK used as a user would from their own project: `npm run sdk:pack` builds the tarball, a new project in the
// system's temp folder installs it with `npm install <tgz>`, and the README's quick example (taken from README.md
// now, so the README is what is tested) is type-checked by tsc and run against `jury serve` with `jury simulate`.
import assert from 'node:assert/strict';
import { cp, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { delimiter, join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ProcessResult, runProcess as run } from '@jury/cli/testing';
import { isolatedEnv, JURY_BIN, REPO_ROOT, type ServeProcess, startServe, tempDirs } from './helpers.ts';

const show = (r: ProcessResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

/** The fenced blocks in `lang` under the `## heading` of a Markdown text. */
function blocksUnder(markdown: string, heading: string, lang: string): string[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  assert.ok(section, `README.md has a "## ${heading}" section`);
  return [...section.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map(
    (m) => m[1] as string,
  );
}

/** The first `node` on PATH outside node_modules/.bin whose major version differs from this one (e.g. Node 20). */
async function otherNode(): Promise<{ bin: string; version: string } | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || dir.includes('node_modules')) continue;
    const bin = join(dir, 'node');
    const probe = await run([bin, '--version'], { cwd: dir, env: process.env, timeoutMs: 10_000 }).catch(
      () => undefined,
    );
    const version = probe?.code === 0 ? probe.stdout.trim() : undefined;
    if (version && version.split('.')[0] !== `v${process.versions.node.split('.')[0]}`)
      return { bin, version };
  }
  return undefined;
}

const isInside = (dir: string, path: string) =>
  !relative(dir, path).startsWith(`..${sep}`) && relative(dir, path) !== '..';

const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
// The README's commands: `npm run sdk:pack` in the clone, then `npm install /path/to/jury/…tgz` in the project.
const [packCommand, installCommand] = blocksUnder(readme, 'Use the SDK in your own project', 'sh')
  .join('\n')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));
const [quickExample] = blocksUnder(readme, 'Quick example', 'ts');

describe('the SDK in a project outside the repository', () => {
  const dirs = tempDirs();
  let tarball: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let serve: ServeProcess | undefined;
  const stopSimulation = new AbortController();
  let simulation: Promise<ProcessResult> | undefined;

  before(async () => {
    const d = await dirs;
    env = isolatedEnv(await d.make('sdk-user-home'));
    project = await realpath(await d.make('sdk-user-project'));
    assert.equal(packCommand, 'npm run sdk:pack');
    const pack = await run(['npm', 'run', 'sdk:pack'], { cwd: REPO_ROOT, env, timeoutMs: 120_000 });
    assert.equal(pack.code, 0, show(pack));
    tarball = pack.stdout.trim().split('\n').at(-1) as string;
    assert.match(tarball, /packages\/sdk\/dist\/jury-sdk-\d+\.\d+\.\d+\.tgz$/);
  });
  after(async () => {
    stopSimulation.abort();
    await simulation;
    await serve?.stop();
    await (await dirs).cleanup();
  });

  it('installs from the tarball with npm, without the repository', { timeout: 180_000 }, async () => {
    assert.ok(!isInside(await realpath(REPO_ROOT), project), `${project} is outside the repository`);
    await writeFile(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'my-eval', private: true, type: 'module' }, null, 2)}\n`,
    );
    // The README's line with the clone's real path; offline-friendly flags only (npm's cache, no audit).
    const readmeTarball = /^npm install (\/path\/to\/jury\/\S+\.tgz)$/.exec(installCommand ?? '')?.[1];
    assert.equal(
      readmeTarball?.replace('/path/to/jury/', ''),
      relative(REPO_ROOT, tarball),
      String(installCommand),
    );
    const install = await run(['npm', 'install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: project,
      env,
      timeoutMs: 170_000,
    });
    assert.equal(install.code, 0, show(install));

    // A real copy in the project's node_modules (not a link into the clone), which brings its own @jury/api.
    const installed = await realpath(join(project, 'node_modules/@jury/sdk'));
    assert.ok(isInside(project, installed), installed);
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.name, '@jury/sdk');
    assert.ok(!Object.keys(manifest.dependencies ?? {}).some((n) => n.startsWith('@jury/')), manifest);
    await assert.rejects(stat(join(project, 'node_modules/@jury/api')), { code: 'ENOENT' });
    assert.ok((await stat(join(installed, 'index.d.ts'))).isFile());
  });

  it('exports @jury/sdk/client, sharing its error classes with @jury/sdk', { timeout: 60_000 }, async () => {
    await writeFile(
      join(project, 'client-entry.mjs'),
      [
        "import * as sdk from '@jury/sdk';",
        "import * as client from '@jury/sdk/client';",
        "console.log(typeof client.createHttpClient, client.JuryError === sdk.JuryError, 'JuryClient' in client);",
      ].join('\n'),
    );
    const probe = await run([process.execPath, 'client-entry.mjs'], { cwd: project, env, timeoutMs: 50_000 });
    assert.equal(probe.code, 0, show(probe));
    assert.equal(probe.stdout.trim(), 'function true false');
  });

  it("type-checks the README's quick example with tsc (strict, nodenext)", { timeout: 120_000 }, async () => {
    assert.ok(quickExample, 'README.md has a ```ts block under "## Quick example"');
    await writeFile(join(project, 'quickstart.ts'), quickExample);
    // A user's strict tsconfig; skipLibCheck off so the SDK's bundled declarations are checked too.
    const compilerOptions = {
      target: 'es2024',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: false,
      noEmit: true,
    };
    await writeFile(
      join(project, 'tsconfig.json'),
      `${JSON.stringify({ compilerOptions, files: ['quickstart.ts'] }, null, 2)}\n`,
    );
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const check = await run([process.execPath, tsc, '-p', project], {
      cwd: project,
      env,
      timeoutMs: 110_000,
    });
    assert.equal(check.code, 0, show(check));
  });

  /** Starts `jury serve` and a simulated crowd once, for the runs below. */
  async function server(): Promise<ServeProcess> {
    if (serve) return serve;
    const d = await dirs;
    serve = await startServe(['--port', '0', '--data-dir', await d.make('sdk-user-data')], env);
    // The example names its images relative to where it runs, as in the repository.
    await cp(join(REPO_ROOT, 'examples/images'), join(project, 'examples/images'), { recursive: true });
    simulation = run(
      [process.execPath, JURY_BIN, 'simulate', '--url', serve.url, '--labelers', '12', '--accuracy', '0.9'],
      { cwd: REPO_ROOT, env, timeoutMs: 400_000, signal: stopSimulation.signal },
    );
    return serve;
  }

  /** Checks the quick example's printed results (the reference product's documented compare shape). */
  function assertResults(example: ProcessResult) {
    assert.match(example.stdout, /\/label\/preview\//);
    const results = JSON.parse(example.stdout.slice(example.stdout.indexOf('\n{') + 1));
    assert.equal(results.info.type, 'Compare');
    assert.equal(results.info.name, 'Example Image Prompt Alignment');
    assert.equal(results.results.length, 1);
    assert.equal(results.summary.A_wins_total + results.summary.B_wins_total, 1);
    assert.ok(['book-a.png', 'book-b.png'].includes(results.results[0].winner), example.stdout);
  }

  it('runs the quick example with node against jury serve, answered by jury simulate', {
    timeout: 180_000,
  }, async () => {
    await server();
    // The user's script: only the installed package and the credentials `jury serve` saved under HOME.
    const example = await run([process.execPath, 'quickstart.ts'], { cwd: project, env, timeoutMs: 150_000 });
    assert.equal(example.code, 0, show(example));
    assertResults(example);
  });

  it('runs the compiled quick example on another Node on PATH (e.g. the system Node 20)', {
    timeout: 180_000,
  }, async (t) => {
    const other = await otherNode();
    if (!other) return t.skip(`no node of another major than ${process.version} on PATH`);
    await server();
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const emit = [
      process.execPath,
      tsc,
      '-p',
      project,
      '--noEmit',
      'false',
      '--outDir',
      join(project, 'out'),
    ];
    const compiled = await run(emit, { cwd: project, env, timeoutMs: 110_000 });
    assert.equal(compiled.code, 0, show(compiled));
    const example = await run([other.bin, 'out/quickstart.js'], { cwd: project, env, timeoutMs: 150_000 });
    assert.equal(example.code, 0, `${other.bin} ${other.version}\n${show(example)}`);
    assertResults(example);
  });
});
