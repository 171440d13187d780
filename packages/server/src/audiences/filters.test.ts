import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AudienceFilter, audienceFiltersSchema } from '@jury/api';
import { describeFilters, matchesFilter, matchesFilters } from './filters.ts';
import { qualificationState } from './pass-rule.ts';

const us = { type: 'country', countries: ['US', 'CA'] } as const satisfies AudienceFilter;
const en = { type: 'language', languages: ['en'] } as const satisfies AudienceFilter;
const p = (country: string | null, language: string | null) => ({ country, language });

describe('matchesFilter', () => {
  it('country and language compare against the profile; missing values match nothing', () => {
    assert.equal(matchesFilter(us, p('US', 'de')), true);
    assert.equal(matchesFilter(us, p('CA', null)), true);
    assert.equal(matchesFilter(us, p('DE', 'en')), false);
    assert.equal(matchesFilter(us, p(null, 'en')), false);
    assert.equal(matchesFilter(en, p('DE', 'en')), true);
    assert.equal(matchesFilter(en, p('US', null)), false);
  });

  it('and / or / not combine, and not of a missing value matches', () => {
    const and: AudienceFilter = { type: 'and', filters: [us, en] };
    const or: AudienceFilter = { type: 'or', filters: [us, en] };
    const not: AudienceFilter = { type: 'not', filter: us };
    const table: [AudienceFilter, ReturnType<typeof p>, boolean][] = [
      [and, p('US', 'en'), true],
      [and, p('US', 'fr'), false],
      [or, p('US', 'fr'), true],
      [or, p('FR', 'en'), true],
      [or, p('FR', 'fr'), false],
      [not, p('FR', 'fr'), true],
      [not, p('US', 'fr'), false],
      [not, p(null, null), true],
      [{ type: 'not', filter: not }, p('US', 'fr'), true],
      [{ type: 'or', filters: [and, { type: 'not', filter: en }] }, p('DE', 'de'), true],
    ];
    for (const [filter, profile, expected] of table)
      assert.equal(
        matchesFilter(filter, profile),
        expected,
        `${JSON.stringify(filter)} on ${JSON.stringify(profile)}`,
      );
  });

  it('a list is an AND, and the empty list admits everyone', () => {
    assert.equal(matchesFilters([], p(null, null)), true);
    assert.equal(matchesFilters([us, en], p('US', 'en')), true);
    assert.equal(matchesFilters([us, en], p('US', 'de')), false);
  });

  it('describes filters for default names', () => {
    assert.equal(describeFilters([us]), 'country in US, CA');
    assert.equal(
      describeFilters([
        us,
        { type: 'not', filter: { type: 'or', filters: [en, { type: 'language', languages: ['fr'] }] } },
      ]),
      'country in US, CA and not (language in en or language in fr)',
    );
  });
});

describe('audience filter schema', () => {
  it('accepts the wire shapes and rejects bad codes, empty lists, unknown keys, deep or huge trees', () => {
    assert.equal(audienceFiltersSchema.safeParse([us, { type: 'not', filter: en }]).success, true);
    const bad: unknown[] = [
      [{ type: 'country', countries: ['us'] }],
      [{ type: 'country', countries: ['USA'] }],
      [{ type: 'language', languages: ['EN'] }],
      [{ type: 'country', countries: [] }],
      [{ type: 'and', filters: [] }],
      [{ type: 'country', countries: ['US'], extra: 1 }],
      [{ type: 'age', values: ['18-29'] }],
      [{ type: 'not' }],
    ];
    for (const filters of bad)
      assert.equal(audienceFiltersSchema.safeParse(filters).success, false, JSON.stringify(filters));
    let deep: AudienceFilter = us;
    for (let i = 0; i < 9; i++) deep = { type: 'not', filter: deep };
    const deepResult = audienceFiltersSchema.safeParse([deep]);
    assert.equal(deepResult.success, false);
    assert.match(deepResult.error?.issues[0]?.message ?? '', /nested 10 levels deep; at most 8/);
    const wide: AudienceFilter = { type: 'or', filters: Array.from({ length: 250 }, () => us) };
    assert.match(
      audienceFiltersSchema.safeParse([wide]).error?.issues[0]?.message ?? '',
      /251 parts; at most 200/,
    );
  });
});

describe('qualificationState (pass rule)', () => {
  const rule = { targetAccuracy: 0.75, minExamples: 3 };
  it('stays qualifying until every example is answered, and while there are fewer than minExamples', () => {
    assert.equal(qualificationState(rule, { answered: 0, correct: 0, examples: 4 }), 'qualifying');
    assert.equal(qualificationState(rule, { answered: 3, correct: 3, examples: 4 }), 'qualifying');
    assert.equal(qualificationState(rule, { answered: 2, correct: 2, examples: 2 }), 'qualifying');
  });
  it('qualifies at accuracy ≥ target (inclusive) and drops below it', () => {
    assert.equal(qualificationState(rule, { answered: 4, correct: 3, examples: 4 }), 'qualified');
    assert.equal(qualificationState(rule, { answered: 4, correct: 2, examples: 4 }), 'dropped');
    assert.equal(
      qualificationState({ targetAccuracy: 1, minExamples: 1 }, { answered: 1, correct: 1, examples: 1 }),
      'qualified',
    );
    assert.equal(
      qualificationState({ targetAccuracy: 0, minExamples: 1 }, { answered: 1, correct: 0, examples: 1 }),
      'qualified',
    );
  });
});
