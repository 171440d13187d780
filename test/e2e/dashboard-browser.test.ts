/**
 * The requester dashboard in Chromium, against `jury serve` started as a user starts it, on each database:
 *
 * | Step                                   | Checked                                                                 |
 * |----------------------------------------|-------------------------------------------------------------------------|
 * | first start                            | `jury serve` prints the one-time setup link                             |
 * | setup link → owner created             | signed in, the jobs page; the link does not work twice                  |
 * | sign out, sign in                      | wrong password refused; right one reaches the jobs                      |
 * | Settings → API clients → create        | id and secret shown once; the SDK (JuryClient) creates a compare job    |
 * | job page while `jury simulate` answers | the response count rises without a reload, the job completes            |
 * | results                                | a vote bar (Plot SVG) per datapoint, both media shown, a winner         |
 * | CSV download                           | one row per datapoint, its votes and winner those of getResults()       |
 * | invite → accepted in a second browser  | the member is signed in; removed by the owner, their session ends       |
 * | a user of another organization         | the job's URL shows the not-found page, none of the job's data          |
 * | cookie write from a foreign Origin     | 403 CSRF_REJECTED                                                       |
 * | every page visited                     | axe-core: no serious or critical violation (light and dark)             |
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JuryClient } from '@jury/sdk';
import type { Page } from 'playwright-core';
import { assertAccessible } from './axe.ts';
import { launchBrowser } from './browser.ts';
import {
  createPostgresDatabase,
  DATABASES,
  isolatedEnv,
  REPO_ROOT,
  runJury,
  startServe,
  tempDirs,
} from './helpers.ts';
import { ensureWebBuilt } from './web-app.ts';

const OWNER = { name: 'Olga Owner', email: 'olga@example.com', password: 'correct horse battery' };
const MEMBER = { name: 'Max Member', email: 'max@example.com', password: 'another long secret' };
const STRANGER = { email: 'sam@other.example', password: 'stranger danger 42' };
const image = (name: string) => join(REPO_ROOT, 'examples/images', name);

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

for (const database of DATABASES) {
  describe(`the dashboard in Chromium (${database})`, { timeout: 300_000 }, () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    });

    it('from the setup link to a job’s results, members, another organization and CSRF', async () => {
      await ensureWebBuilt();
      const dirs = await tempDirs();
      cleanups.push(() => dirs.cleanup());
      const home = await dirs.make('dash-home');
      const dataDir = await dirs.make('dash-data');
      const env = isolatedEnv(home);
      const store = ['--data-dir', dataDir];
      if (database === 'postgres') {
        const pg = await createPostgresDatabase();
        cleanups.push(() => pg.drop());
        store.push('--database-url', pg.url);
      }
      const serve = await startServe(['--port', '0', ...store], env);
      cleanups.push(() => serve.stop());
      const setupLink = /Set up the owner: (http\S+)/.exec(serve.output())?.[1];
      assert.ok(setupLink, `jury serve prints the setup link:\n${serve.output()}`);
      assert.match(setupLink, /\/setup\?token=/);

      const browser = await launchBrowser();
      cleanups.push(() => browser.close());
      const page = browser.pages()[0] ?? (await browser.newPage());
      page.setDefaultTimeout(20_000);
      page.on('dialog', (dialog) => void dialog.accept());
      const check = async (label: string, on: Page = page) => {
        for (const colorScheme of ['light', 'dark'] as const) {
          await on.emulateMedia({ colorScheme });
          await assertAccessible(on, { label: `${label} (${colorScheme}, ${database})` });
        }
        await on.emulateMedia({ colorScheme: 'light' });
      };
      const heading = (on: Page, name: string | RegExp) =>
        on.getByRole('heading', { level: 1, name }).waitFor();

      // Setup: the printed link creates the owner and signs them in
      await page.goto(setupLink);
      await heading(page, 'Set up the owner');
      await check('setup');
      await page.getByLabel('Your name').fill(OWNER.name);
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel(/^Password/).fill(OWNER.password);
      await page.getByRole('button', { name: 'Create the owner' }).click();
      await heading(page, 'Jobs');
      await page.getByText(OWNER.name).first().waitFor();
      await check('jobs, empty');

      // Sign out and in again; a wrong password is refused
      await page.getByRole('button', { name: 'Sign out' }).click();
      await heading(page, 'Sign in to Jury');
      await check('sign-in');
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await heading(page, 'Jobs');
      // The setup link is spent
      const again = await browser.newPage();
      await again.goto(setupLink);
      await again.getByText(/already set up/).waitFor();
      await again.close();

      // Settings → API clients: the secret once, then the SDK with it
      await page
        .getByRole('navigation', { name: 'Dashboard' })
        .getByRole('link', { name: 'Settings' })
        .click();
      await heading(page, /API clients/);
      await page.getByLabel('Name').fill('Notebook');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      const clientId = await page.getByLabel('Client ID').inputValue();
      const clientSecret = await page.getByLabel('Client secret').inputValue();
      assert.match(clientId, /^cli_/);
      assert.ok(clientSecret.length >= 20);
      await page.getByRole('cell', { name: 'Notebook', exact: true }).waitFor();
      await check('settings: API clients');

      const jury = new JuryClient({ clientId, clientSecret, url: serve.url });
      const definition = await jury.job.createCompareJobDefinition({
        name: 'Dashboard pictures',
        instruction: 'Which image matches the description better?',
        datapoints: [
          [image('book-a.png'), image('book-b.png')],
          [image('flower-a.png'), image('flower-b.png')],
        ],
        contexts: ['A small blue book on a large red book.', 'A red flower.'],
        responsesPerDatapoint: 6,
      });
      const audience = await jury.audience.getAudienceById('global');
      const job = await audience.assignJob(definition);

      // The jobs list shows it; its page follows the progress while the crowd answers
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Jobs' }).click();
      await page.getByRole('link', { name: 'Dashboard pictures' }).click();
      await heading(page, 'Dashboard pictures');
      await check('job page, running');
      const count = async () => Number(await page.getByTestId('response-count').textContent());
      assert.equal(await count(), 0);
      await page.evaluate(() => {
        (window as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      const stopSimulation = new AbortController();
      const simulate = runJury(
        [
          'simulate',
          '--url',
          serve.url,
          // 6 labelers (each answers a datapoint once: 2 × 6 responses) at about 1.5 answers a second, so the
          // page (it polls every 1.5 s) shows the count rising in steps
          '--labelers',
          '6',
          '--pace',
          '4000',
          '--duration',
          '120',
          '--seed',
          '3',
        ],
        env,
        { timeoutMs: 150_000, signal: stopSimulation.signal },
      );
      cleanups.push(async () => {
        stopSimulation.abort();
        await simulate;
      });
      const seen = [await count()];
      const deadline = Date.now() + 90_000;
      while ((seen.at(-1) as number) < 12) {
        assert.ok(Date.now() < deadline, `the count stopped rising: ${seen.join(' → ')}`);
        await page.waitForTimeout(400);
        const now = await count();
        if (now !== seen.at(-1)) seen.push(now);
      }
      assert.ok(seen.length >= 3, `the count rose in steps on the open page: ${seen.join(' → ')}`);
      assert.equal(
        await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
        true,
      );
      await page.locator('.badge', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
      stopSimulation.abort();
      await simulate;

      // Results: vote bars, both media of each datapoint, a winner
      await page.locator('.vote-bar svg').nth(1).waitFor();
      assert.equal(await page.locator('.vote-bar svg').count(), 2);
      const images = page.locator('.result img.media');
      await images.nth(3).waitFor();
      assert.equal(await images.count(), 4);
      for (let i = 0; i < 4; i++)
        assert.ok(
          await images.nth(i).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
        );
      assert.equal(await page.locator('.winner-tag').count(), 2);
      await check('job page, results');
      const results = await job.getResults();
      // The integrity line: this crowd thinks 2-6 s before each answer, slower than the 1 s floor: none flagged.
      assert.deepEqual(results.integrity, {
        responses: 12,
        flagged: { total: 0, byReason: {} },
        excluded: { total: 0, byReason: {} },
      });
      await page.locator('.integrity-line', { hasText: '12 responses · 0 flagged · 0 excluded' }).waitFor();
      const responses = results.results.reduce((n, r) => n + r.detailedResults.length, 0);
      await page.getByRole('tab', { name: 'Responses' }).click();
      const responseRows = page.locator('[role=tabpanel] tbody tr');
      await responseRows.nth(responses - 1).waitFor();
      assert.equal(await responseRows.count(), responses);
      // The Flags column agrees with the integrity line: none flagged, none left out.
      const flags = await responseRows.locator('td:nth-child(6)').allTextContents();
      assert.deepEqual([...new Set(flags)], ['—']);
      await check('job page, responses');
      await page.getByRole('tab', { name: 'By datapoint' }).click();

      // The CSV download carries the API's results
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'CSV' }).click(),
      ]);
      const csv = parseCsv(await readFile((await download.path()) as string, 'utf8'));
      const [header, ...rows] = csv;
      assert.ok(header);
      assert.equal(rows.length, results.results.length);
      const col = (name: string) => {
        const at = header.indexOf(name);
        assert.ok(at >= 0, `CSV column ${name} in ${header.join(',')}`);
        return at;
      };
      results.results.forEach((r, i) => {
        const row = rows[i] as string[];
        const [a, b] = Object.keys(r.aggregatedResults) as [string, string];
        assert.equal(row[col('winner')], r.winner ?? '');
        assert.equal(Number(row[col('votes_a')]), r.aggregatedResults[a]);
        assert.equal(Number(row[col('votes_b')]), r.aggregatedResults[b]);
        assert.equal(row[col('context')], r.context ?? '');
      });

      // Invite a member, accepted in a second browser; then removed
      await page.goto(`${serve.url}/settings/members`);
      await heading(page, /Members/);
      await page.getByRole('button', { name: 'Create an invitation link' }).click();
      const inviteUrl = await page.getByLabel('Invitation link').inputValue();
      assert.match(inviteUrl, /\/invite\?token=/);
      await check('settings: members');
      const second = await launchBrowser();
      cleanups.push(() => second.close());
      const memberPage = second.pages()[0] ?? (await second.newPage());
      memberPage.setDefaultTimeout(20_000);
      await memberPage.goto(inviteUrl);
      await heading(memberPage, 'Join an organization');
      await check('invite', memberPage);
      await memberPage.getByLabel('Your name').fill(MEMBER.name);
      await memberPage.getByLabel('Email').fill(MEMBER.email);
      await memberPage.getByLabel(/^Password/).fill(MEMBER.password);
      await memberPage.getByRole('button', { name: 'Create my account' }).click();
      await heading(memberPage, 'Jobs');
      await memberPage.getByRole('link', { name: 'Dashboard pictures' }).waitFor();
      await page.reload();
      await page.getByRole('cell', { name: MEMBER.email, exact: true }).waitFor();
      await page.getByRole('button', { name: `Remove ${MEMBER.email}` }).click();
      await page.getByRole('cell', { name: MEMBER.email, exact: true }).waitFor({ state: 'detached' });
      await memberPage.goto(`${serve.url}/jobs/${job.id}`);
      await heading(memberPage, 'Sign in to Jury');

      // A user of another organization sees the not-found page at the job's URL
      const otherOrg = await runJury(
        ['credentials', 'create', '--new-organization', 'Other org', '--json', ...store],
        env,
        { timeoutMs: 60_000 },
      );
      assert.equal(otherOrg.code, 0, otherOrg.output);
      const created = await runJury(
        [
          'users',
          'create',
          '--email',
          STRANGER.email,
          '--name',
          'Sam Stranger',
          '--organization',
          'Other org',
          '--password-stdin',
          ...store,
        ],
        env,
        { timeoutMs: 60_000, input: `${STRANGER.password}\n` },
      );
      assert.equal(created.code, 0, created.output);
      await memberPage.getByLabel('Email').fill(STRANGER.email);
      await memberPage.getByLabel('Password').fill(STRANGER.password);
      await memberPage.getByRole('button', { name: 'Sign in' }).click();
      await heading(memberPage, 'Page not found');
      assert.equal(await memberPage.getByText('Dashboard pictures').count(), 0);
      await check('not found (another organization’s job)', memberPage);
      await memberPage.goto(`${serve.url}/no/such/page`);
      await heading(memberPage, 'Page not found');

      // A cookie-authenticated write from a foreign origin is refused
      const foreign = await page.context().request.post(`${serve.url}/api/v1/clients`, {
        headers: { origin: 'https://evil.example' },
        data: { displayName: 'planted' },
      });
      assert.equal(foreign.status(), 403);
      assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, 'CSRF_REJECTED');
      const clients = await page.context().request.get(`${serve.url}/api/v1/clients`);
      assert.equal(clients.status(), 200);
      const names = ((await clients.json()) as { data: { displayName: string }[] }).data.map(
        (c) => c.displayName,
      );
      assert.ok(!names.includes('planted'));

      // An audience and its qualification examples, made in the browser
      await page.goto(`${serve.url}/audiences`);
      await heading(page, 'Audiences');
      await page.getByLabel('Name').fill('Book experts');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await heading(page, 'Book experts');
      await page.getByText('No examples yet.').waitFor();
      await page.getByLabel('Instruction').fill('Which text names a colour?');
      await page.getByRole('textbox', { name: 'Item A' }).fill('a blue book');
      await page.getByRole('textbox', { name: 'Item B' }).fill('a thick book');
      await page.getByRole('button', { name: 'Add the example' }).click();
      await page.getByText('Example added.').waitFor();
      await page.locator('.example figcaption', { hasText: 'Right answer' }).waitFor();
      await page.getByRole('radio', { name: 'classification' }).check();
      await page.getByLabel('Instruction').fill('What is shown?');
      await page.getByRole('textbox', { name: 'Item', exact: true }).fill('a red flower');
      await page.getByLabel('Answer options, separated by commas').fill('flower, tree');
      await page.getByRole('checkbox', { name: 'flower' }).check();
      await page.getByRole('button', { name: 'Add the example' }).click();
      await page.getByText('right: flower').waitFor();
      // A gold example: the secret pool of checks among the tasks.
      await page.getByRole('radio', { name: /^gold/ }).check();
      await page.getByLabel('Instruction').fill('What is shown here?');
      await page.getByRole('textbox', { name: 'Item', exact: true }).fill('an oak');
      await page.getByLabel('Answer options, separated by commas').fill('flower, tree');
      await page.getByRole('checkbox', { name: 'tree' }).check();
      await page.getByRole('button', { name: 'Add the example' }).click();
      await page.getByText('(gold check, secret)').waitFor();
      const examples = await jury.audience.getAudienceById(page.url().split('/').at(-1) as string);
      const stored = await examples.getExamples();
      assert.deepEqual(stored.map((e) => [e.taskType, e.truth, e.purpose]).sort(), [
        ['classification', ['flower'], 'qualification'],
        ['classification', ['tree'], 'gold'],
        ['compare', ['a blue book'], 'qualification'],
      ]);
      await check('audience with examples');

      // Its recruitment: invite links (made, listed, revoked), then a Prolific study with its codes and URL
      await page.getByLabel('Who may join').selectOption('invite');
      await page.getByRole('button', { name: 'Save recruitment' }).click();
      await page.getByRole('heading', { name: 'Invite links' }).waitFor();
      await page.getByLabel('Kind').selectOption('shared');
      await page.getByLabel('Labelers at most').fill('3');
      await page.getByLabel('Label (for you)').fill('reading group');
      await page.getByRole('button', { name: 'Create invite link' }).click();
      const labelerInvite = await page.getByLabel('New invite link (shown once)').inputValue();
      assert.match(labelerInvite, /\/label\/invite\/inv_/);
      const row = page.locator('tr', { hasText: 'reading group' });
      await row.getByText('0 of 3').waitFor();
      await check('audience recruitment by invite');
      await row.getByRole('button', { name: 'Revoke' }).click();
      await row.getByText('revoked').waitFor();
      await page.getByLabel('Who may join').selectOption('study');
      await page.getByLabel('Completion code').fill('C1DONE');
      await page.getByLabel('Screened-out code').fill('C2OUT');
      await page.getByRole('button', { name: 'Save recruitment' }).click();
      const studyUrl = await page.getByLabel('Study URL').inputValue();
      assert.match(studyUrl, /\/label\/study\/aud_\w+\?PROLIFIC_PID=\{\{%PROLIFIC_PID%\}\}/);
      await check('audience recruitment by study');

      // The other pages a requester visits pass axe too
      for (const [path, title] of [
        ['/definitions', 'Job definitions'],
        [`/definitions/${definition.id}`, 'Dashboard pictures'],
        ['/audiences', 'Audiences'],
        ['/audiences/global', 'Global'],
        ['/labelers', 'Labelers'],
      ] as const) {
        await page.goto(`${serve.url}${path}`);
        await heading(page, title);
        await page.getByText('Loading…').first().waitFor({ state: 'detached' });
        await check(path);
      }
    });
  });
}
