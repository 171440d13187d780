import { ItemView } from '../ItemView.tsx';
import { markClass, type TaskProps, type TaskTypeView, useShortcuts } from './controls.ts';

// Classification: one item and its options; key n picks the n-th option shown.

function ClassificationAnswer({ task, onAnswer, disabled = false, marks }: TaskProps) {
  const options = task.answerOptions ?? [];
  const chosen = marks?.chosen && 'category' in marks.chosen ? marks.chosen.category : undefined;
  const pick = (category: string) => {
    if (!disabled) onAnswer({ category });
  };
  useShortcuts(!disabled, (key) => {
    if (!/^[1-9]$/.test(key)) return false;
    const option = options[Number(key) - 1];
    if (option === undefined) return false;
    pick(option);
    return true;
  });
  return (
    <>
      <div className="classify-items">
        {task.items.map((item, i) => (
          <div className="item-body" key={item.type === 'asset' ? item.url : `t${i}`}>
            <ItemView item={item} markdown={task.settings.markdown} label="Item to classify" />
          </div>
        ))}
      </div>
      <div className="options">
        {options.map((option, i) => (
          <button
            key={option}
            type="button"
            className={`choice option ${markClass(option, chosen, marks?.truth)}`}
            disabled={disabled}
            aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
            onClick={() => pick(option)}
          >
            {/* The key is the option's place on screen: the n-th option shown is picked with n. */}
            {i < 9 && <kbd>{i + 1}</kbd>}
            <span>{option}</span>
          </button>
        ))}
      </div>
    </>
  );
}

export const classificationView: TaskTypeView = {
  Answer: ClassificationAnswer,
  Shortcuts: () => (
    <>
      <kbd>1</kbd>–<kbd>9</kbd> choose the option marked with that key
    </>
  ),
  orderNote:
    'Each labeler sees the options in their own random order; this is one of them, and the keys follow it.',
  describeAnswer: (answer) => ('category' in answer ? `"${answer.category}"` : ''),
};
