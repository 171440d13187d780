// The registry's keys are the task types' names: each module's definition and example bodies carry its key as
// their discriminator, and its results and answers are told apart in the unions built from it.
import assert from 'node:assert/strict';
// biome-ignore lint/style/noRestrictedImports: the test runner, not I/O in the package
import { describe, it } from 'node:test';
import { answerCategory, TASK_TYPE_CONTRACTS, TASK_TYPES, typesWithField } from './index.ts';

describe('task-type contracts', () => {
  it('each module carries its registry key as its discriminator', () => {
    for (const type of TASK_TYPES) {
      const contract = TASK_TYPE_CONTRACTS[type];
      assert.equal(contract.definitionSchema.shape.type.value, type);
      assert.equal(contract.exampleSchema.shape.taskType.value, type);
      assert.ok(contract.answerField in contract.answerSchema.shape, `${type}: answerField is in its answer`);
    }
  });

  it('a type-specific field belongs to its own type only', () => {
    assert.deepEqual(typesWithField('aBNames'), ['compare']);
    assert.deepEqual(typesWithField('answerOptions'), ['classification']);
  });

  it("an answer's category is its type's one field", () => {
    assert.equal(answerCategory({ choice: 'B' }), 'B');
    assert.equal(answerCategory({ category: 'Cat' }), 'Cat');
  });
});
