import { nameOf, type TaskTypeOracle } from './task-type-oracle.ts';

// Classification: the correct options come only from the truth file; an unlisted item has no known truth.

export const classificationOracle: TaskTypeOracle = (task, { truth }) => {
  const options = task.answerOptions ?? [];
  const item = task.items[0];
  const listed = item && truth ? truth[nameOf(item)] : undefined;
  const fromFile = typeof listed === 'string' ? [listed] : Array.isArray(listed) ? listed : [];
  const right = fromFile.find((o) => options.includes(o));
  if (right === undefined)
    return {
      correct: null,
      choices: options.map((category) => ({ category })),
      item: item ? nameOf(item) : '',
    };
  return {
    correct: { category: right },
    wrong: options.filter((o) => !fromFile.includes(o)).map((category) => ({ category })),
  };
};
