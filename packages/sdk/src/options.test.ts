import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JuryAudience } from './audiences/audience.ts';
import { JuryClient } from './client.ts';
import { JuryValidationError } from './errors.ts';
import { JuryJobDefinition } from './jobs/definition.ts';
import { JuryJob } from './jobs/job.ts';
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

describe('every SDK method that takes an options object checks its keys before sending anything', () => {
  // Nothing listens on port 9: a method that forgot its check would fail with a network error instead.
  const client = new JuryClient({ clientId: 'cli_x', clientSecret: 'jcs_x', url: 'http://127.0.0.1:9' });
  const custom = new JuryAudience(client, {
    id: 'aud_x',
    kind: 'custom',
    name: 'Raters',
    baseAudienceId: null,
    filters: [],
    passRule: { targetAccuracy: 0.75, minExamples: 3 },
    showQualificationFeedback: true,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const definition = new JuryJobDefinition<'compare'>(client, {
    id: 'jdf_x',
    name: 'd',
    type: 'compare',
    revision: 1,
    instruction: 'Which?',
    dataType: 'media',
    settings: [],
    answerOptions: null,
    aBNames: null,
    responsesPerDatapoint: 10,
    confidenceThreshold: null,
    quorumThreshold: null,
    datapointCount: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const job = new JuryJob(
    client,
    {
      id: 'job_x',
      name: 'j',
      definitionId: 'jdf_x',
      type: 'compare',
      revision: 1,
      audienceId: 'global',
      status: 'running',
      createdAt: '2026-01-01T00:00:00.000Z',
      completedAt: null,
      progress: { completedTasks: 0, totalTasks: 1, responses: 0, completionPercentage: 0, stalled: null },
    },
    'compare',
  );
  const compare = { name: 'n', instruction: 'Which?', datapoints: [['a.png', 'b.png']] };
  const cases: [string, () => unknown, string][] = [
    [
      'createCompareJobDefinition',
      () => client.job.createCompareJobDefinition({ ...compare, responses_per_datapoint: 3 } as never),
      "Unknown option 'responses_per_datapoint' for createCompareJobDefinition; did you mean 'responsesPerDatapoint'?",
    ],
    [
      'createCompareJobDefinition',
      () => client.job.createCompareJobDefinition({ ...compare, confidenceTreshold: 0.99 } as never),
      "Unknown option 'confidenceTreshold' for createCompareJobDefinition; did you mean 'confidenceThreshold'?",
    ],
    [
      'createClassificationJobDefinition',
      () =>
        client.job.createClassificationJobDefinition({
          name: 'n',
          instruction: 'i',
          datapoints: ['a.png'],
          answer_options: ['a', 'b'],
        } as never),
      "did you mean 'answerOptions'?",
    ],
    ['findJobs', () => client.job.findJobs({ audience: 'global' } as never), "did you mean 'audienceId'?"],
    [
      'findJobDefinitions',
      () => client.job.findJobDefinitions({ names: 'x' } as never),
      "did you mean 'name'?",
    ],
    ['findAudiences', () => client.audience.findAudiences({ ammount: 5 } as never), "did you mean 'amount'?"],
    [
      'createAudience',
      () => client.audience.createAudience('x', { minExample: 3 } as never),
      "Unknown option 'minExample' for createAudience; did you mean 'minExamples'?",
    ],
    [
      'assignJob',
      () => client.job.assignJob('jdf_x', 'global', { nmae: 'r' } as never),
      "did you mean 'name'?",
    ],
    [
      'audience.assignJob',
      () => custom.assignJob(definition, { revison: 1 } as never),
      "did you mean 'revision'?",
    ],
    ['audience.findJobs', () => custom.findJobs({ pgae: 2 } as never), "did you mean 'page'?"],
    [
      'getExamples',
      () => custom.getExamples({ name: 'x' } as never),
      "Unknown option 'name' for getExamples",
    ],
    [
      'addCompareExample',
      () =>
        custom.addCompareExample({
          instruction: 'Which?',
          datapoint: ['a.png', 'b.png'],
          truth: 'a.png',
          explaination: 'x',
        } as never),
      "did you mean 'explanation'?",
    ],
    [
      'addClassificationExample',
      () =>
        custom.addClassificationExample({
          instruction: 'Which?',
          answerOptions: ['a', 'b'],
          datapoint: 'a.png',
          truth: ['a'],
          media_context: ['c.png'],
        } as never),
      "did you mean 'mediaContext'?",
    ],
    ['addDatapoints', () => definition.addDatapoints({ datapoint: [['a', 'b']] } as never), "'datapoints'?"],
    ['createRevision', () => definition.createRevision({ quorum: 3 } as never), 'createRevision'],
    ['preview', () => definition.preview({ opne: false } as never), "did you mean 'open'?"],
    ['getResults', () => job.getResults({ timeout: 10 } as never), "did you mean 'timeoutMs'?"],
    [
      'displayProgressBar',
      () => job.displayProgressBar({ pollInterval: 10 } as never),
      "did you mean 'pollIntervalMs'?",
    ],
    ['uploadMany', () => client.assets.uploadMany([], { progressbar: false } as never), "'progressBar'?"],
    [
      'resolveItems',
      () => client.assets.resolveItems([], 'media', { onprogress: 1 } as never),
      "'onProgress'?",
    ],
    [
      'new JuryClient',
      () => new JuryClient({ clientId: 'a', clientSecret: 'b', URL: 'http://x' } as never),
      "Unknown option 'URL' for new JuryClient; did you mean 'url'?",
    ],
  ];
  for (const [name, run, message] of cases)
    it(name, async () => {
      await assert.rejects(
        async () => run(),
        (err: unknown) => {
          assert.ok(err instanceof JuryValidationError, `${name}: ${String(err)}`);
          assert.ok(err.message.includes(message), `${name}: ${err.message}`);
          return true;
        },
      );
    });
});
