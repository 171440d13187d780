import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { ERROR_CODES, type ErrorCode } from '@jury/api';
import {
  errorFromResponse,
  JuryAuthError,
  JuryConflictError,
  JuryError,
  JuryForbiddenError,
  JuryNetworkError,
  JuryNotFoundError,
  JuryRateLimitError,
  JuryServerError,
  JuryValidationError,
  networkError,
} from './errors.ts';
import { isRetryable } from './pool.ts';

const body = (code: string, message = 'm', details?: unknown) =>
  JSON.stringify({ error: { code, message, details, requestId: 'req_1' } });

describe('errorFromResponse', () => {
  test("every code of @jury/api's table maps to a typed error carrying code, status, message, details, requestId", () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES) as [ErrorCode, { status: number }][]) {
      const err = errorFromResponse(status, body(code, `about ${code}`, { field: 'x' }));
      assert.notEqual(err.constructor, JuryError, `${code} has its own class, not the base JuryError`);
      assert.ok(err instanceof JuryError);
      assert.equal(err.code, code);
      assert.equal(err.status, status);
      assert.equal(err.message, `about ${code}`);
      assert.deepEqual(err.details, { field: 'x' });
      assert.equal(err.requestId, 'req_1');
      assert.equal(err.name, err.constructor.name);
    }
  });

  test('the class follows the HTTP status of the code in the table: codes of one status share it', () => {
    const classOf = (status: number, text: string) => errorFromResponse(status, text).constructor;
    const statuses = new Set(Object.values(ERROR_CODES).map((c) => c.status));
    const classes = new Set<unknown>();
    for (const status of statuses) {
      // The class a response of this status gets without a Jury body (a proxy's page).
      const byStatus = classOf(status, '');
      classes.add(byStatus);
      for (const [code, entry] of Object.entries(ERROR_CODES))
        if (entry.status === status) assert.equal(classOf(status, body(code)), byStatus, code);
    }
    // 400/413/415/416/422 are the caller's input, 401, 403, 404, 409, 429 and 5xx each their own.
    assert.equal(classOf(422, ''), JuryValidationError);
    assert.equal(classOf(401, ''), JuryAuthError);
    assert.equal(classOf(403, ''), JuryForbiddenError);
    assert.equal(classOf(404, ''), JuryNotFoundError);
    assert.equal(classOf(409, ''), JuryConflictError);
    assert.equal(classOf(429, ''), JuryRateLimitError);
    assert.equal(classOf(500, ''), JuryServerError);
    assert.equal(classes.size, 7);
  });

  test('a body that is not a Jury error still gives a typed error by status', () => {
    const headers = new Headers({ 'x-request-id': 'req_h' });
    const bad = errorFromResponse(502, '<html>Bad gateway</html>', headers);
    assert.ok(bad instanceof JuryServerError);
    assert.equal(bad.code, 'INTERNAL');
    assert.equal(bad.requestId, 'req_h');
    assert.match(bad.message, /HTTP 502 without a Jury error body: <html>Bad gateway/);
    const nf = errorFromResponse(404, '');
    assert.ok(nf instanceof JuryNotFoundError);
    const unknownCode = errorFromResponse(400, body('NOT_A_CODE'));
    assert.ok(unknownCode instanceof JuryValidationError);
    assert.equal(unknownCode.code, 'BAD_REQUEST');
  });

  test('429 carries Retry-After', () => {
    const err = errorFromResponse(429, body('RATE_LIMITED'), new Headers({ 'retry-after': '3' }));
    assert.ok(err instanceof JuryRateLimitError);
    assert.equal(err.retryAfterSeconds, 3);
    // The token route's limit, in RFC 6749's shape.
    const token = errorFromResponse(
      429,
      JSON.stringify({
        error: 'temporarily_unavailable',
        error_description: 'Too many.',
        request_id: 'req_t',
      }),
      new Headers({ 'retry-after': '12' }),
    );
    assert.ok(token instanceof JuryRateLimitError);
    assert.equal(token.code, 'RATE_LIMITED');
    assert.equal(token.retryAfterSeconds, 12);
  });

  test('retryable: network, 429 and 5xx; never other 4xx', () => {
    assert.equal(isRetryable(errorFromResponse(503, '')), true);
    assert.equal(isRetryable(errorFromResponse(429, body('RATE_LIMITED'))), true);
    assert.equal(isRetryable(errorFromResponse(400, body('VALIDATION_FAILED'))), false);
    assert.equal(isRetryable(errorFromResponse(401, body('UNAUTHENTICATED'))), false);
    assert.equal(isRetryable(errorFromResponse(404, body('NOT_FOUND'))), false);
    assert.equal(isRetryable(new Error('x')), false);
  });

  test('network errors name the server and what to do', async () => {
    // A port that was just free: connecting is refused.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const url = `http://127.0.0.1:${port}/api/v1/assets`;
    const err = await fetch(url).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => networkError(e, url),
    );
    assert.ok(err instanceof JuryNetworkError);
    assert.equal(err.code, 'NETWORK_ERROR');
    assert.equal(err.status, 0);
    assert.match(
      err.message,
      new RegExp(`Could not reach Jury at http://127.0.0.1:${port} \\(ECONNREFUSED\\)`),
    );
    assert.match(err.message, /jury serve/);
    assert.equal(isRetryable(err), true);
  });
});
