// client.audience and its handles, filters and example inputs.
export {
  audienceHandle,
  type ClassificationExampleInput,
  type CompareExampleInput,
  type ExampleOptions,
  JuryAudience,
  JuryFilteredAudience,
} from './audience.ts';
export {
  AndFilter,
  CountryFilter,
  filterFromJSON,
  filtersToJSON,
  JuryFilter,
  LanguageFilter,
  NotFilter,
  OrFilter,
} from './filters.ts';
export { AudienceManager, type CreateAudienceOptions } from './manager.ts';
