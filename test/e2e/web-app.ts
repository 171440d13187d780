// What the browser tests share: the built web app (built when its sources are newer) and a requester over raw HTTP.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningServer } from '@jury/server';
import { REPO_ROOT } from './helpers.ts';

export const WEB_DIST = join(REPO_ROOT, 'packages/web/dist');

/** Builds packages/web when dist/ is missing or older than any of its sources (npm install builds it too). */
export async function ensureWebBuilt() {
  const web = join(REPO_ROOT, 'packages/web');
  const built = await stat(join(WEB_DIST, 'index.html')).catch(() => undefined);
  const sources = [
    ...(await readdir(join(web, 'src'), { recursive: true })).map((f) => join(web, 'src', f)),
    ...['index.html', 'vite.config.ts', 'package.json'].map((f) => join(web, f)),
  ];
  const newest = Math.max(...(await Promise.all(sources.map(async (f) => (await stat(f)).mtimeMs))));
  if (built && built.mtimeMs >= newest) return;
  execFileSync('npm', ['run', 'build', '-w', '@jury/web'], { cwd: REPO_ROOT, stdio: 'ignore' });
}

/** The requester side over raw HTTP, with the bootstrap client's bearer token. */
export async function requester(server: RunningServer) {
  const { client, secret } = server.bootstrap ?? assert.fail('a fresh server bootstraps a client');
  const tokenResponse = await fetch(`${server.url}/connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: secret,
    }),
  });
  const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
  const names = new Map<string, string>(); // sha256 → the name the requester gave
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await r.json()) as { data: T };
    assert.ok(r.ok, `${method} ${path} → ${r.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  const upload = async (name: string, bytes: Buffer) => {
    const r = await fetch(`${server.url}/api/v1/assets?fileName=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: new Blob([new Uint8Array(bytes)]),
    });
    assert.ok(r.ok, `upload ${name} → ${r.status}`);
    const asset = ((await r.json()) as { data: { id: string; sha256: string } }).data;
    assert.equal(asset.sha256, createHash('sha256').update(bytes).digest('hex'));
    names.set(asset.sha256, name);
    return { assetId: asset.id, name };
  };
  /**
   * The requester's name of the media a page shows at `src`: a labeler's opaque reference
   * (/api/v1/labeler/media/<ref>, resolved by the requester), or the owner's /media/<sha256>.
   */
  const nameOf = async (src: string): Promise<string> => {
    const last = src.split('/').pop() ?? '';
    if (!src.includes('/labeler/media/')) return names.get(last) ?? src;
    return (await call<{ name: string }>('GET', `/api/v1/media-references/${last}`)).name;
  };
  return { call, upload, nameOf };
}
