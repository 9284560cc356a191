// The Train dialog's settings of a gradient-boosted tree model; labels and bounds are
// shared/training-settings.ts's. Trees always stop on the validation loss after `patience` rounds.
import type { ReactNode } from 'react';
import type { TaskName } from '../../../../shared/api.js';
import {
  COLSAMPLE,
  MAX_DEPTH,
  MAX_LEAVES,
  MIN_SAMPLES_LEAF,
  SUBSAMPLE,
  TREE_LOSS,
  TREES,
} from '../../../../shared/training-settings.js';
import { Field, NumberField } from './form-fields.js';
import type { TrainForm } from './train-form.js';

interface TreeFieldsetProps {
  form: TrainForm;
  task: TaskName | undefined;
  set: <K extends keyof TrainForm>(key: K, value: TrainForm[K]) => void;
  fieldError: (key: string) => ReactNode;
}

export function TreeFieldset({ form, task, set, fieldError }: TreeFieldsetProps) {
  return (
    <fieldset data-testid="train-trees">
      <legend>Trees</legend>
      <NumberField
        label={TREES.label}
        testId="train-trees-count"
        value={form.trees}
        step={1}
        onChange={(v) => set('trees', v)}
        error={fieldError('trees')}
      />
      <NumberField
        label={MAX_LEAVES.label}
        value={form.maxLeaves}
        step={1}
        onChange={(v) => set('maxLeaves', v)}
        error={fieldError('maxLeaves')}
      />
      <NumberField
        label={MAX_DEPTH.label}
        value={form.maxDepth}
        step={1}
        optional
        onChange={(v) => set('maxDepth', v)}
        error={fieldError('maxDepth')}
      />
      <NumberField
        label={MIN_SAMPLES_LEAF.label}
        value={form.minSamplesLeaf}
        step={1}
        onChange={(v) => set('minSamplesLeaf', v)}
        error={fieldError('minSamplesLeaf')}
      />
      <NumberField
        label={SUBSAMPLE.label}
        value={form.subsample}
        step={0.05}
        onChange={(v) => set('subsample', v)}
        error={fieldError('subsample')}
      />
      <NumberField
        label={COLSAMPLE.label}
        value={form.colsample}
        step={0.05}
        onChange={(v) => set('colsample', v)}
        error={fieldError('colsample')}
      />
      <NumberField
        label="Stop after rounds without gain"
        value={form.patience}
        step={1}
        onChange={(v) => set('patience', v)}
        error={fieldError('patience')}
      />
      {task === 'regression' && (
        <Field label={TREE_LOSS.label}>
          <select value={form.loss} onChange={(e) => set('loss', e.target.value as TrainForm['loss'])}>
            {TREE_LOSS.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
      )}
    </fieldset>
  );
}
