/**
 * Every page of the web app and the API reference passes axe-core with no serious or critical violation, in a real
 * browser (./browser.ts) against a real server on SQLite (the pages do not depend on the database). Web app pages
 * are checked in the light and the dark colour scheme; Swagger UI has only the light one.
 *
 * | Page or state                                 | How it is reached                                 |
 * |-----------------------------------------------|---------------------------------------------------|
 * | `/` (requester start page)                    | goto, the health line filled                      |
 * | page not found                                | goto /label/nowhere                               |
 * | profile form                                  | first visit of /label                             |
 * | qualification example, then wrong feedback    | click the wrong card: "Not quite", truth marked   |
 * | qualification passed                          | click the right card: "You passed"                |
 * | compare task (images, context, Neither/Both)  | from the audience's jobs                          |
 * | classification task (Markdown, hostile input) | from the audience's jobs; no script or image runs |
 * | "No tasks right now"                          | after both tasks                                  |
 * | definition preview, with an answer shown      | the preview link, a click on Left                 |
 * | `/api/reference`: the list of operations      | Swagger UI, its gaps patched by the page          |
 * | … an operation tried out, a schema open       | Try it out, Execute, a schema expanded           |
 * | … the Authorize dialog                        | Authorize                                         |
 * | `/models`: models with their scores           | signed in (setup link), a model run on a quiz     |
 * | `/models/:id`: details, score chart, history  | from the list                                     |
 * | `/evaluation-runs`: the runs list             | goto                                              |
 * | `/evaluation-runs/:id`: a run, an item open   | from the list, "Prompt sent" opened               |
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job, JobDefinition, JobDefinitionPreview } from '@jury/api';
import { type RunningServer, startServer } from '@jury/server';
import { startModelServer } from '@jury/server/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { openReferenceOperation } from './api-reference.ts';
import { assertAccessible } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { makePng, tempDirs } from './helpers.ts';
import { ensureWebBuilt, requester, WEB_DIST } from './web-app.ts';

const RIGHT = 'The cat sat on the mat.';
const WRONG = 'Cat the mat on sat the.';
const HOSTILE_REVIEW = [
  '## A review',
  '**Great** product, see [the shop](https://shop.test/item?id=1) or `code`.',
  '',
  '- works <img src=x onerror="window.__xss=1">',
  '- [click me](javascript:window.__xss=2)',
  '',
  '> <script>window.__xss=3</script>',
].join('\n');

describe('accessibility of every page (axe-core in Chromium)', { timeout: 180_000 }, () => {
  let dirs: Awaited<ReturnType<typeof tempDirs>>;
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof requester>>['call'];
  let compareDefinition: JobDefinition;

  /** The page as it is, in both colour schemes (the web app's CSS has a dark palette of its own). */
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
      dataDir: await dirs.make('a11y-data'),
      webDir: WEB_DIST,
      config: { goldRate: 0 },
    });
    let upload: Awaited<ReturnType<typeof requester>>['upload'];
    ({ call, upload } = await requester(server));
    const audienceId = (
      await call<{ id: string }>('POST', '/api/v1/audiences', {
        name: 'Careful readers',
        passRule: { targetAccuracy: 0.5, minExamples: 2 },
      })
    ).id;
    for (const datapoint of [
      [{ text: WRONG }, { text: RIGHT }],
      [{ text: RIGHT }, { text: WRONG }],
    ])
      await call('POST', `/api/v1/audiences/${audienceId}/examples`, {
        taskType: 'compare',
        instruction: 'Which sentence is correct English?',
        dataType: 'text',
        datapoint,
        truth: RIGHT,
        explanation: `"${RIGHT}" keeps the usual word order.`,
      });
    const pngs = await Promise.all([1, 2].map((seed) => upload(`image-${seed}.png`, makePng(seed, 48))));
    compareDefinition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
      type: 'compare',
      name: 'Image preference',
      instruction: 'Which image do you like more?',
      dataType: 'media',
      datapoints: [pngs],
      contexts: ['Pick by colour'],
      responsesPerDatapoint: 1,
      settings: ['AllowNeitherBoth'],
    });
    const classifyDefinition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
      type: 'classification',
      name: 'Review sentiment',
      instruction: 'What is the **sentiment** of this review?',
      dataType: 'text',
      datapoints: [{ text: HOSTILE_REVIEW }],
      answerOptions: ['Positive', 'Negative', 'Neutral'],
      responsesPerDatapoint: 1,
      settings: ['Markdown'],
    });
    for (const definition of [compareDefinition, classifyDefinition])
      await call<Job>('POST', '/api/v1/jobs', { definitionId: definition.id, audienceId });
    browser = await launchBrowser({ viewport: { width: 1100, height: 800 } });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await dirs?.cleanup();
  });

  it('the start page and the not-found page', async () => {
    await page.goto(server.url);
    await page.getByText(/^Server .*database\.$/).waitFor();
    await check('start page');
    await page.goto(`${server.url}/label/nowhere`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await check('page not found');
  });

  it('the profile form and the qualification, with feedback', async () => {
    await page.goto(`${server.url}/label`);
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    await check('profile form');
    await page.getByLabel('Country you live in').selectOption('DE');
    await page.getByLabel('Your first language').selectOption('de');
    await page.getByRole('button', { name: 'Save and start' }).click();

    await page.getByText('Qualification example 1 of 2').waitFor();
    await check('qualification example');
    await page.locator('.compare-item', { hasText: WRONG }).getByRole('button').click();
    await page.getByRole('heading', { name: 'Not quite', exact: true }).waitFor();
    await check('qualification feedback, wrong answer');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByText('Qualification example 2 of 2').waitFor();
    await page.locator('.compare-item', { hasText: RIGHT }).getByRole('button').click();
    await page.getByText('You passed the qualification (1 of 2 right)').waitFor();
    await check('qualification passed');
    await page.getByRole('button', { name: 'Continue' }).click();
  });

  it('a compare task, a classification task on hostile Markdown, and the empty screen', async () => {
    for (let round = 0; round < 2; round++) {
      const compare = page.locator('.compare');
      const classify = page.locator('.options');
      await compare.or(classify).first().waitFor();
      if (await compare.isVisible()) {
        await page.locator('.compare-item img').first().waitFor();
        await check('compare task');
        await page.getByRole('button', { name: /Left/ }).click();
      } else {
        await page.getByRole('link', { name: 'the shop' }).waitFor();
        await check('classification task');
        const body = page.locator('.classify-items');
        assert.equal(await body.locator('img, script').count(), 0, 'raw HTML stays text');
        assert.deepEqual(
          await body.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
          ['https://shop.test/item?id=1'],
        );
        await body.getByText('<img src=x onerror="window.__xss=1">', { exact: false }).waitFor();
        assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
        await page.getByRole('button', { name: 'Positive' }).click();
      }
      await page.getByText(`${round + 1} answered this session`).waitFor();
    }
    await page.getByRole('heading', { name: 'No tasks right now' }).waitFor();
    await check('no tasks right now');
  });

  it('the definition preview', async () => {
    const preview = await call<JobDefinitionPreview>(
      'POST',
      `/api/v1/job-definitions/${compareDefinition.id}/preview`,
    );
    await page.goto(new URL(preview.url, server.url).toString());
    await page.getByText('Datapoint 1 of 1').waitFor();
    await check('definition preview');
    await page.getByRole('button', { name: /Left/ }).click();
    await page.getByText(/This answer would be recorded as/).waitFor();
    await check('definition preview with an answer');
  });

  it('the API reference: the list, an operation tried out, a schema, the Authorize dialog', async () => {
    await page.goto(`${server.url}/api/reference`);
    await page.locator('.opblock').first().waitFor();
    await assertAccessible(page, { label: 'API reference' });
    const operation = await openReferenceOperation(page, server.url, 'jobs', 'createJob');
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    await operation.locator('.live-responses-table .response').first().waitFor(); // the server's answer, shown
    await page.locator('.models .json-schema-2020-12-accordion').first().click();
    await assertAccessible(page, { label: 'API reference, an operation tried out and a schema open' });
    await page.locator('.btn.authorize').first().click();
    await page.locator('.modal-ux').waitFor();
    await assertAccessible(page, { label: 'API reference, the Authorize dialog' });
  });

  // Last: it signs the browser in to the dashboard.
  it("the models list with scores, a model's scores, the runs list and a run's page", async () => {
    const models = await startModelServer({ answer: (p) => (p.includes('Paris') ? 'A' : 'Paris') });
    try {
      const token = new URL(server.setupUrl ?? assert.fail('a setup link')).searchParams.get('token');
      const setup = await fetch(`${server.url}/api/v1/setup`, {
        method: 'POST',
        headers: { origin: server.url, 'content-type': 'application/json' },
        body: JSON.stringify({
          token,
          name: 'Al',
          email: 'al@example.com',
          password: 'correct horse battery',
        }),
      });
      assert.equal(setup.status, 201);
      const cookie = /jury_session=([^;]+)/.exec(setup.headers.get('set-cookie') ?? '')?.[1] as string;
      await browser.addCookies([{ name: 'jury_session', value: cookie, url: server.url }]);
      const model = await call<{ id: string }>('POST', '/api/v1/models', {
        name: 'Local model',
        endpoint: { preset: 'openai-chat', url: models.chatUrl, model: 'local' },
      });
      await call('POST', '/api/v1/evaluations', {
        name: 'capitals',
        trusted: true,
        import: {
          version: 'v1',
          items: [
            { split: 'free-form', question: 'Capital of France?', answers: ['Paris'] },
            {
              split: 'multiple-choice',
              question: 'Paris or Rome?',
              options: ['Paris', 'Rome'],
              correctOption: 0,
            },
          ],
        },
      });
      let run = await call<{ id: string; status: string }>('POST', '/api/v1/evaluation-runs', {
        model: model.id,
        evaluation: 'capitals',
        version: 'v1',
      });
      for (let i = 0; i < 100 && ['queued', 'running'].includes(run.status); i++) {
        await new Promise((r) => setTimeout(r, 100));
        run = await call('GET', `/api/v1/evaluation-runs/${run.id}`);
      }
      await page.goto(`${server.url}/models`);
      await page.locator('.model-card .score-value').first().waitFor();
      await check('models list with scores');
      await page.getByRole('link', { name: 'Local model' }).click();
      await page.locator('.model-score-chart svg').first().waitFor();
      await check('model page with its scores');
      await page.goto(`${server.url}/evaluation-runs`);
      await page.locator('.runs-table tbody tr').first().waitFor();
      await check('evaluation runs list');
      await page.getByRole('link', { name: 'capitals v1' }).click();
      await page.getByText('Prompt sent').first().click();
      await check('evaluation run page with an item open');
    } finally {
      await models.close();
    }
  });
});
