/**
 * Audiences over real HTTP (requester API) and the admission functions labeling uses, on SQLite always and on
 * Postgres when TEST_DATABASE_URL is set.
 *
 * Bad input gets a clear error with a stable code and stores nothing:
 *
 * | #  | Case                                                          | Status | Code              |
 * |----|---------------------------------------------------------------|--------|-------------------|
 * | 1  | create: empty name                                            | 400    | VALIDATION_FAILED |
 * | 2  | create: name over 200 characters                              | 400    | VALIDATION_FAILED |
 * | 3  | create: passRule.targetAccuracy above 1                       | 400    | VALIDATION_FAILED |
 * | 4  | create: passRule.targetAccuracy below 0                       | 400    | VALIDATION_FAILED |
 * | 5  | create: passRule.minExamples 0                                | 400    | VALIDATION_FAILED |
 * | 6  | create: passRule.minExamples not a whole number               | 400    | VALIDATION_FAILED |
 * | 7  | create: unknown field                                         | 400    | VALIDATION_FAILED |
 * | 8  | create: lower-case country code                               | 400    | VALIDATION_FAILED |
 * | 9  | create: 3-letter country code                                 | 400    | VALIDATION_FAILED |
 * | 10 | create: upper-case language code                              | 400    | VALIDATION_FAILED |
 * | 11 | create: unknown filter type                                   | 400    | VALIDATION_FAILED |
 * | 12 | create: "and" filter with no filters                          | 400    | VALIDATION_FAILED |
 * | 13 | create: filters nested deeper than 8                          | 400    | VALIDATION_FAILED |
 * | 14 | get: unknown audience id                                      | 404    | NOT_FOUND         |
 * | 15 | get: another organization's audience                          | 404    | NOT_FOUND         |
 * | 16 | get: deleted audience                                         | 404    | NOT_FOUND         |
 * | 17 | delete: global                                                | 403    | FORBIDDEN         |
 * | 18 | delete: another organization's audience                       | 404    | NOT_FOUND         |
 * | 19 | filter: empty filter list                                     | 400    | VALIDATION_FAILED |
 * | 20 | filter: a filtered audience (no nested filtering)             | 409    | CONFLICT          |
 * | 21 | filter: another organization's audience                       | 404    | NOT_FOUND         |
 * | 22 | filter: lower-case country code                               | 400    | VALIDATION_FAILED |
 * | 23 | compare example: instruction over 250 characters              | 400    | VALIDATION_FAILED |
 * | 24 | compare example: one item                                     | 400    | VALIDATION_FAILED |
 * | 25 | compare example: three items                                  | 400    | VALIDATION_FAILED |
 * | 26 | compare example: the same item twice                          | 400    | VALIDATION_FAILED |
 * | 27 | compare example: truth not among the items                    | 400    | VALIDATION_FAILED |
 * | 28 | compare example: context over 400 characters                  | 400    | VALIDATION_FAILED |
 * | 29 | compare example: empty context                                | 400    | VALIDATION_FAILED |
 * | 30 | compare example: empty mediaContext list                      | 400    | VALIDATION_FAILED |
 * | 31 | compare example: mediaContext over 10 items                   | 400    | VALIDATION_FAILED |
 * | 32 | compare example: text items with dataType media               | 400    | VALIDATION_FAILED |
 * | 33 | compare example: asset items with dataType text               | 400    | VALIDATION_FAILED |
 * | 34 | compare example: unknown asset                                | 404    | NOT_FOUND         |
 * | 35 | compare example: another organization's asset                 | 404    | NOT_FOUND         |
 * | 36 | compare example: unknown setting                              | 400    | VALIDATION_FAILED |
 * | 37 | classification example: duplicate answer options              | 400    | VALIDATION_FAILED |
 * | 38 | classification example: empty answer option                   | 400    | VALIDATION_FAILED |
 * | 39 | classification example: a single answer option                | 400    | VALIDATION_FAILED |
 * | 40 | classification example: truth not among the options           | 400    | VALIDATION_FAILED |
 * | 41 | classification example: empty truth list                      | 400    | VALIDATION_FAILED |
 * | 42 | classification example: truth not a list                      | 400    | VALIDATION_FAILED |
 * | 43 | classification example: truth lists an option twice           | 400    | VALIDATION_FAILED |
 * | 44 | classification example: datapoint is a list                   | 400    | VALIDATION_FAILED |
 * | 45 | example: unknown taskType                                     | 400    | VALIDATION_FAILED |
 * | 46 | example: on the global audience                               | 409    | CONFLICT          |
 * | 47 | example: on a filtered audience                               | 409    | CONFLICT          |
 * | 48 | example: on another organization's audience                   | 404    | NOT_FOUND         |
 * | 49 | examples list: another organization's audience                | 404    | NOT_FOUND         |
 * | 50 | stats: another organization's audience                        | 404    | NOT_FOUND         |
 * | 51 | find: amount 0                                                | 400    | VALIDATION_FAILED |
 * | 52 | find: unknown query parameter                                 | 400    | VALIDATION_FAILED |
 * | 53 | create: showQualificationFeedback not a boolean               | 400    | VALIDATION_FAILED |
 * | 54 | example: unknown purpose                                      | 400    | VALIDATION_FAILED |
 * | 55 | examples list: unknown purpose                                | 400    | VALIDATION_FAILED |
 * Afterwards: no audience or example was stored by any of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Audience, AudienceExample, AudienceStats } from '@jury/api';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials, buildLabeler, requestToken } from '../../test/factories.ts';
import { createManualClock } from '../http/clock.ts';
import { type RunningServer, startServer } from '../server.ts';
import { audienceAdmissions, customRootOf, getAssignableAudience, qualificationStatus } from './service.ts';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082',
  'hex',
);

const textCompare = (over: Record<string, unknown> = {}) => ({
  taskType: 'compare',
  instruction: 'Which text is friendlier?',
  dataType: 'text',
  datapoint: [{ text: 'Hello there!' }, { text: 'Go away.' }],
  truth: 'Hello there!',
  ...over,
});
const classify = (over: Record<string, unknown> = {}) => ({
  taskType: 'classification',
  instruction: 'What animal is this?',
  dataType: 'text',
  answerOptions: ['cat', 'dog', 'bird'],
  datapoint: { text: 'It purrs.' },
  truth: ['cat'],
  ...over,
});

for (const target of testDatabaseTargets()) {
  describe(`audiences on ${target.name}`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    const clock = createManualClock(new Date('2026-04-01T10:00:00Z'));
    let base = '';
    let token = '';
    let otherToken = '';
    let assetId = '';
    let otherAssetId = '';

    const call = async (method: string, path: string, body?: unknown, bearer = token) => {
      clock.advance(1000);
      return fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    };
    const ok = async <T>(res: Promise<Response>, status = 200): Promise<T> => {
      const r = await res;
      const text = await r.text();
      assert.equal(r.status, status, text);
      return (JSON.parse(text) as { data: T }).data;
    };
    const createAudience = (body: unknown, bearer = token) =>
      ok<Audience>(call('POST', '/api/v1/audiences', body, bearer), 201);
    const db = () => server.database.db;

    before(async () => {
      env = await createTestEnvironment(target);
      server = await startServer({ port: 0, dataDir: env.dataDir, databaseUrl: env.databaseUrl, clock });
      base = server.url;
      const boot = server.bootstrap!;
      token = await requestToken(base, { clientId: boot.client.id, secret: boot.secret });
      otherToken = (await buildCredentials({ url: base, db: db(), clock })).token;
      const upload = async (bearer: string) => {
        const r = await fetch(`${base}/api/v1/assets?fileName=dot.png`, {
          method: 'POST',
          body: PNG,
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/octet-stream' },
        });
        return ((await r.json()) as { data: { id: string } }).data.id;
      };
      assetId = await upload(token);
      otherAssetId = await upload(otherToken);
    });
    after(async () => {
      await server?.close();
      await env?.cleanup();
    });

    it('creates a custom audience with the default pass rule, or an overridden one, and gets it back', async () => {
      const a = await createAudience({ name: '  Careful raters ' });
      assert.match(a.id, /^aud_/);
      assert.equal(a.name, 'Careful raters');
      assert.equal(a.kind, 'custom');
      assert.deepEqual(a.passRule, { targetAccuracy: 0.75, minExamples: 3 });
      assert.deepEqual(a.filters, []);
      assert.equal(a.baseAudienceId, null);
      assert.equal(a.createdAt, clock.now().toISOString());
      const b = await createAudience({
        name: 'Strict US',
        passRule: { targetAccuracy: 0.9 },
        filters: [{ type: 'country', countries: ['US'] }],
      });
      assert.deepEqual(b.passRule, { targetAccuracy: 0.9, minExamples: 3 });
      assert.deepEqual(b.filters, [{ type: 'country', countries: ['US'] }]);
      assert.deepEqual(await ok<Audience>(call('GET', `/api/v1/audiences/${b.id}`)), b);
    });

    it("gets the virtual 'global' audience", async () => {
      const g = await ok<Audience>(call('GET', '/api/v1/audiences/global'));
      assert.deepEqual(g, {
        id: 'global',
        kind: 'global',
        name: 'Global',
        baseAudienceId: null,
        filters: [],
        passRule: null,
        showQualificationFeedback: false,
        createdAt: null,
      });
    });

    it('finds audiences newest first, by name, paged, only live ones of the organization', async () => {
      const x1 = await createAudience({ name: 'Find me one' });
      const x2 = await createAudience({ name: 'find ME two' });
      const gone = await createAudience({ name: 'Find me gone' });
      await createAudience({ name: 'Find me other org' }, otherToken);
      assert.equal((await call('DELETE', `/api/v1/audiences/${gone.id}`)).status, 204);
      const r = await call('GET', '/api/v1/audiences?name=find%20me&amount=1&page=1');
      const page = (await r.json()) as { data: Audience[]; total: number; page: number; amount: number };
      assert.deepEqual(
        page.data.map((a) => a.id),
        [x2.id],
      );
      assert.deepEqual([page.total, page.page, page.amount], [2, 1, 1]);
      const p2 = (await (await call('GET', '/api/v1/audiences?name=FIND&amount=1&page=2')).json()) as {
        data: Audience[];
      };
      assert.deepEqual(
        p2.data.map((a) => a.id),
        [x1.id],
      );
      const all = (await (await call('GET', '/api/v1/audiences')).json()) as {
        data: Audience[];
        amount: number;
      };
      assert.equal(all.amount, 10);
      assert.ok(!all.data.some((a) => a.id === gone.id || a.id === 'global'));
    });

    it('adds compare and classification examples (text and media) and lists them in order', async () => {
      const a = await createAudience({ name: 'Examples' });
      const ex1 = await ok<AudienceExample>(
        call('POST', `/api/v1/audiences/${a.id}/examples`, {
          ...textCompare(),
          context: 'Be fair.',
          explanation: 'Rudeness loses.',
          settings: ['Markdown', 'AllowNeitherBoth', 'Markdown'],
        }),
        201,
      );
      assert.match(ex1.id, /^aex_/);
      assert.deepEqual(ex1.items, [
        { type: 'text', text: 'Hello there!' },
        { type: 'text', text: 'Go away.' },
      ]);
      assert.deepEqual(ex1.truth, ['Hello there!']);
      assert.equal(ex1.randomCorrectProbability, 0.5);
      assert.deepEqual(ex1.settings, ['Markdown', 'AllowNeitherBoth']);
      assert.equal(ex1.context, 'Be fair.');
      assert.equal(ex1.explanation, 'Rudeness loses.');
      assert.equal(ex1.answerOptions, null);
      const ex2 = await ok<AudienceExample>(
        call('POST', `/api/v1/audiences/${a.id}/examples`, {
          taskType: 'compare',
          instruction: 'Which image is sharper?',
          datapoint: [
            { assetId, name: 'left.png' },
            { assetId, name: 'https://example.com/right.png' },
          ],
          truth: 'https://example.com/right.png',
          mediaContext: [{ assetId, name: 'reference.png' }],
        }),
        201,
      );
      assert.equal(ex2.dataType, 'media');
      assert.deepEqual(ex2.items[1], {
        type: 'asset',
        assetId,
        url: ex2.items[0]?.type === 'asset' ? ex2.items[0].url : '',
        kind: 'image',
        name: 'https://example.com/right.png',
      });
      assert.match(ex2.items[0]?.type === 'asset' ? ex2.items[0].url : '', /^\/media\/[0-9a-f]{64}$/);
      assert.equal(ex2.mediaContext?.[0]?.type === 'asset' && ex2.mediaContext[0].name, 'reference.png');
      const ex3 = await ok<AudienceExample>(
        call('POST', `/api/v1/audiences/${a.id}/examples`, classify({ truth: ['cat', 'bird'] })),
        201,
      );
      assert.deepEqual(ex3.answerOptions, ['cat', 'dog', 'bird']);
      assert.equal(ex3.randomCorrectProbability, 2 / 3);
      assert.deepEqual(ex3.items, [{ type: 'text', text: 'It purrs.' }]);
      assert.deepEqual(
        [ex1, ex2, ex3].map((e) => e.sortIndex),
        [0, 1, 2],
      );
      const list = (await (await call('GET', `/api/v1/audiences/${a.id}/examples`)).json()) as {
        data: AudienceExample[];
        total: number;
      };
      assert.deepEqual(list.data, [ex1, ex2, ex3]);
      assert.equal(list.total, 3);
      const paged = (await (
        await call('GET', `/api/v1/audiences/${a.id}/examples?amount=1&page=3`)
      ).json()) as {
        data: AudienceExample[];
      };
      assert.deepEqual(paged.data, [ex3]);
      assert.equal(await customRootOf(db(), a.id), a.id);
      assert.deepEqual((await qualificationStatus(db(), [a.id])).get(a.id), {
        rule: { targetAccuracy: 0.75, minExamples: 3 },
        examples: 3,
        open: true,
      });
    });

    it('filters global and custom audiences; a filtered audience reuses its base qualification', async () => {
      const custom = await createAudience({ name: 'Raters' });
      const fau = await ok<Audience>(
        call('POST', `/api/v1/audiences/${custom.id}/filter`, {
          filters: [
            { type: 'country', countries: ['US', 'CA'] },
            { type: 'not', filter: { type: 'language', languages: ['fr'] } },
          ],
        }),
        201,
      );
      assert.match(fau.id, /^fau_/);
      assert.equal(fau.kind, 'filtered');
      assert.equal(fau.baseAudienceId, custom.id);
      assert.equal(fau.name, 'Raters (country in US, CA and not language in fr)');
      assert.equal(fau.passRule, null);
      const onGlobal = await ok<Audience>(
        call('POST', '/api/v1/audiences/global/filter', {
          filters: [{ type: 'language', languages: ['de'] }],
          name: 'German speakers',
        }),
        201,
      );
      assert.equal(onGlobal.baseAudienceId, 'global');
      assert.equal(onGlobal.name, 'German speakers');
      assert.deepEqual(await ok<Audience>(call('GET', `/api/v1/audiences/${fau.id}`)), fau);
      await ok(call('POST', `/api/v1/audiences/${custom.id}/examples`, textCompare()), 201);
      // A filtered audience qualifies through its base's examples and pass rule; one of global needs none.
      assert.equal(await customRootOf(db(), fau.id), custom.id);
      assert.equal(await customRootOf(db(), onGlobal.id), null);
      assert.equal(await customRootOf(db(), 'global'), null);
      assert.deepEqual((await qualificationStatus(db(), [custom.id, fau.id, onGlobal.id])).get(custom.id), {
        rule: { targetAccuracy: 0.75, minExamples: 3 },
        examples: 1,
        open: false,
      });
      assert.equal((await qualificationStatus(db(), [custom.id, fau.id, onGlobal.id])).size, 1);
    });

    it('admits labelers: global all; custom qualified members matching filters; filtered base ∧ filters', async () => {
      const admits = async (id: string, labeler: Parameters<typeof audienceAdmissions>[2]) =>
        (await audienceAdmissions(db(), [id], labeler)).get(id)?.admitted;
      const custom = await createAudience({
        name: 'Adm',
        filters: [{ type: 'language', languages: ['en'] }],
      });
      const fau = await ok<Audience>(
        call('POST', `/api/v1/audiences/${custom.id}/filter`, {
          filters: [{ type: 'country', countries: ['US'] }],
        }),
        201,
      );
      const gfau = await ok<Audience>(
        call('POST', '/api/v1/audiences/global/filter', {
          filters: [{ type: 'country', countries: ['DE'] }],
        }),
        201,
      );
      const usQualified = await buildLabeler(db(), {
        id: 'lab_adm_1',
        country: 'US',
        language: 'en',
        memberships: { [custom.id]: 'qualified' },
      });
      const gbQualified = await buildLabeler(db(), {
        id: 'lab_adm_2',
        country: 'GB',
        language: 'en',
        memberships: { [custom.id]: 'qualified' },
      });
      const usDropped = await buildLabeler(db(), {
        id: 'lab_adm_3',
        country: 'US',
        language: 'en',
        memberships: { [custom.id]: 'dropped' },
      });
      const usNew = await buildLabeler(db(), { id: 'lab_adm_4', country: 'US', language: 'en' });
      const deQualifiedWrongLang = await buildLabeler(db(), {
        id: 'lab_adm_5',
        country: 'DE',
        language: 'de',
        memberships: { [custom.id]: 'qualified' },
      });
      const noProfile = await buildLabeler(db(), { id: 'lab_adm_6', country: null, language: null });
      const ids = ['global', custom.id, fau.id, gfau.id, 'aud_unknown'];
      const expected: [typeof usNew, boolean[], (string | null)[]][] = [
        [usQualified, [true, true, true, false, false], [null, null, null, null, null]],
        [gbQualified, [true, true, false, false, false], [null, null, null, null, null]],
        [usDropped, [true, false, false, false, false], [null, null, null, null, null]],
        [usNew, [true, false, false, false, false], [null, custom.id, custom.id, null, null]],
        [deQualifiedWrongLang, [true, false, false, true, false], [null, null, null, null, null]],
        [noProfile, [true, false, false, false, false], [null, null, null, null, null]],
      ];
      for (const [labeler, admitted, qualifyFor] of expected) {
        const got = await audienceAdmissions(db(), ids, labeler);
        assert.deepEqual(
          ids.map((id) => got.get(id)?.admitted),
          admitted,
          `${labeler.id} admitted`,
        );
        assert.deepEqual(
          ids.map((id) => got.get(id)?.qualifyFor),
          qualifyFor,
          `${labeler.id} qualifyFor`,
        );
        for (const [i, id] of ids.entries())
          assert.equal(await admits(id, labeler), admitted[i], `${labeler.id} admitted to ${id} alone`);
      }
      // Deleting keeps already-assigned jobs working: admission ignores deletion.
      assert.equal((await call('DELETE', `/api/v1/audiences/${custom.id}`)).status, 204);
      assert.equal(await admits(fau.id, usQualified), true);
      assert.equal(await admits(custom.id, usQualified), true);
    });

    it('counts members by state (filtered: the base pool within the filters; global: every labeler)', async () => {
      const custom = await createAudience({ name: 'Stats', passRule: { minExamples: 2 } });
      const fau = await ok<Audience>(
        call('POST', `/api/v1/audiences/${custom.id}/filter`, {
          filters: [{ type: 'country', countries: ['FR'] }],
        }),
        201,
      );
      await buildLabeler(db(), {
        id: 'lab_st_1',
        country: 'FR',
        language: 'fr',
        memberships: { [custom.id]: 'qualified' },
      });
      await buildLabeler(db(), {
        id: 'lab_st_2',
        country: 'FR',
        language: 'fr',
        memberships: { [custom.id]: 'qualifying' },
      });
      await buildLabeler(db(), {
        id: 'lab_st_3',
        country: 'IT',
        language: 'it',
        memberships: { [custom.id]: 'qualified' },
      });
      await buildLabeler(db(), {
        id: 'lab_st_4',
        country: 'IT',
        language: 'it',
        memberships: { [custom.id]: 'dropped' },
      });
      const stats = await ok<AudienceStats>(call('GET', `/api/v1/audiences/${custom.id}/stats`));
      assert.deepEqual(stats, {
        audienceId: custom.id,
        members: { qualifying: 1, qualified: 2, dropped: 1 },
        examples: 0,
        ready: false,
      });
      const warned = await getAssignableAudience({ db: db() }, server.bootstrap!.organization.id, fau.id);
      assert.match(
        warned.warning ?? '',
        /has 0 qualification examples; labelers qualify only once it has at least 2/,
      );
      await ok(call('POST', `/api/v1/audiences/${custom.id}/examples`, textCompare()), 201);
      await ok(call('POST', `/api/v1/audiences/${custom.id}/examples`, classify()), 201);
      const fstats = await ok<AudienceStats>(call('GET', `/api/v1/audiences/${fau.id}/stats`));
      assert.deepEqual(fstats, {
        audienceId: fau.id,
        members: { qualifying: 1, qualified: 1, dropped: 0 },
        examples: 2,
        ready: true,
      });
      const ready = await getAssignableAudience({ db: db() }, server.bootstrap!.organization.id, fau.id);
      assert.equal(ready.warning, null);
      assert.equal(ready.audience.id, fau.id);
      const labelers = Number(
        (
          await db()
            .selectFrom('labelers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const g = await ok<AudienceStats>(call('GET', '/api/v1/audiences/global/stats'));
      assert.deepEqual(g, {
        audienceId: 'global',
        members: { qualifying: 0, qualified: labelers, dropped: 0 },
        examples: 0,
        ready: true,
      });
      const french = await ok<Audience>(
        call('POST', '/api/v1/audiences/global/filter', {
          filters: [{ type: 'country', countries: ['FR'] }],
        }),
        201,
      );
      assert.deepEqual(await ok<AudienceStats>(call('GET', `/api/v1/audiences/${french.id}/stats`)), {
        audienceId: french.id,
        members: { qualifying: 0, qualified: 2, dropped: 0 },
        examples: 0,
        ready: true,
      });
      // A filtered audience whose base was deleted takes no new jobs.
      assert.equal((await call('DELETE', `/api/v1/audiences/${custom.id}`)).status, 204);
      await assert.rejects(getAssignableAudience({ db: db() }, server.bootstrap!.organization.id, fau.id), {
        code: 'CONFLICT',
      });
      await assert.rejects(
        getAssignableAudience({ db: db() }, server.bootstrap!.organization.id, custom.id),
        {
          code: 'NOT_FOUND',
        },
      );
      assert.equal(
        (await getAssignableAudience({ db: db() }, server.bootstrap!.organization.id, 'global')).warning,
        null,
      );
    });

    describe('bad input (see the table above)', () => {
      let mine: Audience;
      let filtered: Audience;
      let deleted: Audience;
      let theirs: Audience;
      const countRows = async () => {
        const n = async (table: 'audiences' | 'audience_examples') =>
          Number(
            (
              await db()
                .selectFrom(table)
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        return { audiences: await n('audiences'), examples: await n('audience_examples') };
      };
      let before0: { audiences: number; examples: number };

      before(async () => {
        mine = await createAudience({ name: 'Bad input' });
        filtered = await ok<Audience>(
          call('POST', `/api/v1/audiences/${mine.id}/filter`, {
            filters: [{ type: 'country', countries: ['US'] }],
          }),
          201,
        );
        deleted = await createAudience({ name: 'Deleted' });
        await call('DELETE', `/api/v1/audiences/${deleted.id}`);
        theirs = await createAudience({ name: 'Theirs' }, otherToken);
        before0 = await countRows();
      });

      const create = (body: unknown) => () => call('POST', '/api/v1/audiences', body);
      // Bodies are built at request time: asset and audience ids exist only after `before`.
      const example = (body: () => unknown, id?: () => string) => () =>
        call('POST', `/api/v1/audiences/${id ? id() : mine.id}/examples`, body());
      let deep: unknown = { type: 'country', countries: ['US'] };
      for (let i = 0; i < 9; i++) deep = { type: 'not', filter: deep };
      const cases: [string, number, string, () => Promise<Response>, RegExp?][] = [
        ['create: empty name', 400, 'VALIDATION_FAILED', create({ name: '  ' }), /Give the audience a name/],
        ['create: long name', 400, 'VALIDATION_FAILED', create({ name: 'x'.repeat(201) })],
        [
          'create: targetAccuracy > 1',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', passRule: { targetAccuracy: 1.5 } }),
          /\[0, 1\]/,
        ],
        [
          'create: targetAccuracy < 0',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', passRule: { targetAccuracy: -0.1 } }),
        ],
        [
          'create: minExamples 0',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', passRule: { minExamples: 0 } }),
          /at least 1/,
        ],
        [
          'create: minExamples 1.5',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', passRule: { minExamples: 1.5 } }),
        ],
        ['create: unknown field', 400, 'VALIDATION_FAILED', create({ name: 'a', maxTasks: 3 })],
        [
          'create: lower-case country',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', filters: [{ type: 'country', countries: ['us'] }] }),
          /upper-case/,
        ],
        [
          'create: 3-letter country',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', filters: [{ type: 'country', countries: ['USA'] }] }),
        ],
        [
          'create: upper-case language',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', filters: [{ type: 'language', languages: ['EN'] }] }),
          /lower-case/,
        ],
        [
          'create: unknown filter type',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', filters: [{ type: 'device', devices: ['phone'] }] }),
        ],
        [
          'create: empty and',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', filters: [{ type: 'and', filters: [] }] }),
        ],
        [
          'create: too deep',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', filters: [deep] }),
          /nested 10 levels/,
        ],
        ['get: unknown id', 404, 'NOT_FOUND', () => call('GET', '/api/v1/audiences/aud_nope')],
        ['get: other org', 404, 'NOT_FOUND', () => call('GET', `/api/v1/audiences/${theirs.id}`)],
        ['get: deleted', 404, 'NOT_FOUND', () => call('GET', `/api/v1/audiences/${deleted.id}`)],
        ['delete: global', 403, 'FORBIDDEN', () => call('DELETE', '/api/v1/audiences/global')],
        ['delete: other org', 404, 'NOT_FOUND', () => call('DELETE', `/api/v1/audiences/${theirs.id}`)],
        [
          'filter: empty list',
          400,
          'VALIDATION_FAILED',
          () => call('POST', `/api/v1/audiences/${mine.id}/filter`, { filters: [] }),
          /At least one filter must be provided/,
        ],
        [
          'filter: filtered',
          409,
          'CONFLICT',
          () =>
            call('POST', `/api/v1/audiences/${filtered.id}/filter`, {
              filters: [{ type: 'language', languages: ['en'] }],
            }),
          /cannot be filtered again/,
        ],
        [
          'filter: other org',
          404,
          'NOT_FOUND',
          () =>
            call('POST', `/api/v1/audiences/${theirs.id}/filter`, {
              filters: [{ type: 'language', languages: ['en'] }],
            }),
        ],
        [
          'filter: lower-case country',
          400,
          'VALIDATION_FAILED',
          () =>
            call('POST', '/api/v1/audiences/global/filter', {
              filters: [{ type: 'country', countries: ['de'] }],
            }),
        ],
        [
          'compare: long instruction',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ instruction: 'x'.repeat(251) })),
          /instruction is 251 characters; maximum is 250/,
        ],
        [
          'compare: one item',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ datapoint: [{ text: 'Hello there!' }] })),
          /exactly two items/,
        ],
        [
          'compare: three items',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ datapoint: [{ text: 'Hello there!' }, { text: 'b' }, { text: 'c' }] })),
          /exactly two items in datapoint; got 3/,
        ],
        [
          'compare: same item twice',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ datapoint: [{ text: 'Hello there!' }, { text: 'Hello there!' }] })),
          /two different items/,
        ],
        [
          'compare: truth not an item',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ truth: 'Hi' })),
          /Truth must be one of the datapoint's items/,
        ],
        [
          'compare: long context',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ context: 'c'.repeat(401) })),
          /context is 401 characters; maximum is 400/,
        ],
        [
          'compare: empty context',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ context: '' })),
          /context cannot be an empty string/,
        ],
        [
          'compare: empty mediaContext',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ mediaContext: [] })),
          /mediaContext cannot be empty/,
        ],
        [
          'compare: 11 mediaContext items',
          400,
          'VALIDATION_FAILED',
          example(() =>
            textCompare({ mediaContext: Array.from({ length: 11 }, (_, i) => ({ assetId, name: `m${i}` })) }),
          ),
          /at most 10/,
        ],
        [
          'compare: text items, media type',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ dataType: 'media' })),
          /is a text but dataType is "media"/,
        ],
        [
          'compare: asset items, text type',
          400,
          'VALIDATION_FAILED',
          example(() =>
            textCompare({
              datapoint: [
                { assetId, name: 'a' },
                { assetId, name: 'b' },
              ],
              truth: 'a',
            }),
          ),
          /is an asset but dataType is "text"/,
        ],
        [
          'compare: unknown asset',
          404,
          'NOT_FOUND',
          example(() =>
            textCompare({
              dataType: 'media',
              datapoint: [
                { assetId: 'ast_nope', name: 'a' },
                { assetId, name: 'b' },
              ],
              truth: 'a',
            }),
          ),
          /Asset ast_nope/,
        ],
        [
          'compare: other org asset',
          404,
          'NOT_FOUND',
          example(() =>
            textCompare({
              dataType: 'media',
              datapoint: [
                { assetId: otherAssetId, name: 'a' },
                { assetId, name: 'b' },
              ],
              truth: 'b',
            }),
          ),
        ],
        [
          'compare: unknown setting',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ settings: ['Shuffle'] })),
        ],
        [
          'classify: duplicate options',
          400,
          'VALIDATION_FAILED',
          example(() => classify({ answerOptions: ['cat', 'dog', 'cat'] })),
          /unique; "cat" is listed twice/,
        ],
        [
          'classify: empty option',
          400,
          'VALIDATION_FAILED',
          example(() => classify({ answerOptions: ['cat', ' '] })),
          /cannot be empty/,
        ],
        [
          'classify: one option',
          400,
          'VALIDATION_FAILED',
          example(() => classify({ answerOptions: ['cat'] })),
          /at least two/,
        ],
        [
          'classify: truth not an option',
          400,
          'VALIDATION_FAILED',
          example(() => classify({ truth: ['fish'] })),
          /Truth must be part of the answer options/,
        ],
        ['classify: empty truth', 400, 'VALIDATION_FAILED', example(() => classify({ truth: [] }))],
        ['classify: truth not a list', 400, 'VALIDATION_FAILED', example(() => classify({ truth: 'cat' }))],
        [
          'classify: truth twice',
          400,
          'VALIDATION_FAILED',
          example(() => classify({ truth: ['cat', 'cat'] })),
          /twice/,
        ],
        [
          'classify: datapoint list',
          400,
          'VALIDATION_FAILED',
          example(() => classify({ datapoint: [{ text: 'a' }] })),
        ],
        [
          'example: unknown taskType',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ taskType: 'rank' })),
        ],
        [
          'example: global',
          409,
          'CONFLICT',
          example(
            () => textCompare(),
            () => 'global',
          ),
          /create a custom audience/,
        ],
        [
          'example: filtered',
          409,
          'CONFLICT',
          example(
            () => textCompare(),
            () => filtered.id,
          ),
          /Add examples there/,
        ],
        [
          'example: other org',
          404,
          'NOT_FOUND',
          example(
            () => textCompare(),
            () => theirs.id,
          ),
        ],
        [
          'examples list: other org',
          404,
          'NOT_FOUND',
          () => call('GET', `/api/v1/audiences/${theirs.id}/examples`),
        ],
        ['stats: other org', 404, 'NOT_FOUND', () => call('GET', `/api/v1/audiences/${theirs.id}/stats`)],
        ['find: amount 0', 400, 'VALIDATION_FAILED', () => call('GET', '/api/v1/audiences?amount=0')],
        ['find: unknown param', 400, 'VALIDATION_FAILED', () => call('GET', '/api/v1/audiences?sort=name')],
        [
          'create: showQualificationFeedback not a boolean',
          400,
          'VALIDATION_FAILED',
          create({ name: 'a', showQualificationFeedback: 'no' }),
        ],
        [
          'example: unknown purpose',
          400,
          'VALIDATION_FAILED',
          example(() => textCompare({ purpose: 'secret' })),
        ],
        [
          'examples list: unknown purpose',
          400,
          'VALIDATION_FAILED',
          () => call('GET', `/api/v1/audiences/${mine.id}/examples?purpose=secret`),
        ],
      ];

      for (const [name, status, code, request, message] of cases) {
        it(name, async () => {
          const r = await request();
          const body = (await r.json()) as { error: { code: string; message: string } };
          assert.equal(r.status, status, JSON.stringify(body));
          assert.equal(body.error.code, code);
          if (message) assert.match(body.error.message, message);
        });
      }

      it('stored nothing', async () => {
        assert.deepEqual(await countRows(), before0);
      });
    });
  });
}
