import type { TaskType } from '@jury/api';
import { classificationTaskType } from './classification.ts';
import { compareTaskType } from './compare.ts';
import type { TaskTypeModule } from './task-type.ts';

// The server's task-type modules, one per task type of the contract: a type the contract registers fails to
// compile here until its module is registered too.

export const TASK_TYPE_MODULES: { [K in TaskType]: TaskTypeModule<K> } = {
  compare: compareTaskType,
  classification: classificationTaskType,
};

/** The module of a task type, for code that serves every type alike. */
export function taskTypeModule(type: TaskType): TaskTypeModule {
  return TASK_TYPE_MODULES[type] as TaskTypeModule;
}

export type { Presentation, TaskTypeModule } from './task-type.ts';
