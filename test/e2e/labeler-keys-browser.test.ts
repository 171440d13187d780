/**
 * What labelers and requesters see, in a real browser against a real server (SQLite):
 *
 * | Page                          | Checked                                                                          |
 * |-------------------------------|----------------------------------------------------------------------------------|
 * | /label, a numbered Likert job | options in the scale's order, key hint n on "n: …", pressing 1 records "1: …"     |
 * | /label, a shuffled job        | key hint n on the n-th option shown; pressing 3 records the third option shown   |
 * | definition preview (shuffled) | the same rules as labelers: orders vary between views, keys follow what is shown |
 * | definition preview (Likert)   | always the scale's order, no "random order" note                                 |
 * | /api/reference                | Swagger UI from this server only (no other host), request bodies and schemas     |
 * | /favicon.ico                  | 200, an SVG image (the built web app's icon)                                     |
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ClassificationResults, Job, JobDefinition, JobDefinitionPreview } from '@jury/api';
import { type RunningServer, startServer } from '@jury/server';
import type { BrowserContext, Page } from 'playwright-core';
import { openReferenceOperation, referenceOperationCount } from './api-reference.ts';
import { launchBrowser } from './browser.ts';
import { REPO_ROOT, tempDirs } from './helpers.ts';

const WEB_DIST = join(REPO_ROOT, 'packages/web/dist');
const LIKERT = ['1: Not at all', '2: Slightly', '3: Moderately', '4: Very', '5: Extremely'];
const ANIMALS = ['Cat', 'Dog', 'Bird', 'Fish', 'Horse'];
const LIKERT_INSTRUCTION = 'How well does the caption fit the scene?';
const ANIMALS_INSTRUCTION = 'Which animal is this text about?';

async function requester(server: RunningServer) {
  const { client, secret } = server.bootstrap ?? assert.fail('a fresh server bootstraps a client');
  const tokenResponse = await fetch(`${server.url}/connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: secret,
    }),
  });
  const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await r.json()) as { data: T };
    assert.ok(r.ok, `${method} ${path} → ${r.status} ${JSON.stringify(json)}`);
    return json.data;
  };
}

/** The options as shown, top to bottom, with the key hint on each. */
async function shownOptions(page: Page): Promise<{ key: string; label: string }[]> {
  return page.locator('.option').evaluateAll((buttons) =>
    buttons.map((b) => ({
      key: b.querySelector('kbd')?.textContent ?? '',
      label: b.querySelector('span')?.textContent ?? '',
    })),
  );
}

describe('labeler keys, preview presentation, API reference and favicon in Chromium', {
  timeout: 180_000,
}, () => {
  let dirs: Awaited<ReturnType<typeof tempDirs>>;
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof requester>>;
  let likertDefinition: JobDefinition;
  let animalsDefinition: JobDefinition;
  let likertJob: Job;
  let animalsJob: Job;

  before(async () => {
    dirs = await tempDirs();
    server = await startServer({
      port: 0,
      dataDir: await dirs.make('keys-data'),
      webDir: WEB_DIST,
      config: { goldRate: 0 },
    });
    call = await requester(server);
    likertDefinition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
      type: 'classification',
      name: 'Caption fit',
      instruction: LIKERT_INSTRUCTION,
      dataType: 'text',
      datapoints: [{ text: 'A dog asleep on a sofa.' }],
      answerOptions: LIKERT,
      responsesPerDatapoint: 1,
    });
    animalsDefinition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
      type: 'classification',
      name: 'Animals',
      instruction: ANIMALS_INSTRUCTION,
      dataType: 'text',
      datapoints: [{ text: 'It purrs and chases mice.' }],
      answerOptions: ANIMALS,
      responsesPerDatapoint: 1,
    });
    likertJob = await call<Job>('POST', '/api/v1/jobs', {
      definitionId: likertDefinition.id,
      audienceId: 'global',
    });
    animalsJob = await call<Job>('POST', '/api/v1/jobs', {
      definitionId: animalsDefinition.id,
      audienceId: 'global',
    });
    browser = await launchBrowser({ viewport: { width: 1100, height: 900 } });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await dirs?.cleanup();
  });

  it('labeler: key n picks the n-th option shown, on a numbered scale and on shuffled options', async () => {
    await page.goto(`${server.url}/label`);
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    await page.getByLabel('Country you live in').selectOption('DE');
    await page.getByLabel('Your first language').selectOption('de');
    await page.getByRole('button', { name: 'Save and start' }).click();

    const picked = new Map<string, string>();
    for (let round = 0; round < 2; round++) {
      await page.locator('.option').first().waitFor();
      const instruction = ((await page.locator('.instruction').textContent()) ?? '').trim();
      const shown = await shownOptions(page);
      // Every hint is the option's place on screen.
      assert.deepEqual(
        shown.map((o) => o.key),
        shown.map((_, i) => String(i + 1)),
      );
      if (instruction === LIKERT_INSTRUCTION) {
        assert.deepEqual(
          shown.map((o) => o.label),
          LIKERT,
          'a numbered scale is not shuffled',
        );
        await page.keyboard.press('1');
        picked.set(likertJob.id, '1: Not at all');
      } else {
        assert.equal(instruction, ANIMALS_INSTRUCTION);
        assert.deepEqual(shown.map((o) => o.label).sort(), [...ANIMALS].sort());
        await page.keyboard.press('3');
        picked.set(animalsJob.id, shown[2]?.label ?? '');
      }
      await page.getByText(`${round + 1} answered this session`).waitFor();
    }
    await page.getByRole('heading', { name: 'No tasks right now' }).waitFor();
    assert.equal(picked.size, 2);
    for (const [jobId, label] of picked) {
      const results = await call<ClassificationResults>('GET', `/api/v1/jobs/${jobId}/results`);
      assert.deepEqual(
        results.results.data[0]?.detailedResults.map((d) => d.selectedCategory),
        [label],
        `job ${jobId}`,
      );
    }
  });

  it('preview: the same presentation as labelers (orders vary between views, keys follow them)', async () => {
    const preview = await call<JobDefinitionPreview>(
      'POST',
      `/api/v1/job-definitions/${animalsDefinition.id}/preview`,
    );
    const orders = new Set<string>();
    for (let view = 0; view < 8; view++) {
      await page.goto(preview.url);
      await page.locator('.option').first().waitFor();
      await page.getByTestId('order-note').waitFor();
      const shown = await shownOptions(page);
      assert.deepEqual(shown.map((o) => o.label).sort(), [...ANIMALS].sort());
      assert.deepEqual(
        shown.map((o) => o.key),
        shown.map((_, i) => String(i + 1)),
      );
      orders.add(shown.map((o) => o.label).join(','));
      if (view === 0) {
        await page.keyboard.press('2');
        await page.getByText(`This answer would be recorded as "${shown[1]?.label}".`).waitFor();
      }
    }
    // 5! = 120 orders: eight views all alike would mean the preview does not shuffle.
    assert.ok(orders.size > 1, `one order in 8 views: ${[...orders].join(' | ')}`);

    const likertPreview = await call<JobDefinitionPreview>(
      'POST',
      `/api/v1/job-definitions/${likertDefinition.id}/preview`,
    );
    for (let view = 0; view < 3; view++) {
      await page.goto(likertPreview.url);
      await page.locator('.option').first().waitFor();
      assert.deepEqual(
        (await shownOptions(page)).map((o) => o.label),
        LIKERT,
      );
      assert.equal(await page.getByTestId('order-note').count(), 0);
    }
    await page.keyboard.press('1');
    await page.getByText('This answer would be recorded as "1: Not at all".').waitFor();
  });

  it('/api/reference renders request bodies and schemas with assets from this server only', async () => {
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    // "Create a job definition", opened by its deep link: its body schema is rendered (fields), not left as a $ref.
    const operation = await openReferenceOperation(page, server.url, 'jobs', 'createJobDefinition');
    const documented = await (await fetch(`${server.url}/api/openapi.json`)).json();
    const methods = new Set(['get', 'put', 'post', 'patch', 'delete']);
    const inDocument = Object.values(documented.paths as Record<string, object>).reduce(
      (sum, item) => sum + Object.keys(item).filter((key) => methods.has(key)).length,
      0,
    );
    assert.equal(await referenceOperationCount(page), inDocument, 'every operation is listed');
    const body = operation.locator('.opblock-section-request-body');
    await body.waitFor();
    await body.getByRole('tab', { name: 'Schema' }).click();
    await body.getByText('CreateJobDefinition').first().waitFor();
    // A compare or a classification definition: expand both branches of the oneOf.
    const expand = body.getByRole('button', { name: 'Expand all' });
    // Each click re-renders the tree (a button may vanish between counting and clicking): short tries, rechecked.
    const fields = () => body.getByText('answerOptions');
    for (let i = 0; i < 20 && (await fields().count()) === 0; i++)
      if ((await expand.count()) > 0)
        await expand
          .first()
          .click({ timeout: 1000 })
          .catch(() => undefined);
      else await page.waitForTimeout(200);
    await body.getByText('answerOptions').first().waitFor();
    await body.getByText('responsesPerDatapoint').first().waitFor();
    // The schemas section lists the components.
    const models = page.locator('section.models');
    await models.waitFor();
    // Swagger UI renders the schema list virtually (only the rows near view): scroll each name into the window.
    for (const name of ['CreateJobDefinition', 'Job', 'Error']) {
      const title = models.getByText(name, { exact: true }).first();
      await page.evaluate(() => document.querySelector('section.models .models-scroll')?.scrollTo(0, 0));
      await page.waitForTimeout(200);
      for (let i = 0; i < 100 && !(await title.isVisible()); i++) {
        await page.evaluate(() => document.querySelector('section.models .models-scroll')?.scrollBy(0, 240));
        await page.waitForTimeout(50);
      }
      await title.waitFor();
    }
    // The error codes of a route are listed by name (and only where they apply).
    const token = await openReferenceOperation(page, server.url, 'auth', 'issueToken');
    await token.getByText('UNSUPPORTED_GRANT_TYPE').first().waitFor();
    assert.deepEqual(failures, []);
    const elsewhere = requested.filter(
      (url) => !url.startsWith(`${server.url}/`) && !url.startsWith('data:'),
    );
    assert.deepEqual(elsewhere, [], 'the reference loads nothing from another host');
    assert.ok(requested.includes(`${server.url}/api/reference/assets/swagger-ui-bundle.js`));
    assert.ok(requested.includes(`${server.url}/api/openapi.json`));
  });

  it('/favicon.ico is an image from the built web app', async () => {
    const r = await fetch(`${server.url}/favicon.ico`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/svg+xml');
    assert.match(await r.text(), /^<svg /);
    const linked = await fetch(`${server.url}/label`).then((res) => res.text());
    assert.match(linked, /<link rel="icon" type="image\/svg\+xml" href="\/favicon.svg"/);
  });
});
