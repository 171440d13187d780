// Adding a qualification example in the browser: compare (two items, which is right) or classification (one item,
// its options, the right ones). Items are texts, or files uploaded as assets of the organization.
import { type AddExample, addAudienceExampleRoute, type ItemInput, uploadAssetRoute } from '@jury/api';
import { type FormEvent, useState } from 'react';
import { jury } from '../api.ts';
import { FormError } from './ui.tsx';

type Kind = 'compare' | 'classification';
type DataType = 'text' | 'media';

interface ItemDraft {
  text: string;
  file: File | null;
}
const emptyItem = (): ItemDraft => ({ text: '', file: null });

async function itemInput(draft: ItemDraft, dataType: DataType): Promise<ItemInput> {
  if (dataType === 'text') return { text: draft.text };
  if (!draft.file) throw new Error('Choose a file for each item.');
  const { data } = await jury.call(uploadAssetRoute, {
    query: { fileName: draft.file.name },
    body: draft.file,
  });
  return { assetId: data.id, name: draft.file.name };
}

const itemName = (draft: ItemDraft, dataType: DataType) =>
  dataType === 'text' ? draft.text : (draft.file?.name ?? '');

function ItemField({
  id,
  label,
  dataType,
  draft,
  onChange,
}: {
  id: string;
  label: string;
  dataType: DataType;
  draft: ItemDraft;
  onChange(d: ItemDraft): void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {dataType === 'text' ? (
        <textarea
          id={id}
          required
          rows={2}
          value={draft.text}
          onChange={(e) => onChange({ ...draft, text: e.target.value })}
        />
      ) : (
        <input
          id={id}
          type="file"
          required
          accept="image/*,video/*,audio/*"
          onChange={(e) => onChange({ ...draft, file: e.target.files?.[0] ?? null })}
        />
      )}
    </div>
  );
}

export function ExampleForm({ audienceId, onAdded }: { audienceId: string; onAdded(): void }) {
  const [kind, setKind] = useState<Kind>('compare');
  const [dataType, setDataType] = useState<DataType>('text');
  const [instruction, setInstruction] = useState('');
  const [a, setA] = useState(emptyItem);
  const [b, setB] = useState(emptyItem);
  const [truthSide, setTruthSide] = useState<'A' | 'B'>('A');
  const [options, setOptions] = useState('');
  const [truths, setTruths] = useState<string[]>([]);
  const [explanation, setExplanation] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState('');
  const optionList = options
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setAdded('');
    try {
      const common = { instruction, dataType, explanation: explanation.trim() || undefined };
      const body: AddExample =
        kind === 'compare'
          ? {
              taskType: 'compare',
              ...common,
              datapoint: [await itemInput(a, dataType), await itemInput(b, dataType)],
              truth: itemName(truthSide === 'A' ? a : b, dataType),
            }
          : {
              taskType: 'classification',
              ...common,
              datapoint: await itemInput(a, dataType),
              answerOptions: optionList,
              truth: truths.filter((t) => optionList.includes(t)),
            };
      await jury.call(addAudienceExampleRoute, { params: { id: audienceId }, json: body });
      setAdded('Example added.');
      setA(emptyItem());
      setB(emptyItem());
      setTruths([]);
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
      <h3 id="add-example-title">Add a qualification example</h3>
      <fieldset>
        <legend>Kind</legend>
        {(['compare', 'classification'] as const).map((k) => (
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
      {kind === 'compare' ? (
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
      ) : (
        <>
          <ItemField id="ex-a" label="Item" dataType={dataType} draft={a} onChange={setA} />
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
                    onChange={(e) =>
                      setTruths(e.target.checked ? [...truths, o] : truths.filter((t) => t !== o))
                    }
                  />{' '}
                  {o}
                </label>
              ))}
            </fieldset>
          )}
        </>
      )}
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
