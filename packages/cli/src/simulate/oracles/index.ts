import type { TaskType } from '@jury/api';
import { classificationOracle } from './classification.ts';
import { compareOracle } from './compare.ts';
import type { TaskTypeOracle } from './task-type-oracle.ts';

// The simulator's oracle per task type; a type the contract registers fails to compile here until its oracle is
// registered too.

export const TASK_TYPE_ORACLES: Record<TaskType, TaskTypeOracle> = {
  compare: compareOracle,
  classification: classificationOracle,
};

export type { AnswerChoice, Judgement, TruthFile } from './task-type-oracle.ts';
