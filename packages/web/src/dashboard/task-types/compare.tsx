import type { CompareResults as Results } from '@jury/api';
import { useEffect, useState } from 'react';
import { CompareResults } from '../CompareResults.tsx';
import { emptyItem, ItemField, itemInput, itemName } from '../example-items.tsx';
import type { DashboardTaskType, ExampleFieldsProps } from './types.ts';

/** Two items and which of them is right. */
function CompareExampleFields({ dataType, resetKey, setBuild }: ExampleFieldsProps) {
  const [a, setA] = useState(emptyItem);
  const [b, setB] = useState(emptyItem);
  const [truthSide, setTruthSide] = useState<'A' | 'B'>('A');
  // biome-ignore lint/correctness/useExhaustiveDependencies: resetKey is the signal to start empty
  useEffect(() => {
    setA(emptyItem());
    setB(emptyItem());
  }, [resetKey]);
  useEffect(() => {
    setBuild(async () => ({
      taskType: 'compare',
      datapoint: [await itemInput(a, dataType), await itemInput(b, dataType)],
      truth: itemName(truthSide === 'A' ? a : b, dataType),
    }));
  }, [a, b, truthSide, dataType, setBuild]);
  return (
    <>
      <ItemField id="ex-a" label="Item A" dataType={dataType} draft={a} onChange={setA} />
      <ItemField id="ex-b" label="Item B" dataType={dataType} draft={b} onChange={setB} />
      <fieldset>
        <legend>The right answer</legend>
        {(['A', 'B'] as const).map((side) => (
          <label key={side} className="radio">
            <input
              type="radio"
              name="example-truth"
              value={side}
              checked={truthSide === side}
              onChange={() => setTruthSide(side)}
            />{' '}
            Item {side}
          </label>
        ))}
      </fieldset>
    </>
  );
}

export const compareDashboard: DashboardTaskType<'compare'> = {
  Results: CompareResults,
  resultCount: (results: Results) => results.results.length,
  ExampleFields: CompareExampleFields,
  exampleItemCaption: (_example, isTruth) => (isTruth ? 'Right answer' : 'Wrong answer'),
};
