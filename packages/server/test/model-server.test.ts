import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startModelServer } from './model-server.ts';

const chat = (url: string, content: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }),
  });

test('the loopback model server answers from its fixture and holds its rate limit', async () => {
  let t = 0;
  const server = await startModelServer({ answers: { 'What is 2+2?': '4' }, rpmLimit: 2, now: () => t });
  try {
    const first = await chat(server.chatUrl, 'What is 2+2?');
    assert.equal(first.status, 200);
    const body = (await first.json()) as { choices: { message: { content: string } }[] };
    assert.equal(body.choices[0]!.message.content, '4');
    assert.equal((await chat(server.chatUrl, 'other')).status, 200);
    const limited = await chat(server.chatUrl, 'third');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '60');
    t = 60_001;
    assert.equal((await chat(server.chatUrl, 'third')).status, 200);
    assert.equal(server.answeredCount('What is 2+2?'), 1);
  } finally {
    await server.close();
  }
});

test('the loopback model server plays scripted faults', async () => {
  const server = await startModelServer({
    fault: (n) => (n === 1 ? '503' : n === 2 ? 'malformed' : undefined),
  });
  try {
    assert.equal((await chat(server.chatUrl, 'x')).status, 503);
    const malformed = await chat(server.chatUrl, 'x');
    assert.equal(malformed.status, 200);
    await assert.rejects(malformed.json());
    assert.equal((await chat(server.chatUrl, 'x')).status, 200);
  } finally {
    await server.close();
  }
});
