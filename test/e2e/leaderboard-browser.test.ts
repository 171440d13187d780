/**
 * A leaderboard in the dashboard, in Chromium against a real server on SQLite: the owner signs in, and the page shows
 * the standings as a plot with intervals in the order the labelers' votes imply, the win/loss heat map, votes per
 * day, the compared media per prompt with their vote bars; the tag filter refits; new votes appear without a
 * reload; the benchmark page lists prompts, models and leaderboards; every view passes axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '@jury/server';
import { Labeler } from '@jury/server/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { assertAccessible } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { makePng, tempDirs } from './helpers.ts';
import { ensureWebBuilt, requester, WEB_DIST } from './web-app.ts';

const OWNER = { name: 'Olga Owner', email: 'olga@example.com', password: 'correct horse battery' };
const STRENGTH: Record<string, number> = { sharp: 3, fair: 2, blurry: 1 };
const PROMPTS = ['a lighthouse at dusk', 'a bowl of cherries'];

describe('a leaderboard in the dashboard (Chromium)', { timeout: 180_000 }, () => {
  let dirs: Awaited<ReturnType<typeof tempDirs>>;
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof requester>>['call'];
  const modelOf = new Map<string, string>(); // asset id → model

  /** Labelers vote for the stronger model of each matchup served, until `rounds` pass or nothing is served. */
  const vote = async (labelers: Labeler[], rounds: number) => {
    let votes = 0;
    for (let round = 0; round < rounds; round++)
      for (const labeler of labelers) {
        const task = await labeler.next();
        if (task.kind !== 'task') continue;
        const [x, y] = task.items as { side: string; url: string }[];
        // Blind: the items are references; the requester resolves which asset (so model) each one is.
        const assetOf = async (i?: { url: string }) =>
          i
            ? (await call<{ assetId: string }>('GET', `/api/v1/media-references/${i.url.split('/').at(-1)}`))
                .assetId
            : '';
        const sx = STRENGTH[modelOf.get(await assetOf(x)) ?? ''] ?? 0;
        const sy = STRENGTH[modelOf.get(await assetOf(y)) ?? ''] ?? 0;
        const r = await labeler.answer(task.leaseId, { choice: (sx >= sy ? x : y)?.side });
        assert.equal(r.status, 201, JSON.stringify(r.body));
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

  before(async () => {
    await ensureWebBuilt();
    dirs = await tempDirs();
    server = await startServer({
      port: 0,
      dataDir: await dirs.make('leaderboard-data'),
      webDir: WEB_DIST,
      config: { goldRate: 0 },
    });
    let upload: Awaited<ReturnType<typeof requester>>['upload'];
    ({ call, upload } = await requester(server));
    const bench = await call<{ id: string }>('POST', '/api/v1/benchmarks', {
      name: 'Photo quality',
      prompts: {
        prompts: PROMPTS,
        identifiers: ['lighthouse', 'cherries'],
        tags: [['outdoor'], [{ value: 'food', category: 'subject' }]],
      },
    });
    let seed = 1;
    for (const model of Object.keys(STRENGTH)) {
      const media = [];
      for (const prompt of PROMPTS) {
        const m = await upload(`${model}-${prompt.split(' ').at(-1)}.png`, makePng(seed++, 32));
        modelOf.set(m.assetId, model);
        media.push(m);
      }
      await call('POST', `/api/v1/benchmarks/${bench.id}/participants`, {
        name: model,
        media: { media, prompts: PROMPTS },
        submit: true,
      });
    }
    await call<{ id: string }>('POST', `/api/v1/benchmarks/${bench.id}/leaderboards`, {
      name: 'Sharpness',
      instruction: 'Which photo is sharper?',
      showPrompt: true,
      levelOfDetail: 36,
      excludedTags: ['indoor'],
    });

    const setupToken = new URL(server.setupUrl ?? assert.fail('a setup link')).searchParams.get('token');
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ token: setupToken, ...OWNER }),
    });
    assert.equal(setup.status, 201);
    const cookie = /jury_session=([^;]+)/.exec(setup.headers.get('set-cookie') ?? '')?.[1] as string;
    browser = await launchBrowser({ viewport: { width: 1200, height: 900 } });
    await browser.addCookies([{ name: 'jury_session', value: cookie, url: server.url }]);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(20_000);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await dirs?.cleanup();
  });

  it('shows the standings, heat map, votes per day and compared media, and follows new votes', async () => {
    const labelers = await Promise.all(Array.from({ length: 6 }, () => new Labeler(server.url).start()));
    const first = await vote(labelers, 3);
    assert.ok(first >= 12, `votes before the page opens: ${first}`);

    await page.goto(`${server.url}/benchmarks`);
    await page.getByRole('heading', { level: 1, name: 'Benchmarks' }).waitFor();
    await page.getByRole('link', { name: 'Photo quality' }).click();
    await page.getByRole('heading', { level: 1, name: 'Photo quality' }).waitFor();
    for (const name of [...Object.keys(STRENGTH), 'lighthouse', 'cherries'])
      await page.getByRole('cell', { name, exact: true }).first().waitFor();
    await page.getByRole('cell', { name: 'subject: food', exact: true }).waitFor();
    await check('benchmark page');
    await page.getByRole('link', { name: 'Sharpness' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sharpness' }).waitFor();
    assert.equal(
      await page.getByTestId('leaderboard-settings').textContent(),
      'level of detail 36 responses per run · 1 response per matchup · every vote counts · never prompts tagged indoor',
    );
    await page.locator('#standings-tag-options option[label="subject: food"]').waitFor({ state: 'attached' });

    const total = async () => Number(await page.getByTestId('total-votes').textContent());
    await page.getByTestId('total-votes').waitFor();
    assert.equal(await total(), first);
    await page.locator('.standings-plot svg').waitFor();
    const order = await page.locator('table tbody tr th[scope=row]').allTextContents();
    assert.deepEqual(order, ['sharp', 'fair', 'blurry'], 'the order the votes imply');
    assert.equal(await page.locator('.standings-plot svg circle').count(), 3, 'a dot per model');
    await page.locator('.win-loss svg rect').first().waitFor();
    await page.getByRole('heading', { name: 'Votes per day' }).waitFor();
    const cards = page.locator('article.matchup');
    await cards.first().waitFor();
    const firstCard = cards.first();
    assert.equal(await firstCard.locator('img.media').count(), 2, 'both models’ media');
    for (const img of await firstCard.locator('img.media').all())
      assert.ok(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0));
    await firstCard.locator('.vote-bar svg').waitFor();
    await check('leaderboard page');

    // New votes arrive while the page is open: the count rises without a reload
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const more = await vote(labelers, 2);
    assert.ok(more > 0);
    await page.waitForFunction(
      (expected) => Number(document.querySelector('[data-testid=total-votes]')?.textContent) === expected,
      first + more,
    );
    assert.equal(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
      true,
    );

    // Only the prompts tagged outdoor: a refit on fewer votes
    await page.getByLabel('Only prompts tagged (comma-separated)').fill('outdoor');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('votes on prompts tagged outdoor').waitFor();
    const outdoor = await total();
    assert.ok(outdoor > 0 && outdoor < first + more, `outdoor votes ${outdoor} of ${first + more}`);

    // The compared media of one prompt
    await page.getByLabel('Prompt', { exact: true }).selectOption({ label: 'cherries: a bowl of cherries' });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('article.matchup .context')].every(
        (p) => p.textContent === 'a bowl of cherries',
      ),
    );
    assert.ok((await cards.count()) > 0);
    await check('leaderboard page, one prompt');

    // The signed-out page a reset link opens (jury users reset-password) passes axe too, with and without a token
    await page.goto(`${server.url}/reset-password?token=jul_example`);
    await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
    await page.getByLabel(/^New password/).waitFor();
    await check('reset-password page');
    await page.goto(`${server.url}/reset-password`);
    await page.getByRole('alert').waitFor();
    await check('reset-password page without a token');
  });
});
