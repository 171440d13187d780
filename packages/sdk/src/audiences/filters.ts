import type { AudienceFilter } from '@jury/api';
import { JuryValidationError } from '../errors.ts';
import { logger } from '../logger.ts';

const invalid = (message: string, details?: unknown) =>
  new JuryValidationError({ code: 'VALIDATION_FAILED', message, details });

/**
 * A labeler filter for audiences. Combine filters with {@link JuryFilter.and}, {@link JuryFilter.or} and
 * {@link JuryFilter.not} (TypeScript has no `&`, `|`, `~` operator overloading; these are the same operations,
 * and they flatten: `a.or(b).or(c)` is one `OrFilter` of three). A list of filters means all of them (AND).
 *
 * @example
 * ```ts
 * import { CountryFilter, LanguageFilter } from '@jury/sdk';
 * const f = new CountryFilter(['US', 'CA']).and(new LanguageFilter(['fr']).not());
 * JSON.stringify(f); // {"type":"and","filters":[{"type":"country",...},{"type":"not",...}]}
 * ```
 */
export abstract class JuryFilter {
  /** The wire shape sent to the server. */
  abstract toJSON(): AudienceFilter;

  /**
   * Both this filter and `other` (the reference SDK's `a & b`); nested ANDs are flattened.
   *
   * @example
   * ```ts
   * const f = new CountryFilter(['DE']).and(new LanguageFilter(['de']));
   * ```
   */
  and(other: JuryFilter): AndFilter {
    const parts = (f: JuryFilter) => (f instanceof AndFilter ? f.filters : [f]);
    return new AndFilter([...parts(this), ...parts(other)]);
  }

  /**
   * This filter or `other` (the reference SDK's `a | b`); nested ORs are flattened.
   *
   * @example
   * ```ts
   * const f = new CountryFilter(['US']).or(new LanguageFilter(['en']));
   * ```
   */
  or(other: JuryFilter): OrFilter {
    const parts = (f: JuryFilter) => (f instanceof OrFilter ? f.filters : [f]);
    return new OrFilter([...parts(this), ...parts(other)]);
  }

  /**
   * Everyone this filter excludes (the reference SDK's `~a`); `f.not().not()` is `f` again.
   *
   * @example
   * ```ts
   * const notFrench = new LanguageFilter(['fr']).not();
   * ```
   */
  not(): JuryFilter {
    return new NotFilter(this);
  }
}

function normaliseCodes(
  codes: readonly string[],
  what: 'country' | 'language',
  toCase: (s: string) => string,
): string[] {
  if (!Array.isArray(codes) || codes.length === 0)
    throw invalid(`A ${what} filter needs at least one ${what} code.`);
  return codes.map((code) => {
    if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code))
      throw invalid(
        `${what === 'country' ? 'Country' : 'Language'} codes must be 2 letters (${what === 'country' ? 'ISO 3166-1 alpha-2, e.g. "US"' : 'ISO 639-1, e.g. "en"'}); got ${JSON.stringify(code)}.`,
        { code },
      );
    const fixed = toCase(code);
    if (fixed !== code)
      logger.warning(
        '%s code %s should be written %s; using %s.',
        what === 'country' ? 'Country' : 'Language',
        code,
        fixed,
        fixed,
      );
    return fixed;
  });
}

/**
 * Labelers whose profile country is one of `countryCodes` (ISO 3166-1 alpha-2). Codes must be 2 letters;
 * lower-case codes are upper-cased with a warning.
 *
 * @example
 * ```ts
 * const northAmerica = new CountryFilter(['US', 'CA', 'MX']);
 * ```
 */
export class CountryFilter extends JuryFilter {
  readonly countryCodes: readonly string[];
  constructor(countryCodes: readonly string[]) {
    super();
    this.countryCodes = normaliseCodes(countryCodes, 'country', (s) => s.toUpperCase());
  }
  /**
   * @example
   * ```ts
   * new CountryFilter(['us']).toJSON(); // { type: 'country', countries: ['US'] } (and a warning)
   * ```
   */
  toJSON(): AudienceFilter {
    return { type: 'country', countries: [...this.countryCodes] };
  }
}

/**
 * Labelers whose profile language is one of `languageCodes` (ISO 639-1). Codes must be 2 letters; upper-case
 * codes are lower-cased with a warning.
 *
 * @example
 * ```ts
 * const germanSpeakers = new LanguageFilter(['de']);
 * ```
 */
export class LanguageFilter extends JuryFilter {
  readonly languageCodes: readonly string[];
  constructor(languageCodes: readonly string[]) {
    super();
    this.languageCodes = normaliseCodes(languageCodes, 'language', (s) => s.toLowerCase());
  }
  /**
   * @example
   * ```ts
   * new LanguageFilter(['EN']).toJSON(); // { type: 'language', languages: ['en'] } (and a warning)
   * ```
   */
  toJSON(): AudienceFilter {
    return { type: 'language', languages: [...this.languageCodes] };
  }
}

function checkFilters(filters: readonly JuryFilter[], what: string): JuryFilter[] {
  if (!Array.isArray(filters) || filters.length === 0) throw invalid(`An ${what} needs at least one filter.`);
  filters.forEach((f, i) => {
    if (!(f instanceof JuryFilter))
      throw invalid(
        `${what} filters[${i}] is not a filter (use CountryFilter, LanguageFilter, AndFilter, OrFilter or NotFilter).`,
      );
  });
  return [...filters];
}

/**
 * Labelers matching every one of `filters`.
 *
 * @example
 * ```ts
 * new AndFilter([new CountryFilter(['US']), new LanguageFilter(['en'])]);
 * ```
 */
export class AndFilter extends JuryFilter {
  readonly filters: readonly JuryFilter[];
  constructor(filters: readonly JuryFilter[]) {
    super();
    this.filters = checkFilters(filters, 'AndFilter');
  }
  /**
   * @example
   * ```ts
   * new AndFilter([a, b]).toJSON(); // { type: 'and', filters: [a.toJSON(), b.toJSON()] }
   * ```
   */
  toJSON(): AudienceFilter {
    return { type: 'and', filters: this.filters.map((f) => f.toJSON()) };
  }
}

/**
 * Labelers matching at least one of `filters`.
 *
 * @example
 * ```ts
 * new OrFilter([new CountryFilter(['US']), new CountryFilter(['GB'])]);
 * ```
 */
export class OrFilter extends JuryFilter {
  readonly filters: readonly JuryFilter[];
  constructor(filters: readonly JuryFilter[]) {
    super();
    this.filters = checkFilters(filters, 'OrFilter');
  }
  /**
   * @example
   * ```ts
   * new OrFilter([a, b]).toJSON(); // { type: 'or', filters: [a.toJSON(), b.toJSON()] }
   * ```
   */
  toJSON(): AudienceFilter {
    return { type: 'or', filters: this.filters.map((f) => f.toJSON()) };
  }
}

/**
 * Labelers not matching `filter` (including those whose profile lacks the field).
 *
 * @example
 * ```ts
 * new NotFilter(new CountryFilter(['US'])); // everyone outside the US
 * ```
 */
export class NotFilter extends JuryFilter {
  readonly filter: JuryFilter;
  constructor(filter: JuryFilter) {
    super();
    if (!(filter instanceof JuryFilter))
      throw invalid(
        'NotFilter takes a filter (CountryFilter, LanguageFilter, AndFilter, OrFilter or NotFilter).',
      );
    this.filter = filter;
  }
  /**
   * Double negation cancels: the inner filter.
   *
   * @example
   * ```ts
   * new NotFilter(f).not() === f; // true
   * ```
   */
  override not(): JuryFilter {
    return this.filter;
  }
  /**
   * @example
   * ```ts
   * new NotFilter(f).toJSON(); // { type: 'not', filter: f.toJSON() }
   * ```
   */
  toJSON(): AudienceFilter {
    return { type: 'not', filter: this.filter.toJSON() };
  }
}

/**
 * The filter classes for a wire filter (what the server returns for an audience).
 *
 * @example
 * ```ts
 * filterFromJSON({ type: 'country', countries: ['US'] }); // CountryFilter
 * ```
 */
export function filterFromJSON(wire: AudienceFilter): JuryFilter {
  switch (wire.type) {
    case 'country':
      return new CountryFilter(wire.countries);
    case 'language':
      return new LanguageFilter(wire.languages);
    case 'and':
      return new AndFilter(wire.filters.map(filterFromJSON));
    case 'or':
      return new OrFilter(wire.filters.map(filterFromJSON));
    case 'not':
      return new NotFilter(filterFromJSON(wire.filter));
  }
}

/**
 * Checks a filter list the way the server does (at least one filter when required; only filter objects) and
 * returns the wire list.
 *
 * @example
 * ```ts
 * filtersToJSON([new CountryFilter(['US'])], { required: true }); // [{ type: 'country', countries: ['US'] }]
 * ```
 */
export function filtersToJSON(
  filters: readonly JuryFilter[] | undefined,
  options: { required?: boolean } = {},
): AudienceFilter[] {
  if (filters === undefined || filters === null) {
    if (options.required) throw invalid('At least one filter must be provided.');
    return [];
  }
  if (!Array.isArray(filters)) throw invalid('filters must be a list of filters (a list means all of them).');
  if (options.required && filters.length === 0) throw invalid('At least one filter must be provided.');
  return filters.map((f, i) => {
    if (!(f instanceof JuryFilter))
      throw invalid(
        `filters[${i}] is not a filter; use CountryFilter, LanguageFilter, AndFilter, OrFilter or NotFilter.`,
      );
    return f.toJSON();
  });
}
