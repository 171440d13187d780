import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AnyJuryJob,
  type ClassificationResults,
  type CompareResults,
  CountryFilter,
  type JuryAudience,
  type JuryClient,
  type JuryFilteredAudience,
  type JuryJob,
  type JuryJobDefinition,
  LanguageFilter,
} from './index.ts';

// The README's and the reference product's patterns, checked by `tsc` (npm test type-checks every test file):
// the function is never called, it only has to compile. `@ts-expect-error` lines must fail to compile.
async function readmePatterns(client: JuryClient, idFromConfig: string) {
  const audience = await client.audience.getAudienceById('global');
  const definition = await client.job.createCompareJobDefinition({
    name: 'Example Image Prompt Alignment',
    instruction: 'Which image matches the description better?',
    datapoints: [['a.png', 'b.png']],
  });
  const typedDefinition: JuryJobDefinition<'compare'> = definition;
  const job = await audience.assignJob(typedDefinition);
  const compareJob: JuryJob<'compare'> = job;
  const results: CompareResults = await compareJob.getResults();
  console.log(results.summary.A_wins_total, results.summary.B_wins_total);

  const likert = await client.job.createClassificationJobDefinition({
    name: 'Likert',
    instruction: 'How well?',
    answerOptions: ['1', '2'],
    datapoints: ['a.png'],
  });
  const classification: ClassificationResults = await (await audience.assignJob(likert)).getResults();
  console.log(classification.results.globalAggregatedData);
  // @ts-expect-error a classification job's results have no summary
  console.log((await (await audience.assignJob(likert)).getResults()).summary);

  // Custom audiences, by a literal id or one typed as string, take examples and filters.
  const custom = await client.audience.getAudienceById(idFromConfig);
  await custom.addCompareExample({ instruction: 'Which?', datapoint: ['a.png', 'b.png'], truth: 'a.png' });
  const us: JuryFilteredAudience = await custom.filter([
    new CountryFilter(['US']),
    new LanguageFilter(['en']),
  ]);
  const usJob: JuryJob<'compare'> = await us.assignJob(definition);
  console.log(usJob.id);
  const created: JuryAudience = await client.audience.createAudience('Raters');
  await created.addClassificationExample({
    instruction: 'Which?',
    answerOptions: ['a', 'b'],
    datapoint: 'x.png',
    truth: ['a'],
  });
  // @ts-expect-error a filtered audience has no examples of its own
  await us.addCompareExample({ instruction: 'Which?', datapoint: ['a.png', 'b.png'], truth: 'a.png' });
  // @ts-expect-error a filtered audience cannot be filtered again
  await us.filter([new CountryFilter(['CA'])]);
  const fau: JuryFilteredAudience = await client.audience.getAudienceById('fau_x');
  console.log(fau.baseAudienceId);

  // A job read back by id is either type, narrowed by `type`.
  const any: AnyJuryJob = await client.job.getJobById('job_x');
  // @ts-expect-error not narrowed yet
  console.log((await any.getResults()).summary);
  if (any.type === 'compare') console.log((await any.getResults()).summary.A_wins_total);
  else console.log((await any.getResults()).results.data);
  for (const found of await client.job.findJobs({ name: 'x' }))
    if (found.type === 'classification') console.log((await found.getResults()).results.data);
  const byId = await client.job.getJobDefinitionById('jdf_x');
  if (byId.type === 'compare') {
    const narrowed: JuryJob<'compare'> = await audience.assignJob(byId);
    console.log(narrowed.id);
  }
}

describe('SDK types', () => {
  it('the README patterns type-check (tsc checks the function above)', () => {
    assert.equal(typeof readmePatterns, 'function');
  });
});
