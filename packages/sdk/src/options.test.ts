import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JuryValidationError } from './errors.ts';
import { checkOptions, closestKey, editDistance, optionKeys } from './options.ts';

const DEFINITION_KEYS = [
  'name',
  'instruction',
  'datapoints',
  'responsesPerDatapoint',
  'confidenceThreshold',
  'quorumThreshold',
];

describe('checkOptions', () => {
  it('names the closest valid option of a typo', () => {
    assert.throws(
      () => checkOptions('createCompareJobDefinition', { confidenceTreshold: 0.99 }, DEFINITION_KEYS),
      (err: unknown) => {
        assert.ok(err instanceof JuryValidationError);
        assert.equal(err.code, 'VALIDATION_FAILED');
        assert.equal(
          err.message,
          "Unknown option 'confidenceTreshold' for createCompareJobDefinition; did you mean 'confidenceThreshold'?",
        );
        assert.deepEqual(err.details, {
          issues: [{ path: 'confidenceTreshold', message: err.message, suggestion: 'confidenceThreshold' }],
        });
        return true;
      },
    );
  });

  it('maps snake_case and wrong case to the camelCase option', () => {
    assert.throws(
      () => checkOptions('createCompareJobDefinition', { responses_per_datapoint: 3 }, DEFINITION_KEYS),
      /Unknown option 'responses_per_datapoint' for createCompareJobDefinition; did you mean 'responsesPerDatapoint'\?/,
    );
    assert.equal(closestKey('QUORUMTHRESHOLD', DEFINITION_KEYS), 'quorumThreshold');
  });

  it('lists every unknown key, and the valid ones when nothing is close', () => {
    assert.throws(
      () => checkOptions('findJobs', { nmae: 'x', colour: 'red' }, ['name', 'amount', 'page']),
      (err: unknown) => {
        assert.ok(err instanceof JuryValidationError);
        assert.equal(
          err.message,
          "Unknown option 'nmae' for findJobs; did you mean 'name'?\n" +
            "Unknown option 'colour' for findJobs; valid options are 'name', 'amount', 'page'.",
        );
        return true;
      },
    );
  });

  it('accepts known keys, undefined values of known keys and no options', () => {
    checkOptions('findJobs', { name: 'x', amount: undefined }, ['name', 'amount']);
    checkOptions('findJobs', undefined, ['name']);
    checkOptions('findJobs', {}, ['name']);
  });

  it('rejects a key set to undefined when it is misspelt, and non-objects', () => {
    assert.throws(() => checkOptions('f', { nam: undefined }, ['name']), /did you mean 'name'/);
    assert.throws(
      () => checkOptions('findAudiences', 'raters', ['name', 'amount', 'page']),
      /findAudiences takes an options object \(\{ name, amount, page \}\); got the string "raters"\./,
    );
    assert.throws(() => checkOptions('f', [1], ['name']), /takes an options object .* got a list/);
    assert.throws(() => checkOptions('f', null, ['name']), /got null/);
  });
});

describe('editDistance and closestKey', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('treshold', 'threshold'), 1);
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('does not guess when no option is close', () => {
    assert.equal(closestKey('colour', ['name', 'amount', 'page']), undefined);
    assert.equal(closestKey('x', []), undefined);
  });

  it('optionKeys lists the keys of the record', () => {
    assert.deepEqual(optionKeys<{ a?: number; b: string }>({ a: true, b: true }), ['a', 'b']);
  });
});
