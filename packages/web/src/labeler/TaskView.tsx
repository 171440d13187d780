import type { LabelerTaskView as Task } from '@jury/api';
import { Markdown } from '../Markdown.tsx';
import { ItemView } from './ItemView.tsx';
import { TASK_TYPE_VIEWS, type TaskProps } from './task-types/index.ts';

function Context({ task }: { task: Task }) {
  if (!task.context && !task.mediaContext?.length) return null;
  return (
    <section className="context" aria-label="Context">
      {task.context && <p className="plain-text">{task.context}</p>}
      {task.mediaContext?.map((item, i) => (
        <div className="context-media" key={item.type === 'asset' ? item.url : `t${i}`}>
          <ItemView item={item} markdown={task.settings.markdown} label={`Context ${i + 1}`} />
        </div>
      ))}
    </section>
  );
}

/** A task as labelers see it (its type's view from task-types/); also used for qualification examples and previews. */
export function TaskView(props: TaskProps) {
  const { task } = props;
  const { Answer } = TASK_TYPE_VIEWS[task.taskType];
  return (
    <div className="task">
      {task.settings.markdown ? (
        <div className="instruction">
          <Markdown text={task.instruction} />
        </div>
      ) : (
        <h2 className="instruction">{task.instruction}</h2>
      )}
      <Context task={task} />
      <Answer {...props} />
    </div>
  );
}
