// The judge grading against a real loopback model server playing the judge, on real MixEval items.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EvaluationItem } from '@jury/api';
import { type ModelServer, startModelServer } from '../../../test/model-server.ts';
import { builtInItems } from '../builtins.ts';
import { type Complete, judgeItem } from './index.ts';
import {
  freeFormJudgePrompt,
  multipleChoiceJudgePrompt,
  parseJudgeOption,
  parseJudgeScore,
} from './judge.ts';

const items = builtInItems('mixeval-hard', '2024-06-01');
const first = (split: EvaluationItem['split']) =>
  ({ id: 'test', position: 1, ...items.find((i) => i.split === split)! }) as EvaluationItem;

/** Plays MixEval's judge: reads the prompt it gets and answers in MixEval's format. */
function judgeReply(prompt: string): string {
  // The case to judge comes last, after MixEval's worked examples.
  const answer = prompt.slice(
    prompt.lastIndexOf("Model's Answer: ") + 16,
    prompt.lastIndexOf('\nYour Judgment:'),
  );
  if (answer.includes('UNREADABLE')) return 'I cannot decide.';
  if (prompt.includes('act as an option extractor')) {
    const letter = /\b([A-J])\b/.exec(answer)?.[1] ?? 'A';
    return `The model clearly picks ${letter}. The option chosen by the model: [[${letter}]].`;
  }
  const gold = [...prompt.matchAll(/Golden Answer\(s\): (.*)\n/g)].at(-1)?.[1] ?? '';
  const golds = [...gold.matchAll(/<answer \d+> ([^;]*)/g)].map((m) => m[1]!.trim().toLowerCase());
  const right = golds.some((g) => answer.toLowerCase().includes(g));
  const partly = answer.toLowerCase().includes('maybe');
  return `Reasoning about the answer. The correctness score: [[${right ? '1.0' : partly ? '0.5' : '0.0'}]].`;
}

describe('judge grading with a model server as the judge', () => {
  let judge: ModelServer;
  const complete: Complete = async (prompt) => {
    const res = await fetch(judge.chatUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'judge-3', messages: [{ role: 'user', content: prompt }] }),
    });
    if (!res.ok) throw new Error(`judge answered ${res.status}`);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    return body.choices[0]!.message.content;
  };
  before(async () => {
    judge = await startModelServer({
      answer: judgeReply,
      fault: (_n, prompt) => (prompt.includes('SERVER-ERROR') ? '500' : undefined),
    });
  });
  after(() => judge.close());

  it('free-form: the judge scores in [0, 1]; the grade records the judge as parser', async () => {
    const item = first('free-form');
    assert.ok(item.split === 'free-form');
    const right = await judgeItem(item, `It is ${item.answers[0]}.`, { complete, judge: 'mdl_judge' });
    assert.deepEqual([right.score, right.parser, right.method], [1, 'mdl_judge', 'judge']);
    assert.match(right.judgement ?? '', /\[\[1\.0\]\]/);
    const half = await judgeItem(item, 'maybe something else', { complete, judge: 'mdl_judge' });
    assert.equal(half.score, 0.5);
    const wrong = await judgeItem(item, 'something else entirely', { complete, judge: 'mdl_judge' });
    assert.equal(wrong.score, 0);
    // What the judge saw: MixEval's prompt with the question and the numbered golden answers.
    const sent = judge.requests.at(-1)!.prompt;
    assert.equal(sent, freeFormJudgePrompt(item.question, item.answers, 'something else entirely'));
    assert.ok(
      sent.startsWith('In this task, I want you to act as a judge.\n\nYou will be provided with a question'),
    );
    assert.ok(sent.includes(`Golden Answer(s): <answer 1> ${item.answers[0]}`));
  });

  it('multiple-choice: the judge extracts the letter; right when it is the correct option', async () => {
    const item = first('multiple-choice');
    assert.ok(item.split === 'multiple-choice');
    const letter = String.fromCharCode(65 + item.correctOption);
    const right = await judgeItem(item, `my pick: ${letter}`, { complete, judge: 'mdl_judge' });
    assert.deepEqual([right.score, right.extracted, right.chosenOption], [1, letter, item.correctOption]);
    const other = item.correctOption === 0 ? 'B' : 'A';
    const wrong = await judgeItem(item, `Surely ${other}`, { complete, judge: 'mdl_judge' });
    assert.deepEqual([wrong.score, wrong.extracted], [0, other]);
    const sent = judge.requests.at(-1)!.prompt;
    assert.equal(sent, multipleChoiceJudgePrompt(item.question, item.options, `Surely ${other}`));
    assert.ok(sent.includes(`Options: \nA. ${item.options[0]}\nB. ${item.options[1]}`));
  });

  it('an unreadable reply is asked again, then graded 0 as unparseable; a failing judge rejects', async () => {
    const item = first('free-form');
    const before = judge.requests.length;
    const grade = await judgeItem(item, 'UNREADABLE', { complete, judge: 'mdl_judge', attempts: 2 });
    assert.deepEqual([grade.score, grade.method, grade.judgement], [0, 'unparseable', 'I cannot decide.']);
    assert.equal(judge.requests.length - before, 2);
    await assert.rejects(
      judgeItem(item, 'SERVER-ERROR', { complete, judge: 'mdl_judge' }),
      /judge answered 500/,
    );
  });
});

describe("parsing the judge's reply as MixEval does", () => {
  it('scores: [[x]] first, else [x]; outside [0, 1] is no score', () => {
    assert.equal(parseJudgeScore('The correctness score: [[0.7]].'), 0.7);
    assert.equal(parseJudgeScore('score [1] then [[0.2]]'), 0.2);
    assert.equal(parseJudgeScore('The correctness score: [0.3]'), 0.3);
    assert.equal(parseJudgeScore('[[1.5]]'), undefined);
    assert.equal(parseJudgeScore('no score here'), undefined);
  });

  it('options: [[X]] first, else [X]; a letter beyond the options is none', () => {
    assert.equal(parseJudgeOption('The option chosen by the model: [[C]].', 4), 2);
    assert.equal(parseJudgeOption('chosen [B]', 4), 1);
    assert.equal(parseJudgeOption('[[E]]', 4), undefined);
    assert.equal(parseJudgeOption('nothing', 4), undefined);
  });
});
