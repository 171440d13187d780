import type { TaskType } from '@jury/api';
import { classificationDashboard } from './classification.tsx';
import { compareDashboard } from './compare.tsx';
import type { DashboardTaskType } from './types.ts';

// The dashboard's part of each task type; a type the contract registers fails to compile here until it has one.

export const DASHBOARD_TASK_TYPES: { [T in TaskType]: DashboardTaskType<T> } = {
  compare: compareDashboard,
  classification: classificationDashboard,
};

/** The module of a type known only at run time (a job's or an example's), typed for any of its values. */
export const dashboardTaskType = (type: TaskType) => DASHBOARD_TASK_TYPES[type] as DashboardTaskType;

export type { ExampleParts } from './types.ts';
