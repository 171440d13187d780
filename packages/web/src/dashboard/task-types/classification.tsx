import type { ClassificationResults as Results } from '@jury/api';
import { useEffect, useState } from 'react';
import { ClassificationResults } from '../ClassificationResults.tsx';
import { emptyItem, ItemField, itemInput } from '../example-items.tsx';
import type { DashboardTaskType, ExampleFieldsProps } from './types.ts';

/** One item, its answer options and the right ones. */
function ClassificationExampleFields({ dataType, resetKey, setBuild }: ExampleFieldsProps) {
  const [item, setItem] = useState(emptyItem);
  const [options, setOptions] = useState('');
  const [truths, setTruths] = useState<string[]>([]);
  const optionList = options
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // biome-ignore lint/correctness/useExhaustiveDependencies: resetKey is the signal to start empty
  useEffect(() => {
    setItem(emptyItem());
    setTruths([]);
  }, [resetKey]);
  const optionKey = optionList.join('\u0000');
  // biome-ignore lint/correctness/useExhaustiveDependencies: optionKey stands for optionList
  useEffect(() => {
    setBuild(async () => ({
      taskType: 'classification',
      datapoint: await itemInput(item, dataType),
      answerOptions: optionList,
      truth: truths.filter((t) => optionList.includes(t)),
    }));
  }, [item, optionKey, truths, dataType, setBuild]);
  return (
    <>
      <ItemField id="ex-a" label="Item" dataType={dataType} draft={item} onChange={setItem} />
      <div className="field">
        <label htmlFor="ex-options">Answer options, separated by commas</label>
        <input id="ex-options" required value={options} onChange={(e) => setOptions(e.target.value)} />
      </div>
      {optionList.length > 0 && (
        <fieldset>
          <legend>The right options</legend>
          {optionList.map((o) => (
            <label key={o} className="radio">
              <input
                type="checkbox"
                checked={truths.includes(o)}
                onChange={(e) => setTruths(e.target.checked ? [...truths, o] : truths.filter((t) => t !== o))}
              />{' '}
              {o}
            </label>
          ))}
        </fieldset>
      )}
    </>
  );
}

export const classificationDashboard: DashboardTaskType<'classification'> = {
  Results: ClassificationResults,
  resultCount: (results: Results) => results.results.data.length,
  ExampleFields: ClassificationExampleFields,
  exampleItemCaption: () => undefined,
};
