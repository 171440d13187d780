import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getRecruitmentRoute } from '@jury/api';
import {
  CountryFilter,
  JuryAudience,
  JuryClient,
  JuryConflictError,
  JuryFilteredAudience,
  JuryForbiddenError,
  JuryNotFoundError,
  JuryValidationError,
  LanguageFilter,
  MarkdownSetting,
  NoShuffleSetting,
} from '@jury/sdk';
import { auth, createManualClock, type RunningServer, startServer } from '@jury/server';
import { createPostgresDatabase, DATABASES, isolateProcessEnv, makePng, tempDirs } from './helpers.ts';

// client.audience against a real in-process server, on SQLite and (with TEST_DATABASE_URL) Postgres.

for (const backend of DATABASES) {
  describe(`client.audience on ${backend}`, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let server: RunningServer;
    let client: JuryClient;
    let other: JuryClient;
    let work: string;
    let restoreEnv: () => void;
    let pgDb: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
    const clock = createManualClock(new Date('2026-05-01T09:00:00Z'));
    const tick = () => clock.advance(1000);

    before(async () => {
      dirs = await tempDirs();
      restoreEnv = isolateProcessEnv(await dirs.make('home'));
      work = await dirs.make('work');
      pgDb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
      server = await startServer({
        port: 0,
        dataDir: await dirs.make('data'),
        databaseUrl: pgDb?.url,
        clock,
      });
      const url = `http://127.0.0.1:${server.port}`;
      client = new JuryClient({
        clientId: server.bootstrap!.client.id,
        clientSecret: server.bootstrap!.secret,
        url,
      });
      const deps = { db: server.database.db, clock };
      const org = await auth.createOrganization(deps, 'Other org');
      const oc = await auth.createApiClient(deps, { organizationId: org.id, displayName: 'other' });
      other = new JuryClient({ clientId: oc.client.id, clientSecret: oc.secret, url });
      for (const [i, name] of ['apple.png', 'pear.png', 'ref.png'].entries())
        await writeFile(join(work, name), makePng(i + 1));
    });
    after(async () => {
      restoreEnv?.();
      await server?.close();
      await pgDb?.drop();
      await dirs?.cleanup();
    });

    test('createAudience, getAudienceById (global, aud_, fau_) and findAudiences', async () => {
      const a = await client.audience.createAudience('SDK raters', {
        filters: [new CountryFilter(['US']).or(new LanguageFilter(['en']))],
        targetAccuracy: 0.8,
      });
      tick();
      assert.ok(a instanceof JuryAudience);
      assert.match(a.id, /^aud_/);
      assert.equal(a.name, 'SDK raters');
      assert.deepEqual(a.passRule, { targetAccuracy: 0.8, minExamples: 3 });
      assert.deepEqual(
        a.filters.map((f) => f.toJSON()),
        [
          {
            type: 'or',
            filters: [
              { type: 'country', countries: ['US'] },
              { type: 'language', languages: ['en'] },
            ],
          },
        ],
      );
      const b = await client.audience.createAudience('SDK other', { minExamples: 1 });
      tick();
      const got = await client.audience.getAudienceById(a.id);
      assert.ok(got instanceof JuryAudience);
      assert.equal(got.id, a.id);
      const global = await client.audience.getAudienceById('global');
      assert.ok(global instanceof JuryAudience);
      assert.equal(global.kind, 'global');
      assert.equal(global.passRule, null);
      const found = await client.audience.findAudiences({ name: 'sdk' });
      assert.deepEqual(
        found.map((x) => x.id),
        [b.id, a.id],
      );
      assert.deepEqual(
        (await client.audience.findAudiences({ name: 'SDK', amount: 1, page: 2 })).map((x) => x.id),
        [a.id],
      );
      assert.deepEqual(await other.audience.findAudiences({ name: 'sdk' }), []);
      await assert.rejects(other.audience.getAudienceById(a.id), JuryNotFoundError);
      await assert.rejects(client.audience.getAudienceById('aud_missing'), JuryNotFoundError);
    });

    test('examples: compare with local files (truth by path), classification, text; listed in order', async () => {
      const a = await client.audience.createAudience('Examples via SDK');
      const apple = join(work, 'apple.png');
      const pear = join(work, 'pear.png');
      const ex = await a.addCompareExample({
        instruction: 'Which one is an apple?',
        datapoint: [pear, apple],
        truth: apple,
        mediaContext: [join(work, 'ref.png')],
        explanation: 'Apples are round.',
        settings: [new MarkdownSetting()],
      });
      assert.deepEqual(ex.truth, ['apple.png']);
      assert.deepEqual(
        ex.items.map((i) => i.type === 'asset' && i.name),
        ['pear.png', 'apple.png'],
      );
      assert.equal(ex.mediaContext?.[0]?.type === 'asset' && ex.mediaContext[0].name, 'ref.png');
      assert.deepEqual(ex.settings, ['Markdown']);
      const cls = await a.addClassificationExample({
        instruction: 'Which fruit?',
        answerOptions: ['apple', 'pear', 'plum'],
        datapoint: 'A round red fruit.',
        dataType: 'text',
        truth: ['apple'],
        context: 'Think of colour.',
        settings: [new NoShuffleSetting()],
      });
      assert.equal(cls.randomCorrectProbability, 1 / 3);
      assert.deepEqual(cls.items, [{ type: 'text', text: 'A round red fruit.' }]);
      const txt = await a.addCompareExample({
        instruction: 'Which reply is kinder?',
        dataType: 'text',
        datapoint: ['Thanks!', 'Whatever.'],
        truth: 'Thanks!',
      });
      assert.deepEqual(
        (await a.getExamples()).map((e) => e.id),
        [ex.id, cls.id, txt.id],
      );
      assert.deepEqual(
        (await a.getExamples({ amount: 1, page: 2 })).map((e) => e.id),
        [cls.id],
      );
      const gold = await a.addCompareExample({
        instruction: 'Which reply is kinder?',
        dataType: 'text',
        datapoint: ['Please.', 'No.'],
        truth: 'Please.',
        purpose: 'gold',
      });
      assert.deepEqual(
        (await a.getExamples()).map((e) => [e.id, e.purpose]),
        [
          [ex.id, 'qualification'],
          [cls.id, 'qualification'],
          [txt.id, 'qualification'],
          [gold.id, 'gold'],
        ],
      );
      assert.deepEqual(
        (await a.getExamples({ purpose: 'gold' })).map((e) => e.id),
        [gold.id],
      );
      await assert.rejects(
        a.getExamples({ purpose: 'secret' as 'gold' }),
        (err: Error) => err.name === 'JuryValidationError',
      );
      await assert.rejects(
        () =>
          a.addCompareExample({
            instruction: 'i',
            datapoint: ['x', 'y'],
            truth: 'x',
            purpose: 'secret' as 'gold',
          }),
        /purpose is 'qualification' or 'gold'/,
      );
      const stats = await a.getStats();
      assert.deepEqual(stats, {
        audienceId: a.id,
        members: { qualifying: 0, qualified: 0, dropped: 0 },
        examples: 3,
        ready: true,
      });
      const quiet = await client.audience.createAudience('Quiet', { showQualificationFeedback: false });
      assert.equal((await client.audience.getAudienceById(quiet.id)).id, quiet.id);
      await assert.rejects(
        () =>
          client.audience.createAudience('Loud', { showQualificationFeedback: 'yes' as unknown as boolean }),
        /showQualificationFeedback is true or false/,
      );
    });

    test('early validation mirrors the server: nothing is sent or uploaded', async () => {
      const a = await client.audience.createAudience('Early');
      const apple = join(work, 'apple.png');
      const cases: [string, () => Promise<unknown>, RegExp][] = [
        [
          'long instruction',
          () => a.addCompareExample({ instruction: 'x'.repeat(251), datapoint: [apple, 'b'], truth: apple }),
          /instruction is 251 characters; maximum is 250/,
        ],
        [
          'three items',
          () => a.addCompareExample({ instruction: 'i', datapoint: [apple, 'b', 'c'], truth: apple }),
          /exactly two items in datapoint; got 3/,
        ],
        [
          'same item twice',
          () => a.addCompareExample({ instruction: 'i', datapoint: [apple, apple], truth: apple }),
          /two different items/,
        ],
        [
          'truth not an item',
          () => a.addCompareExample({ instruction: 'i', datapoint: [apple, 'b.png'], truth: 'c.png' }),
          /Truth must be one of the datapoint's items/,
        ],
        [
          'long context',
          () =>
            a.addCompareExample({
              instruction: 'i',
              datapoint: [apple, 'b.png'],
              truth: apple,
              context: 'c'.repeat(401),
            }),
          /context is 401 characters; maximum is 400/,
        ],
        [
          'empty context',
          () =>
            a.addCompareExample({ instruction: 'i', datapoint: [apple, 'b.png'], truth: apple, context: '' }),
          /context cannot be an empty string/,
        ],
        [
          'empty media context',
          () =>
            a.addCompareExample({
              instruction: 'i',
              datapoint: [apple, 'b.png'],
              truth: apple,
              mediaContext: [],
            }),
          /mediaContext cannot be empty/,
        ],
        [
          'bad dataType',
          () =>
            a.addCompareExample({
              instruction: 'i',
              datapoint: [apple, 'b.png'],
              truth: apple,
              dataType: 'video' as never,
            }),
          /dataType is "media" or "text"/,
        ],
        [
          'unknown setting',
          () =>
            a.addCompareExample({
              instruction: 'i',
              datapoint: [apple, 'b.png'],
              truth: apple,
              settings: ['Shuffle' as never],
            }),
          /Unknown setting "Shuffle"/,
        ],
        [
          'duplicate options',
          () =>
            a.addClassificationExample({
              instruction: 'i',
              answerOptions: ['a', 'b', 'a'],
              datapoint: apple,
              truth: ['a'],
            }),
          /"a" is listed twice/,
        ],
        [
          'empty option',
          () =>
            a.addClassificationExample({
              instruction: 'i',
              answerOptions: ['a', ''],
              datapoint: apple,
              truth: ['a'],
            }),
          /cannot be empty/,
        ],
        [
          'truth not an option',
          () =>
            a.addClassificationExample({
              instruction: 'i',
              answerOptions: ['a', 'b'],
              datapoint: apple,
              truth: ['c'],
            }),
          /Truth must be part of the answer options/,
        ],
        [
          'truth not a list',
          () =>
            a.addClassificationExample({
              instruction: 'i',
              answerOptions: ['a', 'b'],
              datapoint: apple,
              truth: 'a' as never,
            }),
          /Truth must be a list of strings/,
        ],
        [
          'classification datapoint list',
          () =>
            a.addClassificationExample({
              instruction: 'i',
              answerOptions: ['a', 'b'],
              datapoint: [apple] as never,
              truth: ['a'],
            }),
          /not a list/,
        ],
        ['empty filter list', () => a.filter([]), /At least one filter must be provided/],
        ['not a filter', () => a.filter([{ type: 'country' } as never]), /filters\[0\] is not a filter/],
        ['empty name', () => client.audience.createAudience(' '), /Give the audience a name/],
        [
          'targetAccuracy above 1',
          () => client.audience.createAudience('x', { targetAccuracy: 1.2 }),
          /targetAccuracy is a share of correct answers in \[0, 1\]/,
        ],
        [
          'minExamples 0',
          () => client.audience.createAudience('x', { minExamples: 0 }),
          /minExamples is a whole number/,
        ],
        [
          'amount 0',
          () => client.audience.findAudiences({ amount: 0 }),
          /amount is a whole number from 1 to 500/,
        ],
      ];
      const assetsBefore = await server.database.db
        .selectFrom('assets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      for (const [name, run, message] of cases)
        await assert.rejects(run, (err: unknown) => {
          assert.ok(err instanceof JuryValidationError, `${name}: ${String(err)}`);
          assert.equal(err.code, 'VALIDATION_FAILED');
          assert.equal(err.status, 0, `${name} was checked by the server, not the SDK`);
          assert.match(err.message, message, name);
          return true;
        });
      const assetsAfter = await server.database.db
        .selectFrom('assets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(assetsAfter.n), Number(assetsBefore.n));
      assert.deepEqual(await a.getExamples(), []);
      // Two files with the same basename cannot be told apart in results: refused before sending.
      const nested = join(work, 'nested');
      await import('node:fs/promises').then((fs) => fs.mkdir(nested, { recursive: true }));
      await writeFile(join(nested, 'apple.png'), makePng(9));
      await assert.rejects(
        a.addCompareExample({
          instruction: 'i',
          datapoint: [apple, join(nested, 'apple.png')],
          truth: apple,
        }),
        /Both items are known by the name "apple.png"/,
      );
    });

    test('assignJob and findJobs on custom, filtered and global audiences', async () => {
      const res = await client.fetch('POST', '/api/v1/job-definitions', {
        json: {
          type: 'compare',
          name: 'Kindness',
          instruction: 'Which reply is kinder?',
          dataType: 'text',
          datapoints: [
            [{ text: 'Thanks!' }, { text: 'Whatever.' }],
            [{ text: 'Sure.' }, { text: 'No.' }],
          ],
        },
      });
      const definition = await client.job.getJobDefinitionById(
        ((await res.json()) as { data: { id: string } }).data.id,
      );
      const a = await client.audience.createAudience('Job audience');
      const stderr = process.stderr.write;
      let logged = '';
      process.stderr.write = ((chunk: string | Uint8Array) => {
        logged += String(chunk);
        return true;
      }) as typeof process.stderr.write;
      let job: Awaited<ReturnType<JuryAudience['assignJob']>>;
      try {
        job = await a.assignJob(definition);
      } finally {
        process.stderr.write = stderr;
      }
      assert.match(logged, /WARNING - .*Audience .*has 0 qualification examples/);
      assert.match(job.id, /^job_/);
      assert.equal(job.audienceId, a.id);
      assert.equal(job.status, 'running');
      tick();
      const fau = await a.filter([new CountryFilter(['US'])]);
      const fjob = await fau.assignJob(definition.id, { name: 'Kindness (US)' });
      assert.equal(fjob.name, 'Kindness (US)');
      assert.equal(fjob.audienceId, fau.id);
      tick();
      const global = await client.audience.getAudienceById('global');
      const gjob = await global.assignJob(definition);
      assert.deepEqual(
        (await a.findJobs()).map((j) => j.id),
        [job.id],
      );
      assert.deepEqual(
        (await fau.findJobs({ name: 'us' })).map((j) => j.id),
        [fjob.id],
      );
      assert.deepEqual(await fau.findJobs({ name: 'nothing like this' }), []);
      assert.ok((await global.findJobs()).some((j) => j.id === gjob.id));
      await assert.rejects(a.assignJob(''), /assignJob takes a job definition/);
      await assert.rejects(a.findJobs({ amount: 0 }), /amount is a whole number/);
      await assert.rejects(a.assignJob('jdf_missing'), JuryNotFoundError);
      // Another organization cannot assign to this audience.
      const theirs = await other.audience.createAudience('Theirs');
      await assert.rejects(
        client.fetch('POST', '/api/v1/jobs', {
          json: { definitionId: definition.id, audienceId: theirs.id },
        }),
        JuryNotFoundError,
      );
    });

    test('filter() gives a slim filtered audience; no nested filtering; delete hides it', async () => {
      const a = await client.audience.createAudience('Base for filters');
      const fau = await a.filter([new CountryFilter(['us']), new LanguageFilter(['en'])]);
      assert.ok(fau instanceof JuryFilteredAudience);
      assert.match(fau.id, /^fau_/);
      assert.equal(fau.baseAudienceId, a.id);
      assert.equal(fau.name, 'Base for filters (country in US and language in en)');
      // Slim in types (these do not compile on a JuryFilteredAudience); untyped callers get a clear error.
      await assert.rejects(
        fau.filter([new CountryFilter(['CA'])] as never),
        new RegExp(
          `${fau.id} is a filtered audience and cannot be filtered again; filter its base audience ${a.id}`,
        ),
      );
      for (const run of [
        () => fau.addCompareExample({ instruction: 'i', datapoint: ['a', 'b'], truth: 'a' } as never),
        () => fau.addClassificationExample({} as never),
        () => fau.getExamples(),
      ])
        await assert.rejects(run, (err: unknown) => {
          assert.ok(err instanceof JuryValidationError);
          assert.match(
            err.message,
            new RegExp(
              `filtered audience: it has no qualification examples of its own .*Add examples to ${a.id}`,
            ),
          );
          return true;
        });
      // A fau_ id gives the filtered handle; any id typed as string gives a JuryAudience (filter, examples).
      const again = await client.audience.getAudienceById(fau.id);
      assert.ok(again instanceof JuryFilteredAudience);
      assert.equal(again.kind, 'filtered');
      const idFromConfig: string = a.id;
      const base = await client.audience.getAudienceById(idFromConfig);
      const canadians = await base.filter([new CountryFilter(['CA'])]);
      assert.equal(canadians.baseAudienceId, a.id);
      await canadians.delete();
      assert.deepEqual(
        again.filters.map((f) => f.toJSON()),
        fau.filters.map((f) => f.toJSON()),
      );
      const global = await client.audience.getAudienceById('global');
      const germans = await global.filter([new LanguageFilter(['de'])], 'German speakers');
      assert.equal(germans.baseAudienceId, 'global');
      assert.equal(germans.name, 'German speakers');
      // The server refuses what the SDK cannot know locally.
      const res = await client
        .fetch('POST', `/api/v1/audiences/${fau.id}/filter`, {
          json: { filters: [{ type: 'country', countries: ['US'] }] },
        })
        .catch((e: unknown) => e);
      assert.ok(res instanceof JuryConflictError);
      await assert.rejects(
        global.addCompareExample({ instruction: 'i', datapoint: ['a', 'b'], truth: 'a', dataType: 'text' }),
        /global audience has no qualification examples/,
      );
      await assert.rejects(global.delete(), /cannot be deleted/);
      await assert.rejects(client.fetch('DELETE', '/api/v1/audiences/global'), JuryForbiddenError);
      await fau.delete();
      await assert.rejects(client.audience.getAudienceById(fau.id), JuryNotFoundError);
      await a.delete();
      assert.deepEqual(
        (await client.audience.findAudiences({ name: 'Base for filters' })).map((x) => x.id),
        [],
      );
    });

    test('recruitment: invite links (single, shared, revoked) and a study, as requesters set them', async () => {
      const a = (await client.audience.createAudience('Recruited by the SDK')) as JuryAudience;
      assert.equal((await a.getRecruitment()).mode, 'open');
      assert.equal((await a.setRecruitment({ mode: 'invite' })).mode, 'invite');
      const single = await a.createInvite({ kind: 'single', label: 'Ada' });
      assert.match(single.url, /\/label\/invite\/inv_/);
      const shared = await a.createInvite({ kind: 'shared', maxUses: 5 });
      await a.revokeInvite(shared.id);
      const listed = await a.listInvites();
      assert.deepEqual(listed.map((i) => [i.kind, i.state, i.maxUses]).sort(), [
        ['shared', 'revoked', 5],
        ['single', 'active', 1],
      ]);
      await assert.rejects(a.createInvite({ kind: 'shared' }), JuryValidationError);
      await assert.rejects(a.revokeInvite('inv_doesnotexist000'), JuryNotFoundError);
      const study = await a.setRecruitment({
        mode: 'study',
        study: { completionCode: 'C1A2B3', screenedOutCode: 'C9X8Y7', tasksPerLabeler: 10 },
      });
      assert.equal(study.study?.returnUrl, 'https://app.prolific.com/submissions/complete?cc={code}');
      assert.match(study.entryUrl ?? '', new RegExp(`/label/study/${a.id}\\?PROLIFIC_PID=`));
      const foreign = (await other.audience.createAudience('Theirs')) as JuryAudience;
      await assert.rejects(
        client.call(getRecruitmentRoute, { params: { id: foreign.id } }),
        JuryNotFoundError,
      );
      await a.delete();
    });
  });
}
