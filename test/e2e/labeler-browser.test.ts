/**
 * The labeler app in a real browser (Chromium from ./browser.ts: the system's, else the npm-bundled one, driven by
 * playwright-core) against a real server,
 * on SQLite always and on Postgres when TEST_DATABASE_URL is set.
 *
 * A requester (bearer token of the bootstrap client, raw HTTP) creates a custom audience with three
 * qualification examples, a compare job on uploaded PNGs and a classification job on Markdown texts, both
 * assigned to that audience. A new labeler then opens /label and:
 *
 * | Step                                   | How                                 | Checked                                   |
 * |----------------------------------------|-------------------------------------|-------------------------------------------|
 * | gets an anonymous session              | first visit                         | HttpOnly session cookie set               |
 * | fills the profile                      | selects + click                     | country/language reach the results        |
 * | example 1 (compare), right             | click                               | "Correct" + explanation                   |
 * | example 2 (classify), wrong            | number key                          | "Not quite", the truth marked             |
 * | example 3 (compare), right             | arrow key                           | "You passed the qualification"            |
 * | compare tasks                          | one by click, one by ← / → / 1 / 2  | votedFor in GET /jobs/{id}/results        |
 * | classification tasks                   | one by click, one by number key     | selectedCategory in the results           |
 * | nothing left                           | —                                   | "No tasks right now", both jobs completed |
 * | definition preview link                | click + Next                        | "would be recorded as", nothing recorded  |
 *
 * A second server (SQLite, 3-second leases) with jobs on the `global` audience:
 *
 * | Step                                   | How                                 | Checked                                   |
 * |----------------------------------------|-------------------------------------|-------------------------------------------|
 * | a lease runs out                       | wait                                | notice, the task comes back, Both by `B`  |
 * | new work while "No tasks right now"    | polling                             | NoShuffle order kept, answer by click     |
 * | audio compare                          | → key                               | two players, votedFor the right one       |
 * | the session cookie disappears          | clearCookies                        | a new session, back to the profile        |
 *
 * Set JURY_SCREENSHOTS_DIR to keep screenshots of the pages (they go to a temp dir removed afterwards otherwise).
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type {
  ClassificationResults,
  CompareResults,
  Job,
  JobDefinition,
  JobDefinitionPreview,
} from '@jury/api';
import { type RunningServer, startServer } from '@jury/server';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { createPostgresDatabase, DATABASES, makePng, tempDirs } from './helpers.ts';
import { ensureWebBuilt, requester, WEB_DIST } from './web-app.ts';

const SENTENCE_RIGHT = 'The cat sat on the mat.';
const SENTENCE_WRONG = 'Cat the mat on sat the.';
const REVIEWS = [
  { text: '**Great** product, would buy _again_.', shown: 'Great product, would buy again.' },
  { text: 'Broke after a day:\n\n- no refund\n- no answer', shown: 'Broke after a day:' },
];

/** A short mono 16-bit WAV tone; different `hz`, different bytes. */
function makeWav(hz: number, seconds = 0.3, rate = 8000): Buffer {
  const samples = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++)
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  return wav;
}

for (const database of DATABASES) {
  describe(`labeler app in Chromium on ${database}`, { timeout: 180_000 }, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let drop: (() => Promise<void>) | undefined;
    let server: RunningServer;
    let browser: BrowserContext;
    let page: Page;
    let call: Awaited<ReturnType<typeof requester>>['call'];
    let upload: Awaited<ReturnType<typeof requester>>['upload'];
    let nameOf: (src: string) => Promise<string>;
    let shots = '';
    let audienceId = '';
    let compareJob: Job;
    let classifyJob: Job;
    let compareDefinition: JobDefinition;

    const shot = async (name: string) => {
      await page.screenshot({ path: join(shots, `${database}-${name}.png`), fullPage: true });
    };

    before(async () => {
      await ensureWebBuilt();
      dirs = await tempDirs();
      const dataDir = await dirs.make('browser-data');
      shots = process.env.JURY_SCREENSHOTS_DIR ?? (await dirs.make('browser-shots'));
      await mkdir(shots, { recursive: true });
      let databaseUrl: string | undefined;
      if (database === 'postgres') {
        const pg = await createPostgresDatabase();
        databaseUrl = pg.url;
        drop = pg.drop;
      }
      // Gold checks off: the rounds below count exactly the job's four tasks.
      server = await startServer({
        port: 0,
        dataDir,
        databaseUrl,
        webDir: WEB_DIST,
        config: { goldRate: 0 },
      });
      ({ call, upload, nameOf } = await requester(server));

      // A custom audience: 3 examples, pass with 2 of 3 right.
      audienceId = (
        await call<{ id: string }>('POST', '/api/v1/audiences', {
          name: 'Careful readers',
          passRule: { targetAccuracy: 0.6, minExamples: 3 },
        })
      ).id;
      const grammar = {
        taskType: 'compare',
        instruction: 'Which sentence is correct English?',
        dataType: 'text',
        truth: SENTENCE_RIGHT,
        explanation: `"${SENTENCE_RIGHT}" keeps the usual word order.`,
      };
      await call('POST', `/api/v1/audiences/${audienceId}/examples`, {
        ...grammar,
        datapoint: [{ text: SENTENCE_RIGHT }, { text: SENTENCE_WRONG }],
      });
      await call('POST', `/api/v1/audiences/${audienceId}/examples`, {
        taskType: 'classification',
        instruction: 'What is 2 + 2?',
        dataType: 'text',
        answerOptions: ['3', '4', '5'],
        datapoint: { text: '2 + 2' },
        truth: ['4'],
        explanation: 'Two and two make four.',
      });
      await call('POST', `/api/v1/audiences/${audienceId}/examples`, {
        ...grammar,
        datapoint: [{ text: SENTENCE_WRONG }, { text: SENTENCE_RIGHT }],
      });

      // A compare job on four small PNGs and a classification job on Markdown texts, one response each.
      const pngs = await Promise.all(
        [1, 2, 3, 4].map((seed) => upload(`image-${seed}.png`, makePng(seed, 48))),
      );
      compareDefinition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
        type: 'compare',
        name: 'Image preference',
        instruction: 'Which image do you like more?',
        dataType: 'media',
        datapoints: [
          [pngs[0], pngs[1]],
          [pngs[2], pngs[3]],
        ],
        contexts: ['Pick by colour', 'Pick by pattern'],
        responsesPerDatapoint: 1,
        settings: ['AllowNeitherBoth'],
      });
      const classifyDefinition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
        type: 'classification',
        name: 'Review sentiment',
        instruction: 'What is the **sentiment** of this review?',
        dataType: 'text',
        datapoints: REVIEWS.map((r) => ({ text: r.text })),
        answerOptions: ['Positive', 'Negative', 'Neutral'],
        responsesPerDatapoint: 1,
        settings: ['Markdown'],
      });
      compareJob = await call<Job>('POST', '/api/v1/jobs', {
        definitionId: compareDefinition.id,
        audienceId,
      });
      classifyJob = await call<Job>('POST', '/api/v1/jobs', {
        definitionId: classifyDefinition.id,
        audienceId,
      });

      const profileDir = await dirs.make('chromium-profile');
      browser = await launchBrowser({ profileDir, viewport: { width: 1100, height: 800 } });
      page = browser.pages()[0] ?? (await browser.newPage());
      page.setDefaultTimeout(15_000);
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      await drop?.();
      await dirs?.cleanup();
    });

    it('starts an anonymous session and takes the profile', async () => {
      await page.goto(`${server.url}/label`);
      await page.getByRole('heading', { name: 'About you' }).waitFor();
      const cookies = await browser.cookies(server.url);
      const session = cookies.find((c) => c.name === 'jury_labeler');
      assert.ok(session, `session cookie set (got ${cookies.map((c) => c.name).join(', ')})`);
      assert.equal(session.httpOnly, true);
      await page.getByLabel('Country you live in').selectOption('DE');
      await page.getByLabel('Your first language').selectOption('de');
      await page.getByLabel('Age group').selectOption('30-39');
      await page.getByLabel('Occupation').fill('nurse');
      await shot('profile');
      await page.getByRole('button', { name: 'Save and start' }).click();
    });

    it('serves the qualification first, with feedback, and passes it', async () => {
      // Example 1, compare by click: pick the card holding the right sentence.
      await page.getByText('Qualification example 1 of 3').waitFor();
      await page.getByText('Which sentence is correct English?').waitFor();
      const rightCard = page.locator('.compare-item', { hasText: SENTENCE_RIGHT });
      await rightCard.getByRole('button').click();
      await page.getByRole('heading', { name: 'Correct', exact: true }).waitFor();
      await page.getByText(`"${SENTENCE_RIGHT}" keeps the usual word order.`).waitFor();
      await shot('qualification-feedback');
      await page.getByRole('button', { name: 'Continue' }).click();

      // Example 2, classify by keyboard, deliberately wrong: the key of option "3".
      await page.getByText('What is 2 + 2?').waitFor();
      const options = await page.locator('.option span').allInnerTexts();
      assert.deepEqual([...options].sort(), ['3', '4', '5']);
      await page.keyboard.press(String(options.indexOf('3') + 1));
      await page.getByRole('heading', { name: 'Not quite', exact: true }).waitFor();
      assert.equal(await page.locator('.option.is-truth span').textContent(), '4');
      assert.equal(await page.locator('.option.is-wrong span').textContent(), '3');
      await page.keyboard.press('Enter'); // Continue has the focus

      // Example 3, compare by arrow key, on a phone-sized screen (texts stack).
      await page.getByText('Qualification example 3 of 3').waitFor();
      await page.setViewportSize({ width: 390, height: 760 });
      await shot('qualification-mobile');
      const texts = await page.locator('.compare-item .item-body').allInnerTexts();
      const side = texts.findIndex((t) => t.includes(SENTENCE_RIGHT));
      assert.ok(side >= 0);
      await page.keyboard.press(side === 0 ? 'ArrowLeft' : 'ArrowRight');
      await page.getByText('You passed the qualification (2 of 3 right)').waitFor();
      await page.setViewportSize({ width: 1100, height: 800 });
      await page.getByRole('button', { name: 'Continue' }).click();
    });

    it('answers compare and classification tasks by clicking and by keyboard, then has nothing left', async () => {
      const expectedCompare = new Map<string, string>(); // "name|name" of the pair → the name voted for
      const expectedClassify = new Map<string, string>(); // review text → category
      let compareClicks = 0;
      let classifyClicks = 0;
      for (let round = 0; round < 4; round++) {
        const compare = page.locator('.compare');
        const classify = page.locator('.options');
        await compare.or(classify).first().waitFor();
        assert.match((await page.getByRole('timer').textContent()) ?? '', /^[0-9]+:[0-5][0-9]$/);
        if (await compare.isVisible()) {
          const srcs = await page
            .locator('.compare-item img')
            .evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).getAttribute('src') ?? ''));
          const shown = await Promise.all(srcs.map(nameOf));
          assert.equal(shown.length, 2, 'two images side by side');
          await page.getByText(/Pick by (colour|pattern)/).waitFor(); // the context
          const pair = [...shown].sort().join('|');
          if (compareClicks === 0) {
            await shot('compare');
            await page.getByRole('button', { name: /Right/ }).click();
            expectedCompare.set(pair, shown[1] as string);
            compareClicks++;
          } else {
            await page.keyboard.press('1');
            expectedCompare.set(pair, shown[0] as string);
          }
        } else {
          const text = (await page.locator('.classify-items').textContent()) ?? '';
          const review = REVIEWS.find((r) => text.includes(r.shown));
          assert.ok(review, `a review is shown as Markdown: ${text}`);
          assert.equal((await page.locator('.classify-items strong, .classify-items li').count()) > 0, true);
          const options = await page.locator('.option span').allInnerTexts();
          const category = review === REVIEWS[0] ? 'Positive' : 'Negative';
          if (classifyClicks === 0) {
            await shot('classify');
            await page.getByRole('button', { name: category }).click();
            classifyClicks++;
          } else await page.keyboard.press(String(options.indexOf(category) + 1));
          expectedClassify.set(review.text, category);
        }
        await page.getByText(`${round + 1} answered this session`).waitFor();
      }
      await page.getByRole('heading', { name: 'No tasks right now' }).waitFor();
      assert.equal(expectedCompare.size, 2);
      assert.equal(expectedClassify.size, 2);

      const compareResults = await call<CompareResults>('GET', `/api/v1/jobs/${compareJob.id}/results`);
      assert.equal(compareResults.results.length, 2);
      for (const result of compareResults.results) {
        assert.equal(result.detailedResults.length, 1);
        const [detail] = result.detailedResults;
        const pair = Object.keys(result.aggregatedResults)
          .filter((k) => k !== 'Both' && k !== 'Neither')
          .sort()
          .join('|');
        assert.equal(detail?.votedFor, expectedCompare.get(pair), `vote on ${pair}`);
        assert.equal(result.winner, expectedCompare.get(pair));
        assert.equal(detail?.userDetails.country, 'DE');
        assert.equal(detail?.userDetails.language, 'de');
        assert.equal(detail?.userDetails.demographics.age, '30-39');
        assert.equal(detail?.userDetails.demographics.occupation, 'nurse');
      }
      const classifyResults = await call<ClassificationResults>(
        'GET',
        `/api/v1/jobs/${classifyJob.id}/results`,
      );
      assert.equal(classifyResults.results.data.length, 2);
      for (const result of classifyResults.results.data) {
        assert.equal(result.detailedResults.length, 1);
        assert.equal(result.detailedResults[0]?.selectedCategory, expectedClassify.get(result.text ?? ''));
        assert.equal(result.detailedResults[0]?.userDetails.country, 'DE');
      }
      assert.deepEqual(classifyResults.results.globalAggregatedData, {
        Positive: 1,
        Negative: 1,
        Neutral: 0,
      });
      for (const job of [compareJob, classifyJob])
        assert.equal((await call<Job>('GET', `/api/v1/jobs/${job.id}`)).status, 'completed');
    });

    it('shows a definition preview without recording answers', async () => {
      const preview = await call<JobDefinitionPreview>(
        'POST',
        `/api/v1/job-definitions/${compareDefinition.id}/preview`,
      );
      await page.goto(new URL(preview.url, server.url).toString());
      await page.getByText('Datapoint 1 of 2').waitFor();
      await page.getByRole('button', { name: /Left/ }).click();
      // Sides in a random order, as labelers get them: the left one is A or B, and the page says which.
      await page.getByText(/This answer would be recorded as [AB] \(.* item, shown left\)/).waitFor();
      await page.keyboard.press('n');
      await page.getByText('This answer would be recorded as Neither.').waitFor();
      await shot('preview');
      await page.getByRole('button', { name: 'Next →' }).click();
      await page.getByText('Datapoint 2 of 2').waitFor();
      const results = await call<CompareResults>('GET', `/api/v1/jobs/${compareJob.id}/results`);
      assert.equal(
        results.results.reduce((n, r) => n + r.detailedResults.length, 0),
        2,
        'nothing new recorded',
      );
    });
  });
}

// The lease countdown and the waiting screen depend on the browser's timers, not on the database: SQLite only.
describe('labeler app in Chromium: lease expiry and waiting for work', { timeout: 120_000 }, () => {
  let dirs: Awaited<ReturnType<typeof tempDirs>>;
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof requester>>['call'];
  let upload: Awaited<ReturnType<typeof requester>>['upload'];
  let nameOf: (src: string) => Promise<string>;

  before(async () => {
    await ensureWebBuilt();
    dirs = await tempDirs();
    server = await startServer({
      port: 0,
      dataDir: await dirs.make('lease-data'),
      webDir: WEB_DIST,
      config: { labelerLeaseSeconds: 3 },
    });
    ({ call, upload, nameOf } = await requester(server));
    browser = await launchBrowser({
      profileDir: await dirs.make('chromium-profile'),
      viewport: { width: 900, height: 700 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await dirs?.cleanup();
  });

  it('fetches the task again when its lease runs out, then takes Both by keyboard', async () => {
    const definition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
      type: 'compare',
      name: 'Haiku',
      instruction: 'Which haiku is better?',
      dataType: 'text',
      datapoints: [[{ text: 'An old silent pond' }, { text: 'A frog jumps into the pond' }]],
      responsesPerDatapoint: 1,
      settings: ['AllowNeitherBoth'],
    });
    const job = await call<Job>('POST', '/api/v1/jobs', {
      definitionId: definition.id,
      audienceId: 'global',
    });

    await page.goto(`${server.url}/label`);
    await page.getByLabel('Country you live in').selectOption('FR');
    await page.getByLabel('Your first language').selectOption('fr');
    await page.getByRole('button', { name: 'Save and start' }).click();
    await page.getByText('Which haiku is better?').waitFor();
    // A 3 s lease: the countdown shows a few seconds (rounding and a loaded machine can add one or two).
    assert.match((await page.getByRole('timer').textContent()) ?? '', /^0:0[0-5]$/);
    await page.getByText('Time ran out on that task').waitFor();
    await page.getByText('Which haiku is better?').waitFor(); // the same datapoint under a new lease
    await page.keyboard.press('b');
    await page.getByText('1 answered this session').waitFor();
    await page.getByRole('heading', { name: 'No tasks right now' }).waitFor();

    const results = await call<CompareResults>('GET', `/api/v1/jobs/${job.id}/results`);
    assert.deepEqual(
      results.results[0]?.detailedResults.map((d) => [d.votedFor, d.userDetails.country]),
      [['Both', 'FR']],
    );
  });

  it('picks up new work while waiting on the "no tasks" screen', async () => {
    await page.getByRole('heading', { name: 'No tasks right now' }).waitFor();
    const definition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
      type: 'classification',
      name: 'Colours',
      instruction: 'Which colour is named?',
      dataType: 'text',
      datapoints: [{ text: 'The sky at noon' }],
      answerOptions: ['Blue', 'Red'],
      responsesPerDatapoint: 1,
      settings: ['NoShuffle'],
    });
    const job = await call<Job>('POST', '/api/v1/jobs', {
      definitionId: definition.id,
      audienceId: 'global',
    });
    await page.getByText('Which colour is named?').waitFor(); // by polling, without a reload
    assert.deepEqual(await page.locator('.option span').allInnerTexts(), ['Blue', 'Red']); // NoShuffle
    await page.getByRole('button', { name: 'Blue' }).click();
    await page.getByText('2 answered this session').waitFor();
    const results = await call<ClassificationResults>('GET', `/api/v1/jobs/${job.id}/results`);
    assert.equal(results.results.data[0]?.detailedResults[0]?.selectedCategory, 'Blue');
  });

  it('plays audio side by side and takes → by keyboard', async () => {
    await page.getByRole('heading', { name: 'No tasks right now' }).waitFor();
    const tones = await Promise.all([upload('low.wav', makeWav(220)), upload('high.wav', makeWav(880))]);
    const definition = await call<JobDefinition>('POST', '/api/v1/job-definitions', {
      type: 'compare',
      name: 'Tones',
      instruction: 'Which tone is more pleasant?',
      dataType: 'media',
      datapoints: [tones],
      responsesPerDatapoint: 1,
    });
    const job = await call<Job>('POST', '/api/v1/jobs', {
      definitionId: definition.id,
      audienceId: 'global',
    });
    await page.getByText('Which tone is more pleasant?').waitFor();
    const players = page.locator('.compare-item audio[controls]');
    assert.equal(await players.count(), 2);
    const srcs = await players.evaluateAll((els) => els.map((el) => el.getAttribute('src') ?? ''));
    const shown = await Promise.all(srcs.map(nameOf));
    assert.deepEqual([...shown].sort(), ['high.wav', 'low.wav']);
    await page.keyboard.press('ArrowRight');
    await page.getByText('3 answered this session').waitFor();
    const results = await call<CompareResults>('GET', `/api/v1/jobs/${job.id}/results`);
    assert.equal(results.results[0]?.detailedResults[0]?.votedFor, shown[1]);
  });

  it('starts a new session when the cookie is gone', async () => {
    await page.getByRole('heading', { name: 'No tasks right now' }).waitFor();
    await browser.clearCookies();
    await page.getByRole('heading', { name: 'About you' }).waitFor(); // the next poll got 401
    assert.ok((await browser.cookies(server.url)).some((c) => c.name === 'jury_labeler'));
  });
});
