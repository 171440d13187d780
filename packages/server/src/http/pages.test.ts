// Cursor pages over real HTTP on both databases: rows created between two pages neither repeat nor leave a gap,
// the last page says so, a bad cursor or cursor + page is VALIDATION_FAILED, and page numbers still work.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestEnvironment, testDatabaseTargets } from '../../test/environment.ts';
import { requestToken } from '../../test/factories.ts';
import { type RunningServer, startServer } from '../server.ts';

for (const target of testDatabaseTargets()) {
  describe(`cursor pages (${target.name})`, () => {
    let env: Awaited<ReturnType<typeof createTestEnvironment>>;
    let server: RunningServer;
    let token = '';
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${server.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const lists: { path: string; create: (n: number) => unknown }[] = [
      { path: '/api/v1/clients', create: (n) => ({ displayName: `client ${n}` }) },
      { path: '/api/v1/audiences', create: (n) => ({ name: `audience ${n}` }) },
      { path: '/api/v1/benchmarks', create: (n) => ({ name: `benchmark ${n}` }) },
    ];

    before(async () => {
      env = await createTestEnvironment(target);
      server = await startServer({
        port: 0,
        dataDir: env.dataDir,
        databaseUrl: env.databaseUrl,
        backgroundTasks: false,
      });
      token = await requestToken(server.url, {
        clientId: server.bootstrap!.client.id,
        secret: server.bootstrap!.secret,
      });
    });
    after(async () => {
      await server.close();
      await env.cleanup();
    });

    for (const list of lists) {
      it(`${list.path}: rows created between pages neither repeat nor leave a gap`, async () => {
        const create = async (n: number) => {
          const res = await call(list.path, { method: 'POST', body: JSON.stringify(list.create(n)) });
          assert.equal(res.status, 201, JSON.stringify(res.body));
        };
        for (let n = 0; n < 5; n++) await create(n);
        const before = (await call(`${list.path}?amount=500`)).body as { data: { id: string }[] };
        const expected = before.data.map((r) => r.id);
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
          const res = await call(`${list.path}?amount=2${query}`);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          const page = res.body as { data: { id: string }[]; nextCursor: string | null; total: number };
          seen.push(...page.data.map((r) => r.id));
          cursor = page.nextCursor;
          // New rows (newest first: before the cursor) must not shift the rows still to come.
          await create(100 + pages++);
        } while (cursor !== null);
        assert.deepEqual(seen, expected);
        assert.equal(new Set(seen).size, seen.length);
      });
    }

    it('the last page has no next cursor; a bad cursor, or cursor with page, is VALIDATION_FAILED', async () => {
      const all = await call('/api/v1/clients?amount=500');
      assert.equal((all.body as { nextCursor: unknown }).nextCursor, null);
      const bad = await call('/api/v1/clients?cursor=bm90LWEtY3Vyc29y');
      assert.equal(bad.status, 400);
      assert.equal((bad.body as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
      const first = (await call('/api/v1/audiences?amount=1')).body as { nextCursor: string };
      const elsewhere = await call(`/api/v1/clients?cursor=${encodeURIComponent(first.nextCursor)}&page=2`);
      assert.equal(elsewhere.status, 400);
      assert.equal((elsewhere.body as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
    });

    it('page numbers still work (deprecated) and are echoed', async () => {
      const one = (await call('/api/v1/audiences?amount=2&page=1')).body as {
        data: { id: string }[];
        page: number;
      };
      const two = (await call('/api/v1/audiences?amount=2&page=2')).body as {
        data: { id: string }[];
        page: number;
      };
      assert.equal(two.page, 2);
      assert.equal(one.data.filter((r) => two.data.some((s) => s.id === r.id)).length, 0);
      const byCursor = (await call('/api/v1/audiences?amount=2')).body as { page: null };
      assert.equal(byCursor.page, null);
    });
  });
}
