// "New pipeline": blank, or from a template (tabular classification or regression) for a dataset
// and target, with the evaluation gate the template suggests. The engine builds the template's
// file; the page saves it as the pipeline's first version.
import { useEffect, useMemo, useState } from 'react';
import type { Dataset, DatasetDetail, PipelineTemplateInfo, PipelineTemplateName } from '../../../../shared/api.js';
import { PIPELINE_FORMAT, type PipelineSpec } from '../../../../shared/pipeline.js';
import { useApp } from '../../app-context.js';
import { useAction } from '../../lib/use-action.js';
import { useAsync } from '../../lib/use-async.js';
import { DialogShell } from '../../components/dialog-shell.js';
import { suggestTarget } from '../train/target-suggestion.js';

interface NewPipelineDialogProps {
  /** A name not taken yet, for the blank choice. */
  suggestedName: string;
  /** Saves the new file as a pipeline; rejects with the engine's error (e.g. the name is taken). */
  create: (spec: PipelineSpec, message: string) => Promise<void>;
  onClose: () => void;
}

export function NewPipelineDialog({ suggestedName, create, onClose }: NewPipelineDialogProps) {
  const { client } = useApp();
  const templates = useAsync<PipelineTemplateInfo[]>(() => client.call('pipelines.templates', {}), [client]);
  const datasets = useAsync<Dataset[]>(() => client.call('datasets.list', {}), [client]);
  const [choice, setChoice] = useState<'blank' | PipelineTemplateName>('blank');
  const [name, setName] = useState(suggestedName);
  const [dataset, setDataset] = useState('');
  const [target, setTarget] = useState('');
  const [gate, setGate] = useState('');
  const { busy, error, run } = useAction();
  const template = templates.data?.find((t) => t.id === choice);
  const detail = useAsync<DatasetDetail>(dataset ? () => client.call('datasets.get', { ref: dataset }) : null, [
    client,
    dataset,
  ]);

  const suggestion = useMemo(
    () => (detail.data ? suggestTarget(detail.data.columns, detail.data.version.rows) : undefined),
    [detail.data],
  );

  useEffect(() => {
    if (!dataset && datasets.data?.[0]) setDataset(datasets.data[0].name);
  }, [datasets.data, dataset]);
  useEffect(() => {
    if (detail.data) setTarget(suggestion?.column ?? '');
  }, [detail.data, suggestion]);
  useEffect(() => setGate(template?.defaultGate ?? ''), [template]);

  const ready = name.trim() !== '' && (choice === 'blank' || (dataset !== '' && target !== ''));
  const submit = () =>
    run(() => {
      const build: Promise<PipelineSpec> =
        choice === 'blank'
          ? Promise.resolve({ cairn: PIPELINE_FORMAT, name: name.trim(), nodes: [], edges: [] })
          : client.call('pipelines.fromTemplate', {
              template: choice,
              dataset,
              target,
              name: name.trim(),
              ...(gate.trim() ? { gates: [gate.trim()] } : {}),
            });
      return build.then((spec) =>
        create(spec, choice === 'blank' ? 'created' : `from the ${template?.label ?? choice} template`),
      );
    }, onClose);

  return (
    <DialogShell
      title="New pipeline"
      testId="new-pipeline"
      busy={busy}
      error={error}
      submitLabel="Create"
      disabled={!ready}
      onSubmit={submit}
      onClose={onClose}
    >
      <fieldset className="choice-list">
        <legend className="sr-only">Start from</legend>
        <label className={`choice${choice === 'blank' ? ' active' : ''}`}>
          <input
            type="radio"
            name="start"
            checked={choice === 'blank'}
            onChange={() => setChoice('blank')}
            data-testid="new-blank"
          />
          <span>
            <strong>Blank</strong>
            <span className="small muted">An empty canvas: drag steps from the palette and connect them.</span>
          </span>
        </label>
        {templates.data?.map((t) => (
          <label key={t.id} className={`choice${choice === t.id ? ' active' : ''}`}>
            <input
              type="radio"
              name="start"
              checked={choice === t.id}
              onChange={() => setChoice(t.id)}
              data-testid={`new-${t.id}`}
            />
            <span>
              <strong>{t.label}</strong>
              <span className="small muted">{t.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Name</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={200}
          data-testid="new-name"
          autoFocus
        />
      </label>
      {choice !== 'blank' && (
        <div className="template-fields">
          <label className="field">
            <span>Dataset</span>
            <select value={dataset} onChange={(e) => setDataset(e.target.value)} data-testid="new-dataset">
              {datasets.data?.length === 0 && <option value="">No datasets yet: import one first</option>}
              {datasets.data?.map((d) => (
                <option key={d.id} value={d.name}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Target (the column to predict)</span>
            <select
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              data-testid="new-target"
              disabled={!detail.data}
            >
              {detail.data?.columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.type})
                </option>
              ))}
            </select>
            {suggestion?.column === target && (
              <span className="field-note" data-testid="new-target-reason">
                Suggested: {suggestion.reason}
              </span>
            )}
          </label>
          <label className="field">
            <span>Gate (the model passes on only if it holds)</span>
            <input
              className="mono"
              value={gate}
              onChange={(e) => setGate(e.target.value)}
              placeholder={template?.defaultGate}
              data-testid="new-gate"
            />
          </label>
        </div>
      )}
    </DialogShell>
  );
}
