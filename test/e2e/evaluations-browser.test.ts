/**
 * Models' scores and evaluation runs in the dashboard, in Chromium against a real server on SQLite and loopback
 * OpenAI-compatible model servers: the models list with aggregate and latest scores, sorted by score; a model's
 * page with its score over time (the three evaluations with the most runs by default, others chosen); the runs
 * list filtered by model, evaluation, status and date; a run's page with progress, score per split, cost, failed
 * and skipped items and per-item results a page at a time, scored again; a running run followed live, another
 * cancelled. Every view passes axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '@jury/server';
import { type ModelServer, startModelServer } from '@jury/server/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { assertAccessible } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { tempDirs } from './helpers.ts';
import { ensureWebBuilt, requester, WEB_DIST } from './web-app.ts';

// 30 free-form items answered right (even) or wrong (odd), 2 multiple-choice ones right, one answered with a
// malformed body (failed after its retries), one too long for the context window (skipped).
const ITEMS = [
  ...Array.from({ length: 30 }, (_, i) => ({
    split: 'free-form',
    question: `[q${i}] What is ${i} plus one?`,
    answers: [String(i + 1)],
  })),
  { split: 'multiple-choice', question: '[m1] Pick a', options: ['a', 'b'], correctOption: 0 },
  { split: 'multiple-choice', question: '[m2] Pick b', options: ['a', 'b'], correctOption: 1 },
  { split: 'free-form', question: '[bad] Anything?', answers: ['x'] },
  { split: 'free-form', question: `[long] ${'A very long question. '.repeat(40)}`, answers: ['x'] },
];
const answer = (prompt: string) => {
  const tag = /\[(\w+)\]/.exec(prompt)?.[1] ?? '';
  if (tag === 'm1') return 'A';
  if (tag === 'm2') return 'B';
  const i = Number(tag.slice(1));
  return i % 2 === 0 ? String(i + 1) : 'no idea';
};

interface Run {
  id: string;
  status: string;
  score: number | null;
}

describe('model scores and evaluation runs in the dashboard (Chromium)', { timeout: 240_000 }, () => {
  let dirs: Awaited<ReturnType<typeof tempDirs>>;
  let server: RunningServer;
  let fast: ModelServer;
  let slow: ModelServer;
  let weak: ModelServer;
  let browser: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof requester>>['call'];
  let strong = '';
  let quizRun: Run;

  const check = async (label: string) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await assertAccessible(page, { label: `${label} (${colorScheme})` });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();
  async function runToEnd(body: Record<string, unknown>): Promise<Run> {
    let run = await call<Run>('POST', '/api/v1/evaluation-runs', { version: 'v1', ...body });
    for (let i = 0; i < 300 && ['queued', 'running'].includes(run.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = await call<Run>('GET', `/api/v1/evaluation-runs/${run.id}`);
    }
    assert.equal(run.status, 'completed', JSON.stringify(run));
    return run;
  }

  before(async () => {
    await ensureWebBuilt();
    dirs = await tempDirs();
    fast = await startModelServer({
      answer,
      fault: (_, prompt) => (prompt.includes('[bad]') ? 'malformed' : undefined),
    });
    slow = await startModelServer({ answer, latencyMs: 1200 });
    // Plain's server: only m1 right.
    weak = await startModelServer({ answer: (p) => (p.includes('[m1]') ? 'A' : 'no idea') });
    server = await startServer({ port: 0, dataDir: await dirs.make('eval-ui-data'), webDir: WEB_DIST });
    ({ call } = await requester(server));
    const setupToken = new URL(server.setupUrl ?? assert.fail('a setup link')).searchParams.get('token');
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({
        token: setupToken,
        name: 'Eve',
        email: 'eve@example.com',
        password: 'correct horse battery',
      }),
    });
    assert.equal(setup.status, 201);
    const cookie = /jury_session=([^;]+)/.exec(setup.headers.get('set-cookie') ?? '')?.[1] as string;

    const preset = (url: string) => ({ preset: 'openai-chat', url, model: 'fixture' });
    strong = (
      await call<{ id: string }>('POST', '/api/v1/models', {
        name: 'Strong',
        endpoint: preset(fast.chatUrl),
        limits: { contextWindowTokens: 100 },
        costs: { perThousandInputTokens: 2, perThousandOutputTokens: 4 },
      })
    ).id;
    const plain = (
      await call<{ id: string }>('POST', '/api/v1/models', { name: 'Plain', endpoint: preset(weak.chatUrl) })
    ).id;
    await call('POST', '/api/v1/models', { name: 'Slow', endpoint: preset(slow.chatUrl) });
    await call('POST', '/api/v1/evaluations', {
      name: 'quiz',
      trusted: true,
      import: { version: 'v1', items: ITEMS },
    });
    // Four more evaluations: two runs on alpha and beta, one on gamma and delta.
    const small = ITEMS.slice(0, 4);
    for (const name of ['alpha', 'beta', 'gamma', 'delta'])
      await call('POST', '/api/v1/evaluations', { name, import: { version: 'v1', items: small } });
    quizRun = await runToEnd({ model: strong, evaluation: 'quiz' });
    // Plain: one item of 34 right, a lower score than Strong's.
    await runToEnd({ model: plain, evaluation: 'quiz', cache: false });
    for (const name of ['alpha', 'beta', 'alpha', 'beta', 'gamma', 'delta'])
      await runToEnd({ model: strong, evaluation: name, cache: false });

    browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    await browser.addCookies([{ name: 'jury_session', value: cookie, url: server.url }]);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(20_000);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await Promise.all([fast?.close(), slow?.close(), weak?.close()]);
    await dirs?.cleanup();
  });

  it('lists the models with their scores, best first, and sorts by score', async () => {
    await page.goto(`${server.url}/models`);
    await heading('Models');
    assert.equal(await page.locator('.model-card').first().textContent(), '+ Add model');
    const names = () => page.locator('.model-card h2').allTextContents();
    await page.locator('.model-card h2').nth(2).waitFor();
    // Strong is quiz's best (100 after rescaling); Plain below; Slow has no score, last.
    assert.deepEqual(await names(), ['Strong', 'Plain', 'Slow']);
    const strongCard = page.locator('.model-card', { hasText: 'Strong' });
    assert.match((await strongCard.locator('.score-value').textContent()) ?? '', /^100\.0$/);
    const latest = await strongCard.getByRole('list', { name: 'Latest score per evaluation' }).textContent();
    assert.match(latest ?? '', /quiz v1: 50\.0/);
    assert.match(latest ?? '', /alpha v1: 50\.0 \(does not count\)/);
    assert.equal(
      await page.locator('.model-card', { hasText: 'Slow' }).locator('.score-value').textContent(),
      '—',
    );
    await check('models list with scores');
    await page.getByLabel('Sort by').selectOption('score');
    await page.waitForFunction(() => document.querySelector('.model-card h2')?.textContent === 'Plain');
    assert.deepEqual(await names(), ['Plain', 'Strong', 'Slow'], 'no score stays last');
    await page.getByLabel('Sort by').selectOption('name');
    await page.waitForFunction(() => document.querySelectorAll('.model-card h2')[1]?.textContent === 'Slow');
    assert.deepEqual(await names(), ['Plain', 'Slow', 'Strong']);
  });

  it("shows a model's scores over time: the three evaluations with the most runs, others chosen", async () => {
    await page.goto(`${server.url}/models/${strong}`);
    await heading('Strong');
    const scores = page.getByRole('region', { name: 'Scores' });
    assert.match(
      (await scores.getByTestId('model-aggregate').textContent()) ?? '',
      /^100\.0 aggregate score/,
    );
    const boxes = scores.getByRole('group', { name: 'Evaluations in the chart' }).getByRole('checkbox');
    assert.equal(await boxes.count(), 5);
    const checked = await boxes.evaluateAll((els) =>
      els.map((e) => `${(e as HTMLInputElement).checked}:${e.parentElement?.textContent}`),
    );
    // alpha and beta (two runs each) first, then the most recently run of the one-run evaluations (delta).
    assert.deepEqual(checked, [
      'true:beta v1 (2 runs)',
      'true:alpha v1 (2 runs)',
      'true:delta v1 (1 run)',
      'false:gamma v1 (1 run)',
      'false:quiz v1 (1 run)',
    ]);
    const chart = scores.locator('.model-score-chart svg[aria-label]');
    assert.equal(
      await chart.getAttribute('aria-label'),
      'Score over time: 5 runs on beta v1, alpha v1, delta v1',
    );
    assert.equal(await scores.locator('.model-score-chart svg g[aria-label="dot"] circle').count(), 5);
    await check('model page with its score chart');
    await scores.getByRole('checkbox', { name: 'quiz v1 (1 run)' }).check();
    await scores.getByRole('checkbox', { name: 'beta v1 (2 runs)' }).uncheck();
    await page.waitForFunction(() =>
      document
        .querySelector('.model-score-chart svg[aria-label]')
        ?.getAttribute('aria-label')
        ?.includes('quiz'),
    );
    assert.equal(
      await chart.getAttribute('aria-label'),
      'Score over time: 4 runs on alpha v1, delta v1, quiz v1',
    );
    // The history table: every run, newest first, each a link to its run.
    const rows = scores.locator('table.score-history tbody tr');
    assert.equal(await rows.count(), 7);
    await scores.getByRole('link', { name: 'All runs of this model' }).click();
    await heading('Evaluation runs');
    assert.equal(await page.getByLabel('Model').inputValue(), strong);
    await page.locator('.runs-table tbody tr').nth(6).waitFor();
    assert.equal(await page.locator('.runs-table tbody tr').count(), 7);
  });

  it('filters the runs by model, evaluation, status and date', async () => {
    await page.goto(`${server.url}/evaluation-runs`);
    await heading('Evaluation runs');
    const rows = page.locator('.runs-table tbody tr');
    await rows.nth(7).waitFor();
    assert.equal(await rows.count(), 8);
    await check('runs list');
    await page.getByLabel('Evaluation').selectOption({ label: 'quiz' });
    await page.waitForFunction(() => document.querySelectorAll('.runs-table tbody tr').length === 2);
    await page.getByLabel('Model').selectOption({ label: 'Plain' });
    await page.waitForFunction(() => document.querySelectorAll('.runs-table tbody tr').length === 1);
    assert.match((await rows.first().textContent()) ?? '', /quiz v1.*Plain.*completed/);
    await page.getByLabel('Status').selectOption('failed');
    await page.getByText('No run matches.').waitFor();
    await page.getByLabel('Status').selectOption('completed');
    await page.waitForFunction(() => document.querySelectorAll('.runs-table tbody tr').length === 1);
    await page.getByLabel('Created until').fill('2000-01-01');
    await page.getByText('No run matches.').waitFor();
    await page.getByLabel('Created until').fill('');
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    await page.getByLabel('Created from').fill(day);
    await page.waitForFunction(() => document.querySelectorAll('.runs-table tbody tr').length === 1);
  });

  it("shows a run's progress, score per split, cost, failed and skipped items, and its items a page at a time", async () => {
    await page.goto(`${server.url}/evaluation-runs/${quizRun.id}`);
    await heading(/quiz v1/);
    assert.equal(
      await page.getByTestId('run-progress').textContent(),
      '34 of 34 items finished: 32 answered (0 from the cache), 1 failed, 1 skipped',
    );
    // 15 of 30 free-form right plus 2 of 2 multiple-choice, of 34 items (failed and skipped count 0).
    assert.equal(await page.getByTestId('run-score').textContent(), (1700 / 34).toFixed(1));
    const stats = (await page.locator('.run-stats').textContent()) ?? '';
    assert.match(stats, /multiple-choice100\.0 \(2 items\)/);
    assert.match(stats, /free-form46\.9 \(32 items\)/);
    assert.match((await page.getByTestId('run-cost').textContent()) ?? '', /^\$\d+\.\d+$/);
    await check('run page');
    // Score again with the rules: the same score, a new scoredAt.
    const scoredAt = (await call<{ scoredAt: string }>('GET', `/api/v1/evaluation-runs/${quizRun.id}`))
      .scoredAt;
    await page.getByLabel('Grade the stored answers again with').selectOption('rules');
    await page.getByRole('button', { name: 'Score again' }).click();
    for (let i = 0; i < 100; i++) {
      const now = await call<{ scoredAt: string; score: number }>(
        'GET',
        `/api/v1/evaluation-runs/${quizRun.id}`,
      );
      if (now.scoredAt !== scoredAt) {
        assert.equal(now.score.toFixed(1), (1700 / 34).toFixed(1));
        break;
      }
      assert.ok(i < 99, 'scored again');
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.getByRole('button', { name: 'Score again' }).waitFor();
    assert.equal(await page.getByTestId('run-score').textContent(), (1700 / 34).toFixed(1));

    const items = page.getByRole('region', { name: 'Items' });
    const rows = items.locator('table.run-items tbody tr');
    assert.equal(await rows.count(), 25);
    const first = rows.first();
    assert.match((await first.textContent()) ?? '', /answered/);
    await first.getByText('Prompt sent').click();
    assert.match((await first.locator('pre').first().textContent()) ?? '', /\[q0\] What is 0 plus one\?/);
    await first.getByText('Raw response').click();
    assert.match((await first.locator('pre').nth(1).textContent()) ?? '', /"content":"1"/);
    assert.match((await first.textContent()) ?? '', /1 \([^)]*, rules\)/);
    assert.match((await first.textContent()) ?? '', /\d+ ms/);
    await check('run page with an item open');
    await items.getByRole('button', { name: 'Next' }).click();
    await items.getByText('Page 2 of 2').waitFor();
    // The page number changes at the click, the rows when the page has loaded.
    await page.waitForFunction(() => document.querySelectorAll('table.run-items tbody tr').length === 9);
    await items.getByLabel('Result').selectOption('failed');
    await page.waitForFunction(() => document.querySelectorAll('table.run-items tbody tr').length === 1);
    assert.match((await rows.first().textContent()) ?? '', /failed.*4 attempts.*malformed/);
    await items.getByLabel('Result').selectOption('skipped');
    await page.waitForFunction(() =>
      document.querySelector('table.run-items tbody tr')?.textContent?.includes('context window'),
    );
    assert.match(
      (await rows.first().textContent()) ?? '',
      /skipped.*the prompt is about \d+ tokens, the context window 100/,
    );
    await items.getByLabel('Split').selectOption('multiple-choice');
    await items.getByText('No item matches.').waitFor();
  });

  it('follows a running run live until it completes', async () => {
    const [slowModel] = await call<{ id: string }[]>('GET', '/api/v1/models?name=Slow');
    const run = await call<Run>('POST', '/api/v1/evaluation-runs', {
      model: slowModel!.id,
      evaluation: 'quiz',
      version: 'v1',
    });
    await page.goto(`${server.url}/evaluation-runs/${run.id}`);
    await heading(/quiz v1/);
    await page.getByText('updating live').waitFor();
    const progress = page.getByTestId('run-progress');
    const before = await progress.textContent();
    assert.doesNotMatch(before ?? '', /^34 of 34/);
    await check('a running run');
    // 34 items at 1.2 s, 8 at once: about 6 s; the page polls every 3 s.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="run-progress"]')?.textContent?.startsWith('34 of 34'),
      undefined,
      { timeout: 60_000 },
    );
    await page.locator('.badge.status-completed').waitFor();
    assert.equal(await page.getByText('updating live').count(), 0);
    assert.notEqual(await page.getByTestId('run-score').textContent(), '—');

    // Another one, cancelled from its page: what was stored is kept, nothing more is asked.
    const next = await call<Run>('POST', '/api/v1/evaluation-runs', {
      model: slowModel!.id,
      evaluation: 'quiz',
      version: 'v1',
      cache: false,
    });
    await page.goto(`${server.url}/evaluation-runs/${next.id}`);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.badge.status-cancelled').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Cancel run' }).count(), 0);
    assert.equal((await call<Run>('GET', `/api/v1/evaluation-runs/${next.id}`)).status, 'cancelled');
  });
});
