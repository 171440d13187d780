import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audienceFiltersSchema } from '@jury/api';
import { JuryValidationError } from '../errors.ts';
import {
  AndFilter,
  CountryFilter,
  filterFromJSON,
  filtersToJSON,
  LanguageFilter,
  NotFilter,
  OrFilter,
} from './filters.ts';

/** Runs `fn` and returns what the SDK logger wrote to stderr meanwhile. */
function captureStderr(fn: () => void): string {
  const write = process.stderr.write;
  let out = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stderr.write = write;
  }
  return out;
}

const us = new CountryFilter(['US']);
const ca = new CountryFilter(['CA']);
const en = new LanguageFilter(['en']);
const fr = new LanguageFilter(['fr']);

describe('SDK filters', () => {
  it('serialise to the wire shape the server validates', () => {
    const f = us.or(ca).and(fr.not());
    const wire = f.toJSON();
    assert.deepEqual(wire, {
      type: 'and',
      filters: [
        {
          type: 'or',
          filters: [
            { type: 'country', countries: ['US'] },
            { type: 'country', countries: ['CA'] },
          ],
        },
        { type: 'not', filter: { type: 'language', languages: ['fr'] } },
      ],
    });
    assert.equal(audienceFiltersSchema.safeParse([wire]).success, true);
    assert.deepEqual(JSON.parse(JSON.stringify([us])), [{ type: 'country', countries: ['US'] }]);
  });

  it('and/or flatten like the reference SDK’s & and |; not twice cancels', () => {
    const or3 = us.or(ca).or(en);
    assert.ok(or3 instanceof OrFilter);
    assert.deepEqual(or3.filters, [us, ca, en]);
    const orOr = us.or(ca).or(en.or(fr));
    assert.deepEqual(orOr.filters, [us, ca, en, fr]);
    const and3 = us.and(en).and(fr);
    assert.ok(and3 instanceof AndFilter);
    assert.deepEqual(and3.filters, [us, en, fr]);
    // Mixed operators nest instead of flattening.
    const mixed = us.and(en).or(fr);
    assert.deepEqual(mixed.filters.length, 2);
    assert.ok(mixed.filters[0] instanceof AndFilter);
    const not = us.not();
    assert.ok(not instanceof NotFilter);
    assert.equal(not.not(), us);
    assert.equal(new NotFilter(us).not(), us);
  });

  it('normalise code case with a warning and reject codes that are not 2 letters', () => {
    let filter: CountryFilter | undefined;
    const warned = captureStderr(() => {
      filter = new CountryFilter(['us', 'De']);
    });
    assert.deepEqual(filter?.countryCodes, ['US', 'DE']);
    assert.match(warned, /WARNING - Country code us should be written US/);
    let lang: LanguageFilter | undefined;
    assert.match(
      captureStderr(() => {
        lang = new LanguageFilter(['EN']);
      }),
      /Language code EN should be written en/,
    );
    assert.deepEqual(lang?.languageCodes, ['en']);
    assert.equal(
      captureStderr(() => new CountryFilter(['US'])),
      '',
    );
    for (const bad of [['USA'], ['U'], ['1A'], [], [5 as unknown as string]])
      assert.throws(() => new CountryFilter(bad), JuryValidationError, JSON.stringify(bad));
    assert.throws(() => new LanguageFilter(['eng']), /2 letters \(ISO 639-1/);
  });

  it('reject empty and/or and non-filters; filtersToJSON requires one when asked', () => {
    assert.throws(() => new AndFilter([]), /at least one filter/);
    assert.throws(() => new OrFilter([]), /at least one filter/);
    assert.throws(() => new AndFilter([{ type: 'country' } as never]), /not a filter/);
    assert.throws(() => new NotFilter('US' as never), JuryValidationError);
    assert.throws(() => filtersToJSON([], { required: true }), /At least one filter must be provided/);
    assert.throws(() => filtersToJSON(undefined, { required: true }), /At least one filter must be provided/);
    assert.throws(
      () => filtersToJSON([{ type: 'country', countries: ['US'] }] as never),
      /filters\[0\] is not a filter/,
    );
    assert.deepEqual(filtersToJSON(undefined), []);
    assert.deepEqual(filtersToJSON([us, en]), [us.toJSON(), en.toJSON()]);
  });

  it('read back from the wire into the same classes', () => {
    const f = us.or(ca).and(fr.not());
    const back = filterFromJSON(f.toJSON());
    assert.ok(back instanceof AndFilter);
    assert.deepEqual(back.toJSON(), f.toJSON());
    assert.ok(back.filters[1] instanceof NotFilter);
  });
});
