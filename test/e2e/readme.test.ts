// Every snippet in README.md is run: each fenced block and each command of the tour table either runs here,
// against a real `jury serve`, or is named with the test or CI step that runs it. A new snippet without a runner fails.
import assert from 'node:assert/strict';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runProcess } from '@jury/cli/testing';
import {
  freePort,
  isolatedEnv,
  JURY_BIN,
  REPO_ROOT,
  runJury,
  type ServeProcess,
  startServe,
  tempDirs,
} from './helpers.ts';

interface Block {
  lang: string;
  code: string;
  heading: string;
}

/** Fenced blocks of a Markdown text, each with the `##` heading it sits under. */
function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let heading = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('## ')) heading = line.slice(3).trim();
    const open = /^```(\w*)\s*$/.exec(line);
    if (!open) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] as string).startsWith('```'); i++) body.push(lines[i] as string);
    blocks.push({ lang: open[1] ?? '', code: body.join('\n'), heading });
  }
  return blocks;
}

/** The backticked commands in the first column of the README's tables (`npm …`). */
function tableCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const line of markdown.split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1];
    if (!first) continue;
    for (const m of first.matchAll(/`([^`]+)`/g)) if (m[1]?.startsWith('npm ')) commands.push(m[1]);
  }
  return commands;
}

/** Commands the README shows that other suites run, and where. */
const RUN_ELSEWHERE: Record<string, string> = {
  'npm install': '.ci/run (fresh copy of the repository, no ../shared, bundled Chromium)',
  'npm test': '.ci/run (main suite, then the fresh copy)',
  'npm run sdk:pack': 'test/e2e/sdk-outside-project.test.ts',
  'npm run jury -- models create --name "Local Llama" --endpoint http://127.0.0.1:8000/v1/chat/completions --model llama3 --test':
    'packages/cli/src/models/models.test.ts (the same flags, against a loopback model server)',
  'npm run jury -- eval run --model "Local Llama" --evaluation mixeval-hard --version 2024-06-01':
    'test/e2e/mixeval-dashboard.test.ts (after the models create line, against a loopback model server)',
  'npm install /path/to/jury/packages/sdk/dist/jury-sdk-0.1.0.tgz':
    "test/e2e/sdk-outside-project.test.ts (with the clone's real path)",
};

const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
const blocks = fencedBlocks(readme);
const packageJson = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

/** Runs `argv` (no shell) to completion, or until `timeoutMs` and then interrupts it (Ctrl-C). */
const run = (argv: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number) =>
  runProcess(argv, { env, cwd, timeoutMs, interrupt: true });

describe('README snippets', () => {
  const dirs = tempDirs();
  let serve: ServeProcess;
  let home: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const d = await dirs;
    home = await d.make('readme-home');
    dataDir = await d.make('readme-data');
    env = isolatedEnv(home, { JURY_DATA_DIR: dataDir });
    serve = await startServe(['--port', '0', '--data-dir', dataDir], env);
  });
  after(async () => {
    await serve?.stop();
    await (await dirs).cleanup();
  });

  it('has a runner for every fenced block', () => {
    for (const b of blocks) {
      if (b.lang === 'sh') {
        for (const line of b.code.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')))
          assert.ok(
            RUN_ELSEWHERE[line.trim()] !== undefined || shellRunners.some((r) => r.matches(line.trim())),
            `README ${b.heading}: no test runs \`${line.trim()}\``,
          );
      } else assert.equal(b.lang, 'ts', `README ${b.heading}: a \`${b.lang}\` block has no runner here`);
    }
  });

  // Shell lines run here (the others are in RUN_ELSEWHERE).
  const shellRunners = [
    {
      matches: (line: string) => line === 'npm start',
      async run() {
        // Its own home and data directory: a server started on another port moves the saved client's URL.
        const d = await dirs;
        const own = isolatedEnv(await d.make('readme-start-home'), {
          JURY_DATA_DIR: await d.make('readme-start'),
        });
        const port = await freePort();
        const res = await run(['npm', 'start', '--', '--port', String(port)], own, REPO_ROOT, 8_000);
        assert.match(res.output, new RegExp(`API\\s+http://localhost:${port}/api/v1`));
        assert.match(res.output, /Stopped\./);
      },
    },
  ];

  it('npm start serves and prints its addresses', { timeout: 60_000 }, async () => {
    const runner = shellRunners.find((r) => r.matches('npm start'));
    assert.ok(readme.includes('npm start') && runner);
    await runner.run();
  });

  it('every tour command runs', { timeout: 120_000 }, async () => {
    const commands = tableCommands(readme);
    assert.ok(commands.length >= 5, 'the tour table lists commands');
    for (const command of commands) {
      if (command.startsWith('npm run bench:')) continue; // benchmarks: checked below
      if (command === 'npm start') continue; // the test above
      const m = /^npm run jury -- (.*)$/.exec(command);
      assert.ok(m?.[1], `README tour: no runner for \`${command}\``);
      await runTourCommand(m[1]);
    }
  });

  it('every benchmark named exists', () => {
    // Benchmarks take minutes and are not tests: check that each script the README names is defined.
    const named = [...readme.matchAll(/`(?:npm run )?(bench:[\w-]+)`/g)].map((m) => m[1] as string);
    assert.ok(named.length > 0);
    for (const name of named)
      assert.ok(packageJson.scripts[name], `README names ${name}: no such npm script`);
  });

  async function runTourCommand(argsText: string) {
    const args = argsText.split(/\s+/);
    if (args[0] === 'serve') {
      const dbUrl = args.indexOf('--database-url');
      if (dbUrl >= 0 && !process.env.TEST_DATABASE_URL) return; // Postgres rows run with TEST_DATABASE_URL (CI)
      const real = args.slice(1).map((a, i, all) => {
        if (all[i - 1] === '--port') return '0';
        if (a.startsWith('postgres://')) return 'PG';
        return a;
      });
      let drop: (() => Promise<void>) | undefined;
      if (real.includes('PG')) {
        const { createPostgresDatabase } = await import('./helpers.ts');
        const pg = await createPostgresDatabase();
        drop = pg.drop;
        real[real.indexOf('PG')] = pg.url;
      }
      const d = await dirs;
      const own = isolatedEnv(await d.make('readme-serve-home'));
      const s = await startServe([...real, '--data-dir', await d.make('readme-serve')], own);
      assert.equal(await s.stop(), 0, s.output());
      await drop?.();
      return;
    }
    const withUrl = args[0] === 'simulate' ? [...args, '--url', serve.url] : args;
    if (withUrl.includes('<id>')) {
      const list = await runJury(['credentials', 'list', '--json'], env);
      assert.equal(list.code, 0, list.stderr);
      const clients = JSON.parse(list.stdout) as { id: string; revokedAt?: string | null }[];
      const id = clients.find((c) => !c.revokedAt)?.id;
      assert.ok(id, list.stdout);
      withUrl[withUrl.indexOf('<id>')] = id;
    }
    // A simulation runs until interrupted: let it work a few seconds, then Ctrl-C as a user would. Other
    // commands run to completion (a minute: `jury` alone takes seconds to start on a loaded machine).
    const res = await run(
      [process.execPath, JURY_BIN, ...withUrl],
      env,
      REPO_ROOT,
      args[0] === 'simulate' ? 4_000 : 60_000,
    );
    assert.equal(res.code, 0, `jury ${withUrl.join(' ')}:\n${res.output}`);
  }

  it('every TypeScript block runs against jury serve', { timeout: 180_000 }, async () => {
    const d = await dirs;
    const project = await d.make('readme-ts');
    await symlink(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'));
    // Blocks name the example media as the repository has them (examples/images/…).
    await symlink(join(REPO_ROOT, 'examples'), join(project, 'examples'));
    await writeFile(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    const ts = blocks.filter((b) => b.lang === 'ts');
    assert.ok(ts.length >= 1);
    const quick = ts.find((b) => b.heading === 'Quick example');
    for (const [i, b] of ts.entries()) {
      // The quick example is run from outside the repository, type-checked, by sdk-outside-project.test.ts.
      if (b === quick) continue;
      const file = join(project, `snippet-${i}.ts`);
      await mkdir(project, { recursive: true });
      await writeFile(file, b.code);
      const res = await run([process.execPath, file], { ...env, JURY_URL: serve.url }, project, 120_000);
      assert.equal(res.code, 0, `README ${b.heading}, block ${i}:\n${b.code}\n---\n${res.output}`);
    }
    // As written, the blocks also type-check with the repository's settings (users run `tsc` too).
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({ extends: join(REPO_ROOT, 'tsconfig.json'), include: ['snippet-*.ts'] }),
    );
    const tsc = await run(
      [process.execPath, join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', project],
      env,
      project,
      120_000,
    );
    assert.equal(tsc.code, 0, tsc.output);
  });
});
