import type { LabelerAnswer, LabelerTaskView as Task } from '@jury/api';
import { useEffect, useRef } from 'react';
import { Markdown } from '../Markdown.tsx';
import { ItemView } from './ItemView.tsx';

export interface Marks {
  /** What the labeler picked. */
  chosen?: LabelerAnswer | undefined;
  /** The right answers, when known (qualification feedback, preview of an example). */
  truth?: string[] | undefined;
}

interface Props {
  task: Task;
  onAnswer: (answer: LabelerAnswer) => void;
  /** No answers taken (while saving, or while feedback is shown). */
  disabled?: boolean;
  marks?: Marks | undefined;
}

/** Keys that belong to a focused control (typing, media seeking) rather than to the task. */
function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'VIDEO', 'AUDIO'].includes(target.tagName)
  );
}

/** Calls `handler` for plain key presses while `active`; the latest handler is always used. */
function useShortcuts(active: boolean, handler: (key: string) => boolean) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat || e.ctrlKey || e.metaKey || e.altKey || ownsKeys(e.target)) return;
      if (ref.current(e.key)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}

function markClass(value: string, chosen: string | undefined, truth: string[] | undefined): string {
  const classes: string[] = [];
  if (chosen === value) classes.push(truth && !truth.includes(value) ? 'is-wrong' : 'is-chosen');
  if (truth?.includes(value)) classes.push('is-truth');
  return classes.join(' ');
}

function Context({ task }: { task: Task }) {
  if (!task.context && !task.mediaContext?.length) return null;
  return (
    <section className="context" aria-label="Context">
      {task.context && <p className="plain-text">{task.context}</p>}
      {task.mediaContext?.map((item, i) => (
        <div className="context-media" key={item.type === 'asset' ? item.assetId : `t${i}`}>
          <ItemView item={item} markdown={task.settings.markdown} label={`Context ${i + 1}`} />
        </div>
      ))}
    </section>
  );
}

const SIDE_NAMES = ['Left', 'Right'] as const;

function CompareTask({ task, onAnswer, disabled = false, marks }: Props) {
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

function ClassifyTask({ task, onAnswer, disabled = false, marks }: Props) {
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
          <div className="item-body" key={item.type === 'asset' ? item.assetId : `t${i}`}>
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

/** A compare or classification task as labelers see it; also used for qualification examples and previews. */
export function TaskView(props: Props) {
  const { task } = props;
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
      {task.taskType === 'compare' ? <CompareTask {...props} /> : <ClassifyTask {...props} />}
    </div>
  );
}
