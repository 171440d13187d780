import type { LabelerAnswer, LabelerTaskView } from '@jury/api';
import { type ReactElement, useEffect, useRef } from 'react';

// What every task type's view gets and the pieces they share: marks (chosen, truth) and keyboard shortcuts.

export interface Marks {
  /** What the labeler picked. */
  chosen?: LabelerAnswer | undefined;
  /** The right answers, when known (qualification feedback, preview of an example). */
  truth?: string[] | undefined;
}

export interface TaskProps {
  task: LabelerTaskView;
  onAnswer: (answer: LabelerAnswer) => void;
  /** No answers taken (while saving, or while feedback is shown). */
  disabled?: boolean;
  marks?: Marks | undefined;
}

/** A task type in the labeler app: its answer controls (with their keys) and how the app talks about them. */
export interface TaskTypeView {
  /** The items and answer controls, with the type's keyboard shortcuts. */
  Answer: (props: TaskProps) => ReactElement;
  /** The keyboard help line under a task. */
  Shortcuts: (props: { task: LabelerTaskView }) => ReactElement;
  /** Preview: how the order labelers see differs between them (shown unless the order is fixed). */
  orderNote: string;
  /** Preview: how an answer would be recorded. */
  describeAnswer: (answer: LabelerAnswer, task: LabelerTaskView) => string;
}

/** Keys that belong to a focused control (typing, media seeking) rather than to the task. */
function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'VIDEO', 'AUDIO'].includes(target.tagName)
  );
}

/** Calls `handler` for plain key presses while `active`; the latest handler is always used. */
export function useShortcuts(active: boolean, handler: (key: string) => boolean) {
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

export function markClass(value: string, chosen: string | undefined, truth: string[] | undefined): string {
  const classes: string[] = [];
  if (chosen === value) classes.push(truth && !truth.includes(value) ? 'is-wrong' : 'is-chosen');
  if (truth?.includes(value)) classes.push('is-truth');
  return classes.join(' ');
}
