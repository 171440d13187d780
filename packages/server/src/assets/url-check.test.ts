import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../http/errors.ts';
import { checkUrlAsset } from './url-check.ts';

// The start of a PNG (signature and IHDR chunk): what the sniffer reads.
const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452000000080000000808020000004b6d29dc', 'hex');
const PNG = Buffer.concat([PNG_HEAD, Buffer.alloc(8000, 7)]);

describe('checkUrlAsset against a real HTTP server on loopback', () => {
  const ranges: (string | undefined)[] = [];
  const server = createServer((req, res: ServerResponse) => {
    res.on('error', () => undefined);
    ranges.push(req.headers.range);
    switch (req.url) {
      case '/image.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(PNG.length) });
        res.end(PNG);
        return;
      case '/ranged.png':
        // A server that honours the range: 206 with the head and the full size in Content-Range.
        res.writeHead(206, { 'content-type': 'image/png', 'content-range': `bytes 0-4099/${PNG.length}` });
        res.end(PNG.subarray(0, 4100));
        return;
      case '/chunked.png':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(PNG);
        return;
      case '/named-wrong':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(PNG);
        return;
      case '/page':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>hello</body></html>');
        return;
      case '/empty':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': '0' });
        res.end();
        return;
      case '/big.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(5 * 1024 * 1024) });
        res.write(PNG_HEAD);
        return;
      case '/redirect':
        res.writeHead(302, { location: '/image.png' });
        res.end();
        return;
      case '/silent':
        return; // never answers
      default:
        res.writeHead(500);
        res.end('boom');
    }
  });
  let base = '';
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const check = (path: string, extra: { kind?: 'image' | 'video' | 'audio'; timeoutMs?: number } = {}) =>
    checkUrlAsset(`${base}${path}`, { maxBytes: 1024 * 1024, ...extra });
  const fails = (code: string, message: RegExp) => (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  };

  it('a good image: type sniffed from the bytes, size from the headers; asks for the head only', async () => {
    assert.deepEqual(await check('/image.png'), { kind: 'image', mimeType: 'image/png', size: PNG.length });
    assert.equal(ranges.at(-1), 'bytes=0-4099');
    assert.deepEqual(await check('/ranged.png'), { kind: 'image', mimeType: 'image/png', size: PNG.length });
    assert.deepEqual(await check('/chunked.png'), { kind: 'image', mimeType: 'image/png', size: null });
    assert.deepEqual(await check('/named-wrong'), { kind: 'image', mimeType: 'image/png', size: null });
    assert.equal((await check('/redirect')).mimeType, 'image/png');
  });

  it('unreachable: a closed port, an error status, no answer in time', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(
      checkUrlAsset(`http://127.0.0.1:${port}/a.png`, { maxBytes: 1024 }),
      fails('URL_UNREACHABLE', /^Could not fetch http:\/\/127\.0\.0\.1:\d+\/a\.png: ECONNREFUSED\./),
    );
    await assert.rejects(check('/missing.png'), fails('URL_UNREACHABLE', /it answered HTTP 500/));
    const started = Date.now();
    await assert.rejects(
      check('/silent', { timeoutMs: 200 }),
      fails('URL_UNREACHABLE', /no answer within 0\.2 s/),
    );
    assert.ok(Date.now() - started < 5000);
  });

  it('not media: a web page, an empty file, another kind than asked for', async () => {
    await assert.rejects(
      check('/page'),
      fails('UNSUPPORTED_MEDIA_TYPE', /is not an image, video or audio file .*says text\/html: a web page/),
    );
    await assert.rejects(check('/empty'), fails('UNSUPPORTED_MEDIA_TYPE', /not an image, video or audio/));
    await assert.rejects(
      check('/image.png', { kind: 'video' }),
      fails('UNSUPPORTED_MEDIA_TYPE', /is an image \(image\/png\), not a video as "kind" says/),
    );
  });

  it('too large: refused from the declared size without downloading it', async () => {
    await assert.rejects(
      check('/big.png'),
      fails('PAYLOAD_TOO_LARGE', /big\.png is 5\.0 MiB, over the 1\.0 MiB limit for media/),
    );
  });
});
