// The grading rules on real MixEval items (read from the shipped data) with the many ways models answer,
// right and wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EvaluationItem } from '@jury/api';
import { builtInItems } from '../builtins.ts';
import { gradeItem } from './index.ts';
import { chooseOption } from './multiple-choice.ts';
import { findNumbers, normalizeText, numbersMatch } from './normalize.ts';

const items = builtInItems('mixeval', '2024-06-01');
const item = (split: EvaluationItem['split'], key: string): EvaluationItem => {
  const found = items.find((i) => i.split === split && i.key === key);
  if (!found) throw new Error(`no ${split} item ${key}`);
  return { id: `test_${key}`, position: 0, ...found } as EvaluationItem;
};
const mc = (key: string) => item('multiple-choice', key);
const ff = (key: string) => item('free-form', key);

/** [response, expected score, expected rule] */
type Case = [string, 0 | 1, string];

function check(subject: EvaluationItem, cases: Case[]) {
  for (const [response, score, method] of cases) {
    const grade = gradeItem(subject, response);
    assert.equal(grade.parser, 'rules');
    assert.deepEqual(
      [grade.score, grade.method],
      [score, method],
      `${JSON.stringify(response)} → ${JSON.stringify(grade)}`,
    );
  }
}

describe('multiple-choice rules on real MixEval items', () => {
  it('reads the letter however it is written (MMLU: vitamin D, the answer is D)', () => {
    const vitamin = mc('2');
    assert.deepEqual(vitamin.split === 'multiple-choice' && vitamin.options, [
      'Vitamin A',
      'Folic acid',
      'Vitamin C',
      'Vitamin D',
    ]);
    check(vitamin, [
      ['D', 1, 'whole'],
      ['(D)', 1, 'whole'],
      ['D.', 1, 'whole'],
      ['**D**', 1, 'whole'],
      ['[d]', 1, 'whole'],
      ['  d  ', 1, 'whole'],
      ['Answer: D', 1, 'whole'],
      ['The answer is D', 1, 'whole'],
      ['The answer is D because vitamin D matters', 1, 'explicit'],
      ['The correct answer is (D) Vitamin D.', 1, 'explicit'],
      ['Answer: d) Vitamin D', 1, 'explicit'],
      ["I think it's option D because vitamin D deficiency affects enamel.", 1, 'explicit'],
      ['I’d choose D: vitamin D is needed for calcium absorption.', 1, 'explicit'],
      ['**Final answer: D**', 1, 'explicit'],
      ['D. Vitamin D', 1, 'leading'],
      ['D) Vitamin D is linked to enamel hypoplasia.', 1, 'leading'],
      ['Option D is correct: vitamin D is needed for enamel.', 1, 'mention'],
      ['Vitamin D', 1, 'text'],
      ['A deficiency of vitamin D has been associated with enamel defects.', 1, 'text'],
      // Wrong or unreadable answers score 0.
      ['C', 0, 'whole'],
      ['The answer is C', 0, 'whole'],
      ['I would choose C since folic acid is unrelated', 0, 'explicit'],
      ['Vitamin C', 0, 'text'],
      ['The answer is C or D', 0, 'ambiguous'],
      ['B and D', 0, 'ambiguous'],
      ['A or D', 0, 'ambiguous'],
      ['(C) or (D), I am not sure', 0, 'ambiguous'],
      ['Option A is wrong, option D is right', 0, 'ambiguous'],
      ["It's not C, it's D", 1, 'letter'],
      ['Not option C but option D', 1, 'mention'],
      ['Definitely not A.', 0, 'no-choice'],
      ['E', 0, 'no-choice'],
      ["I'm not sure.", 0, 'no-choice'],
      ['', 0, 'empty'],
    ]);
  });

  it('keeps English words apart from letters: "A bit…", "I think…", "the answer is a…"', () => {
    const orwell = mc('0');
    assert.equal(orwell.split === 'multiple-choice' && orwell.correctOption, 2);
    check(orwell, [
      ["A bit of a classic: I'd go with C", 1, 'explicit'],
      ['It is a dystopia, so C', 1, 'letter'],
      ["George Orwell's 1984", 1, 'text'],
      ['The passage discusses george orwells 1984!', 1, 'text'],
      ['the answer is a novel by Orwell, option C', 1, 'mention'],
      ['A', 0, 'whole'],
      ["Thomas Pynchon's V.", 0, 'text'],
    ]);
  });

  it('reads Yes/No options by their text (BoolQ)', () => {
    const senate = mc('4');
    assert.deepEqual(senate.split === 'multiple-choice' && [senate.options, senate.correctOption], [
      ['No', 'Yes'],
      1,
    ]);
    check(senate, [
      ['Yes', 1, 'text'],
      ['Yes, the Republicans hold a majority.', 1, 'text'],
      ['B', 1, 'whole'],
      ['No.', 0, 'text'],
      ['A', 0, 'whole'],
    ]);
  });

  it('an option inside a longer one counts as the longer one (PIQA: google.co vs google.com)', () => {
    const google = mc('10');
    check(google, [
      ['open a web browser and type www.google.com into the web adress bar.', 1, 'text'],
      ['open a web browser and type www.google.co into the web adress bar.', 0, 'text'],
    ]);
  });

  it('letters go up to the last option: I and J exist with ten options (MMLU-Pro)', () => {
    const ten = builtInItems('mixeval', '2024-08-11').find(
      (i) => i.split === 'multiple-choice' && i.options.length === 10,
    );
    assert.ok(ten && ten.split === 'multiple-choice');
    assert.equal(chooseOption('I', ten.options).chosen, 8);
    assert.equal(chooseOption('The answer is J.', ten.options).chosen, 9);
    assert.equal(chooseOption('K', ten.options).chosen, null);
  });
});

describe('free-form rules on real MixEval items', () => {
  it('TriviaQA: case, articles, punctuation; containment without negation', () => {
    check(ff('0'), [
      ['James Elroy', 1, 'exact'],
      ['JAMES ELROY.', 1, 'exact'],
      ["The book 'LA Confidential' was written by James Elroy.", 1, 'contains'],
      // The accepted answer misspells Ellroy: the rules are literal (a judge model would accept it).
      ['James Ellroy', 0, 'no-match'],
      ['It was not James Elroy but Dashiell Hammett', 0, 'no-match'],
      ['Raymond Chandler', 0, 'no-match'],
      ['   ', 0, 'empty'],
    ]);
    check(ff('4'), [
      ['An elephant.', 1, 'exact'],
      ['The Republican Party is represented by an elephant 🐘', 1, 'contains'],
      ['A donkey', 0, 'no-match'],
    ]);
    check(ff('2'), [
      ['Vitamin B1 (thiamine)', 1, 'contains'],
      ['B-1', 1, 'exact'],
      ['Vitamin C', 0, 'no-match'],
    ]);
  });

  it('GSM8k and MATH: the final number of a chain of thought', () => {
    const teachers = ff('19');
    assert.deepEqual(teachers.split === 'free-form' && teachers.answers, ['36']);
    check(teachers, [
      [
        'There are 60 girls, so there are 2 × 60 = 120 boys and 180 students. 180 / 5 = 36. So the final answer is 36.',
        1,
        'number',
      ],
      [
        '60 girls and 120 boys make 180 students; with 5 students per teacher that is 36 teachers',
        1,
        'number',
      ],
      ['#### 36', 1, 'number'],
      ['36', 1, 'number'],
      ['thirty-six', 0, 'no-match'],
      ['180 / 5 = 36 students per class, so the answer is 30', 0, 'no-match'],
      ['There are 180 students in total.', 0, 'no-match'],
    ]);
    check(ff('22'), [
      ['Each person has 5, 4, then 3 choices: $5 \\cdot 4 \\cdot 3 = \\boxed{60}$', 1, 'number'],
      ['\\boxed{125}', 0, 'no-match'],
    ]);
  });

  it('DROP: separators, decimals, percentages, exponents and number words', () => {
    check(ff('30'), [
      ['23,946 people', 1, 'number'],
      ['About 2.3946e4 people.', 1, 'number'],
      // No marker: the last number is the answer.
      ['About 23,946 people are 19 and under.', 0, 'no-match'],
      ['The answer is 23,946 (the people 19 and under).', 1, 'number'],
      ['23,947', 0, 'no-match'],
    ]);
    check(ff('29'), [
      ['46.7%', 1, 'number'],
      ['The answer is 46.7 percent', 1, 'number'],
      ['47', 0, 'no-match'],
    ]);
    check(ff('17'), [
      ['0.6 percentage points', 1, 'number'],
      ['.6', 1, 'number'],
      ['0.61', 0, 'no-match'],
    ]);
    check(ff('1'), [
      ['It took one year.', 1, 'number'],
      ['2 years', 0, 'no-match'],
    ]);
    check(ff('34'), [
      ['Wilkins averaged 2.70 more points', 1, 'number'],
      ['2.8', 0, 'no-match'],
    ]);
  });

  it('BBH lettered answers: the letter the response chose', () => {
    check(ff('84'), [
      ['(A)', 1, 'letter'],
      [
        "Let's think step by step. Nothing is to the left of the sunglasses. So the answer is (A).",
        1,
        'letter',
      ],
      ['A', 1, 'letter'],
      ['So the answer is (B) one.', 0, 'no-match'],
      ['(A) or (B)', 0, 'no-match'],
    ]);
  });

  it('BBH Yes/No answers match as text', () => {
    check(ff('37'), [
      ["Let's think step by step. 3 forward, 3 back: back at the start. So the answer is Yes.", 1, 'exact'],
      ['No', 0, 'no-match'],
    ]);
  });
});

describe('every shipped item, answered right and wrong in common phrasings', () => {
  it('grades its own answer right and another option wrong (54,965 checks on both releases)', () => {
    const misses: string[] = [];
    let checks = 0;
    for (const version of ['2024-06-01', '2024-08-11'])
      for (const folder of ['mixeval', 'mixeval-hard'])
        for (const parsed of builtInItems(folder, version)) {
          const subject = { id: 'x', position: 1, ...parsed } as EvaluationItem;
          const tries: [string, number][] = [];
          if (subject.split === 'multiple-choice') {
            const right = String.fromCharCode(65 + subject.correctOption);
            const wrong = subject.correctOption === 0 ? 1 : 0;
            tries.push(
              [right, 1],
              [`(${right})`, 1],
              [`The answer is ${right}.`, 1],
              [`${right}. ${subject.options[subject.correctOption]}`, 1],
              [subject.options[subject.correctOption]!, 1],
              [
                subject.options[wrong]!,
                subject.options[wrong] === subject.options[subject.correctOption] ? 1 : 0,
              ],
              [String.fromCharCode(65 + wrong), 0],
            );
          } else {
            const answer = subject.answers[0]!;
            tries.push(
              [answer, 1],
              [`The answer is ${answer}.`, 1],
              [`I believe it is ${answer}`, 1],
              ['xyzzy plugh', 0],
            );
          }
          for (const [response, expected] of tries) {
            checks++;
            if (gradeItem(subject, response).score !== expected)
              misses.push(
                `${folder}/${version} ${subject.split} ${subject.key}: ${JSON.stringify(response)}`,
              );
          }
        }
    assert.equal(checks, 54_965);
    // Every multiple-choice check passes; the free-form misses are one-character answers after normalising
    // ("A B" loses its article, "𝓩" folds to "z") inside a sentence, which the rules only match exactly.
    assert.deepEqual(
      misses.filter((m) => m.includes('multiple-choice')),
      [],
    );
    assert.ok(misses.length <= 21, misses.join('\n'));
  });
});

describe('normalisation', () => {
  it('folds case, accents, punctuation, articles and whitespace', () => {
    assert.equal(normalizeText('  The   Beatles! '), 'beatles');
    assert.equal(normalizeText('Café-au-lait'), 'cafe au lait');
    assert.equal(normalizeText('ＡＢＣ'), 'abc');
    assert.equal(normalizeText('1,000 and 3.14.'), '1000 and 3.14');
    assert.equal(normalizeText('Vitamin A', { keepArticles: true }), 'vitamin a');
  });

  it('numbers: 1,000 = 1000 = 1e3; 3.14 within 0.1% of 3.1416; 3/8 million = 375,000; 50% = 0.5', () => {
    const one = (text: string) => {
      const [n] = findNumbers(text);
      assert.ok(n, text);
      return n;
    };
    assert.ok(numbersMatch(one('1,000'), one('1000')));
    assert.ok(numbersMatch(one('1e3'), one('1,000')));
    assert.ok(!numbersMatch(one('1001'), one('1000')));
    assert.ok(numbersMatch(one('3.14'), one('3.1416')));
    assert.ok(!numbersMatch(one('3.1'), one('3.1416')));
    assert.ok(numbersMatch(one('3/8 million'), one('375000')));
    assert.ok(numbersMatch(one('50%'), one('0.5')));
    assert.ok(numbersMatch(one('$1.5 million'), one('1,500,000')));
    assert.ok(numbersMatch(one('-2'), one('-2.0')));
    assert.ok(!numbersMatch(one('2'), one('-2')));
    assert.deepEqual(
      findNumbers('x2 and v3.4.5').map((n) => n.value),
      [],
    );
  });
});
