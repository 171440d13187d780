import type { AudienceFilter } from '@jury/api';

/** What filters look at: the labeler's self-reported profile. Missing values match no country/language filter. */
export interface FilterProfile {
  country: string | null;
  language: string | null;
}

/**
 * Whether a labeler's profile passes one filter. Pure and total: codes compare exactly (the API only accepts
 * upper-case countries and lower-case languages; profiles are stored the same way).
 */
export function matchesFilter(filter: AudienceFilter, profile: FilterProfile): boolean {
  switch (filter.type) {
    case 'country':
      return profile.country !== null && filter.countries.includes(profile.country);
    case 'language':
      return profile.language !== null && filter.languages.includes(profile.language);
    case 'and':
      return filter.filters.every((f) => matchesFilter(f, profile));
    case 'or':
      return filter.filters.some((f) => matchesFilter(f, profile));
    case 'not':
      return !matchesFilter(filter.filter, profile);
  }
}

/** A list of filters is an AND; the empty list admits everyone. */
export function matchesFilters(filters: readonly AudienceFilter[], profile: FilterProfile): boolean {
  return filters.every((f) => matchesFilter(f, profile));
}

/** A short human description, e.g. `country in US, CA and not language in fr`, for default names. */
export function describeFilters(filters: readonly AudienceFilter[]): string {
  const one = (f: AudienceFilter, nested: boolean): string => {
    switch (f.type) {
      case 'country':
        return `country in ${f.countries.join(', ')}`;
      case 'language':
        return `language in ${f.languages.join(', ')}`;
      case 'not':
        return `not ${one(f.filter, true)}`;
      case 'and':
      case 'or': {
        const text = f.filters.map((c) => one(c, true)).join(` ${f.type} `);
        return nested && f.filters.length > 1 ? `(${text})` : text;
      }
    }
  };
  return filters.map((f) => one(f, filters.length > 1)).join(' and ');
}
