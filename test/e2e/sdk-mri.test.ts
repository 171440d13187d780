import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  JuryBenchmark,
  JuryClient,
  JuryConflictError,
  JuryLeaderboard,
  JuryNotFoundError,
  JuryParticipant,
  JuryUploadError,
  JuryValidationError,
} from '@jury/sdk';
import { auth, createManualClock, type RunningServer, startServer } from '@jury/server';
import {
  createPostgresDatabase,
  DATABASES,
  isolateProcessEnv,
  makePng,
  startMediaServer,
  tempDirs,
} from './helpers.ts';

// client.mri against a real in-process server, on SQLite and (with TEST_DATABASE_URL) Postgres. Votes come from
// importVotes here; test/e2e/mri-simulate.test.ts has labelers (jury simulate) answer the matchups.

const PROMPTS = [
  'A serene mountain landscape at sunset',
  'A futuristic city with flying cars',
  'A portrait of a wise old wizard',
];

for (const backend of DATABASES) {
  describe(`client.mri on ${backend}`, () => {
    let dirs: Awaited<ReturnType<typeof tempDirs>>;
    let server: RunningServer;
    let client: JuryClient;
    let other: JuryClient;
    let work: string;
    let restoreEnv: () => void;
    let media: Awaited<ReturnType<typeof startMediaServer>>;
    let pgDb: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
    const clock = createManualClock(new Date('2026-05-01T09:00:00Z'));
    const file = (name: string) => join(work, name);

    before(async () => {
      dirs = await tempDirs();
      restoreEnv = isolateProcessEnv(await dirs.make('home'));
      work = await dirs.make('work');
      media = await startMediaServer();
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
      let seed = 1;
      for (const model of ['a', 'b', 'c', 'd'])
        for (const p of ['mountain', 'city', 'wizard', 'extra'])
          await writeFile(file(`${model}-${p}.png`), makePng(seed++));
      await writeFile(file('ref.png'), makePng(99));
    });
    after(async () => {
      restoreEnv?.();
      await server?.close();
      await media?.close();
      await pgDb?.drop();
      await dirs?.cleanup();
    });

    test('the seed example: benchmark, leaderboard, evaluateModel, addModel + uploadMedia + run, benchmark.run', async () => {
      const benchmark = await client.mri.createNewBenchmark('AI Art Competition', {
        prompts: PROMPTS,
        tags: [['landscape', 'outdoor'], ['outdoor', 'city'], ['portrait']],
      });
      assert.ok(benchmark instanceof JuryBenchmark);
      assert.match(benchmark.id, /^bmk_/);
      assert.equal(benchmark.promptCount, 3);
      const prompts = await benchmark.prompts();
      assert.deepEqual(
        prompts.map((p) => [p.identifier, p.prompt, p.tags]),
        [
          [PROMPTS[0], PROMPTS[0], ['landscape', 'outdoor']],
          [PROMPTS[1], PROMPTS[1], ['outdoor', 'city']],
          [PROMPTS[2], PROMPTS[2], ['portrait']],
        ],
      );

      const audience = await client.audience.getAudienceById('global');
      const leaderboard = await benchmark.createLeaderboard({
        name: 'Realism',
        instruction: 'Which image is more realistic?',
        showPrompt: false,
        showPromptAsset: true,
        inverseRanking: false,
        levelOfDetail: 'debug',
        audience,
        minResponsesPerMatchup: 3,
      });
      assert.ok(leaderboard instanceof JuryLeaderboard);
      assert.equal(leaderboard.responseBudget, 20);
      assert.equal(leaderboard.minResponsesPerMatchup, 3);
      assert.equal(leaderboard.voteAggregation, 'all', "Jury's default");
      assert.equal(leaderboard.audienceId, 'global');
      assert.equal(leaderboard.showPromptAsset, true);
      assert.equal(leaderboard.matching, false, 'no model yet');
      assert.equal(leaderboard.view({ open: false }), `${client.url}/leaderboards/${leaderboard.id}`);

      // local files and a URL; the same prompt twice
      const v2 = await benchmark.evaluateModel('MyAIModel_v2.1', {
        media: [
          file('a-mountain.png'),
          media.url('/sunset-two.png'),
          file('a-city.png'),
          file('a-wizard.png'),
        ],
        prompts: [PROMPTS[0]!, PROMPTS[0]!, PROMPTS[1]!, PROMPTS[2]!],
      });
      assert.ok(v2 instanceof JuryParticipant);
      assert.equal(v2.status, 'submitted');
      assert.equal(v2.mediaCount, 4);
      const names = (await v2.media()).map((m) => [m.identifier, m.item.type === 'asset' ? m.item.name : '']);
      assert.deepEqual(
        names.sort(),
        [
          [PROMPTS[0], 'a-mountain.png'],
          [PROMPTS[0], media.url('/sunset-two.png')],
          [PROMPTS[1], 'a-city.png'],
          [PROMPTS[2], 'a-wizard.png'],
        ].sort(),
      );

      const b = await benchmark.addModel('ModelB', {
        media: [file('b-mountain.png'), file('b-city.png')],
        prompts: [PROMPTS[0]!, PROMPTS[1]!],
      });
      assert.equal(b.status, 'created');
      await b.uploadMedia({ media: [file('b-wizard.png')], identifiers: [PROMPTS[2]!] });
      assert.equal(b.mediaCount, 3);
      await b.run();
      assert.equal(b.status, 'submitted');
      await assert.rejects(b.run(), JuryConflictError, 'a submitted model is not run again');

      await benchmark.addModel('ModelC', { media: [file('c-mountain.png')], prompts: [PROMPTS[0]!] });
      const empty = await benchmark.addModel('ModelD');
      assert.equal(empty.mediaCount, 0);
      const submitted = await benchmark.run();
      assert.deepEqual(
        submitted.map((p) => p.name),
        ['ModelC'],
        'only created models with media',
      );
      assert.deepEqual((await benchmark.participants()).map((p) => [p.name, p.status]).sort(), [
        ['ModelB', 'submitted'],
        ['ModelC', 'submitted'],
        ['ModelD', 'created'],
        ['MyAIModel_v2.1', 'submitted'],
      ]);
      assert.equal(benchmark.participantCount, 4);
      assert.equal((await leaderboard.refresh()).matching, true, 'submitted models are matched');

      // get and find
      const again = await client.mri.getBenchmarkById(benchmark.id);
      assert.equal(again.name, 'AI Art Competition');
      assert.equal(again.leaderboardCount, 1);
      const found = await client.mri.findBenchmarks({ name: 'art', amount: 10 });
      assert.deepEqual(
        found.map((x) => x.id),
        [benchmark.id],
      );
      assert.equal((await benchmark.leaderboards())[0]?.id, leaderboard.id);
      assert.equal((await client.mri.getLeaderboardById(leaderboard.id)).name, 'Realism');
      assert.equal((await client.mri.getParticipantById(b.id)).name, 'ModelB');

      // votes (imported here), standings with intervals and tags, the win/loss matrix
      const battles = [
        ...Array.from({ length: 8 }, () => ({
          modelA: 'MyAIModel_v2.1',
          modelB: 'ModelB',
          winner: 'model_a' as const,
        })),
        ...Array.from({ length: 2 }, () => ({
          modelA: 'MyAIModel_v2.1',
          modelB: 'ModelB',
          winner: 'model_b' as const,
        })),
        ...Array.from({ length: 7 }, () => ({
          modelA: 'ModelB',
          modelB: 'ModelC',
          winner: 'a' as const,
          prompt: PROMPTS[0]!,
        })),
        { modelA: 'ModelB', modelB: 'ModelC', winner: 'b' as const, prompt: PROMPTS[0]! },
        { modelA: 'ModelB', modelB: 'ModelC', winner: 'tie' as const, prompt: PROMPTS[0]! },
      ];
      assert.deepEqual(await leaderboard.importVotes({ battles }), {
        imported: battles.length,
        models: ['ModelB', 'ModelC', 'MyAIModel_v2.1'],
      });
      const standings = await leaderboard.getStandings();
      assert.deepEqual(
        standings.standings.map((s) => s.name),
        ['MyAIModel_v2.1', 'ModelB', 'ModelC'],
      );
      assert.equal(standings.method, 'sandwich');
      for (const s of standings.standings)
        assert.ok(s.lower < s.score && s.score < s.upper, JSON.stringify(s));
      const overall = await benchmark.getOverallStandings({ leaderboards: [leaderboard] });
      assert.deepEqual(overall.leaderboardIds, [leaderboard.id]);
      assert.deepEqual(
        overall.standings.map((s) => [s.name, s.score]),
        standings.standings.map((s) => [s.name, s.score]),
      );
      assert.equal(await v2.getElo(), standings.standings[0]?.score);
      assert.equal(await empty.getElo(), null, 'no votes yet');
      await assert.rejects(
        benchmark.getOverallStandings({ leaderboard: [leaderboard] } as never),
        /did you mean 'leaderboards'\?/,
      );
      const boot = await leaderboard.getStandings({ intervals: 'bootstrap' });
      assert.equal(boot.method, 'bootstrap');
      const landscape = await leaderboard.getStandings({ tags: ['landscape'] });
      assert.deepEqual(landscape.tags, ['landscape']);
      assert.equal(landscape.totalVotes, 9, 'only the battles on the landscape prompt');
      const none = await leaderboard.getStandings({ tags: [] });
      assert.equal(none.totalVotes, 0);
      const matrix = await leaderboard.getWinLossMatrix();
      assert.deepEqual(matrix.models, ['ModelB', 'ModelC', 'MyAIModel_v2.1']);
      assert.equal(matrix.wins[2]?.[0], 8, 'MyAIModel_v2.1 beat ModelB 8 times');
      assert.equal(matrix.votes[0]?.[1], 9);
      assert.equal((await leaderboard.getWinLossMatrix({ tags: ['portrait'] })).models.length, 0);
      const csv = await leaderboard.importVotes({ csv: 'model_a,model_b,winner\nModelC,ModelB,tie\n' });
      assert.equal(csv.imported, 1);

      // status, rename, disable/enable, delete
      await b.disable();
      assert.equal(b.status, 'disabled');
      await b.enable();
      assert.equal(b.status, 'submitted');
      await b.enable(); // enabling an enabled model changes nothing
      await b.rename('ModelB v2');
      assert.equal((await b.refresh()).name, 'ModelB v2');
      await assert.rejects(b.rename('ModelC'), JuryConflictError, 'names are unique in a benchmark');
      await empty.delete();
      await assert.rejects(empty.refresh(), JuryNotFoundError);

      // prompts added later, with a local asset
      const added = await benchmark.addPrompts({
        identifiers: ['new_style'],
        prompts: ['Generate artwork in this new style'],
        promptAssets: [file('ref.png')],
        tags: [['abstract', 'modern']],
      });
      assert.equal(added[0]?.promptAsset?.type, 'asset');
      assert.equal(benchmark.promptCount, 4);
      await assert.rejects(
        benchmark.addPrompts({ identifiers: ['new_style'], prompts: ['again'] }),
        JuryConflictError,
      );

      // another organization sees none of it
      await assert.rejects(other.mri.getBenchmarkById(benchmark.id), JuryNotFoundError);
      await assert.rejects(other.mri.getLeaderboardById(leaderboard.id), JuryNotFoundError);
      await assert.rejects(other.mri.getParticipantById(v2.id), JuryNotFoundError);
      assert.deepEqual(await other.mri.findBenchmarks(), []);
    });

    test('leaderboard options, update and runs; tags with categories, origins, English versions; prompt updates; the benchmark matrix', async () => {
      const bench = await client.mri.createNewBenchmark('Options', {
        identifiers: ['beach', 'city', 'kitchen'],
        prompts: ['une plage', 'a city', 'a kitchen'],
        englishPrompts: ['a beach', null, null],
        tags: [['outdoor', { value: 'sunny', category: 'weather' }], ['outdoor', 'night'], ['indoor']],
        origins: ['parti-prompts', { source: 'team' }, null],
      });
      const [beach, city] = await bench.prompts();
      assert.deepEqual(
        [beach?.englishPrompt, city?.englishPrompt, beach?.origin, city?.origin],
        ['a beach', 'a city', 'parti-prompts', 'team'],
        'without an English version the prompt is its own (Jury does not translate)',
      );
      assert.deepEqual(beach?.structuredTags, [
        { value: 'outdoor', category: null },
        { value: 'sunny', category: 'weather' },
      ]);
      const x = await bench.evaluateModel('x', {
        media: [file('a-mountain.png'), file('a-city.png')],
        identifiers: ['beach', 'city'],
      });
      const y = await bench.evaluateModel('y', {
        media: [file('b-mountain.png'), file('b-city.png')],
        identifiers: ['beach', 'city'],
      });
      const scoped = await bench.createLeaderboard({
        name: 'Outdoor by day',
        instruction: 'Which is sunnier?',
        includedTags: ['outdoor'],
        excludedTags: ['night'],
        minResponsesPerMatchup: 5,
        voteAggregation: 'majority',
      });
      assert.deepEqual(
        [scoped.includedTags, scoped.excludedTags, scoped.minResponsesPerMatchup, scoped.voteAggregation],
        [['outdoor'], ['night'], 5, 'majority'],
      );
      const [run] = await scoped.runs();
      assert.deepEqual(
        [run?.status, run?.budget, run?.votes, run?.promptIds, [...(run?.participantIds ?? [])].sort()],
        ['matching', 2000, 0, [beach?.id], [x.id, y.id].sort()],
      );
      const skipped = await bench.createLeaderboard({
        name: 'Later',
        instruction: 'Which is nicer?',
        skipInitialRun: true,
      });
      assert.deepEqual([skipped.matching, skipped.minResponsesPerMatchup], [false, 1]);
      assert.deepEqual(await skipped.runs(), []);
      await clock.advance(1000); // runs are listed by creation time
      const z = await bench.evaluateModel('z', { media: [file('c-mountain.png')], identifiers: ['beach'] });
      assert.deepEqual(
        (await skipped.runs()).map((r) => r.participantIds),
        [[z.id]],
        'a model added later is still matched',
      );
      assert.equal((await scoped.runs()).length, 2, 'newest first: z, then the initial run');
      assert.deepEqual((await scoped.runs())[0]?.participantIds, [z.id]);

      const updated = await scoped.update({ name: 'Sunny', levelOfDetail: 'medium', voteAggregation: 'all' });
      assert.equal(updated, scoped);
      assert.deepEqual(
        [
          scoped.name,
          scoped.levelOfDetail,
          scoped.responseBudget,
          scoped.voteAggregation,
          scoped.minResponsesPerMatchup,
        ],
        ['Sunny', 'medium', 4000, 'all', 5],
      );
      assert.equal((await client.mri.getLeaderboardById(scoped.id)).name, 'Sunny');

      // the benchmark's matrix: both leaderboards, or one; limited to models; weighted (imported battles weigh 1)
      await scoped.importVotes({ battles: [{ modelA: 'x', modelB: 'y', winner: 'a', prompt: 'beach' }] });
      await skipped.importVotes({
        battles: [
          { modelA: 'x', modelB: 'z', winner: 'b' },
          { modelA: 'y', modelB: 'z', winner: 'b' },
        ],
      });
      const all = await bench.getWinLossMatrix();
      assert.deepEqual(all.models, ['x', 'y', 'z']);
      const limited = await bench.getWinLossMatrix({ participants: [x, y.id], useWeightedScoring: true });
      assert.deepEqual(limited, {
        models: ['x', 'y'],
        wins: [
          [0, 1],
          [0, 0],
        ],
        votes: [
          [0, 1],
          [1, 0],
        ],
      });
      assert.deepEqual((await bench.getWinLossMatrix({ leaderboards: [skipped] })).wins[0], [0, 0, 0]);
      assert.deepEqual((await scoped.getWinLossMatrix({ useWeightedScoring: true })).models, ['x', 'y']);

      // updatePrompt by identifier; deletePrompt drops its votes from the standings
      const retagged = await bench.updatePrompt('kitchen', {
        tags: [{ value: 'indoor', category: 'place' }],
      });
      assert.deepEqual(retagged.structuredTags, [{ value: 'indoor', category: 'place' }]);
      assert.equal((await bench.updatePrompt('kitchen', { origin: 'set-2' })).tags[0], 'indoor');
      assert.equal((await scoped.getStandings()).totalVotes, 1);
      await bench.deletePrompt('beach');
      assert.equal((await scoped.getStandings()).totalVotes, 0, "the battle on 'beach' is gone");
      assert.equal(bench.promptCount, 2);
      assert.equal((await x.refresh()).mediaCount, 1);

      const rejectsWith = (p: Promise<unknown>, pattern: RegExp) =>
        assert.rejects(p, (err: Error) => {
          assert.ok(err instanceof JuryValidationError, `${err.name}: ${err.message}`);
          assert.match(err.message, pattern);
          return true;
        });
      await rejectsWith(bench.updatePrompt('beach', { origin: 'x' }), /No prompt .* "beach"/);
      await rejectsWith(bench.updatePrompt('city', {}), /Give tags or an origin/);
      await rejectsWith(bench.updatePrompt('city', { tag: ['x'] } as never), /did you mean 'tags'\?/);
      await rejectsWith(scoped.update({}), /at least one field/);
      await rejectsWith(scoped.update({ minResponsesPerMatchup: 1 }), /at least 3/);
      await rejectsWith(scoped.update({ instruction: 'Which?' } as never), /Unknown option 'instruction'/);
      await rejectsWith(
        bench.createLeaderboard({ name: 'L', instruction: 'Which?', voteAggregation: 'median' as never }),
        /voteAggregation/,
      );
      await rejectsWith(
        bench.createLeaderboard({ name: 'L', instruction: 'Which?', includedTags: 'outdoor' as never }),
        /includedTags/,
      );
      await rejectsWith(bench.getWinLossMatrix({ participants: [42 as never] }), /participants is a list/);
      await rejectsWith(bench.getWinLossMatrix({ useWeightedScoring: 'yes' as never }), /true or false/);
      await assert.rejects(bench.getWinLossMatrix({ participants: ['prt_nope'] }), /Not models of benchmark/);
      await rejectsWith(
        bench.addPrompts({
          identifiers: ['n'],
          prompts: ['p'],
          tags: [[{ value: 'v', kind: 'k' } as never]],
        }),
        /tags/,
      );
      await rejectsWith(
        bench.addPrompts({ identifiers: ['n'], prompts: ['p'], englishPrompts: ['a', 'b'] }),
        /equal length/,
      );
      assert.equal((await bench.refresh()).promptCount, 2);
      await assert.rejects(other.mri.getLeaderboardById(scoped.id), JuryNotFoundError);
    });

    test('identifiers, prompt assets only, and identifiers for the same prompt', async () => {
      const seeded = await client.mri.createNewBenchmark('Preference Benchmark', {
        identifiers: ['seed_1', 'seed_2', 'seed_3'],
        prompts: ['prompt_1', 'prompt_1', 'prompt_1'],
        promptAssets: [file('ref.png'), file('ref.png'), media.url('/asset1.png')],
      });
      const prompts = await seeded.prompts();
      assert.deepEqual(
        prompts.map((p) => p.identifier),
        ['seed_1', 'seed_2', 'seed_3'],
      );
      assert.equal(prompts[0]?.promptAsset?.type === 'asset' && prompts[0].promptAsset.name, 'ref.png');
      // a prompt text shared by identifiers: pair by identifiers
      await assert.rejects(
        seeded.evaluateModel('m', { media: [file('a-extra.png')], prompts: ['prompt_1'] }),
        (err: Error) =>
          err instanceof JuryValidationError && /pair the media by identifiers/.test(err.message),
      );
      const m = await seeded.evaluateModel('m', { media: [file('a-extra.png')], identifiers: ['seed_2'] });
      assert.equal(m.mediaCount, 1);
      const assetsOnly = await client.mri.createNewBenchmark('Assets only', {
        identifiers: ['image_1', 'image_2'],
        promptAssets: [media.url('/asset1.png'), media.url('/asset2.png')],
      });
      assert.equal(assetsOnly.promptCount, 2);
      const bare = await client.mri.createNewBenchmark('No prompts yet');
      assert.equal(bare.promptCount, 0);
    });

    test('bad input fails early with a clear error, before anything uploads', async () => {
      const bench = await client.mri.createNewBenchmark('Checks', { prompts: ['cat', 'dog'] });
      const missing = file('does-not-exist.png'); // would fail to upload: a validation error comes first
      const rejectsWith = async (p: Promise<unknown>, pattern: RegExp) =>
        assert.rejects(p, (err: Error) => {
          assert.ok(err instanceof JuryValidationError, `${err.name}: ${err.message}`);
          assert.match(err.message, pattern);
          return true;
        });
      await rejectsWith(
        client.mri.createNewBenchmark('x', { prompts: ['a', 'b'], identifiers: ['a'] }),
        /matched by index and must be of equal length/,
      );
      await rejectsWith(client.mri.createNewBenchmark('x', { prompts: ['a', 'a'] }), /must be unique/);
      await rejectsWith(
        client.mri.createNewBenchmark('x', { promptAssets: [missing] }),
        /Give identifiers, prompts, or both/,
      );
      await rejectsWith(
        client.mri.createNewBenchmark('x', { prompt: ['a'] } as never),
        /Unknown option 'prompt' for createNewBenchmark; did you mean 'prompts'\?/,
      );
      await rejectsWith(client.mri.createNewBenchmark(' '), /Give name as a non-empty string/);
      await rejectsWith(
        bench.evaluateModel('m', { media: [missing], prompts: ['a horse'] }),
        /Prompts not in the benchmark's prompt set: \["a horse"\]/,
      );
      await rejectsWith(
        bench.evaluateModel('m', { media: [missing], identifiers: ['s9'] }),
        /Identifiers not in the benchmark's prompt set: \["s9"\]/,
      );
      await rejectsWith(
        bench.evaluateModel('m', { media: [missing, missing], prompts: ['cat'] }),
        /2 media but 1 prompts/,
      );
      await rejectsWith(
        bench.evaluateModel('m', { media: [missing], prompts: ['cat'], identifiers: ['cat'] }),
        /exactly one of them/,
      );
      await rejectsWith(bench.evaluateModel('m', { media: [], prompts: [] }), /at least one media item/);
      await rejectsWith(
        bench.evaluateModel('m', { media: [42 as never], prompts: ['cat'] }),
        /media\[0\] is 42; give a file path or an http\(s\) URL/,
      );
      await rejectsWith(
        client.mri.createNewBenchmark('x', { prompts: ['a'], promptAssets: [{}] as never }),
        /promptAssets\[0\] is \{\}; give a file path or an http\(s\) URL \(or null\)/,
      );
      await rejectsWith(bench.evaluateModel('m', undefined as never), /needs media/);
      await rejectsWith(
        bench.addModel('m', { media: [missing], prompt: ['cat'] } as never),
        /Unknown option 'prompt' for addModel; did you mean 'prompts'\?/,
      );
      await rejectsWith(
        bench.createLeaderboard({ name: 'L', instruction: 'Which?', levelOfDetail: 'extreme' as never }),
        /levelOfDetail/,
      );
      await rejectsWith(
        bench.createLeaderboard({ name: 'L', instruction: 'Which?', minResponsesPerMatchup: 2 }),
        /minResponsesPerMatchup is at least 3/,
      );
      await rejectsWith(
        bench.createLeaderboard({ name: 'L', instruction: 'Which?', inverseRankng: true } as never),
        /did you mean 'inverseRanking'\?/,
      );
      await rejectsWith(
        bench.createLeaderboard({ name: 'L', instruction: ' ' }),
        /Labelers need an instruction/,
      );
      await assert.rejects(
        bench.createLeaderboard({ name: 'L', instruction: 'Which?', audience: 'aud_doesnotexist' }),
        JuryNotFoundError,
      );
      const board = await bench.createLeaderboard({ name: 'L', instruction: 'Which?' });
      assert.equal(board.levelOfDetail, 'low');
      assert.equal(board.responseBudget, 2000);
      await rejectsWith(board.getStandings({ tags: ['a,b'] }), /without commas/);
      await rejectsWith(board.getStandings({ intervals: 'profile' as never }), /intervals/);
      await rejectsWith(board.getStandings({ sklearnC: 0 }), /sklearnC is a positive number/);
      await rejectsWith(board.getStandings({ tag: ['x'] } as never), /did you mean 'tags'\?/);
      await rejectsWith(
        board.importVotes({ battles: [{ modelA: 'x', modelB: 'x', winner: 'a' }] }),
        /two different models/,
      );
      await rejectsWith(
        board.importVotes({ battles: [{ modelA: 'x', modelB: 'y', winner: 'draw' as never }] }),
        /winner/,
      );
      // a prompt asset that fails to upload: nothing is created
      const before = (await client.mri.findBenchmarks({ amount: 100 })).length;
      await assert.rejects(
        client.mri.createNewBenchmark('Broken asset', { prompts: ['p'], promptAssets: [missing] }),
        (err: Error) => err instanceof JuryUploadError && /nothing was created/.test(err.message),
      );
      await assert.rejects(
        bench.evaluateModel('m', { media: [media.url('/gone.png')], prompts: ['cat'] }),
        JuryUploadError,
      );
      assert.equal((await client.mri.findBenchmarks({ amount: 100 })).length, before);
      assert.equal((await bench.participants()).length, 0);
    });
  });
}
