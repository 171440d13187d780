/**
 * The web app's chart wrapper (packages/web/src/charts/PlotFigure.tsx, Observable Plot) in Chromium: a compare
 * datapoint's votes drawn as bars by the page packages/web/src/charts/vote-bars.fixture.tsx, built by the web
 * app's own Vite config.
 *
 * | Step                           | Checked                                                                   |
 * |--------------------------------|---------------------------------------------------------------------------|
 * | votes A 3, B 1                 | one SVG named for screen readers, two bars, A the taller; axe-core passes |
 * | the same votes, rendered again | still one SVG (drawn anew, never twice)                                   |
 * | votes A, B, Both, Neither      | the chart drawn anew: one SVG, four bars                                  |
 * | removed                        | no SVG left behind                                                        |
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { assertAccessible } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { REPO_ROOT } from './helpers.ts';

/** The fixture as one ES module, through the web app's Vite config (React plugin and all). */
async function bundleFixture(): Promise<string> {
  const result = await build({
    configFile: join(REPO_ROOT, 'packages/web/vite.config.ts'),
    root: join(REPO_ROOT, 'packages/web'),
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      rollupOptions: { input: join(REPO_ROOT, 'packages/web/src/charts/vote-bars.fixture.tsx') },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const chunks = outputs.flatMap((o) => ('output' in o ? o.output : [])).filter((c) => c.type === 'chunk');
  assert.equal(chunks.length, 1, 'one chunk');
  return (chunks[0] as { code: string }).code;
}

describe('PlotFigure (Observable Plot) in Chromium', { timeout: 120_000 }, () => {
  let browser: BrowserContext;
  let page: Page;
  const render = (votes: Record<string, number> | null) =>
    page.evaluate((v) => (window as unknown as { renderVotes(v: unknown): void }).renderVotes(v), votes);
  const bars = () => page.locator('.plot-figure svg g[aria-label="bar"] rect');

  before(async () => {
    const code = await bundleFixture();
    browser = await launchBrowser();
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
    await page.setContent(
      '<!doctype html><html lang="en"><title>Votes</title><main id="root"></main></html>',
    );
    await page.addScriptTag({ content: code, type: 'module' });
    await page.waitForFunction(() => 'renderVotes' in window);
  });

  after(async () => {
    await browser?.close();
  });

  it('draws one bar per option, named for screen readers', async () => {
    const votes = { A: 3, B: 1 };
    await render(votes);
    await page.locator('.plot-figure svg[aria-label="Votes per option"]').waitFor();
    assert.equal(await bars().count(), 2);
    const heights = await bars().evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
    assert.ok((heights[0] ?? 0) > (heights[1] ?? 0) * 2, `A's bar is three times B's: ${heights}`);
    await assertAccessible(page, { label: 'vote bars' });
    await render({ ...votes });
    await page.waitForTimeout(100);
    assert.equal(await page.locator('.plot-figure svg').count(), 1, 'drawn anew, never twice');
  });

  it('draws the chart anew when the data change, and leaves nothing behind when removed', async () => {
    await render({ A: 2, B: 2, Both: 1, Neither: 0 });
    await page.waitForFunction(
      () => document.querySelectorAll('.plot-figure svg g[aria-label="bar"] rect').length === 4,
    );
    assert.equal(await page.locator('.plot-figure svg').count(), 1);
    await render(null);
    await page.waitForFunction(() => document.querySelectorAll('svg').length === 0);
    assert.equal(await page.locator('.plot-figure').count(), 0);
  });
});
