// Blind comparisons over real HTTP (issue 12 probes "Unblinding" and "Media"): what labelers are served names no
// file, asset or content hash, only opaque media references; a reference serves the labeler holding its task's
// lease, until the lease ends; `/media/<sha256>` and reference resolution are for the owning organization only.
// Leaderboard and ranking matchups: benchmarks.test.ts and flows.test.ts check the same on their tasks; previews:
// jobs.test.ts. SQLite always; Postgres when TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testDatabaseTargets } from '../../test/environment.ts';
import { buildCredentials } from '../../test/factories.ts';
import { type LabelingHarness, startLabelingHarness } from '../../test/labeling-harness.ts';
import { createManualClock } from '../http/clock.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests inspect freely
type Json = any;

const PNG_HEAD =
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f80000000049454e44ae426082';
/** A distinct tiny PNG per name (bytes after IEND make the content, and so the sha256, differ). */
const png = (name: string) => Buffer.concat([Buffer.from(PNG_HEAD, 'hex'), Buffer.from(name)]);

/** What must never reach a labeler: the requester's file names, asset ids, content hashes. */
const LEAKS = /model-|\.png|ast_|[0-9a-f]{64}/;

for (const target of testDatabaseTargets()) {
  describe(`blind comparisons on ${target.name}`, () => {
    const clock = createManualClock(new Date('2026-12-02T10:00:00Z'));
    let h: LabelingHarness;
    let otherToken = '';
    const assets = new Map<string, { id: string; sha256: string }>();
    const upload = async (name: string) => {
      const r = await fetch(`${h.base}/api/v1/assets?fileName=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.requester.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(png(name)),
      });
      const { data } = (await r.json()) as { data: { id: string; sha256: string } };
      assets.set(name, data);
      return { assetId: data.id, name };
    };
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${h.base}${path}`, { headers });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const refOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

    before(async () => {
      h = await startLabelingHarness(target, { clock, config: { goldRate: 0.5, goldDropAfter: 0 } });
      otherToken = (await buildCredentials({ url: h.base, db: h.server.database.db, clock })).token;
    });
    after(() => h.close());

    it('qualification, gold checks and job tasks carry no file name, asset id or hash; references resolve for the owner only', async () => {
      const aud = await h.requester.ok('POST', '/api/v1/audiences', {
        name: 'Blind',
        passRule: { targetAccuracy: 0.5, minExamples: 1 },
      });
      const audienceId = aud.data.id as string;
      const example = async (a: string, b: string, purpose: string) =>
        h.requester.ok('POST', `/api/v1/audiences/${audienceId}/examples`, {
          taskType: 'compare',
          instruction: 'Which image is better?',
          datapoint: [await upload(a), await upload(b)],
          truth: a,
          mediaContext: [await upload(`ctx-${a}`)],
          purpose,
        });
      await example('model-q-good.png', 'model-q-bad.png', 'qualification');
      await example('model-g-good.png', 'model-g-bad.png', 'gold');
      const def = await h.requester.ok('POST', '/api/v1/job-definitions', {
        type: 'compare',
        name: 'Blind job',
        instruction: 'Which image is more realistic?',
        dataType: 'media',
        datapoints: [[await upload('model-flux-v2.png'), await upload('model-sdxl-1.0.png')]],
        responsesPerDatapoint: 5,
      });
      const job = await h.requester.ok('POST', '/api/v1/jobs', { definitionId: def.data.id, audienceId });

      const l = await h.labeler();
      const q = await l.next();
      assert.equal(q.kind, 'qualification');
      assert.doesNotMatch(JSON.stringify(q), LEAKS);
      assert.deepEqual(Object.keys(q.items[0]).sort(), ['kind', 'side', 'type', 'url']);
      const qItem = q.items[0];
      assert.equal((await get(qItem.url, { cookie: l.cookie })).status, 200, 'the labeler sees its example');
      assert.equal((await get(qItem.url)).status, 404, 'not without the session');
      const stranger = await h.labeler();
      assert.equal((await get(qItem.url, { cookie: stranger.cookie })).status, 404, 'nor another labeler');
      const named = await h.requester.ok('GET', `/api/v1/media-references/${refOf(qItem.url)}`);
      assert.match(named.data.name, /^model-q-(good|bad)\.png$/);
      assert.equal(named.data.assetId, assets.get(named.data.name)?.id);
      let good: Json;
      for (const i of q.items)
        if ((await h.requester.assetOf(i)) === assets.get('model-q-good.png')?.id) good = i;
      assert.equal((await l.qualify(q.exampleId, audienceId, { choice: good.side })).status, 201);

      // Tasks and gold checks (goldRate 0.5): both blind, both under the lease.
      const seen: Json[] = [];
      for (let k = 0; k < 6 && seen.length < 2; k++) {
        const t = await l.next();
        if (t.kind !== 'task') break;
        assert.equal(t.jobId, job.data.id);
        assert.doesNotMatch(JSON.stringify(t), LEAKS);
        seen.push(t);
        const [x, y] = t.items;
        const again = await get(x.url, { cookie: l.cookie, range: 'bytes=0-7' });
        assert.equal(again.status, 206, 'range requests work under a reference');
        assert.equal(again.headers.get('cache-control'), 'no-store');
        assert.deepEqual(new Uint8Array(await again.arrayBuffer()), new Uint8Array(png('x').subarray(0, 8)));
        assert.equal((await get(y.url, { cookie: stranger.cookie })).status, 404, 'another labeler: 404');
        assert.equal((await get(y.url, bearer(otherToken))).status, 404);
        const names = [];
        for (const i of t.items)
          names.push((await h.requester.ok('GET', `/api/v1/media-references/${refOf(i.url)}`)).data.name);
        const other = await fetch(`${h.base}/api/v1/media-references/${refOf(x.url)}`, {
          headers: bearer(otherToken),
        });
        assert.equal(other.status, 404, "another organization cannot resolve the organization's reference");
        assert.equal((await l.answer(t.leaseId, { choice: 'A' })).status, 201);
        assert.equal((await get(x.url, { cookie: l.cookie })).status, 404, 'the lease ended with the answer');
        assert.ok(names.every((n) => n.startsWith('model-')));
      }
      assert.ok(seen.length >= 1);

      // A lease that expires takes its media with it.
      const held = await l.next();
      if (held.kind === 'task') {
        assert.equal((await get(held.items[0].url, { cookie: l.cookie })).status, 200);
        clock.advance(61_000);
        assert.equal(
          (await get(held.items[0].url, { cookie: l.cookie })).status,
          404,
          'after the lease expired',
        );
      }
    });

    it("a URL asset comes through this server under its reference: the labeler never sees the requester's address", async () => {
      // The requester's own file server on loopback, with Range support.
      const bytes = png('model-url-secret.png');
      const origin = createServer((req, res) => {
        const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
        if (m) {
          const part = bytes.subarray(Number(m[1]), Number(m[2]) + 1);
          res.writeHead(206, {
            'content-type': 'image/png',
            'content-length': part.length,
            'content-range': `bytes ${m[1]}-${m[2]}/${bytes.length}`,
          });
          res.end(part);
        } else {
          res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length });
          res.end(bytes);
        }
      });
      await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
      try {
        const { port } = origin.address() as AddressInfo;
        const address = `http://127.0.0.1:${port}/model-url-secret.png`;
        const registered = await h.requester.ok('POST', '/api/v1/assets/url', { url: address });
        const def = await h.requester.ok('POST', '/api/v1/job-definitions', {
          type: 'compare',
          name: 'Blind URL job',
          instruction: 'Which picture is sharper?',
          dataType: 'media',
          datapoints: [
            [
              { assetId: registered.data.id, name: 'model-url-secret.png' },
              await upload('model-local-2.png'),
            ],
          ],
          responsesPerDatapoint: 1,
        });
        await h.requester.ok('POST', '/api/v1/jobs', { definitionId: def.data.id, audienceId: 'global' });
        const l = await h.labeler();
        let task: Json;
        // Other open work comes first at times (the custom audience's qualification, its job, gold): answered.
        for (let i = 0; i < 20 && task?.instruction !== 'Which picture is sharper?'; i++) {
          task = await l.next();
          if (task.kind === 'qualification')
            await l.qualify(task.exampleId, task.audienceId, { choice: task.items[0].side });
          else if (task.kind === 'task' && task.instruction !== 'Which picture is sharper?')
            await l.answer(task.leaseId, { choice: 'A' });
        }
        assert.equal(task.instruction, 'Which picture is sharper?');
        assert.doesNotMatch(JSON.stringify(task), new RegExp(`${port}|127\\.0\\.0\\.1|model-|secret`));
        const served: Json[] = [];
        for (const item of task.items as Json[]) {
          const r = await fetch(`${h.base}${item.url}`, {
            headers: { cookie: l.cookie },
            redirect: 'manual',
          });
          assert.equal(r.status, 200, 'served here, not redirected');
          assert.equal(r.headers.get('location'), null);
          served.push(new Uint8Array(await r.arrayBuffer()));
        }
        assert.ok(
          served.some((b) => Buffer.from(b).equals(bytes)),
          "the URL asset's bytes, through the server",
        );
        const urlItem = (task.items as Json[])[served.findIndex((b) => Buffer.from(b).equals(bytes))];
        const part = await fetch(`${h.base}${urlItem.url}`, {
          headers: { cookie: l.cookie, range: 'bytes=0-7' },
        });
        assert.equal(part.status, 206);
        assert.equal(part.headers.get('content-range'), `bytes 0-7/${bytes.length}`);
        assert.deepEqual(new Uint8Array(await part.arrayBuffer()), new Uint8Array(bytes.subarray(0, 8)));
        assert.equal((await fetch(`${h.base}${urlItem.url}`)).status, 404, 'not without the session');
      } finally {
        await new Promise<void>((r) => origin.close(() => r()));
      }
    });

    it('/media/<sha256> serves only requesters of an organization that owns the asset', async () => {
      const { sha256 } = assets.get('model-flux-v2.png') as { sha256: string };
      assert.equal((await get(`/media/${sha256}`)).status, 401, 'no session, no media');
      const l = await h.labeler();
      assert.equal(
        (await get(`/media/${sha256}`, { cookie: l.cookie })).status,
        401,
        'a labeler is no requester',
      );
      assert.equal((await get(`/media/${sha256}`, bearer(otherToken))).status, 404, 'another organization');
      const own = await get(`/media/${sha256}`, bearer(h.requester.token));
      assert.equal(own.status, 200);
      assert.deepEqual(new Uint8Array(await own.arrayBuffer()), new Uint8Array(png('model-flux-v2.png')));
      const part = await get(`/media/${sha256}`, { ...bearer(h.requester.token), range: 'bytes=0-3' });
      assert.equal(part.status, 206);
    });
  });
}
