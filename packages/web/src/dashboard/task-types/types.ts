import type { AddExample, AudienceExample, Item, ResultsOfType, TaskType } from '@jury/api';
import type { ReactElement } from 'react';
import type { DataType } from '../example-items.tsx';

/** The part of a new example's body that its task type decides (the form adds instruction, data type, explanation). */
export type ExampleParts = Omit<AddExample, 'instruction' | 'dataType' | 'explanation' | 'purpose'>;

export interface ExampleFieldsProps {
  dataType: DataType;
  /** Changes after each added example: the fields start empty again. */
  resetKey: number;
  /** The fields' current builder of the body's parts (uploads files when called). */
  setBuild(build: () => Promise<ExampleParts>): void;
}

/** A task type in the requester dashboard: its results as pictures and its qualification examples. */
export interface DashboardTaskType<T extends TaskType = TaskType> {
  /** A job's results by datapoint. */
  Results: (props: {
    results: ResultsOfType<T>;
    datapoints: readonly (Item[] | undefined)[];
    markdown: boolean;
  }) => ReactElement;
  /** How many datapoints the results hold. */
  resultCount: (results: ResultsOfType<T>) => number;
  /** The example form's fields of this type (its items and the right answer). */
  ExampleFields: (props: ExampleFieldsProps) => ReactElement;
  /** An example item's caption in the audience's list (compare: right or wrong answer), if any. */
  exampleItemCaption: (example: AudienceExample, isTruth: boolean) => string | undefined;
}
