// The sweep kind: a hyperparameter sweep on the split's train part, each trial an ordinary run
// chosen on the validation part, whose best trial's model version flows on as a train node's does
// (electron/core/pipelines/kinds/sweep.ts runs it through the sweep runner). Its settings are the
// sweep request's (shared/api/sweeps.ts): the space, strategy and stopping from shared/sweep/.
import { SweepMetric } from '../../api/sweeps.js';
import { DEFAULT_SPACES } from '../../sweep/default-spaces.js';
import type { ModelKind } from '../../sweep/parameters.js';
import { SearchSpace } from '../../sweep/space.js';
import type { SweepStrategy, TrialStopping } from '../../sweep/strategy.js';
import { MODEL_KIND, SEED } from '../../training-settings.js';
import { enumField, settingField } from '../fields.js';
import type { PipelineTask } from '../gates.js';
import { learningFields, modelOut, splitIn, type NodeKindSpec } from './common.js';

/** The metric field's value for "the task's default" (accuracy for classes, rmse for numbers). */
export const TASK_DEFAULT_METRIC = 'auto';

const STRATEGY_LABELS = {
  tpe: 'TPE (learns from finished trials)',
  random: 'Random',
  grid: 'Grid (every combination)',
} as const satisfies Record<SweepStrategy, string>;
const STOPPING_LABELS = {
  none: 'Never',
  median: 'Below the median',
  asha: 'Successive halving (ASHA)',
} as const satisfies Record<TrialStopping, string>;

const isModelKind = (v: unknown): v is ModelKind => MODEL_KIND.options.some((o) => o.value === v);

export const sweepKind: NodeKindSpec = {
  label: 'Sweep',
  category: 'model',
  description:
    'Trains several models with different settings on the train part, keeps the best on the validation part, and passes its model version on; every trial appears in Runs.',
  inputs: [splitIn],
  outputs: [modelOut],
  params: [
    ...learningFields,
    {
      name: 'space',
      label: 'Search space',
      type: 'json',
      schema: SearchSpace.optional(),
      description:
        'Per setting: {"type": "fixed", "value"}, "choice" with "values", "int", "float" or "log" with "min" and "max". The model kind\'s default space when empty.',
      example: (params) => DEFAULT_SPACES[isModelKind(params.model) ? params.model : MODEL_KIND.default],
    },
    enumField('strategy', 'Strategy', STRATEGY_LABELS, 'tpe'),
    {
      name: 'trials',
      label: 'Trials',
      type: 'integer',
      min: 0,
      max: 10_000,
      description: 'Trials to finish. With no budget: a grid runs its every point, others 20 trials.',
    },
    {
      name: 'seconds',
      label: 'Time budget (seconds)',
      type: 'number',
      min: 0,
      max: 7 * 24 * 3600,
      description: 'No trial starts once it is spent.',
    },
    enumField(
      'metric',
      'Choose by',
      {
        [TASK_DEFAULT_METRIC]: 'Accuracy or RMSE, by task',
        ...Object.fromEntries(SweepMetric.options.map((m) => [m, m])),
      },
      TASK_DEFAULT_METRIC,
      { description: 'Scored on the validation part; the test part never chooses.' },
    ),
    enumField('stopping', 'Stop poor trials early', STOPPING_LABELS, 'none'),
    settingField('seed', SEED),
    {
      name: 'modelName',
      label: 'Model name',
      type: 'string',
      maxLength: 200,
      description: "The registry model every trial's version is saved under; the pipeline's name when empty.",
    },
  ],
};

export interface SweepParams {
  target: string;
  task: 'auto' | PipelineTask;
  model: ModelKind;
  features: string[];
  space: SearchSpace | undefined;
  strategy: SweepStrategy;
  trials: number | undefined;
  seconds: number | undefined;
  metric: typeof TASK_DEFAULT_METRIC | SweepMetric;
  stopping: TrialStopping;
  seed: number;
  modelName: string | undefined;
}
