// The results presenter against the reference product's published examples ("Understanding the Results" for compare, the
// confidence stopping example for classification), plus the cases those examples do not show.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item } from '@jury/api';
import { presentClassificationResults } from '../task-types/classification.ts';
import { presentCompareResults } from '../task-types/compare.ts';
import type { ResultsInput, ResultsResponse } from './results.ts';

const now = new Date('2026-11-23T15:00:00.000Z');
const asset = (name: string): Item => ({
  type: 'asset',
  assetId: `ast_${name}`,
  url: `/media/${name}`,
  kind: 'image',
  name,
});
const vote = (
  datapointId: string,
  answer: ResultsResponse['answer'],
  userScore: number,
  extra: Partial<ResultsResponse> = {},
): ResultsResponse => ({
  datapointId,
  answer,
  userScore,
  audienceUserScore: userScore,
  country: 'US',
  language: 'en',
  demographics: null,
  ...extra,
});
const base: Omit<ResultsInput, 'type' | 'datapoints' | 'responses'> = {
  jobName: 'Example',
  instruction: 'Which image matches the description better?',
  settings: [],
  answerOptions: null,
  aBNames: null,
  confidenceThreshold: null,
  now,
};

describe('compare results', () => {
  it("reproduces the reference product's 'Understanding the Results' example", () => {
    const out = presentCompareResults({
      ...base,
      type: 'compare',
      datapoints: [
        {
          id: 'dp1',
          items: [asset('aurora-20-1-25_37_4.png'), asset('dalle-3_37_2.jpg')],
          context: 'A small blue book sitting on a large red book.',
          privateMetadata: null,
        },
      ],
      responses: [
        vote('dp1', { choice: 'B' }, 0.4469, { country: 'BY', language: 'ru' }),
        vote('dp1', { choice: 'B' }, 0.3923, {
          country: 'LY',
          language: 'ar',
          demographics: { age: '0-17', gender: 'Other', occupation: 'Other Employment' },
        }),
        vote('dp1', { choice: 'B' }, 0.3568, {
          country: 'BY',
          language: 'ru',
          demographics: { age: '0-17', gender: 'Other', occupation: 'Healthcare' },
        }),
      ],
    });
    // Verbatim from the reference product's documentation (the example's info block differs only in createdAt/version/name).
    const seed = JSON.parse(
      `{ "summary": { "A_wins_total": 0, "B_wins_total": 1 }, "results": [ { "context": "A small blue book sitting on a large red book.", "winner_index": 1, "winner": "dalle-3_37_2.jpg", "aggregatedResults": { "aurora-20-1-25_37_4.png": 0, "dalle-3_37_2.jpg": 3 }, "aggregatedResultsRatios": { "aurora-20-1-25_37_4.png": 0.0, "dalle-3_37_2.jpg": 1.0 }, "summedUserScores": { "aurora-20-1-25_37_4.png": 0.0, "dalle-3_37_2.jpg": 1.196 }, "summedUserScoresRatios": { "aurora-20-1-25_37_4.png": 0.0, "dalle-3_37_2.jpg": 1.0 }, "detailedResults": [ { "votedFor": "dalle-3_37_2.jpg", "userDetails": { "country": "BY", "language": "ru", "userScores": { "global": 0.4469 }, "demographics": {} } }, { "votedFor": "dalle-3_37_2.jpg", "userDetails": { "country": "LY", "language": "ar", "userScores": { "global": 0.3923 }, "demographics": { "age": "0-17", "gender": "Other", "occupation": "Other Employment" } } }, { "votedFor": "dalle-3_37_2.jpg", "userDetails": { "country": "BY", "language": "ru", "userScores": { "global": 0.3568 }, "demographics": { "age": "0-17", "gender": "Other", "occupation": "Healthcare" } } } ] } ] }`,
    );
    assert.deepEqual(out.summary, seed.summary);
    assert.deepEqual(out.results, seed.results);
    assert.deepEqual(out.info, {
      createdAt: now.toISOString(),
      version: '1.0.0',
      type: 'Compare',
      name: 'Example',
      instruction: base.instruction,
    });
  });

  it('decides the winner by summed trust scores, not by counts; ties and no votes give null', () => {
    const out = presentCompareResults({
      ...base,
      type: 'compare',
      datapoints: [
        { id: 'd1', items: [asset('a.png'), asset('b.png')], context: null, privateMetadata: null },
        { id: 'd2', items: [asset('c.png'), asset('d.png')], context: null, privateMetadata: null },
        { id: 'd3', items: [asset('e.png'), asset('f.png')], context: null, privateMetadata: { id: 'x' } },
      ],
      responses: [
        vote('d1', { choice: 'A' }, 0.1),
        vote('d1', { choice: 'A' }, 0.1),
        vote('d1', { choice: 'B' }, 0.9),
        vote('d2', { choice: 'A' }, 0.5),
        vote('d2', { choice: 'B' }, 0.5),
      ],
    });
    const [d1, d2, d3] = out.results;
    assert.equal(d1?.winner, 'b.png');
    assert.equal(d1?.winner_index, 1);
    assert.deepEqual(d1?.aggregatedResults, { 'a.png': 2, 'b.png': 1 });
    assert.deepEqual(d1?.aggregatedResultsRatios, { 'a.png': 0.6667, 'b.png': 0.3333 });
    assert.deepEqual(d1?.summedUserScoresRatios, { 'a.png': 0.1818, 'b.png': 0.8182 });
    assert.equal(d2?.winner, null);
    assert.equal(d2?.winner_index, null);
    assert.equal(d3?.winner, null);
    assert.deepEqual(d3?.aggregatedResultsRatios, { 'e.png': 0, 'f.png': 0 });
    assert.deepEqual(d3?.privateMetadata, { id: 'x' });
    assert.deepEqual(out.summary, { A_wins_total: 0, B_wins_total: 1 });
    assert.equal(d1?.confidencePerCategory, undefined);
  });

  it('uses aBNames, counts Both/Neither with AllowNeitherBoth, and adds confidence with confidence stopping', () => {
    const out = presentCompareResults({
      ...base,
      type: 'compare',
      settings: ['AllowNeitherBoth'],
      aBNames: ['model-x', 'model-y'],
      confidenceThreshold: 0.99,
      datapoints: [
        {
          id: 'd1',
          items: [
            { type: 'text', text: 'one' },
            { type: 'text', text: 'two' },
          ],
          context: 'q',
          privateMetadata: null,
        },
      ],
      responses: [
        vote('d1', { choice: 'A' }, 0.8),
        vote('d1', { choice: 'Both' }, 0.2),
        vote('d1', { choice: 'A' }, 0.5),
      ],
    });
    const r = out.results[0];
    assert.deepEqual(r?.aggregatedResults, { 'model-x': 2, 'model-y': 0, Both: 1, Neither: 0 });
    assert.equal(r?.winner, 'model-x');
    assert.equal(r?.winner_index, 0);
    assert.deepEqual(
      r?.detailedResults.map((d) => d.votedFor),
      ['model-x', 'Both', 'model-x'],
    );
    const conf = r?.confidencePerCategory ?? {};
    assert.deepEqual(Object.keys(conf), ['model-x', 'model-y', 'Both', 'Neither']);
    assert.ok((conf['model-x'] ?? 0) > 0.9);
    assert.deepEqual(out.summary, { A_wins_total: 1, B_wins_total: 0 });
  });
});

describe('classification results', () => {
  it("reproduces the reference product's confidence stopping example (Dog 0.9943 / Cat 0.0057)", () => {
    // The seed prints trust scores rounded to 4 decimals; their exact values summed to 2.0865 (the rounded
    // ones sum to 2.0866). These unrounded scores print as the documented ones and sum like them.
    const scores: [number, string, string][] = [
      [0.29997, 'PT', 'pt'],
      [0.84857, 'RS', 'sr'],
      [0.44687, 'SG', 'en'],
      [0.49107, 'IN', 'en'],
    ];
    const out = presentClassificationResults({
      ...base,
      type: 'classification',
      instruction: 'What do you see in the image?',
      answerOptions: ['Dog', 'Cat'],
      confidenceThreshold: 0.99,
      datapoints: [{ id: 'd1', items: [asset('dog.jpeg')], context: null, privateMetadata: null }],
      responses: scores.map(([s, country, language]) =>
        vote('d1', { category: 'Dog' }, s, { country, language }),
      ),
    });
    const seed = JSON.parse(
      `{ "globalAggregatedData": { "Dog": 4, "Cat": 0 }, "data": [ { "originalFileName": "dog.jpeg", "aggregatedResults": { "Dog": 4, "Cat": 0 }, "aggregatedResultsRatios": { "Dog": 1.0, "Cat": 0.0 }, "summedUserScores": { "Dog": 2.0865, "Cat": 0.0 }, "summedUserScoresRatios": { "Dog": 1.0, "Cat": 0.0 }, "confidencePerCategory": { "Dog": 0.9943, "Cat": 0.0057 }, "detailedResults": [ { "selectedCategory": "Dog", "userDetails": { "country": "PT", "language": "pt", "userScore": 0.3 } }, { "selectedCategory": "Dog", "userDetails": { "country": "RS", "language": "sr", "userScore": 0.8486 } }, { "selectedCategory": "Dog", "userDetails": { "country": "SG", "language": "en", "userScore": 0.4469 } }, { "selectedCategory": "Dog", "userDetails": { "country": "IN", "language": "en", "userScore": 0.4911 } } ] } ] }`,
    );
    // Jury adds context, userScores.global and demographics to the reference product's (older) classification shape.
    const data = out.results.data.map(({ context, detailedResults, ...rest }) => {
      assert.equal(context, null);
      return {
        ...rest,
        detailedResults: detailedResults.map(({ selectedCategory, userDetails: u }) => {
          assert.deepEqual(u.userScores, { global: u.userScore });
          assert.deepEqual(u.demographics, {});
          return {
            selectedCategory,
            userDetails: { country: u.country, language: u.language, userScore: u.userScore },
          };
        }),
      };
    });
    assert.deepEqual({ globalAggregatedData: out.results.globalAggregatedData, data }, seed);
    assert.equal(out.info.type, 'Classify');
  });

  it("the reference product's rounded trust scores give the same confidence", () => {
    const out = presentClassificationResults({
      ...base,
      type: 'classification',
      answerOptions: ['Cat', 'Dog'],
      confidenceThreshold: 0.99,
      datapoints: [{ id: 'd1', items: [asset('dog.jpeg')], context: null, privateMetadata: null }],
      responses: [0.3, 0.8486, 0.4469, 0.4911].map((s) => vote('d1', { category: 'Dog' }, s)),
    });
    assert.deepEqual(out.results.data[0]?.confidencePerCategory, { Cat: 0.0057, Dog: 0.9943 });
  });

  it('totals categories over datapoints, names text datapoints by their text, keeps off-list answers', () => {
    const out = presentClassificationResults({
      ...base,
      type: 'classification',
      answerOptions: ['yes', 'no'],
      datapoints: [
        { id: 'd1', items: [{ type: 'text', text: 'Is this fine?' }], context: 'ctx', privateMetadata: null },
        { id: 'd2', items: [{ type: 'text', text: 'And this?' }], context: null, privateMetadata: null },
      ],
      responses: [
        vote('d1', { category: 'yes' }, 0.5),
        vote('d1', { category: 'no' }, 0.25),
        vote('d2', { category: 'yes' }, 0.5),
        vote('d2', { category: 'maybe' }, 0.5),
      ],
    });
    assert.deepEqual(out.results.globalAggregatedData, { yes: 2, no: 1, maybe: 1 });
    assert.equal(out.results.data[0]?.text, 'Is this fine?');
    assert.equal(out.results.data[0]?.originalFileName, undefined);
    assert.equal(out.results.data[0]?.context, 'ctx');
    assert.deepEqual(out.results.data[0]?.summedUserScoresRatios, { yes: 0.6667, no: 0.3333 });
    assert.deepEqual(out.results.data[1]?.aggregatedResults, { yes: 1, no: 0, maybe: 1 });
    assert.equal(out.results.data[0]?.confidencePerCategory, undefined);
  });
});
