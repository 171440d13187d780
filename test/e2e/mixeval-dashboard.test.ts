// The "done when", as the README's "Rank a model on MixEval-Hard" tells a new user: `jury serve` as a
// process, a loopback OpenAI-compatible model server answering MixEval-Hard 2024-06-01 from a fixture, the README's
// two commands run as written (the endpoint URL swapped for the loopback server's), the score printed as the fixture
// implies; then the dashboard in Chromium: the model's card with its aggregate and latest score, its page with the
// score history (two runs: the second with --no-cache) and chart, and a run's page.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { JuryClient, readCredentials } from '@jury/sdk';
import { itemPrompt } from '@jury/server';
import { startModelServer } from '@jury/server/testing';
import { launchBrowser } from './browser.ts';
import { isolatedEnv, REPO_ROOT, runJury, startServe, tempDirs } from './helpers.ts';
import { ensureWebBuilt } from './web-app.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const README_URL = 'http://127.0.0.1:8000/v1/chat/completions';

const dirs = await tempDirs();
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await dirs.cleanup();
});

/** The README section's shell lines, split as a shell would (double-quoted words kept whole). */
async function readmeCommands(): Promise<string[][]> {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Rank a model on MixEval-Hard'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? assert.fail('the section has a sh block');
  return block
    .trim()
    .split('\n')
    .map((line) => {
      const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      assert.deepEqual(words.slice(0, 3), ['npm', 'run', 'jury'], line);
      assert.equal(words[3], '--', line);
      return words.slice(4);
    });
}

test('the README: register a model with one command, run MixEval-Hard, see the score and its history in the dashboard', {
  timeout: 240_000,
}, async () => {
  await ensureWebBuilt();
  const home = await dirs.make('mixeval-home');
  const env = isolatedEnv(home);
  const serve = await startServe(['--port', '0', '--data-dir', await dirs.make('mixeval-data')], env);
  cleanups.push(() => serve.stop());
  const cli = { ...env, JURY_URL: serve.url };

  // The fixture: the right letter for every third multiple-choice item, the accepted answer for every other
  // free-form one. Items are read over HTTP as any client would.
  const { clients } = await readCredentials(join(home, '.config', 'jury', 'credentials.json'));
  const client = new JuryClient({
    clientId: clients[0]!.clientId,
    clientSecret: clients[0]!.clientSecret,
    url: serve.url,
  });
  const { data: items } = await client.evaluations.items('mixeval-hard', '2024-06-01', { amount: 1000 });
  assert.equal(items.length, 1000);
  const answers = new Map<string, string>();
  let mc = 0;
  let ff = 0;
  let right = 0;
  for (const item of items) {
    const prompt = itemPrompt(item);
    if (answers.has(prompt)) {
      // MixEval-Hard repeats a few prompts: the one answer they get decides each.
      continue;
    }
    if (item.split === 'multiple-choice') {
      const ok = mc++ % 3 === 0;
      answers.set(prompt, LETTERS[ok ? item.correctOption : (item.correctOption + 1) % item.options.length]!);
    } else {
      const ok = ff++ % 2 === 0;
      answers.set(prompt, ok ? item.answers[0]! : 'zzqx');
    }
  }
  const models = await startModelServer({ answers });
  cleanups.push(() => models.close());

  const [create, run] = await readmeCommands();
  assert.deepEqual(create?.slice(0, 2), ['models', 'create']);
  assert.deepEqual(run?.slice(0, 2), ['eval', 'run']);
  const created = await runJury(
    create!.map((w) => (w === README_URL ? models.chatUrl : w)),
    cli,
    { timeoutMs: 60_000 },
  );
  assert.equal(created.code, 0, created.output);
  const first = await runJury(run!, cli, { timeoutMs: 180_000 });
  assert.equal(first.code, 0, first.output);
  assert.match(first.stdout, /completed/);
  const score = Number(/Score\s+(\d+\.\d+)/.exec(first.stdout)?.[1]);
  // The exact score: what the rules give the fixture's answers (a right multiple-choice letter is 1, a wrong one 0;
  // an accepted free-form answer 1, nonsense 0), over the 1,000 items.
  for (const item of items) {
    const answer = answers.get(itemPrompt(item))!;
    if (item.split === 'multiple-choice') right += answer === LETTERS[item.correctOption] ? 1 : 0;
    else right += item.answers.includes(answer) ? 1 : 0;
  }
  assert.equal(score.toFixed(2), ((100 * right) / items.length).toFixed(2), first.stdout);
  assert.match(first.stdout, /multiple-choice\s+\d+\.\d+ over 500 items/);
  const asked = models.requests.length;
  // A week later: asked again (the endpoint's configuration is the same, so --no-cache).
  const second = await runJury([...run!, '--no-cache'], cli, { timeoutMs: 180_000 });
  assert.equal(second.code, 0, second.output);
  assert.ok(models.requests.length > asked, 'asked again, not from the cache');

  // The dashboard: set up the owner with the link jury serve printed, then look.
  const setupUrl = /Set up the owner: (\S+)/.exec(serve.output())?.[1] ?? assert.fail(serve.output());
  const setupToken = new URL(setupUrl).searchParams.get('token');
  const setup = await fetch(`${serve.url}/api/v1/setup`, {
    method: 'POST',
    headers: { origin: serve.url, 'content-type': 'application/json' },
    body: JSON.stringify({
      token: setupToken,
      name: 'New user',
      email: 'new@example.com',
      password: 'correct horse battery',
    }),
  });
  assert.equal(setup.status, 201);
  const cookie = /jury_session=([^;]+)/.exec(setup.headers.get('set-cookie') ?? '')?.[1] as string;
  const browser = await launchBrowser({ viewport: { width: 1200, height: 900 } });
  cleanups.push(() => browser.close());
  await browser.addCookies([{ name: 'jury_session', value: cookie, url: serve.url }]);
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(20_000);
  await page.goto(`${serve.url}/models`);
  const card = page.locator('.model-card', { hasText: 'Local Llama' });
  await card.locator('.score-value').waitFor();
  // The only model on MixEval-Hard is its best: 100 after rescaling.
  assert.equal(await card.locator('.score-value').textContent(), '100.0');
  assert.match(
    (await card.getByRole('list', { name: 'Latest score per evaluation' }).textContent()) ?? '',
    new RegExp(`mixeval-hard 2024-06-01: ${score.toFixed(1).replace('.', '\\.')}`),
  );
  await card.getByRole('link', { name: 'Local Llama' }).click();
  const scores = page.getByRole('region', { name: 'Scores' });
  await scores.locator('table.score-history tbody tr').nth(1).waitFor();
  assert.equal(await scores.locator('table.score-history tbody tr').count(), 2);
  assert.equal(
    await scores.locator('.model-score-chart svg[aria-label]').getAttribute('aria-label'),
    'Score over time: 2 runs on mixeval-hard 2024-06-01',
  );
  await scores.locator('table.score-history tbody tr').first().getByRole('link').click();
  await page.getByTestId('run-progress').waitFor();
  assert.match(
    (await page.getByTestId('run-progress').textContent()) ?? '',
    /^1,000 of 1,000 items finished: 1,000 answered/,
  );
  assert.equal(await page.getByTestId('run-score').textContent(), score.toFixed(1));
});
