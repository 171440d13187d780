/**
 * Models in the dashboard, in Chromium against a real server on SQLite and a loopback OpenAI-compatible model
 * server: the list ("Add model" first, sorted, filtered, other organizations' public models), the add form with
 * the openai-chat preset and its test before saving, a model's page with masked headers, the live endpoint test (with unsaved edits too),
 * endpoint and details edits, another organization's model without its endpoint; every view passes axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, type RunningServer, startServer, systemClock } from '@jury/server';
import { type ModelServer, startModelServer } from '@jury/server/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { assertAccessible } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { tempDirs } from './helpers.ts';
import { ensureWebBuilt, requester, WEB_DIST } from './web-app.ts';

const API_KEY = 'sk-browser-0123456789abcdefghijWXYZ';

describe('models in the dashboard (Chromium)', { timeout: 180_000 }, () => {
  let dirs: Awaited<ReturnType<typeof tempDirs>>;
  let server: RunningServer;
  let models: ModelServer;
  let browser: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof requester>>['call'];

  const check = async (label: string) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await assertAccessible(page, { label: `${label} (${colorScheme})` });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();
  const cardNames = () => page.locator('.model-card h2').allTextContents();

  before(async () => {
    await ensureWebBuilt();
    dirs = await tempDirs();
    models = await startModelServer({ answers: { 'Capital of France?': 'Paris' } });
    server = await startServer({ port: 0, dataDir: await dirs.make('models-data'), webDir: WEB_DIST });
    ({ call } = await requester(server));
    const setupToken = new URL(server.setupUrl ?? assert.fail('a setup link')).searchParams.get('token');
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({
        token: setupToken,
        name: 'Mo',
        email: 'mo@example.com',
        password: 'correct horse battery',
      }),
    });
    assert.equal(setup.status, 201);
    const cookie = /jury_session=([^;]+)/.exec(setup.headers.get('set-cookie') ?? '')?.[1] as string;
    // Another organization's public model, and a second model of ours.
    const deps = { db: server.database.db, clock: systemClock };
    const org = await auth.createOrganization(deps, 'Other lab');
    const other = await auth.createApiClient(deps, { organizationId: org.id, displayName: 'other' });
    const token = await fetch(`${server.url}/connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: other.client.id,
        client_secret: other.secret,
      }),
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    const made = await fetch(`${server.url}/api/v1/models`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Zephyr public',
        visibility: 'public',
        publisher: 'Other lab',
        endpoint: { preset: 'openai-chat', url: models.chatUrl, model: 'z' },
      }),
    });
    assert.equal(made.status, 201);
    await call('POST', '/api/v1/models', {
      name: 'Baseline',
      parameterCount: 1e9,
      endpoint: { url: `${models.url}/v1/text`, bodyTemplate: '{"prompt": "%PROMPT%"}', responsePath: [] },
    });
    browser = await launchBrowser({ viewport: { width: 1200, height: 900 } });
    await browser.addCookies([{ name: 'jury_session', value: cookie, url: server.url }]);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(20_000);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await models?.close();
    await dirs?.cleanup();
  });

  it('adds a model with the preset, tests it live, edits its endpoint and details', async () => {
    await page.goto(`${server.url}/models`);
    await heading('Models');
    assert.equal(await page.locator('.model-card').first().textContent(), '+ Add model');
    assert.deepEqual(await cardNames(), ['Baseline', 'Zephyr public']);
    await check('models list');

    await page.getByRole('link', { name: 'Add model' }).click();
    await heading('Add a model');
    await page.getByLabel('Name', { exact: true }).fill('Local Llama');
    await page.getByLabel('Publisher').fill('Meta');
    await page.getByLabel('Parameters').fill('8000000000');
    await page.getByLabel('Endpoint URL').fill(models.chatUrl);
    await page.getByLabel('Model name on the server').fill('llama3');
    await page.getByLabel('API key (optional)').fill(API_KEY);
    await page.getByLabel('Requests per minute').fill('120');
    // The wizard's step 4 before anything is saved.
    await page.getByLabel('Prompt').fill('Capital of France?');
    await page.getByRole('button', { name: 'Send test request' }).click();
    await page.locator('.test-answer').waitFor();
    assert.equal(await page.locator('.test-answer').textContent(), 'Paris');
    await check('add model form with a test');
    await page.getByRole('button', { name: 'Add model' }).click();
    await heading('Local Llama');
    const endpoint = page.getByRole('region', { name: 'Endpoint' });
    await endpoint.getByText('Authorization: Bearer sk-…WXYZ').waitFor();
    assert.ok(!(await page.content()).includes(API_KEY), 'the key never reaches the page');
    assert.match((await page.locator('.model-stats').textContent()) ?? '', /Requests per minute120/);

    await page.getByLabel('Prompt').fill('Capital of France?');
    await page.getByRole('button', { name: 'Send test request' }).click();
    await page.locator('.test-answer').waitFor();
    assert.equal(await page.locator('.test-answer').textContent(), 'Paris');
    assert.match((await page.locator('.test-raw').textContent()) ?? '', /"content":"Paris"/);
    assert.equal(models.requests.at(-1)!.headers.authorization, `Bearer ${API_KEY}`);
    await check('model page with a test');

    // The wizard's step 5: a wrong path tried before saving says which step failed.
    await page.getByRole('button', { name: 'Edit endpoint' }).click();
    await page.getByLabel('Response path (JSON list)').fill('["json", "choices", 0, "text"]');
    await page.getByRole('button', { name: 'Send test request (unsaved edits)' }).click();
    await page.getByText(/Step 3 \("text"\) not found/).waitFor();
    await check('endpoint editor with a failed test');
    await page.getByLabel('Response path (JSON list)').fill('["json", "choices", 0, "message", "content"]');
    await page
      .getByLabel(/^Authorization \(now Bearer sk-…WXYZ\)$/)
      .fill('Bearer sk-replaced-0123456789abcdefQRST');
    await page.getByLabel('Add header: name').fill('X-Team');
    await page.getByLabel('Value').fill('evals');
    await page.getByRole('button', { name: 'Save endpoint' }).click();
    await endpoint.getByText('Authorization: Bearer sk-…QRST').waitFor();
    await endpoint.getByText('X-Team: ••••').waitFor();
    await page.getByRole('button', { name: 'Send test request' }).click();
    await page.locator('.test-answer').waitFor();
    assert.equal(models.requests.at(-1)!.headers.authorization, 'Bearer sk-replaced-0123456789abcdefQRST');
    assert.equal(models.requests.at(-1)!.headers['x-team'], 'evals');

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Requests per minute').fill('60');
    await page.getByLabel('Architecture').fill('decoder-only transformer');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.locator('.model-stats', { hasText: 'Requests per minute60' }).waitFor();
    const saved = await call<{ limits: { requestsPerMinute: number }; architecture: string }>(
      'GET',
      `/api/v1/models/${page.url().split('/').at(-1)}`,
    );
    assert.deepEqual([saved.limits.requestsPerMinute, saved.architecture], [60, 'decoder-only transformer']);
  });

  it("sorts and filters the list; another organization's public model shows without its endpoint", async () => {
    await page.goto(`${server.url}/models`);
    await heading('Models');
    await page.getByLabel('Sort by').selectOption('-name');
    await page.waitForFunction(
      () => document.querySelector('.model-card h2')?.textContent === 'Zephyr public',
    );
    assert.deepEqual(await cardNames(), ['Zephyr public', 'Local Llama', 'Baseline']);
    await page.getByLabel('Sort by').selectOption('-parameterCount');
    await page.waitForFunction(() => document.querySelector('.model-card h2')?.textContent === 'Local Llama');
    assert.deepEqual(await cardNames(), ['Local Llama', 'Baseline', 'Zephyr public']);
    await page.getByLabel('Name contains').fill('llama');
    await page.waitForFunction(() => document.querySelectorAll('.model-card h2').length === 1);
    await page.getByLabel('Name contains').fill('');
    await page.getByLabel('Owner').selectOption('others');
    await page.waitForFunction(() => document.querySelectorAll('.model-card h2').length === 1);
    assert.deepEqual(await cardNames(), ['Zephyr public']);
    await page.getByRole('link', { name: 'Zephyr public' }).click();
    await heading('Zephyr public');
    await page.getByText('Only its organization sees, edits and tests its endpoint.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Edit endpoint' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Edit', exact: true }).count(), 0);
    await check("another organization's model");
  });
});
