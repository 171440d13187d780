import { ItemView } from '../ItemView.tsx';
import { markClass, type TaskProps, type TaskTypeView, useShortcuts } from './controls.ts';

// Compare: two items side by side; the labeler picks a side (keys ← / 1 and → / 2), or Neither/Both (N, B).

const SIDE_NAMES = ['Left', 'Right'] as const;

function CompareAnswer({ task, onAnswer, disabled = false, marks }: TaskProps) {
  const sides = task.items.slice(0, 2).map((item, i) => (item.side ?? (i === 0 ? 'A' : 'B')) as 'A' | 'B');
  const chosen = marks?.chosen && 'choice' in marks.chosen ? marks.chosen.choice : undefined;
  const pick = (choice: 'A' | 'B' | 'Both' | 'Neither') => {
    if (!disabled) onAnswer({ choice });
  };
  useShortcuts(!disabled, (key) => {
    const k = key.toLowerCase();
    if ((k === 'arrowleft' || k === '1') && sides[0]) pick(sides[0]);
    else if ((k === 'arrowright' || k === '2') && sides[1]) pick(sides[1]);
    else if (k === 'n' && task.settings.allowNeitherBoth) pick('Neither');
    else if (k === 'b' && task.settings.allowNeitherBoth) pick('Both');
    else return false;
    return true;
  });
  return (
    <>
      <div className={`compare compare-${task.dataType}`}>
        {task.items.slice(0, 2).map((item, i) => {
          const side = sides[i] as 'A' | 'B';
          const name = SIDE_NAMES[i] as string;
          return (
            <article key={side} className={`compare-item ${markClass(side, chosen, marks?.truth)}`}>
              <h3 className="side-label">{name}</h3>
              <div className="item-body">
                <ItemView item={item} markdown={task.settings.markdown} label={`${name} option`} />
              </div>
              <button
                type="button"
                className="choice"
                disabled={disabled}
                aria-keyshortcuts={i === 0 ? 'ArrowLeft 1' : 'ArrowRight 2'}
                onClick={() => pick(side)}
              >
                {i === 0 ? (
                  <>
                    <kbd>←</kbd> {name} <kbd>1</kbd>
                  </>
                ) : (
                  <>
                    <kbd>2</kbd> {name} <kbd>→</kbd>
                  </>
                )}
              </button>
            </article>
          );
        })}
      </div>
      {task.settings.allowNeitherBoth && (
        <div className="extra-choices">
          {(['Neither', 'Both'] as const).map((choice) => (
            <button
              key={choice}
              type="button"
              className={`choice secondary ${markClass(choice, chosen, marks?.truth)}`}
              disabled={disabled}
              onClick={() => pick(choice)}
            >
              {choice} <kbd>{choice[0]}</kbd>
            </button>
          ))}
        </div>
      )}
    </>
  );
}

export const compareView: TaskTypeView = {
  Answer: CompareAnswer,
  Shortcuts: ({ task }) => (
    <>
      <kbd>←</kbd> or <kbd>1</kbd> left, <kbd>→</kbd> or <kbd>2</kbd> right
      {task.settings.allowNeitherBoth && (
        <>
          , <kbd>N</kbd> neither, <kbd>B</kbd> both
        </>
      )}
    </>
  ),
  orderNote: 'Each labeler sees the two sides in their own random order; this is one of them.',
  describeAnswer(answer, task) {
    if (!('choice' in answer)) return '';
    if (answer.choice === 'Both' || answer.choice === 'Neither') return answer.choice;
    const shown = task.items.findIndex((item) => item.side === answer.choice);
    return `${answer.choice} (the datapoint's ${answer.choice === 'A' ? 'first' : 'second'} item, shown ${shown === 0 ? 'left' : 'right'})`;
  },
};
