/**
 * A Prolific round trip in a real browser (Chromium from ./browser.ts) against a real server, on SQLite always
 * and on Postgres when TEST_DATABASE_URL is set. Prolific itself is stood in for by playwright routing: every
 * request to https://app.prolific.com is answered by the test, so the final URL is what Prolific would get.
 *
 * A requester makes a custom audience with two qualification examples (both must be right), a compare job of two
 * texts on it (three datapoints), and sets its recruitment to a study of two tasks per participant with a completion
 * and a screened-out code. Then:
 *
 * | Who                   | Does                                                     | Checked                                   |
 * |-----------------------|----------------------------------------------------------|-------------------------------------------|
 * | participant P1        | entry URL with the three ids → profile → 2 right examples → 2 tasks | lands on …/complete?cc=<completion code>, answers in the results |
 * | P1 again              | the entry URL once more                                  | the same labeler: sent back at once       |
 * | participant P2        | entry URL → profile → a wrong example                    | lands on …/complete?cc=<screened-out code> |
 * | a link without an id  | /label/study/<audience> with no PROLIFIC_PID             | "This link does not let you in", no work  |
 * | invite links          | a used single-use link; a good one                       | refused page; the good one leads to /label's qualification |
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompareResults, Job, JobDefinition } from '@jury/api';
import { type RunningServer, startServer } from '@jury/server';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { createPostgresDatabase, DATABASES, tempDirs } from './helpers.ts';
import { ensureWebBuilt, requester, WEB_DIST } from './web-app.ts';

const RIGHT = ['The cat sat on the mat.', 'Dogs bark at night.'];
const WRONG = ['Cat the mat on sat the.', 'Night at bark dogs.'];
const COMPLETE = 'https://app.prolific.com/submissions/complete?cc=';

for (const database of DATABASES) {
  describe(`Prolific study in Chromium on ${database}`, { timeout: 180_000 }, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let drop: (() => Promise<void>) | undefined;
    let server: RunningServer;
    let browser: BrowserContext;
    let page: Page;
    let call: Awaited<ReturnType<typeof requester>>['call'];
    let audienceId = '';
    let job: Job;
    const prolificHits: string[] = [];

    before(async () => {
      await ensureWebBuilt();
      dirs = await tempDirs();
      let databaseUrl: string | undefined;
      if (database === 'postgres') {
        const pg = await createPostgresDatabase();
        databaseUrl = pg.url;
        drop = pg.drop;
      }
      server = await startServer({
        port: 0,
        dataDir: await dirs.make('prolific-data'),
        databaseUrl,
        webDir: WEB_DIST,
        config: { goldRate: 0 },
      });
      ({ call } = await requester(server));
      audienceId = (
        await call<{ id: string }>('POST', '/api/v1/audiences', {
          name: 'Prolific study',
          passRule: { targetAccuracy: 1, minExamples: 2 },
        })
      ).id;
      for (const i of [0, 1])
        await call('POST', `/api/v1/audiences/${audienceId}/examples`, {
          taskType: 'compare',
          instruction: 'Which sentence is correct English?',
          dataType: 'text',
          datapoint: [{ text: RIGHT[i] }, { text: WRONG[i] }],
          truth: RIGHT[i],
        });
      const definition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
        type: 'compare',
        name: 'Texts',
        instruction: 'Which text reads better?',
        dataType: 'text',
        datapoints: [
          [{ text: 'alpha one' }, { text: 'beta one' }],
          [{ text: 'alpha two' }, { text: 'beta two' }],
          [{ text: 'alpha three' }, { text: 'beta three' }],
        ],
        responsesPerDatapoint: 1,
      });
      job = await call<Job>('POST', '/api/v1/jobs', { definitionId: definition.id, audienceId });
      const recruitment = await call<{ entryUrl: string }>(
        'PUT',
        `/api/v1/audiences/${audienceId}/recruitment`,
        {
          mode: 'study',
          study: { completionCode: 'CDONE42', screenedOutCode: 'CSCREEN7', tasksPerLabeler: 2 },
        },
      );
      assert.match(recruitment.entryUrl, /PROLIFIC_PID=\{\{%PROLIFIC_PID%\}\}/);
      browser = await launchBrowser({ profileDir: await dirs.make('chromium-profile') });
      // Prolific, stood in for: any page of app.prolific.com answers here.
      await browser.route('https://app.prolific.com/**', (route) => {
        prolificHits.push(route.request().url());
        return route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: '<title>Prolific</title><p>Thanks</p>',
        });
      });
      page = browser.pages()[0] ?? (await browser.newPage());
      page.setDefaultTimeout(15_000);
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      await drop?.();
      await dirs?.cleanup();
    });

    const entry = (pid: string, session: string) =>
      `${server.url}/label/study/${audienceId}?PROLIFIC_PID=${pid}&STUDY_ID=study-1&SESSION_ID=${session}`;

    async function profile() {
      await page.getByRole('heading', { name: 'About you' }).waitFor();
      await page.getByLabel('Country you live in').selectOption('GB');
      await page.getByLabel('Your first language').selectOption('en');
      await page.getByRole('button', { name: 'Save and start' }).click();
    }

    async function example(n: number, right: boolean) {
      await page.getByText(`Qualification example ${n} of 2`).waitFor();
      const texts = right ? RIGHT : WRONG;
      const card = page.locator('.compare-item', {
        hasText: new RegExp(texts.map((t) => t.replace('.', '\\.')).join('|')),
      });
      await card.getByRole('button').click();
      await page.getByRole('heading', { name: right ? 'Correct' : 'Not quite', exact: true }).waitFor();
    }

    it('entry URL → profile → qualification → tasks → back to Prolific with the completion code', async () => {
      await page.goto(entry('60aa00000000000000000001', 'sess-1'));
      await profile();
      await example(1, true);
      await page.getByRole('button', { name: 'Continue' }).click();
      await example(2, true);
      await page.getByText('You passed the qualification (2 of 2 right)').waitFor();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText('Which text reads better?').waitFor();
      await page.keyboard.press('1');
      await page.getByText('1 answered this session').waitFor();
      await page.getByText('Which text reads better?').waitFor();
      // The second answer finishes the study's two tasks: the app sends the participant back at once.
      await page.keyboard.press('1');
      await page.waitForURL(`${COMPLETE}CDONE42`);
      assert.equal(page.url(), `${COMPLETE}CDONE42`);
      const results = await call<{ results: CompareResults['results'] }>(
        'GET',
        `/api/v1/jobs/${job.id}/results`,
      );
      const answered = results.results.map((r) =>
        Object.values(r.aggregatedResults).reduce((a, b) => a + b, 0),
      );
      assert.deepEqual(answered.sort(), [0, 1, 1], 'two tasks done, one left for the next participant');
      // The same participant again (a new Prolific session): the same labeler, finished, sent back at once.
      const back = page.waitForRequest(`${COMPLETE}CDONE42`);
      await page.goto(entry('60aa00000000000000000001', 'sess-2'));
      await back;
      await page.waitForURL(`${COMPLETE}CDONE42`);
    });

    it('a participant screened out by qualification goes back with the screened-out code', async () => {
      await page.goto('about:blank');
      await browser.clearCookies();
      await page.goto(entry('60aa00000000000000000002', 'sess-3'));
      await profile();
      await example(1, false);
      await page.getByRole('button', { name: 'Continue' }).click();
      await example(2, true);
      await page.getByText(/is not enough for this work/).waitFor();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${COMPLETE}CSCREEN7`);
      assert.deepEqual(prolificHits, [`${COMPLETE}CDONE42`, `${COMPLETE}CDONE42`, `${COMPLETE}CSCREEN7`]);
    });

    it('a link without the participant id, and a used invite link, get a clear page and no work', async () => {
      await page.goto('about:blank');
      await browser.clearCookies();
      await page.goto(`${server.url}/label/study/${audienceId}?STUDY_ID=study-1`);
      await page.getByRole('heading', { name: 'This link does not let you in' }).waitFor();
      await page.getByText(/missing your PROLIFIC_PID/).waitFor();

      const invited = (
        await call<{ id: string }>('POST', '/api/v1/audiences', {
          name: 'Invited',
          passRule: { minExamples: 1 },
        })
      ).id;
      await call('POST', `/api/v1/audiences/${invited}/examples`, {
        taskType: 'compare',
        instruction: 'Invited: which sentence is correct English?',
        dataType: 'text',
        datapoint: [{ text: RIGHT[0] }, { text: WRONG[0] }],
        truth: RIGHT[0],
      });
      await call('POST', '/api/v1/jobs', { definitionId: job.definitionId, audienceId: invited });
      await call('PUT', `/api/v1/audiences/${invited}/recruitment`, { mode: 'invite' });
      const link = await call<{ url: string }>('POST', `/api/v1/audiences/${invited}/invites`, {
        kind: 'single',
      });
      await page.goto(link.url);
      await page.waitForURL(`${server.url}/label`);
      await profile();
      await page.getByText('Invited: which sentence is correct English?').waitFor();
      await browser.clearCookies();
      await page.goto(link.url);
      await page.getByRole('heading', { name: 'This link does not let you in' }).waitFor();
      await page.getByText(/already used/).waitFor();
    });
  });
}
