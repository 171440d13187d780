/**
 * Recruitment bad input gets a clear error with a stable code and changes nothing. Real HTTP on loopback, SQLite
 * always and Postgres when TEST_DATABASE_URL is set.
 *
 * | #  | Case                                                            | Status | Code              |
 * |----|-----------------------------------------------------------------|--------|-------------------|
 * | 1  | recruitment / invites routes without credentials                | 401    | UNAUTHENTICATED   |
 * | 2  | another organization's audience (get, set, invite, list, revoke) | 404   | NOT_FOUND         |
 * | 3  | setting recruitment or inviting on `global` or a filtered one   | 403    | FORBIDDEN         |
 * | 4  | unknown mode / study mode without settings / extra field        | 400    | VALIDATION_FAILED |
 * | 5  | study: same codes / code with a space / bad param name          | 400    | VALIDATION_FAILED |
 * | 6  | study: returnUrl without {code} / not http(s)                   | 400    | VALIDATION_FAILED |
 * | 7  | invite: unknown kind / shared without maxUses / single with 5   | 400    | VALIDATION_FAILED |
 * | 8  | invite: maxUses 0 / label of 201 characters                     | 400    | VALIDATION_FAILED |
 * | 9  | revoke an invite id that does not exist / of another audience   | 404    | NOT_FOUND         |
 * | 10 | accept: malformed token                                         | 400    | VALIDATION_FAILED |
 * | 11 | accept: well-formed token nobody made                           | 410    | INVALID_LINK      |
 * | 12 | study entry: audience that is no study / unknown audience       | 404    | NOT_FOUND         |
 * | 13 | study entry: participant id missing / empty / with a space      | 400    | VALIDATION_FAILED |
 * | 14 | study entry: body without params / params not strings           | 400    | VALIDATION_FAILED |
 * | 15 | next step without a session                                     | 401    | UNAUTHENTICATED   |
 * | 16 | next step of a session that did not enter the study             | 404    | NOT_FOUND         |
 * | 17 | next step of an audience that is no study                       | 404    | NOT_FOUND         |
 * Afterwards: no invite link, identity or entry was made by a rejected request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials } from '../../test/factories.ts';
import { Labeler, type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { systemClock } from '../http/clock.ts';

type Reply = { status: number; body: { error?: { code: string; message: string } } };

const expectError = (r: Reply, status: number, code: string, what: string) => {
  assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.error?.code, code, what);
  assert.ok((r.body.error?.message.length ?? 0) > 10, `${what}: the message says what to do`);
};

const STUDY = { completionCode: 'DONE1', screenedOutCode: 'OUT1' };

for (const target of testDatabaseTargets()) {
  describe(`recruitment bad input on ${target.name}`, () => {
    let h: LabelingHarness;
    let audienceId = '';
    let studyId = '';
    let other = '';
    before(async () => {
      h = await startLabelingHarness(target);
      audienceId = (await h.requester.ok('POST', '/api/v1/audiences', { name: 'Invite only' })).data.id;
      studyId = (await h.requester.ok('POST', '/api/v1/audiences', { name: 'Study' })).data.id;
      await h.requester.ok('PUT', `/api/v1/audiences/${studyId}/recruitment`, {
        mode: 'study',
        study: STUDY,
      });
      other = (await buildCredentials({ url: h.base, db: h.server.database.db, clock: systemClock })).token;
    });
    after(() => h.close());

    const as = (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${h.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));

    it('requester routes: credentials, organizations, kinds of audience (1-3, 9)', async () => {
      const routes = (id: string) =>
        [
          ['GET', `/api/v1/audiences/${id}/recruitment`, undefined],
          ['PUT', `/api/v1/audiences/${id}/recruitment`, { mode: 'invite' }],
          ['POST', `/api/v1/audiences/${id}/invites`, { kind: 'single' }],
          ['GET', `/api/v1/audiences/${id}/invites`, undefined],
          ['DELETE', `/api/v1/audiences/${id}/invites/inv_0000000000000000`, undefined],
        ] as const;
      for (const [method, path, body] of routes(audienceId)) {
        expectError(
          await as('nope', method, path, body),
          401,
          'UNAUTHENTICATED',
          `${method} ${path} no token`,
        );
        expectError(await as(other, method, path, body), 404, 'NOT_FOUND', `${method} ${path} other org`);
      }
      const filtered = await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/filter`, {
        filters: [{ type: 'country', countries: ['DE'] }],
      });
      for (const id of ['global', filtered.data.id]) {
        for (const [method, path, body] of routes(id).filter(([m]) => m === 'PUT' || m === 'POST'))
          expectError(await h.requester.request(method, path, body), 403, 'FORBIDDEN', `${method} ${path}`);
        // Reads show what applies: global is open, a filtered audience recruits as its base does.
        const read = await h.requester.ok('GET', `/api/v1/audiences/${id}/recruitment`);
        assert.equal(read.data.mode, 'open');
        assert.equal(read.data.audienceId, id === 'global' ? 'global' : audienceId);
      }
      expectError(
        await h.requester.request('DELETE', `/api/v1/audiences/${audienceId}/invites/inv_0000000000000000`),
        404,
        'NOT_FOUND',
        'unknown invite',
      );
      const invite = await h.requester.ok('POST', `/api/v1/audiences/${audienceId}/invites`, {
        kind: 'single',
      });
      expectError(
        await h.requester.request('DELETE', `/api/v1/audiences/${studyId}/invites/${invite.data.id}`),
        404,
        'NOT_FOUND',
        "another audience's invite",
      );
    });

    it('recruitment and invite bodies (4-8)', async () => {
      const study = (s: Record<string, unknown>) => ({ mode: 'study', study: { ...STUDY, ...s } });
      for (const [what, body] of [
        ['unknown mode', { mode: 'closed' }],
        ['study without settings', { mode: 'study' }],
        ['extra field', { mode: 'open', study: STUDY }],
        ['same codes', study({ screenedOutCode: 'DONE1' })],
        ['code with a space', study({ completionCode: 'DO NE' })],
        ['bad param name', study({ participantParam: '1pid' })],
        ['returnUrl without {code}', study({ returnUrl: 'https://app.prolific.com/done' })],
        ['returnUrl not http', study({ returnUrl: 'javascript:alert({code})' })],
        ['tasksPerLabeler 0', study({ tasksPerLabeler: 0 })],
      ] as const)
        expectError(
          await h.requester.request('PUT', `/api/v1/audiences/${audienceId}/recruitment`, body),
          400,
          'VALIDATION_FAILED',
          what,
        );
      for (const [what, body] of [
        ['unknown kind', { kind: 'many' }],
        ['shared without maxUses', { kind: 'shared' }],
        ['single with 5', { kind: 'single', maxUses: 5 }],
        ['maxUses 0', { kind: 'shared', maxUses: 0 }],
        ['long label', { kind: 'single', label: 'x'.repeat(201) }],
      ] as const)
        expectError(
          await h.requester.request('POST', `/api/v1/audiences/${audienceId}/invites`, body),
          400,
          'VALIDATION_FAILED',
          what,
        );
      const listed = await h.requester.ok('GET', `/api/v1/audiences/${audienceId}/invites`);
      assert.equal(listed.data.length, 1, 'only the invite of the first test');
      const rec = await h.requester.ok('GET', `/api/v1/audiences/${audienceId}/recruitment`);
      assert.equal(rec.data.mode, 'open', 'nothing was set');
    });

    it('labeler entries and steps (10-17)', async () => {
      const l = new Labeler(h.base);
      expectError(
        await l.request('POST', '/api/v1/labeler/invites/not-a-token'),
        400,
        'VALIDATION_FAILED',
        'token',
      );
      expectError(
        await l.request('POST', `/api/v1/labeler/invites/inv_${'a'.repeat(43)}`),
        410,
        'INVALID_LINK',
        'nobody made it',
      );
      for (const id of [audienceId, 'aud_doesnotexist0000'])
        expectError(
          await l.request('POST', `/api/v1/labeler/study/${id}`, { params: { PROLIFIC_PID: 'p1' } }),
          404,
          'NOT_FOUND',
          `no study at ${id}`,
        );
      for (const [what, params] of [
        ['missing', { STUDY_ID: 's' }],
        ['empty', { PROLIFIC_PID: '' }],
        ['with a space', { PROLIFIC_PID: 'a b' }],
      ] as const)
        expectError(
          await l.request('POST', `/api/v1/labeler/study/${studyId}`, { params }),
          400,
          'VALIDATION_FAILED',
          what,
        );
      for (const body of [{}, { params: { PROLIFIC_PID: 5 } }])
        expectError(
          await l.request('POST', `/api/v1/labeler/study/${studyId}`, body),
          400,
          'VALIDATION_FAILED',
          'body',
        );
      assert.equal(l.cookie, '', 'no session was started by a rejected entry');
      expectError(
        await l.request('GET', `/api/v1/labeler/study/${studyId}/next`),
        401,
        'UNAUTHENTICATED',
        'no session',
      );
      const anon = await h.labeler();
      expectError(
        await anon.request('GET', `/api/v1/labeler/study/${studyId}/next`),
        403,
        'FORBIDDEN',
        'not entered',
      );
      expectError(
        await anon.request('GET', `/api/v1/labeler/study/${audienceId}/next`),
        404,
        'NOT_FOUND',
        'no study',
      );
      const db = h.server.database.db;
      assert.equal((await db.selectFrom('labeler_identities').selectAll().execute()).length, 0);
      assert.equal((await db.selectFrom('audience_entries').selectAll().execute()).length, 0);
    });
  });
}
