// The prompts a model is asked, as MixEval builds them, on real items.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { EvaluationItem } from '@jury/api';
import { builtInItems } from './builtins.ts';
import { itemPrompt } from './prompts.ts';

const items = builtInItems('mixeval', '2024-06-01').map(
  (i) => ({ id: 'x', position: 1, ...i }) as EvaluationItem,
);
const find = (split: string, key: string) => items.find((i) => i.split === split && i.key === key)!;

it('multiple-choice: context, question, lettered options, the instruction', () => {
  assert.equal(
    itemPrompt(find('multiple-choice', '2')),
    'A deficiency of which vitamin has been associated with enamel defects and increased risk of dental caries?\n\nA. Vitamin A\nB. Folic acid\nC. Vitamin C\nD. Vitamin D\nAnswer with the option letter from the given choices directly.',
  );
  const withContext = find('multiple-choice', '1');
  assert.ok(
    itemPrompt(withContext).startsWith(
      'Will rising prices correct a recession?\nWhich solution is correct?\nA. ',
    ),
  );
});

it('free-form: "Question:", the context first, a short answer or step by step for GSM8k, MATH and BBH', () => {
  assert.equal(
    itemPrompt(find('free-form', '0')),
    "Question: Who wrote the book 'LA Confidential'?\nAnswer the question shortly.",
  );
  assert.ok(
    itemPrompt(find('free-form', '19')).endsWith(
      "how many teachers are there?\nAnswer the question. \nLet's think step by step.",
    ),
  );
  const drop = itemPrompt(find('free-form', '1'));
  assert.ok(drop.startsWith('Question: The services sector made up nearly 50 percent'));
  assert.ok(
    drop.endsWith(
      'How many years did it take for the services sector to rebound?\nAnswer the question shortly.',
    ),
  );
});
