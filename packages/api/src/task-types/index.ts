import { z } from '../common.ts';
import { classificationContract } from './classification.ts';
import { compareContract } from './compare.ts';
import type { TaskTypeContract } from './contract.ts';

// The task types: one contract module each, registered here. The registry's keys are the task types' names (one
// spelling, on the wire too); every package keeps its own `Record<TaskType, …>`, so a type registered here but
// missing elsewhere fails to compile there.

export const TASK_TYPE_CONTRACTS = {
  compare: compareContract,
  classification: classificationContract,
} as const satisfies Record<string, TaskTypeContract>;

/** A task type: what a job definition (and a qualification example) asks of a labeler. */
export type TaskType = keyof typeof TASK_TYPE_CONTRACTS;
/** A job definition's type: its task type. */
export type JobDefinitionType = TaskType;

type Contract<K extends TaskType = TaskType> = (typeof TASK_TYPE_CONTRACTS)[K];
type Tuple<T> = [T, ...T[]];

/** The task types, in registration order. */
export const TASK_TYPES = Object.keys(TASK_TYPE_CONTRACTS) as Tuple<TaskType>;

const each = <T>(pick: (contract: TaskTypeContract) => T): T[] =>
  Object.values(TASK_TYPE_CONTRACTS).map((contract) => pick(contract));

export const taskTypeSchema = z.enum(TASK_TYPES);

/** The create-definition bodies of every type (discriminated by `type`), before the shared refinements. */
export const definitionSchemas = each((c) => c.definitionSchema) as Tuple<Contract['definitionSchema']>;
/** The add-example bodies of every type (discriminated by `taskType`). */
export const exampleSchemas = each((c) => c.exampleSchema) as Tuple<Contract['exampleSchema']>;
/** A labeler's answer to a task of any type. */
export const answerSchemas = each((c) => c.answerSchema) as Tuple<Contract['answerSchema']>;
/** The results of a job of any type. */
export const resultsSchemas = each((c) => c.resultsSchema) as Tuple<Contract['resultsSchema']>;

const ANSWER_FIELDS = each((c) => c.answerField);

/**
 * The category an answer names (compare: the side, classification: the option), whatever its type.
 *
 * @example
 * answerCategory({ choice: 'A' }); // 'A'
 */
export function answerCategory(answer: z.infer<(typeof answerSchemas)[number]>): string {
  const fields = answer as Readonly<Record<string, unknown>>;
  const field = ANSWER_FIELDS.find((f) => typeof fields[f] === 'string');
  return field === undefined ? '' : (fields[field] as string);
}

/** The results of a job of task type `T`. */
export type ResultsOfType<T extends TaskType> = z.infer<Contract<T>['resultsSchema']>;

/** The definition fields only some types have (`answerOptions`, `aBNames`, …). */
export type TypeSpecificField = Contract['fields'][number];

/** The task types that have a type-specific definition field (for "applies to … only" messages). */
export function typesWithField(field: string): TaskType[] {
  return TASK_TYPES.filter((t) => (TASK_TYPE_CONTRACTS[t].fields as readonly string[]).includes(field));
}

export * from './classification.ts';
export * from './compare.ts';
export * from './contract.ts';
