/**
 * Ranking flows and ranking jobs in the dashboard, in Chromium against a real server on SQLite: the rankings list,
 * a flow's items, a flow item's ranking as a plot with each item best first (the order its votes imply) and its
 * win/loss heat map, a ranking job's lists; new votes show without a reload; every view passes axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '@jury/server';
import { Labeler } from '@jury/server/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { assertAccessible } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { tempDirs } from './helpers.ts';
import { ensureWebBuilt, requester, WEB_DIST } from './web-app.ts';

const STRENGTH: Record<string, number> = {
  crisp: 4,
  clear: 3,
  murky: 2,
  muddled: 1,
  alpha: 3,
  beta: 2,
  gamma: 1,
};

describe('rankings in the dashboard (Chromium)', { timeout: 180_000 }, () => {
  let dirs: Awaited<ReturnType<typeof tempDirs>>;
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof requester>>['call'];
  let labelers: Labeler[];

  /** Labelers pick the stronger text of each served pair, for `rounds` rounds. */
  const vote = async (rounds: number) => {
    let votes = 0;
    for (let round = 0; round < rounds; round++)
      for (const labeler of labelers) {
        const task = await labeler.next();
        if (task.kind !== 'task') continue;
        const [x, y] = task.items as { side: string; text: string }[];
        const pick = (STRENGTH[x?.text ?? ''] ?? 0) >= (STRENGTH[y?.text ?? ''] ?? 0) ? x : y;
        assert.equal((await labeler.answer(task.leaseId, { choice: pick?.side })).status, 201);
        votes++;
      }
    return votes;
  };
  const check = async (label: string) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await assertAccessible(page, { label: `${label} (${colorScheme})` });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

  before(async () => {
    await ensureWebBuilt();
    dirs = await tempDirs();
    server = await startServer({ port: 0, dataDir: await dirs.make('rankings-data'), webDir: WEB_DIST });
    ({ call } = await requester(server));
    const setupToken = new URL(server.setupUrl ?? assert.fail('a setup link')).searchParams.get('token');
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({
        token: setupToken,
        name: 'Olga',
        email: 'olga@example.com',
        password: 'correct horse battery',
      }),
    });
    assert.equal(setup.status, 201);
    const cookie = /jury_session=([^;]+)/.exec(setup.headers.get('set-cookie') ?? '')?.[1] as string;
    browser = await launchBrowser({ viewport: { width: 1200, height: 900 } });
    await browser.addCookies([{ name: 'jury_session', value: cookie, url: server.url }]);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(20_000);
    labelers = await Promise.all(Array.from({ length: 6 }, () => new Labeler(server.url).start()));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await dirs?.cleanup();
  });

  it('shows a flow item ranked as its votes imply, live, and a ranking job’s lists', async () => {
    const flow = await call<{ id: string }>('POST', '/api/v1/flows', {
      name: 'Clarity',
      instruction: 'Which word sounds clearer?',
      maxResponseThreshold: 40,
      minResponseThreshold: 5,
    });
    const item = await call<{ id: string }>('POST', `/api/v1/flows/${flow.id}/items`, {
      dataType: 'text',
      datapoints: ['crisp', 'clear', 'murky', 'muddled'].map((text) => ({ text })),
      context: 'Four words',
    });
    const first = await vote(3);
    assert.ok(first >= 12, `votes: ${first}`);

    await page.goto(`${server.url}/rankings`);
    await heading('Rankings');
    await check('rankings list');
    await page.getByRole('link', { name: 'Clarity' }).click();
    await heading('Clarity');
    await page.getByRole('link', { name: 'Four words' }).click();
    await heading('Flow item');
    await page.locator('.standings-plot svg').waitFor();
    const ranked = await page.locator('.ranked-item strong').allTextContents();
    assert.deepEqual(ranked, ['1. crisp', '2. clear', '3. murky', '4. muddled']);
    await page.locator('.win-loss svg rect').first().waitFor();
    await check('flow item');
    const responses = async () => Number(await page.getByTestId('flow-item-responses').textContent());
    assert.equal(await responses(), first);
    const more = await vote(2);
    assert.ok(more > 0);
    await page.waitForFunction(
      (expected) =>
        Number(document.querySelector('[data-testid=flow-item-responses]')?.textContent) === expected,
      first + more,
    );
    assert.ok(item.id);

    const definition = await call<{ id: string }>('POST', '/api/v1/ranking-job-definitions', {
      name: 'Letters',
      instruction: 'Which name sounds nicer?',
      dataType: 'text',
      datapoints: [['alpha', 'beta', 'gamma'].map((text) => ({ text }))],
      comparisonBudgetPerRanking: 9,
      responsesPerComparison: 1,
    });
    const job = await call<{ id: string }>('POST', '/api/v1/ranking-jobs', {
      definitionId: definition.id,
      audienceId: 'global',
    });
    await vote(4);
    await page.goto(`${server.url}/ranking-jobs/${job.id}`);
    await heading('Letters');
    await page.getByRole('heading', { name: 'List 1' }).waitFor();
    await page.locator('.standings-plot svg').waitFor();
    assert.equal(await page.locator('.ranked-item strong').first().textContent(), '1. alpha');
    await check('ranking job');
  });
});
