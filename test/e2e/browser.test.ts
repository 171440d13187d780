/**
 * The browser helper: the Chromium that `npm install` brings (@sparticuz/chromium) starts and renders a page even
 * where a system Chromium exists, so the fresh-machine path is checked on every machine.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { browserPreference, CHROMIUM_ARGS, findChromium } from './browser.ts';

test('JURY_TEST_BROWSER takes auto, system or bundled and nothing else', () => {
  assert.equal(browserPreference(''), 'auto');
  assert.equal(browserPreference('auto'), 'auto');
  assert.equal(browserPreference('bundled'), 'bundled');
  assert.equal(browserPreference('system'), 'system');
  assert.throws(() => browserPreference('firefox'), /expected auto, system or bundled/);
});

test('the bundled Chromium unpacks, starts with the DESIGN.md flags and renders a page', async () => {
  const found = await findChromium('bundled');
  assert.equal(found.source, 'bundled');
  assert.ok(existsSync(found.executablePath), found.executablePath);
  const again = await findChromium('bundled');
  assert.equal(again.executablePath, found.executablePath, 'unpacked once, then reused');

  const browser = await chromium.launch({
    executablePath: found.executablePath,
    args: CHROMIUM_ARGS,
    env: found.env,
    headless: true,
  });
  try {
    const page = await browser.newPage();
    await page.setContent('<button onclick="this.textContent = `clicked`">click me</button>');
    await page.click('button');
    assert.equal(await page.textContent('button'), 'clicked');
  } finally {
    await browser.close();
  }
});
