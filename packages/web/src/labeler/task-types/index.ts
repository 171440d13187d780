import type { TaskType } from '@jury/api';
import { classificationView } from './classification.tsx';
import { compareView } from './compare.tsx';
import type { TaskTypeView } from './controls.ts';

// The labeler app's view of each task type; a type the contract registers fails to compile here until its view is
// registered too.

export const TASK_TYPE_VIEWS: Record<TaskType, TaskTypeView> = {
  compare: compareView,
  classification: classificationView,
};

export type { TaskProps, TaskTypeView } from './controls.ts';
