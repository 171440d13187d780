// Adding a qualification example in the browser: the fields every example has, and its task type's own (the items
// and the right answer) from the dashboard's task-type modules.
import {
  type AddExample,
  addAudienceExampleRoute,
  EXAMPLE_PURPOSES,
  type ExamplePurpose,
  TASK_TYPES,
  type TaskType,
} from '@jury/api';
import { type FormEvent, useCallback, useRef, useState } from 'react';
import { jury } from '../api.ts';
import type { DataType } from './example-items.tsx';
import { dashboardTaskType, type ExampleParts } from './task-types/index.ts';
import { FormError } from './ui.tsx';

export function ExampleForm({ audienceId, onAdded }: { audienceId: string; onAdded(): void }) {
  const [kind, setKind] = useState<TaskType>(TASK_TYPES[0]);
  const [dataType, setDataType] = useState<DataType>('text');
  const [purpose, setPurpose] = useState<ExamplePurpose>('qualification');
  const [instruction, setInstruction] = useState('');
  const [explanation, setExplanation] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState('');
  const [resetKey, setResetKey] = useState(0);
  const build = useRef<() => Promise<ExampleParts>>(undefined);
  const setBuild = useCallback((fn: () => Promise<ExampleParts>) => {
    build.current = fn;
  }, []);
  const { ExampleFields } = dashboardTaskType(kind);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setAdded('');
    try {
      if (!build.current) throw new Error('Fill in the example first.');
      const body = {
        ...(await build.current()),
        instruction,
        dataType,
        purpose,
        explanation: explanation.trim() || undefined,
      } as AddExample;
      await jury.call(addAudienceExampleRoute, { params: { id: audienceId }, json: body });
      setAdded('Example added.');
      setResetKey((k) => k + 1);
      setExplanation('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-labelledby="add-example-title">
      <h3 id="add-example-title">Add an example</h3>
      <fieldset>
        <legend>Kind</legend>
        {TASK_TYPES.map((k) => (
          <label key={k} className="radio">
            <input
              type="radio"
              name="example-kind"
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
            />{' '}
            {k}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Used for</legend>
        {EXAMPLE_PURPOSES.map((p) => (
          <label key={p} className="radio">
            <input
              type="radio"
              name="example-purpose"
              value={p}
              checked={purpose === p}
              onChange={() => setPurpose(p)}
            />{' '}
            {p === 'qualification'
              ? 'qualification (answered first, with feedback)'
              : 'gold (secret checks among tasks)'}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Items are</legend>
        {(['text', 'media'] as const).map((t) => (
          <label key={t} className="radio">
            <input
              type="radio"
              name="example-data"
              value={t}
              checked={dataType === t}
              onChange={() => setDataType(t)}
            />{' '}
            {t === 'text' ? 'texts' : 'files (image, video, audio)'}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="ex-instruction">Instruction</label>
        <input
          id="ex-instruction"
          required
          value={instruction}
          onChange={(e) => setInstruction(e.target.value)}
        />
      </div>
      <ExampleFields key={kind} dataType={dataType} resetKey={resetKey} setBuild={setBuild} />
      <div className="field">
        <label htmlFor="ex-explanation">Explanation shown after a wrong answer (optional)</label>
        <input id="ex-explanation" value={explanation} onChange={(e) => setExplanation(e.target.value)} />
      </div>
      <FormError error={error} />
      <p role="status" className="muted">
        {added}
      </p>
      <button type="submit" className="primary" disabled={busy}>
        Add the example
      </button>
    </form>
  );
}
