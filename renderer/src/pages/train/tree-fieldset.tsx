// The Train dialog's settings of a gradient-boosted tree model; labels and bounds are
// shared/training-settings.ts's. Trees always stop on the validation loss after `patience` rounds.
import type { TaskName } from '../../../../shared/api.js';
import {
  COLSAMPLE,
  MAX_DEPTH,
  MAX_LEAVES,
  MIN_SAMPLES_LEAF,
  PATIENCE,
  SUBSAMPLE,
  TREE_LOSS,
  TREES,
} from '../../../../shared/training-settings.js';
import { ChoiceField, SettingField, type FormBinding } from './form-fields.js';

interface TreeFieldsetProps extends FormBinding {
  task: TaskName | undefined;
}

export function TreeFieldset({ task, ...binding }: TreeFieldsetProps) {
  const { form, set } = binding;
  return (
    <fieldset data-testid="train-trees">
      <legend>Trees</legend>
      <SettingField binding={binding} name="trees" setting={TREES} testId="train-trees-count" />
      <SettingField binding={binding} name="maxLeaves" setting={MAX_LEAVES} />
      <SettingField binding={binding} name="maxDepth" setting={MAX_DEPTH} optional />
      <SettingField binding={binding} name="minSamplesLeaf" setting={MIN_SAMPLES_LEAF} />
      <SettingField binding={binding} name="subsample" setting={SUBSAMPLE} />
      <SettingField binding={binding} name="colsample" setting={COLSAMPLE} />
      <SettingField binding={binding} name="patience" setting={PATIENCE} label="Stop after rounds without gain" />
      {task === 'regression' && <ChoiceField setting={TREE_LOSS} value={form.loss} onChange={(v) => set('loss', v)} />}
    </fieldset>
  );
}
