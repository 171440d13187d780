// The endpoint calls against a real loopback model server: the chat preset, a custom template, a plain-text
// endpoint, a path that does not resolve, 5xx, 429 with Retry-After, a malformed body, a hanging server, and
// the pure pieces (body rendering, extraction, Retry-After, the host allow-list).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ModelFault, type ModelServer, startModelServer } from '../../test/model-server.ts';
import {
  buildRequest,
  callEndpoint,
  type Endpoint,
  endpointFingerprint,
  extractAnswer,
  hostAllowed,
  parseRetryAfter,
  renderBody,
} from './endpoint.ts';
import { expandPreset } from './presets.ts';

const chat = (url: string, extra: Partial<Endpoint> = {}): Endpoint => {
  const preset = expandPreset({ preset: 'openai-chat', model: 'fixture', apiKey: 'sk-test-key' });
  return {
    url,
    headers: preset.headers,
    bodyTemplate: preset.bodyTemplate,
    responsePath: preset.responsePath,
    ...extra,
  };
};

describe('model endpoint calls', () => {
  let server: ModelServer;
  const faults = new Map<string, ModelFault>();
  before(async () => {
    server = await startModelServer({
      answers: { 'What is 2+2?': '4' },
      fault: (_n, prompt) => faults.get(prompt),
      requireHeader: { name: 'authorization', value: 'Bearer sk-test-key' },
    });
  });
  after(() => server.close());

  it('the openai-chat preset: request as OpenAI expects it, answer from choices[0].message.content', async () => {
    const call = await callEndpoint(chat(server.chatUrl), 'What is 2+2?');
    assert.equal(call.ok, true, JSON.stringify(call));
    assert.equal(call.status, 200);
    if (!call.ok) return;
    assert.equal(call.answer, '4');
    assert.ok(call.latencyMs >= 0);
    const sent = JSON.parse(server.requests.at(-1)!.body);
    assert.deepEqual(sent, { model: 'fixture', messages: [{ role: 'user', content: 'What is 2+2?' }] });
    assert.equal(server.requests.at(-1)!.headers['content-type'], 'application/json');
  });

  it('a custom template: the prompt JSON-escaped inside strings, the rest of the template kept', async () => {
    const prompt = 'Say "hi"\nthen \\ and ✓ %PROMPT%';
    const call = await callEndpoint(
      {
        url: `${server.url}/v1/completions`,
        headers: { Authorization: 'Bearer sk-test-key' },
        bodyTemplate: '{"prompt": "Q: %PROMPT%", "n": 1, "stop": ["\\n"], "meta": {"tags": ["a"]}}',
        responsePath: ['json', 'choices', 0, 'text'],
      },
      prompt,
    );
    assert.equal(call.ok, true, JSON.stringify(call));
    if (call.ok) assert.equal(call.answer, `Echo: Q: ${prompt}`);
    const sent = JSON.parse(server.requests.at(-1)!.body);
    assert.deepEqual(sent, { prompt: `Q: ${prompt}`, n: 1, stop: ['\n'], meta: { tags: ['a'] } });
  });

  it('an empty path takes the raw body (a plain-text endpoint)', async () => {
    const call = await callEndpoint(chat(`${server.url}/v1/text`, { responsePath: [] }), 'What is 2+2?');
    assert.equal(call.ok && call.answer, '4');
    const text = await callEndpoint(
      chat(`${server.url}/v1/text`, { responsePath: ['text'] }),
      'What is 2+2?',
    );
    assert.equal(text.ok && text.answer, '4');
  });

  it('a path that does not resolve names its step; permanent', async () => {
    const call = await callEndpoint(
      chat(server.chatUrl, { responsePath: ['json', 'choices', 0, 'content'] }),
      'x',
    );
    assert.equal(call.ok, false);
    if (call.ok) return;
    assert.equal(call.error.kind, 'path');
    assert.equal(call.error.step, 3);
    assert.match(
      call.error.message,
      /Step 3 \("content"\) not found: at \["json","choices",0\] there is an object with keys index, message, finish_reason/,
    );
    assert.equal(call.transient, false);
    assert.equal(call.status, 200);
    const index = await callEndpoint(chat(server.chatUrl, { responsePath: ['json', 'choices', 5] }), 'x');
    assert.equal(
      !index.ok && index.error.message,
      'Step 2 (5): at ["json","choices"] there is an array of 1, no index 5.',
    );
  });

  it('5xx and 429 are transient, with Retry-After; 401 is permanent', async () => {
    faults.set('boom', '500');
    faults.set('slow down', '429');
    const five = await callEndpoint(chat(server.chatUrl), 'boom');
    assert.equal(five.ok, false);
    if (!five.ok) {
      assert.equal(five.status, 500);
      assert.equal(five.error.kind, 'status');
      assert.equal(five.transient, true);
      assert.match(five.error.message, /answered 500: .*upstream trouble/);
    }
    const limited = await callEndpoint(chat(server.chatUrl), 'slow down');
    assert.equal(!limited.ok && limited.transient, true);
    assert.equal(!limited.ok && limited.retryAfterMs, 1000);
    const denied = await callEndpoint(
      chat(server.chatUrl, { headers: { Authorization: 'Bearer wrong' } }),
      'x',
    );
    assert.equal(denied.status, 401);
    assert.equal(!denied.ok && denied.transient, false);
  });

  it('a malformed body is a body failure (transient: cut answers of a strained server)', async () => {
    faults.set('garbled', 'malformed');
    const call = await callEndpoint(chat(server.chatUrl), 'garbled');
    assert.equal(call.ok, false);
    if (call.ok) return;
    assert.equal(call.error.kind, 'body');
    assert.match(call.error.message, /The body is not JSON .* it begins: \{"choices"/);
    assert.equal(call.transient, true);
    assert.equal(call.bodyText, '{"choices": [ {"message": ');
  });

  it('a hanging server times out (transient); the caller cancelling is not', async () => {
    faults.set('hang', 'hang');
    const started = Date.now();
    const call = await callEndpoint(chat(server.chatUrl), 'hang', { timeoutMs: 200 });
    assert.ok(Date.now() - started < 5000);
    assert.equal(!call.ok && call.error.kind, 'timeout');
    assert.equal(!call.ok && call.transient, true);
    assert.equal(call.status, null);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const cancelled = await callEndpoint(chat(server.chatUrl), 'hang', { signal: controller.signal });
    assert.equal(!cancelled.ok && cancelled.error.kind, 'aborted');
    assert.equal(!cancelled.ok && cancelled.transient, false);
  });

  it('nobody listening is a transient network failure; a host not allowed is refused before calling', async () => {
    const closed = await startModelServer();
    const url = closed.chatUrl;
    await closed.close();
    const call = await callEndpoint(chat(url), 'x');
    assert.equal(!call.ok && call.error.kind, 'network');
    assert.match(!call.ok ? call.error.message : '', /Could not reach 127\.0\.0\.1:\d+: ECONNREFUSED/);
    assert.equal(!call.ok && call.transient, true);
    const before = server.requests.length;
    const refused = await callEndpoint(chat(server.chatUrl), 'x', { allowedHosts: ['api.openai.com'] });
    assert.equal(!refused.ok && refused.transient, false);
    assert.match(!refused.ok ? refused.error.message : '', /not in JURY_MODEL_HOSTS/);
    assert.equal(server.requests.length, before);
  });

  it('a body above the limit is a permanent failure', async () => {
    const call = await callEndpoint(chat(server.chatUrl), 'x'.repeat(5000), { maxResponseBytes: 1000 });
    assert.equal(!call.ok && call.error.kind, 'body');
    assert.equal(!call.ok && call.transient, false);
  });
});

describe('endpoint pieces', () => {
  it('renderBody replaces %PROMPT% in keys and values, everywhere it occurs', () => {
    assert.equal(
      renderBody('{"a": "%PROMPT% and %PROMPT%", "%PROMPT%": [1, "x%PROMPT%"]}', 'p"'),
      '{"a":"p\\" and p\\"","p\\"":[1,"xp\\""]}',
    );
  });

  it("buildRequest keeps the endpoint's own content type", () => {
    const r = buildRequest(
      {
        url: 'http://h/x',
        headers: { 'Content-Type': 'application/vnd+json' },
        bodyTemplate: '{"q":"%PROMPT%"}',
        responsePath: [],
      },
      'hi',
    );
    assert.equal(r.headers['Content-Type'], 'application/vnd+json');
    assert.equal(r.headers['content-type'], undefined);
    assert.equal(r.body, '{"q":"hi"}');
  });

  it('extractAnswer follows the seed example and explains failures', () => {
    const body = JSON.stringify({
      json: { res: "it's 10 PX" },
      n: 3,
      flag: true,
      list: [1, 2],
      nothing: null,
    });
    assert.deepEqual(extractAnswer(['json', 'json', 'res'], 200, body), {
      ok: true,
      value: "it's 10 PX",
      answer: "it's 10 PX",
    });
    assert.deepEqual(extractAnswer(['json', 'n'], 200, body), { ok: true, value: 3, answer: '3' });
    assert.deepEqual(extractAnswer(['json', 'flag'], 200, body), { ok: true, value: true, answer: 'true' });
    assert.deepEqual(extractAnswer(['json', 'list'], 200, body), {
      ok: true,
      value: [1, 2],
      answer: '[1,2]',
    });
    assert.deepEqual(extractAnswer([], 200, body), { ok: true, value: body, answer: body });
    const missing = extractAnswer(['json', 'some', 'missing', 'key'], 200, body);
    assert.deepEqual(missing.ok ? null : [missing.kind, missing.step], ['path', 1]);
    const nul = extractAnswer(['json', 'nothing'], 200, body);
    assert.equal(!nul.ok && nul.message, 'The value at ["json","nothing"] is null: no answer.');
    const into = extractAnswer(['json', 'n', 'x'], 200, body);
    assert.equal(
      !into.ok && into.message,
      'Step 2 ("x"): at ["json","n"] there is a number (3), nothing to look into.',
    );
    const keyOnArray = extractAnswer(['json', 'list', 'first'], 200, body);
    assert.equal(!keyOnArray.ok && keyOnArray.step, 2);
    const status = extractAnswer(['json'], 404, '');
    assert.equal(!status.ok && status.message, 'The endpoint answered 404 with an empty body.');
    const proto = extractAnswer(['json', 'constructor'], 200, '{}');
    assert.equal(proto.ok, false, 'only own keys are followed');
  });

  it('parseRetryAfter reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3', 0), 3000);
    assert.equal(parseRetryAfter('0.5', 0), 500);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4000), 6000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
    assert.equal(parseRetryAfter(null, 0), undefined);
  });

  it('hostAllowed: every host without a list, else exact names and *.suffix', () => {
    assert.equal(hostAllowed('http://10.0.0.1/x', undefined), true);
    assert.equal(hostAllowed('http://10.0.0.1/x', []), true);
    assert.equal(hostAllowed('https://api.openai.com/v1', ['API.openai.com']), true);
    assert.equal(hostAllowed('https://evil.com/v1', ['api.openai.com']), false);
    assert.equal(hostAllowed('https://a.b.internal/v1', ['*.internal']), true);
    assert.equal(hostAllowed('https://internal/v1', ['*.internal']), false);
    assert.equal(hostAllowed('http://[::1]:8000/v1', ['::1']), true);
  });

  it('endpointFingerprint changes with any part, not with header name case', () => {
    const e: Endpoint = {
      url: 'http://h/x',
      headers: { A: '1' },
      bodyTemplate: '{"q":"%PROMPT%"}',
      responsePath: [],
    };
    const f = endpointFingerprint(e);
    assert.equal(endpointFingerprint({ ...e, headers: { a: '1' } }), f);
    assert.notEqual(endpointFingerprint({ ...e, headers: { A: '2' } }), f);
    assert.notEqual(endpointFingerprint({ ...e, responsePath: ['text'] }), f);
    assert.notEqual(endpointFingerprint({ ...e, url: 'http://h/y' }), f);
  });
});
