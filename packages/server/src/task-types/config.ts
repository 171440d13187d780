import type { TaskType } from '@jury/api';
import { z } from 'zod';
import { knob } from '../config/knob.ts';

// The plausible floor of each task type: an answer sooner than this after its task was served is flagged
// 'too_fast' and weighs `flaggedWeight` in results and in the confidence stopping rule (limits/config.ts). A
// person needs to look at both sides of a comparison (or at the item) before answering; the probe's sybil
// answered 50 times in 108 ms.
export const taskTypeConfig = z.object({
  compareAnswerFloorMs: knob(z.number().int().min(0), {
    description:
      'a compare answer sooner than this after its task was served is flagged too fast, in ms (0 never)',
    default: 1000,
  }),
  classificationAnswerFloorMs: knob(z.number().int().min(0), {
    description:
      'a classification answer sooner than this after its task was served is flagged too fast, in ms (0 never)',
    default: 700,
  }),
});

export type TaskTypeConfig = z.infer<typeof taskTypeConfig>;

/** Each task type's floor knob; a type added without one fails to compile. */
const ANSWER_FLOOR: Record<TaskType, keyof TaskTypeConfig> = {
  compare: 'compareAnswerFloorMs',
  classification: 'classificationAnswerFloorMs',
};

/** The answer floor of every task type, in ms, from the configuration. */
export function answerFloors(config: TaskTypeConfig): Record<TaskType, number> {
  return Object.fromEntries(Object.entries(ANSWER_FLOOR).map(([type, key]) => [type, config[key]])) as Record<
    TaskType,
    number
  >;
}
